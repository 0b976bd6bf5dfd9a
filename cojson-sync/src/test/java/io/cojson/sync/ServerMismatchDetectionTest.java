package io.cojson.sync;

import static io.cojson.sync.ForkedSession.contentSince;
import static io.cojson.sync.ForkedSession.set;
import static io.cojson.sync.SyncTestKit.CRYPTO;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.knownstate.KnownState;
import io.cojson.core.node.Accounts;
import io.cojson.core.node.LocalNode;
import io.cojson.core.session.AddResult;
import io.cojson.core.session.SessionLog;
import io.cojson.core.session.Transaction;
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
 * Server-side detection of forked sessions (recovery.md §4.1), message by message: a client
 * pushes the continuation of its fork of session S, and the server answers.
 */
class ServerMismatchDetectionTest {
    private final ForkedSession f = new ForkedSession();
    private final SessionID s = f.alice.sessionID();
    private final LocalNode serverNode = LocalNode.forAgent(CRYPTO, CRYPTO.newRandomAgentSecret());
    private final List<SyncError> errors = new CopyOnWriteArrayList<>();
    private SyncManager server;

    @AfterEach
    void close() {
        if (server != null) server.close();
    }

    private RawPeer serverWith(SyncOptions options) {
        server = SyncManager.create(serverNode, options);
        server.onError(errors::add);
        return RawPeer.attach(server, "alice", PeerRole.CLIENT);
    }

    private RawPeer connect(String id) {
        return RawPeer.attach(server, id, PeerRole.CLIENT);
    }

    private static void upload(RawPeer raw, LocalNode node, RawCoID id) {
        for (SyncMessage.Content m : contentSince(node, id, null)) {
            raw.send(m);
            assertInstanceOf(SyncMessage.Known.class, raw.next());
        }
    }

    private void uploadAll(RawPeer raw, LocalNode node, RawCoID... values) {
        upload(raw, node, f.alice.accountID());
        upload(raw, node, f.group);
        for (RawCoID v : values) upload(raw, node, v);
    }

    /** What a client holding {@code node}'s version sends after the server said it has {@code serverHas} of S. */
    private SyncMessage.Content push(LocalNode node, RawCoID map, int serverHas) {
        List<SyncMessage.Content> m = contentSince(node, map, new KnownState(map, true, Map.of(s, serverHas)));
        assertEquals(1, m.size());
        return m.get(0);
    }

    private int serverLength(RawCoID map) {
        return SyncTestKit.known(serverNode, map).count(s);
    }

    private String serverLastSignature(RawCoID map) {
        return serverNode.locked(() -> serverNode.require(map).sessions().get(s).lastSignature().value());
    }

    /** title, priority on disk; status=review reached the server only; then the restarted alice writes two edits. */
    private LocalNode forkAfterStatusReview(RawPeer raw, RawCoID map) {
        set(f.alice, map, "title", "Task");
        set(f.alice, map, "priority", "high");
        LocalNode restarted = f.restart();
        set(f.alice, map, "status", "review");
        uploadAll(raw, f.alice, map);
        set(restarted, map, "assignee", "bob");
        set(restarted, map, "archived", "false");
        return restarted;
    }

    private static SyncMessage.Known expectPlainKnown(RawPeer raw) {
        SyncMessage.Known k = assertInstanceOf(SyncMessage.Known.class, raw.next());
        assertFalse(k.isCorrection(), "no correction: it would make a forked client resend its fork");
        return k;
    }

