package io.cojson.sync;

import static io.cojson.sync.SyncTestKit.await;
import static io.cojson.sync.SyncTestKit.known;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static io.cojson.sync.SyncTestKit.get;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.knownstate.KnownState;
import io.cojson.core.node.LocalNode;
import io.cojson.core.session.VerificationFailure;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * reliability.md RL-02 (seed 000): an error is scoped to the offending session of the offending
 * message and never sticks: one content message carries two valid sessions and one whose signature
 * is corrupted; later, a valid version of the third session from the same connection is taken.
 * Both ways: a client sends it to the Java server, and the server side sends it to a Java client.
 */
class RLErrorScopeTest {
    private final ForkedSession f = new ForkedSession();
    private final List<LocalNode> writers = List.of(f.alice, f.secondSession(), f.secondSession());
    private final List<SyncManager> managers = new ArrayList<>();

    @AfterEach
    void close() {
        managers.forEach(SyncManager::close);
    }

    /** One content message for the map with one new edit of each writer; the third's signature replaced. */
    private SyncMessage.Content mixed(KnownState peerHas, boolean corruptThird) {
        Map<String, SyncMessage.SessionEntry> sessions = new LinkedHashMap<>();
        for (int i = 0; i < writers.size(); i++) {
            SessionID s = writers.get(i).sessionID();
            SyncMessage.SessionEntry e = ForkedSession.contentSince(writers.get(i), f.map, peerHas).get(0).sessions().get(s.value());
            if (i == 2 && corruptThird) {
                String other = sessions.values().iterator().next().lastSignature(); // well-formed, wrong
                e = new SyncMessage.SessionEntry(s.value(), e.after(), e.newTransactions(), other);
            }
            sessions.put(s.value(), e);
        }
        return new SyncMessage.Content(f.map, null, 0, sessions, null);
    }

    private SyncMessage.Content third(KnownState peerHas) {
        SessionID s = writers.get(2).sessionID();
        SyncMessage.Content c = ForkedSession.contentSince(writers.get(2), f.map, peerHas).get(0);
        return new SyncMessage.Content(f.map, null, 0, Map.of(s.value(), c.sessions().get(s.value())), null);
    }

    private void edits() {
        for (int i = 0; i < writers.size(); i++) ForkedSession.set(writers.get(i), f.map, "k" + i, "v" + i);
    }

    private void checkScoped(LocalNode receiver, List<SyncError> errors, PeerState peer) {
        await("the two valid sessions are applied", () -> known(receiver, f.map).count(writers.get(0).sessionID()) == 1
                && known(receiver, f.map).count(writers.get(1).sessionID()) == 1);
        assertEquals(0, known(receiver, f.map).count(writers.get(2).sessionID()), "the corrupted session is not");
        await("the rejection is reported", () -> !errors.isEmpty());
        assertEquals(1, errors.size(), errors.toString());
        assertEquals(SyncError.Kind.REJECTED_SESSION, errors.get(0).kind());
        assertEquals(VerificationFailure.Kind.SIGNATURE_MISMATCH, errors.get(0).failure().kind());
        assertEquals(writers.get(2).sessionID(), errors.get(0).session(), "scoped to the offending session");
        assertFalse(peer.hasErrored(f.map), "nothing marks the value for this peer");
    }

    @Test
    @DisplayName("RL-02 No sticky error (client to Java server): two valid sessions applied and acknowledged, the corrupted third rejected alone, its valid version accepted later on the same connection")
    void RL02_serverScopesTheErrorToTheSessionAndRecovers() {
        SyncManager server = SyncManager.create(LocalNode.forAgent(SyncTestKit.CRYPTO, SyncTestKit.CRYPTO.newRandomAgentSecret()));
        managers.add(server);
        List<SyncError> errors = new CopyOnWriteArrayList<>();
        server.onError(errors::add);
        RawPeer client = RawPeer.attach(server, "client", PeerRole.CLIENT);
        for (RawCoID id : List.of(f.alice.accountID(), f.group, f.map)) {
            for (SyncMessage.Content c : ForkedSession.contentSince(f.alice, id, null)) client.send(c);
        }
        await("the server has the map", () -> known(server.node(), f.map) != null);
        KnownState base = known(server.node(), f.map);
        edits();
        client.drain();
        client.send(mixed(base, true));
        // Acknowledgements of the set-up content may still arrive after the drain: skip to the one for these edits.
        SyncMessage.Known ack = client.next(SyncMessage.Known.class);
        while (!ack.knownState().id().equals(f.map) || ack.knownState().count(writers.get(0).sessionID()) == 0) {
            ack = client.next(SyncMessage.Known.class);
        }
        assertEquals(1, ack.knownState().count(writers.get(0).sessionID()), "acknowledged: " + ack);
        assertEquals(1, ack.knownState().count(writers.get(1).sessionID()));
        assertEquals(0, ack.knownState().count(writers.get(2).sessionID()));
        PeerState peer = server.peer("client").orElseThrow();
        checkScoped(server.node(), errors, peer);

        client.send(third(base)); // later, the same connection, no reconnect
        await("the valid third session is accepted", () -> known(server.node(), f.map).count(writers.get(2).sessionID()) == 1);
        assertEquals(1, errors.size(), "no new error");
    }

