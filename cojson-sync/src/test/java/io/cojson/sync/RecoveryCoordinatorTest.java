package io.cojson.sync;

import static io.cojson.sync.ForkedSession.set;
import static io.cojson.sync.SyncTestKit.await;
import static io.cojson.sync.SyncTestKit.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.ids.SessionID;
import io.cojson.core.knownstate.KnownState;
import io.cojson.core.node.ContentPiece.SessionPiece;
import io.cojson.core.node.LocalNode;
import io.cojson.core.session.SessionLog;
import io.cojson.core.session.Transaction;
import io.cojson.storage.engine.MapDbStorage;
import io.cojson.storage.engine.NodePersistence;
import io.cojson.sync.recovery.RecoveryCoordinator;
import io.cojson.sync.recovery.RecoveryState;
import io.cojson.sync.recovery.RecoveryStatus;
import io.cojson.sync.storage.CoValueSyncStorage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import io.cojson.core.node.Subscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator driven by hand-made reports from a raw server peer: duplicates, forgeries and
 * the observable states (recovery.md §5.1, I6, I10, I11). Alice's restarted node keeps MapDB
 * storage, so the journal shows how many recoveries committed.
 */
class RecoveryCoordinatorTest {
    @TempDir
    Path dir;
    private final ForkedSession f = new ForkedSession();
    private final SessionID s = f.alice.sessionID();
    private LocalNode restarted;
    private String sigAfterTitle;
    private MapDbStorage disk;
    private CoValueSyncStorage syncStorage;
    private SyncManager sync;
    private RecoveryCoordinator rc;
    private RawPeer server;
    private final List<RecoveryStatus> seen = new CopyOnWriteArrayList<>();

    @BeforeEach
    void fork() {
        set(f.alice, f.map, "title", "Task");
        io.cojson.core.node.GroupOperations.addMember(f.alice, f.group, "everyone", "reader");
        restarted = f.restart();
        sigAfterTitle = restarted.locked(() -> restarted.require(f.map).sessions().get(s).lastSignature().value());
        disk = MapDbStorage.open(dir);
        try (NodePersistence p = NodePersistence.attach(restarted, disk)) {
            get(p.persistedAll());
        }
        set(f.alice, f.map, "status", "review"); // what the server holds
        syncStorage = CoValueSyncStorage.of(disk);
        sync = SyncManager.create(restarted, SyncOptions.defaults().withStorage(syncStorage));
        rc = RecoveryCoordinator.install(sync, io.cojson.sync.recovery.SessionRegistry.of(disk), disk,
                RecoveryCoordinator.Options.defaults().withBatchWindow(java.time.Duration.ofMillis(300)));
        rc.onStatus(seen::add);
        set(restarted, f.map, "assignee", "bob");
        set(restarted, f.map, "archived", "false");
        get(sync.flush());
        await("the tail is stored", () -> disk.knownState(f.map).count(s) == 3);
        server = RawPeer.attach(sync, "server", PeerRole.SERVER);
    }

    @AfterEach
    void close() {
        rc.close();
        sync.close();
        syncStorage.close();
        disk.close();
    }

    private List<SessionPiece> serverVersion() {
        return f.alice.locked(() -> MismatchReports.wholeSession(f.alice.require(f.map).sessions().get(s)));
    }

    private List<Transaction> local(SessionID session) {
        return restarted.locked(() -> {
            SessionLog log = restarted.require(f.map).sessions().get(session);
            return log == null ? List.<Transaction>of() : List.copyOf(log.transactions());
        });
    }