    @Test
    @DisplayName("§4.1 steps 1-3: only S is rejected, the other session of the message is applied, S's whole server version goes back")
    void aForkedSessionIsReportedWithTheWholeServerVersionAndOnlyItIsRejected() {
        RawPeer raw = serverWith(SyncOptions.defaults());
        LocalNode second = f.secondSession();
        LocalNode restarted = forkAfterStatusReview(raw, f.map);
        set(second, f.map, "owner", "carol");
        String before = serverLastSignature(f.map);

        // One message with both: the fork of S (from index 3 as the server announced) and a fresh session S2.
        Map<String, SyncMessage.SessionEntry> sessions = new LinkedHashMap<>(push(restarted, f.map, 3).sessions());
        SyncMessage.SessionEntry other = contentSince(second, f.map, new KnownState(f.map, true, Map.of(s, 3)))
                .get(0).sessions().get(second.sessionID().value());
        sessions.put(other.session(), other);
        raw.send(new SyncMessage.Content(f.map, null, 3, sessions, null));

        String wire = raw.nextText();
        SyncMessage.SignatureMismatch report = assertInstanceOf(SyncMessage.SignatureMismatch.class, SyncMessage.parse(wire));
        assertEquals(wire, SyncMessage.parse(wire).toJson(), "re-serializes byte for byte");
        assertEquals(f.map, report.id());
        assertEquals(s, report.sessionID());
        assertFalse(report.reason().contains("review") || report.reason().contains("bob"), "no transaction data in the reason");
        List<Transaction> version = verifyStandalone(report, CRYPTO.getAgentID(f.secret).signer());
        List<Transaction> serverTxs = serverNode.locked(() -> serverNode.require(f.map).sessions().get(s).transactions());
        assertEquals(serverTxs, version, "the pieces are exactly the server's S");

        SyncMessage.Known ack = expectPlainKnown(raw);
        assertEquals(3, ack.knownState().count(s), "the server's real state of S");
        assertEquals(1, ack.knownState().count(second.sessionID()), "the other session was applied");
        assertEquals(before, serverLastSignature(f.map), "S unchanged");
        assertEquals(1, errors.size());
        assertEquals(VerificationFailure.Kind.SIGNATURE_MISMATCH, errors.get(0).failure().kind());
        assertFalse(server.peer("alice").orElseThrow().hasErrored(f.map), "the CoValue is not marked errored");
        assertEquals(1, server.signatureMismatchStats().sent());
        assertEquals(1, server.signatureMismatchStats().detected());
    }

    /**
     * Checks the report as recovery.md §4.3 will: ordered, contiguous from 0, no empty piece, and
     * each piece's signature verifies against the signer over the log built from nothing.
     */
    static List<Transaction> verifyStandalone(SyncMessage.SignatureMismatch report, io.cojson.core.ids.SignerID signer) {
        SessionLog log = new SessionLog(CRYPTO, report.sessionID(), signer);
        for (SyncMessage.SessionEntry e : report.content()) {
            assertEquals(log.size(), e.after(), "pieces are contiguous from index 0");
            assertTrue(e.count() > 0, "no empty piece");
            var piece = e.toSessionPiece();
            assertInstanceOf(AddResult.Added.class, log.tryAppend(piece.transactions(), piece.lastSignature()),
                    "the piece ending at " + (e.after() + e.count()) + " ends at a valid signature");
        }
        return new ArrayList<>(log.transactions());
    }

    @Test
    @DisplayName("§4.1 step 6: no ping-pong — the fork's continuation is ignored without a correction; the server's continuation is taken")
    void aForkedClientCannotLoopAndACorrectContinuationIsTaken() {
        RawPeer raw = serverWith(SyncOptions.defaults());
        LocalNode restarted = forkAfterStatusReview(raw, f.map);
        raw.send(push(restarted, f.map, 3));
        assertInstanceOf(SyncMessage.SignatureMismatch.class, raw.next());
        expectPlainKnown(raw);

        // The forked client edits on; its local batch starts where it believes the server is (after 4).
        set(restarted, f.map, "due", "friday");
        raw.send(push(restarted, f.map, 4));
        assertEquals(3, expectPlainKnown(raw).knownState().count(s), "ignored, answered with the real state");
        // A full resend of the fork from the server's length: rejected again, but reported only once.
        raw.send(push(restarted, f.map, 3));
        assertEquals(3, expectPlainKnown(raw).knownState().count(s));
        raw.expectSilence(100);

        SignatureMismatchStats st = server.signatureMismatchStats();
        assertEquals(1, st.sent());
        assertEquals(1, st.suppressedDuplicate());
        assertEquals(1, st.forkedContentIgnored());

        // Content that continues the server's version (what a recovered alice sends) is applied.
        set(f.alice, f.map, "owner", "alice");
        raw.send(push(f.alice, f.map, 3));
        assertEquals(4, expectPlainKnown(raw).knownState().count(s));
        assertEquals(SyncTestKit.known(f.alice, f.map), SyncTestKit.known(serverNode, f.map));
        // The fork is over for this connection: a gap is asked for again as usual.
        set(f.alice, f.map, "due", "monday");
        set(f.alice, f.map, "archived", "true");
        raw.send(push(f.alice, f.map, 5)); // starts after 5 while the server has 4
        assertTrue(assertInstanceOf(SyncMessage.Known.class, raw.next()).isCorrection());
    }

