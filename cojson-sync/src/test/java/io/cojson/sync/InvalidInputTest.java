package io.cojson.sync;

import static io.cojson.sync.SyncTestKit.CRYPTO;
import static io.cojson.sync.SyncTestKit.await;
import static io.cojson.sync.SyncTestKit.set;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.header.CoValueHeader;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.knownstate.KnownState;
import io.cojson.core.node.Accounts;
import io.cojson.core.node.GroupOperations;
import io.cojson.core.node.LocalNode;
import io.cojson.core.session.VerificationFailure;
import io.cojson.sync.internal.ContentProducer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What a server does with bad input from a client (sync-protocol §7, reliability.md RL-02/RL-13):
 * typed errors, nothing invalid stored, the rest of the message and the peer keep working.
 */
class InvalidInputTest {
    private final LocalNode alice = Accounts.create(CRYPTO, "Alice");
    private final RawCoID group = GroupOperations.createGroup(alice, null);
    private final RawCoID map1 = Accounts.createOwned(alice, "comap", group, JsonValue.NULL);
    private final RawCoID map2 = Accounts.createOwned(alice, "comap", group, JsonValue.NULL);
    private final LocalNode serverNode = LocalNode.forAgent(CRYPTO, CRYPTO.newRandomAgentSecret());
    private final List<SyncError> errors = new CopyOnWriteArrayList<>();
    private SyncManager server;

    private RawPeer serverWith(SyncOptions options) {
        server = SyncManager.create(serverNode, options);
        server.onError(errors::add);
        return RawPeer.attach(server, "alice", PeerRole.CLIENT);
    }

    @AfterEach
    void close() {
        if (server != null) server.close();
    }

    static List<SyncMessage.Content> contentOf(LocalNode node, RawCoID id) {
        return node.locked(() -> ContentProducer.newContentSince(node.require(id), null, null)).toMessages();
    }

    private void upload(RawPeer raw, RawCoID id) {
        for (SyncMessage.Content m : contentOf(alice, id)) {
            raw.send(m);
            raw.next(SyncMessage.Known.class);
        }
    }

    /** The message with the one session's signature replaced by another well-formed signature. */
    private static SyncMessage.Content withSignature(SyncMessage.Content m, String signature) {
        Map<String, SyncMessage.SessionEntry> s = new LinkedHashMap<>();
        m.sessions().forEach((k, e) -> s.put(k, new SyncMessage.SessionEntry(k, e.after(), e.newTransactions(), signature)));
        return new SyncMessage.Content(m.id(), m.header(), m.priority(), s, null);
    }

    private String otherSignature() {
        return alice.locked(() -> alice.require(group).sessions().values().iterator().next().lastSignature().value());
    }

    @Test
    @DisplayName("RL-02 No sticky error: a session with a corrupted signature is rejected for that session only; the same peer's other value and the valid version of the rejected one are accepted without reconnecting")
    void RL02_aTamperedSessionIsRejectedAndThePeerKeepsWorking() {
        RawPeer raw = serverWith(SyncOptions.defaults());
        set(alice, map1, "a", JsonValue.of(1));
        set(alice, map2, "b", JsonValue.of(2));
        upload(raw, alice.accountID());
        upload(raw, group);

        raw.send(withSignature(contentOf(alice, map1).get(0), otherSignature()));
        SyncMessage.Known ack = raw.next(SyncMessage.Known.class);
        assertFalse(ack.isCorrection());
        assertEquals(new KnownState(map1, true, Map.of()), ack.knownState(), "header taken, the session not");
        assertEquals(1, errors.size());
        SyncError e = errors.get(0);
        assertEquals(SyncError.Kind.REJECTED_SESSION, e.kind());
        assertEquals(VerificationFailure.Kind.SIGNATURE_MISMATCH, e.failure().kind());
        assertEquals(alice.sessionID(), e.session());
        assertEquals(map1, e.id());
        assertEquals(0, SyncTestKit.known(serverNode, map1).sessions().size(), "nothing invalid stored");

        upload(raw, map2); // another value from the same peer
        assertEquals(SyncTestKit.known(alice, map2), SyncTestKit.known(serverNode, map2));
        upload(raw, map1); // and the valid version of the rejected one (no sticky error, RL-02)
        assertEquals(SyncTestKit.known(alice, map1), SyncTestKit.known(serverNode, map1));
        assertFalse(server.peer("alice").orElseThrow().hasErrored(map1));
    }

    /** Answers the server's load of {@code id} with "I do not have it". */
    private static void refuseLoad(RawPeer raw, RawCoID id) {
        SyncMessage.Load load = raw.next(SyncMessage.Load.class);
        assertEquals(id, load.knownState().id());
        raw.send(new SyncMessage.Known(KnownState.empty(id)));
    }