    @Test
    @DisplayName("RA-10 Duplicate triggers: the same report delivered twice gives one recovery, one journal entry, no duplicate S! transactions")
    void RA10_duplicateReportsRecoverOnce() throws Exception {
        SyncMessage.SignatureMismatch report = SyncMessage.SignatureMismatch.of(f.map, s, serverVersion(), "test");
        server.send(report);
        server.send(report);
        await("DONE", () -> rc.status(f.map, s).state() == RecoveryState.DONE && rc.stats().triggers() == 2);
        Thread.sleep(300); // a second run, if one were scheduled, would have ended by now
        assertEquals(RecoveryState.DONE, rc.status(f.map, s).state());
        assertEquals(1, rc.stats().committed());
        assertEquals(1, disk.journal(f.map).size());
        assertEquals(2, local(s.conflictSession()).size());
        assertEquals(2, disk.knownState(f.map).count(s.conflictSession()));
        assertEquals(2, disk.knownState(f.map).count(s));
        assertEquals(rc.stats().triggers(), rc.stats().merged() + rc.stats().committed() + rc.stats().noFork(),
                "the second trigger was merged into the run or found no fork left");
        List<RecoveryState> states = new ArrayList<>();
        for (RecoveryStatus st : seen) if (states.isEmpty() || states.get(states.size() - 1) != st.state()) states.add(st.state());
        assertEquals(List.of(RecoveryState.VERIFYING, RecoveryState.PLANNING, RecoveryState.COMMITTING, RecoveryState.SWAPPING,
                RecoveryState.PROPAGATING, RecoveryState.DONE), states.subList(0, 6), "observable state machine: " + states);
    }

    @Test
    @DisplayName("RA-10 T1 and T2 for the same (C, S) within one tick, the report delivered twice: one recovery, one record, one journal entry")
    void RA10_t1AndT2TogetherRecoverOnce() throws Exception {
        set(f.alice, f.map, "priority", "high");
        set(f.alice, f.map, "due", "friday"); // the server's S is now longer than alice's: its next piece fails here (T2)
        List<SessionPiece> version = serverVersion();
        List<Transaction> all = new ArrayList<>();
        for (SessionPiece p : version) all.addAll(p.transactions());
        String lastSig = version.get(version.size() - 1).lastSignature();
        SessionPiece beyond = new SessionPiece(s, 3, all.subList(3, all.size()), lastSig);
        SyncMessage.SignatureMismatch report = SyncMessage.SignatureMismatch.of(f.map, s, version, "test");
        server.drain();
        server.send(SyncMessage.Content.of(new io.cojson.core.node.ContentPiece(f.map, null, List.of(beyond)), 0, null)); // T2
        server.send(report); // T1
        server.send(report);
        SyncMessage.Load fetch = server.next(SyncMessage.Load.class); // T2's verification fetch: S left out
        while (!fetch.knownState().id().equals(f.map) || fetch.knownState().count(s) != 0) { // ordinary loads go by too
            fetch = server.next(SyncMessage.Load.class);
        }
        assertTrue(fetch.knownState().header());
        server.send(SyncMessage.Content.of(new io.cojson.core.node.ContentPiece(f.map, null, version), 0, null)); // the answer
        await("DONE", () -> rc.status(f.map, s).state() == RecoveryState.DONE && rc.stats().triggers() >= 3);
        Thread.sleep(300); // a further run, if one were scheduled, would have ended by now
        assertEquals(RecoveryState.DONE, rc.status(f.map, s).state());
        assertEquals(1, rc.stats().committed(), rc.stats().toString());
        assertEquals(1, disk.journal(f.map).size());
        assertEquals(1, rc.conflicts().all().size());
        assertEquals(2, local(s.conflictSession()).size(), "no duplicate S! transactions");
        assertEquals(all, local(s), "S is the server's");
        String json = SyncTestKit.mapJson(restarted, f.map);
        for (String field : List.of("\"status\":\"review\"", "\"priority\":\"high\"", "\"due\":\"friday\"", "\"assignee\":\"bob\"",
                "\"archived\":\"false\"")) {
            assertTrue(json.contains(field), field + " in " + json);
        }
    }

    @Test
    @DisplayName("RA-8 Forged correction: a report altered by one byte is rejected and counted; state and storage unchanged; the genuine one still recovers")
    void RA8_forgedReportChangesNothing() {
        List<SessionPiece> genuine = serverVersion();
        List<SessionPiece> forged = forged(genuine);
        List<Transaction> before = local(s);
        KnownState storedBefore = disk.knownState(f.map);

        server.send(SyncMessage.SignatureMismatch.of(f.map, s, forged, "test"));
        await("FAILED", () -> rc.status(f.map, s).state() == RecoveryState.FAILED);
        assertTrue(rc.status(f.map, s).reason().startsWith("invalid server version"), rc.status(f.map, s).reason());
        assertEquals(1, rc.stats().rejectedVersions());
        assertEquals(Long.valueOf(1), rc.stats().failedByReason().get("invalid-version"), rc.stats().toString());
        assertEquals(before, local(s));
        assertTrue(local(s.conflictSession()).isEmpty());
        assertEquals(storedBefore, disk.knownState(f.map));
        assertTrue(disk.journal(f.map).isEmpty());
        assertNull(restarted.require(f.map).sessions().get(s.conflictSession()));

        server.send(SyncMessage.SignatureMismatch.of(f.map, s, genuine, "test"));
        await("DONE", () -> rc.status(f.map, s).state() == RecoveryState.DONE);
        assertEquals(1, rc.stats().committed());
        assertEquals("{\"title\":\"Task\",\"status\":\"review\",\"assignee\":\"bob\",\"archived\":\"false\"}",
                SyncTestKit.mapJson(restarted, f.map));
    }