    @Test
    @DisplayName("§4.1 step 4: one report per (connection, CoValue, session, server's last signature)")
    void reportsAreDeduplicatedPerConnectionAndServerVersion() {
        RawPeer raw = serverWith(SyncOptions.defaults());
        LocalNode restarted = forkAfterStatusReview(raw, f.map);
        raw.send(push(restarted, f.map, 3));
        assertInstanceOf(SyncMessage.SignatureMismatch.class, raw.next());
        expectPlainKnown(raw);
        raw.send(push(restarted, f.map, 3));
        expectPlainKnown(raw); // same connection, same server version: no second report

        RawPeer again = connect("alice-reconnected"); // a new connection allows one more
        again.send(push(restarted, f.map, 3));
        SyncMessage.SignatureMismatch second = assertInstanceOf(SyncMessage.SignatureMismatch.class, again.next());
        assertEquals(3, second.claimedLength());
        expectPlainKnown(again);

        // The server's own version of S changes (alice's original process pushes S[3] elsewhere):
        // the same connection gets one more report, with the new version.
        RawPeer original = connect("alice-original");
        set(f.alice, f.map, "owner", "alice");
        original.send(push(f.alice, f.map, 3));
        expectPlainKnown(original);
        // (the forked connection is subscribed: it gets S[3] forwarded — its own side's problem, trigger T2)
        assertEquals(Map.of(s, 4), assertInstanceOf(SyncMessage.Content.class, raw.next()).impliedKnownState().sessions());
        set(restarted, f.map, "due", "friday"); // still longer than the server's S
        raw.send(push(restarted, f.map, 3));
        SyncMessage.SignatureMismatch third = assertInstanceOf(SyncMessage.SignatureMismatch.class, raw.next());
        assertEquals(4, third.claimedLength());
        expectPlainKnown(raw);
        assertEquals(3, server.signatureMismatchStats().sent());
        assertEquals(1, server.signatureMismatchStats().suppressedDuplicate());
    }

    @Test
    @DisplayName("§4.1 step 5: reports are rate-limited per connection; a dropped one is reported on the next push")
    void reportsAreRateLimitedPerConnection() {
        // Two at once and no refill: deterministic without a clock (the refill is TokenBucketTest's).
        RawPeer raw = serverWith(SyncOptions.defaults().withMismatchReports(new SyncOptions.RateLimit(2, 0)));
        RawCoID map2 = Accounts.createOwned(f.alice, "comap", f.group, JsonValue.NULL);
        RawCoID map3 = Accounts.createOwned(f.alice, "comap", f.group, JsonValue.NULL);
        List<RawCoID> maps = List.of(f.map, map2, map3);
        for (RawCoID m : maps) set(f.alice, m, "title", "Task");
        LocalNode restarted = f.restart();
        for (RawCoID m : maps) set(f.alice, m, "status", "review");
        uploadAll(raw, f.alice, f.map, map2, map3);
        for (RawCoID m : maps) {
            set(restarted, m, "assignee", "bob");
            set(restarted, m, "priority", "low"); // longer than the server: it pushes (case A)
        }

        int reports = 0;
        for (RawCoID m : maps) {
            raw.send(push(restarted, m, 2));
            SyncMessage first = raw.next();
            if (first instanceof SyncMessage.SignatureMismatch) {
                reports++;
                first = raw.next();
            }
            assertFalse(assertInstanceOf(SyncMessage.Known.class, first).isCorrection());
        }
        assertEquals(2, reports);
        assertEquals(1, server.signatureMismatchStats().suppressedRateLimit());
        // map3's report was dropped, so its fork is not ignored: the client's next push gets a
        // correction, and the resent fork reaches detection again (dropped again: no budget left).
        set(restarted, map3, "archived", "true");
        raw.send(push(restarted, map3, 3));
        assertTrue(assertInstanceOf(SyncMessage.Known.class, raw.next()).isCorrection());
        raw.send(push(restarted, map3, 2));
        expectPlainKnown(raw);
        assertEquals(2, server.signatureMismatchStats().suppressedRateLimit());
        assertEquals(2, server.signatureMismatchStats().sent());
    }