    @Test
    void aSessionRejectedBecauseItsAuthorWasMissingIsAskedForAgainABoundedNumberOfTimes() {
        RawPeer raw = serverWith(SyncOptions.defaults());
        SyncMessage.Content groupContent = contentOf(alice, group).get(0);
        raw.send(groupContent); // alice's account is not on the server: it asks the sender first
        refuseLoad(raw, alice.accountID());
        SyncMessage.Known correction = raw.next(SyncMessage.Known.class);
        assertTrue(correction.isCorrection(), "a transient rejection asks for the session again: " + correction);
        assertEquals(VerificationFailure.Kind.SIGNER_UNKNOWN, errors.get(0).failure().kind());

        upload(raw, alice.accountID()); // the author arrives; the resent session is accepted now
        raw.drain();
        raw.send(groupContent);
        SyncMessage.Known ack = raw.next(SyncMessage.Known.class);
        assertFalse(ack.isCorrection());
        assertEquals(SyncTestKit.known(alice, group), SyncTestKit.known(serverNode, group));

        // A peer that never supplies the author gets at most MAX_TRANSIENT_RETRIES corrections per value.
        LocalNode carol = Accounts.create(CRYPTO, "Carol");
        RawCoID carolsGroup = GroupOperations.createGroup(carol, null);
        SyncMessage.Content carolsContent = carol.locked(() -> ContentProducer.newContentSince(carol.require(carolsGroup), null, null)).toMessages().get(0);
        int corrections = 0;
        for (int i = 0; i < PeerState.MAX_TRANSIENT_RETRIES + 2; i++) {
            raw.send(carolsContent);
            refuseLoad(raw, carol.accountID()); // asked again each time: maybe it has the account by now
            if (raw.next(SyncMessage.Known.class).isCorrection()) corrections++;
        }
        assertEquals(PeerState.MAX_TRANSIENT_RETRIES, corrections);
        assertEquals(0, SyncTestKit.known(serverNode, carolsGroup).sessions().size(), "nothing unverifiable stored");
    }

    @Test
    void withStickyErrorsTheValueIsIgnoredForThatPeerAsTheReferenceDoes() {
        RawPeer raw = serverWith(SyncOptions.defaults().withStickyErrors(true));
        set(alice, map1, "a", JsonValue.of(1));
        set(alice, map2, "b", JsonValue.of(2));
        upload(raw, alice.accountID());
        upload(raw, group);
        raw.send(withSignature(contentOf(alice, map1).get(0), otherSignature()));
        raw.next(SyncMessage.Known.class);
        assertTrue(server.peer("alice").orElseThrow().hasErrored(map1));

        raw.send(contentOf(alice, map1).get(0));
        raw.expectSilence(300);
        upload(raw, map2);
        assertEquals(SyncTestKit.known(alice, map2), SyncTestKit.known(serverNode, map2));
    }

    @Test
    void aMalformedSessionIsRejectedAndTheOtherSessionsOfTheMessageApplied() {
        RawPeer raw = serverWith(SyncOptions.defaults());
        set(alice, map1, "a", JsonValue.of(1));
        upload(raw, alice.accountID());
        upload(raw, group);
        SyncMessage.Content good = contentOf(alice, map1).get(0);
        SessionID bad = new SessionID(alice.accountID().value() + "_session_zBadBad1");
        Map<String, SyncMessage.SessionEntry> s = new LinkedHashMap<>(good.sessions());
        s.put(bad.value(), new SyncMessage.SessionEntry(bad.value(), 0,
                JsonValue.arr(JsonValue.obj("changes", JsonValue.of(5), "privacy", JsonValue.of("trusting"))), otherSignature()));
        raw.send(new SyncMessage.Content(map1, good.header(), good.priority(), s, null));
        SyncMessage.Known ack = raw.next(SyncMessage.Known.class);
        assertEquals(1, ack.knownState().count(alice.sessionID()));
        assertEquals(0, ack.knownState().count(bad));
        assertEquals(VerificationFailure.Kind.MALFORMED_TRANSACTION, errors.get(0).failure().kind());
        assertEquals(bad, errors.get(0).session());
    }

    @Test
    void invalidMessagesAreDroppedWithTypedErrorsAndNoReply() {
        RawPeer raw = serverWith(SyncOptions.defaults());
        raw.sendRaw("{not json");
        raw.sendRaw("{\"action\":\"load\",\"id\":\"not-a-co-id\",\"header\":false,\"sessions\":{}}");
        raw.sendRaw("{\"action\":\"bogus\",\"id\":\"" + map1 + "\"}");
        raw.sendRaw("{\"action\":\"load\",\"id\":\"" + map1 + "\",\"header\":false,\"sessions\":{\"x\":1}}");
        raw.sendRaw("{\"action\":\"done\",\"id\":\"" + map1 + "\"}");
        raw.expectSilence(300);
        assertEquals(4, errors.size());
        for (SyncError e : errors) assertEquals(SyncError.Kind.INVALID_MESSAGE, e.kind());
        assertTrue(errors.get(0).message().startsWith("MALFORMED_JSON"));
        assertTrue(errors.get(1).message().startsWith("INVALID_ID"));
        assertTrue(errors.get(1).message().endsWith("found \"not-a-co-id\" (11 chars)"), errors.get(1).message()); // quoted once
        assertTrue(errors.get(2).message().startsWith("UNKNOWN_ACTION"));
        assertTrue(errors.get(3).message().startsWith("INVALID_FIELD"));

        raw.send(new SyncMessage.Load(KnownState.empty(map1))); // still served
        assertEquals(KnownState.empty(map1), raw.next(SyncMessage.Known.class).knownState());
    }