    /** {@code genuine} with the last transaction's encrypted changes altered by one character. */
    private List<SessionPiece> forged(List<SessionPiece> genuine) {
        SessionPiece last = genuine.get(genuine.size() - 1);
        List<Transaction> altered = new ArrayList<>(last.transactions());
        Transaction.Private p = (Transaction.Private) altered.get(altered.size() - 1);
        String enc = p.encryptedChanges();
        char c = enc.charAt(enc.length() - 1);
        altered.set(altered.size() - 1, new Transaction.Private(enc.substring(0, enc.length() - 1) + (c == 'a' ? 'b' : 'a'), p.keyUsed(),
                p.madeAt(), p.meta()));
        List<SessionPiece> forged = new ArrayList<>(genuine.subList(0, genuine.size() - 1));
        forged.add(new SessionPiece(s, last.after(), altered, last.lastSignature()));
        return forged;
    }

    @Test
    @DisplayName("§5.1 Single flight: a report that arrives after a run took its own, while that run is still ending, runs next instead of being dropped (RA-8's intermittent DONE timeout)")
    void reportArrivingWhileARunEndsRunsNext() throws InterruptedException {
        List<SessionPiece> genuine = serverVersion();
        java.util.concurrent.CountDownLatch secondArrived = new java.util.concurrent.CountDownLatch(1);
        // Holds the ending run right after it published FAILED (a slow recovery thread under load), bounded.
        rc.onStatus(st -> {
            if (st.state() != RecoveryState.FAILED) return;
            try {
                secondArrived.await(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.send(SyncMessage.SignatureMismatch.of(f.map, s, forged(genuine), "test"));
        await("FAILED", () -> rc.status(f.map, s).state() == RecoveryState.FAILED);
        server.send(SyncMessage.SignatureMismatch.of(f.map, s, genuine, "test"));
        await("the genuine report reached the coordinator", () -> rc.stats().triggers() == 2);
        secondArrived.countDown();
        await("DONE", () -> rc.status(f.map, s).state() == RecoveryState.DONE);
        assertEquals(1, rc.stats().committed());
        assertEquals(0, rc.stats().merged(), "the report came after the first run took its own: not merged into it");
        await("nothing left waiting", () -> rc.pending() == 0); // DONE is published just before the job is removed
        assertEquals("{\"title\":\"Task\",\"status\":\"review\",\"assignee\":\"bob\",\"archived\":\"false\"}",
                SyncTestKit.mapJson(restarted, f.map));
    }

    @Test
    @DisplayName("§4.3 step 3: a report whose version is a prefix of ours is no fork: nothing rewritten, no journal entry")
    void serverPrefixIsNoFork() {
        List<SessionPiece> prefix = restarted.locked(() -> {
            SessionLog log = restarted.require(f.map).sessions().get(s);
            return List.of(new SessionPiece(s, 0, log.transactions().subList(0, 1), sigAfterTitle));
        });
        server.send(SyncMessage.SignatureMismatch.of(f.map, s, prefix, "test"));
        await("DONE", () -> rc.status(f.map, s).state() == RecoveryState.DONE);
        assertEquals(io.cojson.sync.recovery.ForkConfirmation.Outcome.SERVER_IS_PREFIX, rc.status(f.map, s).outcome());
        assertEquals(0, rc.stats().committed());
        assertEquals(3, local(s).size());
        assertTrue(disk.journal(f.map).isEmpty());
    }

    /** Values of {@code key} set in S and S! of the map, decoded, in session order. */
    private List<String> valuesIn(String key) {
        return restarted.locked(() -> {
            List<String> out = new ArrayList<>();
            var all = io.cojson.core.covalue.TransactionDecoder.decode(restarted.require(f.map), restarted, restarted.keys());
            for (SessionID which : List.of(s, s.conflictSession())) {
                for (var tx : all) {
                    if (!tx.sessionID().equals(which)) continue;
                    for (var c : tx.changes()) {
                        var o = (io.cojson.core.json.JsonValue.Obj) c;
                        if (key.equals(((io.cojson.core.json.JsonValue.Str) o.get("key")).value())) {
                            out.add(((io.cojson.core.json.JsonValue.Str) o.get("value")).value());
                        }
                    }
                }
            }
            return out;
        });
    }

    @Test
    @DisplayName("RA-5 Editing during recovery: edits made while the unit is delayed end in S! or S exactly once, and no stale S goes out before the swap")
    void RA5_editingDuringRecovery() throws Exception {
        SyncMessage.SignatureMismatch report = SyncMessage.SignatureMismatch.of(f.map, s, serverVersion(), "test");
        List<String> dues = new ArrayList<>();
        io.cojson.storage.Faults.configure("storage.replace.mid=delay:300");
        try {
            server.drain();
            server.send(report);
            await("recovery started", () -> rc.status(f.map, s).state() != RecoveryState.IDLE);
            long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            for (int i = 0; rc.status(f.map, s).state() != RecoveryState.DONE && System.nanoTime() < until; i++) {
                set(restarted, f.map, "due", "d" + i);
                dues.add("d" + i);
                Thread.sleep(3);
            }
        } finally {
            io.cojson.storage.Faults.configure(null);
        }
        await("DONE", () -> rc.status(f.map, s).state() == RecoveryState.DONE);
        set(restarted, f.map, "due", "after");
        dues.add("after");
        get(sync.flush());
        assertTrue(dues.size() >= 5, "edits during the recovery: " + dues.size());

        List<String> seen = valuesIn("due");
        List<String> sortedSeen = new ArrayList<>(seen);
        List<String> sortedDues = new ArrayList<>(dues);
        java.util.Collections.sort(sortedSeen);
        java.util.Collections.sort(sortedDues);
        assertEquals(sortedDues, sortedSeen, "every edit once, none lost");
        List<String> inOrder = new ArrayList<>(valuesInSession("due", s.conflictSession()));
        inOrder.addAll(valuesInSession("due", s));
        assertEquals(dues, inOrder, "edits before the swap in S!, after it in S, each in writing order");
        assertTrue(valuesInSession("due", s.conflictSession()).size() >= 3, "edits made during the recovery went to S!");
        assertEquals(1, rc.stats().committed());
        await("storage caught up", () -> disk.knownState(f.map).equals(SyncTestKit.known(restarted, f.map)));
        assertEquals(1, disk.journal(f.map).size());
        assertEquals(local(s.conflictSession()).size(), disk.journal(f.map).get(0).conflictTo(),
                "the recovery unit (with its extra-tail repeat, §5.2) wrote the whole tail to S!, not ordinary writes after it");

        // Nothing the client sent after the report carries S transactions other than the final S's.
        List<Transaction> finalS = local(s);
        for (String text : server.takeAll()) {
            if (!(SyncMessage.parse(text) instanceof SyncMessage.Content c)) continue;
            SyncMessage.SessionEntry e = c.sessions().get(s.value());
            if (e == null) continue;
            for (int k = 0; k < e.count(); k++) {
                Transaction sent = io.cojson.core.session.TransactionCodec.fromJson(e.newTransactions().items().get(k));
                assertTrue(e.after() + k < finalS.size() && sent.equals(finalS.get(e.after() + k)),
                        "a stale S transaction went out at " + (e.after() + k));
            }
        }
    }

    private List<String> valuesInSession(String key, SessionID session) {
        List<String> all = new ArrayList<>();
        restarted.locked(() -> {
            var txs = io.cojson.core.covalue.TransactionDecoder.decode(restarted.require(f.map), restarted, restarted.keys());
            for (var tx : txs) {
                if (!tx.sessionID().equals(session)) continue;
                for (var c : tx.changes()) {
                    var o = (io.cojson.core.json.JsonValue.Obj) c;
                    if (key.equals(((io.cojson.core.json.JsonValue.Str) o.get("key")).value())) {
                        all.add(((io.cojson.core.json.JsonValue.Str) o.get("value")).value());
                    }
                }
            }
            return null;
        });
        return all;
    }

    @Test
    @DisplayName("RA-4 Second round: a second fork of S after a completed recovery appends to S! after round 1; two journal rounds, nothing lost")
    void RA4_secondRoundAppendsToTheConflictSession() {
        server.send(SyncMessage.SignatureMismatch.of(f.map, s, serverVersion(), "round 1"));
        await("round 1 DONE", () -> rc.status(f.map, s).state() == RecoveryState.DONE);
        assertEquals(2, local(s.conflictSession()).size());

        // Crash again: a copy of alice as she is now writes on and reaches the server; her disk-restarted self writes something else.
        LocalNode before = LocalNode.forAccount(SyncTestKit.CRYPTO, f.alice.accountID(), f.secret, s);
        for (var id : restarted.ids()) for (var p : restarted.exportContent(id)) before.importContent(p);
        set(before, f.map, "priority", "urgent"); // S[2] on the server
        set(restarted, f.map, "priority", "low"); // S[2] locally: the second fork, at P = 2
        List<SessionPiece> serverV2 = before.locked(() -> MismatchReports.wholeSession(before.require(f.map).sessions().get(s)));
        server.send(SyncMessage.SignatureMismatch.of(f.map, s, serverV2, "round 2"));
        await("round 2 DONE", () -> rc.status(f.map, s).round() == 2 && rc.status(f.map, s).state() == RecoveryState.DONE);

        assertEquals(3, local(s.conflictSession()).size(), "round 2 appended after round 1");
        assertEquals(List.of("bob"), valuesInSession("assignee", s.conflictSession()));
        assertEquals(List.of("low"), valuesInSession("priority", s.conflictSession()));
        assertEquals(List.of("urgent"), valuesInSession("priority", s));
        assertEquals(3, local(s).size());
        var journal = disk.journal(f.map);
        assertEquals(2, journal.size());
        assertEquals(1, journal.get(0).round());
        assertEquals(2, journal.get(1).round());
        assertEquals(2, journal.get(1).conflictFrom());
        assertEquals(3, journal.get(1).conflictTo());
        assertEquals(2, rc.stats().committed());
        await("stored", () -> disk.knownState(f.map).count(s.conflictSession()) == 3 && disk.knownState(f.map).count(s) == 3);
    }

    @Test
    @DisplayName("RL-16 (a) Idempotence keyed by round: two crash rounds on one session give two conflict records and two events; the report duplicated within each round gives one")
    void RL16a_twoRoundsTwoRecordsDuplicatesWithinARoundOne() {
        List<String> events = new CopyOnWriteArrayList<>();
        Subscription sub = rc.conflicts().onRecord(r -> events.add(r.recordId() + "@" + r.round()), false);
        SyncMessage.SignatureMismatch round1 = SyncMessage.SignatureMismatch.of(f.map, s, serverVersion(), "round 1");
        server.send(round1);
        server.send(round1);
        await("round 1 DONE", () -> rc.status(f.map, s).state() == RecoveryState.DONE && rc.stats().triggers() == 2);

        LocalNode before = LocalNode.forAccount(SyncTestKit.CRYPTO, f.alice.accountID(), f.secret, s); // crash again
        for (var id : restarted.ids()) for (var p : restarted.exportContent(id)) before.importContent(p);
        set(before, f.map, "priority", "urgent");
        set(restarted, f.map, "priority", "low");
        List<SessionPiece> serverV2 = before.locked(() -> MismatchReports.wholeSession(before.require(f.map).sessions().get(s)));
        SyncMessage.SignatureMismatch round2 = SyncMessage.SignatureMismatch.of(f.map, s, serverV2, "round 2");
        server.send(round2);
        server.send(round2);
        await("round 2 DONE", () -> rc.status(f.map, s).round() == 2 && rc.status(f.map, s).state() == RecoveryState.DONE
                && rc.stats().triggers() == 4);
        sub.close();

        assertEquals(2, rc.conflicts().forValue(f.map).size(), "one record per round: " + rc.conflicts().all());
        assertEquals(2, new java.util.HashSet<>(events).size(), "one event per new record: " + events);
        assertEquals(2, events.size(), "no event emitted twice: " + events);
        assertEquals(2, disk.journal(f.map).size());
        assertEquals(2, rc.stats().committed());
        assertEquals(3, local(s.conflictSession()).size(), "no duplicated conflict content");
    }

    @Test
    @DisplayName("RX-3 Two CoValues, a group and a map it owns, forked together: both recover, the group first, storage consistent")
    void RX3_groupAndMapRecoverDependencyFirst() {
        io.cojson.core.node.GroupOperations.addMember(f.alice, f.group, "everyone", "writer"); // lost with status=review
        sleepPastMillisecond();
        io.cojson.core.node.GroupOperations.addMember(restarted, f.group, "everyone", "writer"); // after the restart, at another time: the group forks too
        SessionID groupSession = s;
        List<SessionPiece> groupVersion = f.alice.locked(() -> MismatchReports.wholeSession(f.alice.require(f.group).sessions().get(groupSession)));
        server.send(SyncMessage.SignatureMismatch.of(f.map, s, serverVersion(), "map")); // the dependant first
        server.send(SyncMessage.SignatureMismatch.of(f.group, groupSession, groupVersion, "group"));
        await("both DONE", () -> rc.status(f.map, s).state() == RecoveryState.DONE && rc.status(f.group, s).state() == RecoveryState.DONE);
        List<io.cojson.core.ids.RawCoID> committingOrder = new ArrayList<>();
        for (RecoveryStatus st : seen) if (st.state() == RecoveryState.COMMITTING) committingOrder.add(st.id());
        assertEquals(List.of(f.group, f.map), committingOrder, "the group first; group status " + rc.status(f.group, s));
        assertEquals(2, rc.stats().committed());
        try {
            await("stored", () -> disk.knownState(f.group).equals(SyncTestKit.known(restarted, f.group))
                    && disk.knownState(f.map).equals(SyncTestKit.known(restarted, f.map)));
        } catch (AssertionError e) {
            throw new AssertionError("group " + disk.knownState(f.group) + " map " + disk.knownState(f.map) + " in memory "
                    + SyncTestKit.known(restarted, f.group), e);
        }
        assertTrue(SyncTestKit.known(restarted, f.group).count(s.conflictSession()) >= 1, "the group's tail went to its S!");
        assertEquals(f.alice.locked(() -> f.alice.require(f.group).sessions().get(s).size()), SyncTestKit.known(restarted, f.group).count(s));
        assertEquals(1, disk.journal(f.group).size());
        assertEquals(1, disk.journal(f.map).size());
        assertEquals("{\"title\":\"Task\",\"status\":\"review\",\"assignee\":\"bob\",\"archived\":\"false\"}",
                SyncTestKit.mapJson(restarted, f.map), "the map still reads after the group's recovery");
    }

    private static void sleepPastMillisecond() {
        long t = System.currentTimeMillis();
        while (System.currentTimeMillis() == t) Thread.onSpinWait();
    }

    @Test
    @DisplayName("§5.1/§5.8 A recovery unit that fails leaves memory and storage as they were (FAILED) and is retried with backoff until DONE")
    void failedUnitIsRetried() {
        List<Transaction> before = local(s);
        KnownState storedBefore = disk.knownState(f.map);
        List<KnownState> duringFailure = new CopyOnWriteArrayList<>();
        rc.onStatus(st -> {
            if (st.state() == RecoveryState.FAILED) duringFailure.add(SyncTestKit.known(restarted, f.map));
        });
        io.cojson.storage.Faults.configure("storage.replace.mid=throw:io"); // the first unit fails mid-way
        try {
            server.send(SyncMessage.SignatureMismatch.of(f.map, s, serverVersion(), "test"));
            await("DONE", () -> rc.status(f.map, s).state() == RecoveryState.DONE);
        } finally {
            io.cojson.storage.Faults.configure(null);
        }
        assertEquals(1, duringFailure.size(), "one failed attempt");
        assertEquals(3, duringFailure.get(0).count(s), "memory untouched by the failed attempt");
        assertEquals(0, duringFailure.get(0).count(s.conflictSession()));
        assertEquals(2, rc.status(f.map, s).attempt());
        assertEquals(1, rc.stats().failed());
        assertEquals(1, rc.stats().committed());
        assertEquals(3, before.size());
        assertEquals(3, storedBefore.count(s));
        assertEquals(1, disk.journal(f.map).size());
        assertEquals(2, disk.knownState(f.map).count(s));
        assertEquals(2, disk.knownState(f.map).count(s.conflictSession()));
    }
}