    @Test
    @DisplayName("RL-13 (§4.1 step 1) Errors are classified precisely: malformed transactions and signatures keep their own kind and are never reported as a fork")
    void RL13_otherVerificationFailuresAreNotReported() {
        RawPeer raw = serverWith(SyncOptions.defaults());
        LocalNode restarted = forkAfterStatusReview(raw, f.map);
        SyncMessage.SessionEntry fork = push(restarted, f.map, 3).sessions().get(s.value());

        JsonValue.Arr malformed = JsonValue.arr(JsonValue.obj("changes", JsonValue.of(5), "privacy", JsonValue.of("trusting")));
        raw.send(new SyncMessage.Content(f.map, null, 3, Map.of(s.value(), new SyncMessage.SessionEntry(s.value(), 3, malformed, fork.lastSignature())), null));
        expectPlainKnown(raw);
        raw.send(new SyncMessage.Content(f.map, null, 3, Map.of(s.value(),
                new SyncMessage.SessionEntry(s.value(), 3, fork.newTransactions(), "signature_zNotASignature")), null));
        expectPlainKnown(raw);
        raw.expectSilence(100);

        assertEquals(List.of(VerificationFailure.Kind.MALFORMED_TRANSACTION, VerificationFailure.Kind.MALFORMED_SIGNATURE),
                errors.stream().map(e -> e.failure().kind()).toList());
        assertEquals(0, server.signatureMismatchStats().detected());
        assertEquals(0, server.signatureMismatchStats().sent());

        // The well-formed fork itself is still detected afterwards (nothing was marked by the failures above).
        raw.send(push(restarted, f.map, 3));
        assertInstanceOf(SyncMessage.SignatureMismatch.class, raw.next());
    }

    @Test
    @DisplayName("§4.1: a well-formed chain for a session the server has nothing of is invalid content, not a fork: no report")
    void aMismatchWithoutAServerVersionIsNotReported() {
        RawPeer raw = serverWith(SyncOptions.defaults());
        set(f.alice, f.map, "title", "Task");
        uploadAll(raw, f.alice);
        raw.send(new SyncMessage.Content(f.map, f.alice.require(f.map).header(), 3, Map.of(), null));
        expectPlainKnown(raw);
        // Alice's session signed over a different history: the first transaction with another's signature.
        SyncMessage.SessionEntry real = contentSince(f.alice, f.map, null).get(0).sessions().get(s.value());
        String otherSignature = f.alice.locked(() -> f.alice.require(f.group).sessions().get(s).lastSignature().value());
        raw.send(new SyncMessage.Content(f.map, null, 3, Map.of(s.value(),
                new SyncMessage.SessionEntry(s.value(), 0, real.newTransactions(), otherSignature)), null));
        assertEquals(0, expectPlainKnown(raw).knownState().count(s));
        raw.expectSilence(100);
        assertEquals(VerificationFailure.Kind.SIGNATURE_MISMATCH, errors.get(0).failure().kind());
        assertEquals(1, server.signatureMismatchStats().notReportable());
        assertEquals(0, server.signatureMismatchStats().sent());
    }
}