    @Test
    void aHeaderThatDoesNotHashToTheIdIsDroppedWithoutReply() {
        RawPeer raw = serverWith(SyncOptions.defaults());
        upload(raw, alice.accountID()); // dependencies first, else the server asks for them (as the reference does)
        upload(raw, group);
        CoValueHeader otherHeader = alice.require(map2).header();
        raw.send(new SyncMessage.Content(map1, otherHeader, 3, Map.of(), null));
        raw.expectSilence(300);
        assertEquals(SyncError.Kind.INVALID_HEADER, errors.get(0).kind());
        assertNull(serverNode.get(map1));
    }

    @Test
    void contentBeyondWhatTheServerHasGetsACorrection() {
        RawPeer raw = serverWith(SyncOptions.defaults());
        for (int i = 0; i < 3; i++) set(alice, map1, "k" + i, JsonValue.of(i));
        upload(raw, alice.accountID());
        upload(raw, group);

        SyncMessage.Content full = contentOf(alice, map1).get(0);
        SyncMessage.Content headerless = new SyncMessage.Content(map1, null, 3, full.sessions(), null);
        raw.send(headerless); // unknown value, no header: "send it again with the header"
        SyncMessage.Known c1 = raw.next(SyncMessage.Known.class);
        assertTrue(c1.isCorrection());
        assertEquals(KnownState.empty(map1), c1.knownState());

        SyncMessage.Content headerOnly = new SyncMessage.Content(map1, full.header(), 3, Map.of(), null);
        raw.send(headerOnly);
        raw.next(SyncMessage.Known.class);
        SyncMessage.SessionEntry e = full.sessions().values().iterator().next();
        JsonValue.Arr last = new JsonValue.Arr(e.newTransactions().items().subList(2, 3));
        raw.send(new SyncMessage.Content(map1, null, 3, Map.of(e.session(), new SyncMessage.SessionEntry(e.session(), 2, last, e.lastSignature())), null));
        SyncMessage.Known c2 = raw.next(SyncMessage.Known.class);
        assertTrue(c2.isCorrection(), "a gap: after=2 but the server has 0");
        assertEquals(new KnownState(map1, true, Map.of()), c2.knownState());
        raw.send(full);
        assertEquals(3, raw.next(SyncMessage.Known.class).knownState().count(alice.sessionID()));
        assertEquals(List.of(), errors, "gaps are not errors");
    }

    @Test
    void theServerAsksTheClientForMissingDependencies() {
        RawPeer raw = serverWith(SyncOptions.defaults());
        set(alice, map1, "a", JsonValue.of(1));
        raw.send(contentOf(alice, map1).get(0)); // neither the group nor the author's account is there
        java.util.Set<RawCoID> asked = new java.util.HashSet<>();
        asked.add(raw.next(SyncMessage.Load.class).coValueId());
        asked.add(raw.next(SyncMessage.Load.class).coValueId());
        assertEquals(java.util.Set.of(group, alice.accountID()), asked);
        upload(raw, alice.accountID());
        for (SyncMessage.Content m : contentOf(alice, group)) raw.send(m);
        await("map applied once its dependencies arrived",
                () -> SyncTestKit.known(alice, map1).equals(SyncTestKit.known(serverNode, map1)));
        assertEquals(List.of(), errors);
    }

    @Test
    void reconcileBatchesAreAnsweredAndAcknowledged() {
        RawPeer raw = serverWith(SyncOptions.defaults());
        set(alice, map1, "a", JsonValue.of(1));
        upload(raw, alice.accountID());
        upload(raw, group);
        upload(raw, map1);
        KnownState ks = SyncTestKit.known(serverNode, map1);
        LinkedHashMap<String, JsonValue> sessions = new LinkedHashMap<>();
        ks.sessions().forEach((k, v) -> sessions.put(k.value(), JsonValue.of(v)));
        String same = CRYPTO.shortHash(new JsonValue.Obj(sessions)).value();

        raw.send(new SyncMessage.Reconcile("b1", List.of(new SyncMessage.ReconcileEntry(map1, same))));
        assertEquals("b1", raw.next(SyncMessage.ReconcileAck.class).batchId());

        raw.send(new SyncMessage.Reconcile("b2", List.of(new SyncMessage.ReconcileEntry(map2, same))));
        SyncMessage.Load load = raw.next(SyncMessage.Load.class);
        assertEquals(KnownState.empty(map2), load.knownState());
        raw.send(new SyncMessage.Known(KnownState.empty(map2)));
        SyncMessage.ReconcileAck ack = raw.next(SyncMessage.ReconcileAck.class);
        assertNotNull(ack);
        assertEquals("b2", ack.batchId());
    }
}