    @Test
    @DisplayName("RL-02 No sticky error (server to Java client): the client applies the two valid sessions, rejects the corrupted one alone and keeps syncing the map without an app restart")
    void RL02_clientScopesTheErrorToTheSessionAndRecovers() {
        LocalNode reader = f.secondSession(); // holds the map before the three edits
        SyncManager client = SyncManager.create(reader);
        managers.add(client);
        List<SyncError> errors = new CopyOnWriteArrayList<>();
        client.onError(errors::add);
        RawPeer server = RawPeer.attach(client, "server", PeerRole.SERVER);
        KnownState base = known(reader, f.map);
        edits();
        server.send(mixed(base, true));
        await("the server peer is added", () -> client.peer("server").isPresent()); // addPeer runs on the sync executor
        PeerState peer = client.peer("server").orElseThrow();
        checkScoped(reader, errors, peer);

        server.send(third(base));
        await("the valid third session is accepted", () -> known(reader, f.map).count(writers.get(2).sessionID()) == 1);
        ForkedSession.set(writers.get(0), f.map, "k0", "again");
        server.send(ForkedSession.contentSince(writers.get(0), f.map, known(reader, f.map)).get(0));
        await("the map keeps syncing", () -> known(reader, f.map).count(writers.get(0).sessionID()) == 2);
        assertEquals(1, errors.size(), "no new error");
    }

    @Test
    @DisplayName("RL-13 Errors are classified precisely: (a) a malformed transaction is rejected as malformed, other sessions applied, no recovery; (b) content from an account that arrives 1 s later is applied then; (c) a storage read that fails once with io is retried, the value never reported unavailable")
    void RL13_errorsAreClassifiedPrecisely(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        // (a) and (b) against a Java server without storage, through a raw client connection.
        SyncManager server = SyncManager.create(LocalNode.forAgent(SyncTestKit.CRYPTO, SyncTestKit.CRYPTO.newRandomAgentSecret()));
        managers.add(server);
        List<SyncError> errors = new CopyOnWriteArrayList<>();
        server.onError(errors::add);
        RawPeer client = RawPeer.attach(server, "client", PeerRole.CLIENT);
        for (RawCoID id : List.of(f.alice.accountID(), f.group, f.map)) {
            for (SyncMessage.Content c : ForkedSession.contentSince(f.alice, id, null)) client.send(c);
        }
        await("the server has the map", () -> known(server.node(), f.map) != null);
        KnownState base = known(server.node(), f.map);
        edits();
        SyncMessage.Content good = mixed(base, false);
        Map<String, SyncMessage.SessionEntry> sessions = new LinkedHashMap<>(good.sessions());
        String third = writers.get(2).sessionID().value();
        SyncMessage.SessionEntry e = sessions.get(third);
        sessions.put(third, new SyncMessage.SessionEntry(third, e.after(),
                io.cojson.core.json.JsonValue.arr(io.cojson.core.json.JsonValue.obj("changes", io.cojson.core.json.JsonValue.of(5))), e.lastSignature()));
        client.send(new SyncMessage.Content(f.map, null, 0, sessions, null));
        await("the valid sessions are applied", () -> known(server.node(), f.map).count(writers.get(0).sessionID()) == 1
                && known(server.node(), f.map).count(writers.get(1).sessionID()) == 1);
        await("(a) reported", () -> !errors.isEmpty());
        assertEquals(VerificationFailure.Kind.MALFORMED_TRANSACTION, errors.get(0).failure().kind(), errors.toString());
        assertEquals(0, server.signatureMismatchStats().detected(), "(a) never taken for a fork: no recovery");

        LocalNode bob = io.cojson.core.node.Accounts.create(SyncTestKit.CRYPTO, "Bob"); // an account the server does not have
        RawCoID bobGroup = io.cojson.core.node.GroupOperations.createGroup(bob, null);
        client.drain();
        client.send(ForkedSession.contentSince(bob, bobGroup, null).get(0));
        SyncMessage.Load ask = client.next(SyncMessage.Load.class); // the server asks for the missing author
        assertEquals(bob.accountID(), ask.knownState().id());
        Thread.sleep(1000); // the account arrives a second later
        for (SyncMessage.Content c : ForkedSession.contentSince(bob, bob.accountID(), null)) client.send(c);
        await("(b) applied once the account arrived", () -> known(bob, bobGroup).equals(known(server.node(), bobGroup)));

        // (c) a Java server on MapDB whose first storage read fails with io.
        MapDbServerFixture first = new MapDbServerFixture(dir.resolve("server"));
        SyncManager a = first.connected(f.alice, SyncOptions.defaults());
        get(a.waitForSync(f.map, "server"));
        a.close();
        first.close();
        MapDbServerFixture second = new MapDbServerFixture(dir.resolve("server"));
        try {
            List<SyncError> storageErrors = new CopyOnWriteArrayList<>();
            second.server.onError(storageErrors::add);
            io.cojson.storage.Faults.configure("storage.load.afterRead=throw:io");
            LocalNode reader = LocalNode.forAccount(SyncTestKit.CRYPTO, f.alice.accountID(), f.secret, null);
            SyncManager r = second.connected(reader, SyncOptions.defaults());
            assertTrue(get(r.load(f.map)).isPresent(), "(c) the load is retried and succeeds, never unavailable");
            assertTrue(storageErrors.stream().anyMatch(x -> x.kind() == SyncError.Kind.STORAGE_FAILURE), "(c) the read did fail once: " + storageErrors);
            assertEquals(known(f.alice, f.map), known(reader, f.map));
        } finally {
            io.cojson.storage.Faults.configure(null);
            second.close();
        }
    }
}
