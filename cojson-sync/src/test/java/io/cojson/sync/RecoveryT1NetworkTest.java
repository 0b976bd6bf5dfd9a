package io.cojson.sync;

import static io.cojson.sync.ForkedSession.set;
import static io.cojson.sync.SyncTestKit.CRYPTO;
import static io.cojson.sync.SyncTestKit.await;
import static io.cojson.sync.SyncTestKit.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.content.DecodedTx;
import io.cojson.core.covalue.TransactionDecoder;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import io.cojson.core.knownstate.KnownState;
import io.cojson.core.node.ContentPiece;
import io.cojson.core.node.LocalNode;
import io.cojson.core.session.Transaction;
import io.cojson.storage.engine.RecoveryJournalEntry;
import io.cojson.storage.engine.AsyncMapDbStorage;
import io.cojson.storage.engine.CoValueStorage;
import io.cojson.storage.engine.MapDbStorage;
import io.cojson.storage.engine.NodePersistence;
import io.cojson.sync.recovery.ForkConfirmation;
import io.cojson.sync.recovery.RecoveryCoordinator;
import io.cojson.sync.recovery.RecoveryState;
import io.cojson.sync.recovery.RecoveryStatus;
import io.cojson.sync.storage.CoValueSyncStorage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trigger T1 end to end (recovery.md §4.3–§5.6): a Java sync server with MapDB behind real
 * WebSockets on 127.0.0.1; alice's client crashes after the server stored {@code status=review}
 * but before her storage did (her restarted node starts from her disk, the same session ID), edits
 * on, reconnects, receives the server's SignatureMismatch and recovers: S becomes the server's
 * version, her divergent edits go to S!, in her MapDB storage through the recovery unit, and to
 * the server and a fresh loader.
 */
class RecoveryT1NetworkTest {
    @TempDir
    Path dir;
    private final ForkedSession f = new ForkedSession();
    private final SessionID s = f.alice.sessionID();
    private MapDbServerFixture net;
    private LocalNode serverNode;

    @BeforeEach
    void startServer() {
        net = new MapDbServerFixture(dir.resolve("server"));
        serverNode = net.serverNode;
    }

    @AfterEach
    void closeAll() throws Exception {
        net.close();
    }

    private SyncManager client(LocalNode node, SyncOptions options) {
        return net.client(node, options);
    }

    private void connect(SyncManager m) {
        net.connect(m);
    }

    private static void synced(SyncManager m, RawCoID id) {
        get(m.waitForSync(id, "server").orTimeout(20, TimeUnit.SECONDS));
    }

    /**
     * Alice's first process writes {@code before}; what it holds then is her disk, written into
     * {@code disk}; then {@code lost} reach the server but never her disk (the process dies).
     */
    private LocalNode crashAfterServerAck(CoValueStorage disk, Runnable before, Runnable lost) {
        SyncManager first = client(f.alice, SyncOptions.defaults());
        connect(first);
        before.run();
        synced(first, f.map);
        LocalNode restarted = f.restart();
        if (disk != null) {
            try (NodePersistence p = NodePersistence.attach(restarted, disk)) {
                get(p.persistedAll());
            }
        }
        lost.run();
        synced(first, f.map);
        first.close();
        return restarted;
    }

    private static RecoveryStatus awaitDone(RecoveryCoordinator rc, RawCoID id, SessionID session) {
        await("recovery of " + id + " DONE", () -> rc.status(id, session).state() == RecoveryState.DONE);
        return rc.status(id, session);
    }

    /** Every key set in {@code id}'s transactions of S and S!, in session order: each edit once. */
    private static List<String> editsInSessions(LocalNode node, RawCoID id, SessionID session) {
        return node.locked(() -> {
            List<String> out = new ArrayList<>();
            List<DecodedTx> all = TransactionDecoder.decode(node.require(id), node, node.keys());
            for (SessionID which : List.of(session, session.conflictSession())) {
                for (DecodedTx tx : all) {
                    if (!tx.sessionID().equals(which)) continue;
                    for (JsonValue c : tx.changes()) out.add(JsonWriter.stringify(((JsonValue.Obj) c).get("key")) + "="
                            + JsonWriter.stringify(((JsonValue.Obj) c).get("value")));
                }
            }
            return out;
        });
    }

    /** A map's JSON with its keys sorted: key order follows arrival order, which differs between peers. */
    private static String sorted(String json) {
        if (json == null) return null;
        var o = (JsonValue.Obj) io.cojson.core.json.Json.parse(json);
        return new java.util.TreeMap<>(o.fields()).toString();
    }

    private static List<Transaction> txs(LocalNode node, RawCoID id, SessionID session) {
        return node.locked(() -> {
            var log = node.require(id).sessions().get(session);
            return log == null ? List.<Transaction>of() : List.copyOf(log.transactions());
        });
    }

    private LocalNode freshLoader(SyncManager[] keep) {
        LocalNode charlie = LocalNode.forAccount(CRYPTO, f.alice.accountID(), f.secret, null); // another device of the account
        SyncManager m = client(charlie, SyncOptions.defaults());
        connect(m);
        assertTrue(get(m.load(f.map)).isPresent(), "charlie loads the map through the server");
        keep[0] = m;
        return charlie;
    }

    private void crashLosesStatusThenEditTwice(Function<Path, CoValueStorage> open, boolean withStorage) throws Exception {
        CoValueStorage disk = withStorage ? open.apply(dir.resolve("alice")) : null;
        if (disk != null) net.own(disk::close);
        LocalNode restarted = crashAfterServerAck(disk, () -> {
            set(f.alice, f.map, "title", "Task");
            set(f.alice, f.map, "priority", "high");
        }, () -> set(f.alice, f.map, "status", "review"));
        List<Transaction> serverS = txs(serverNode, f.map, s);
        assertEquals(3, serverS.size());

        CoValueSyncStorage aliceStorage = disk == null ? null : CoValueSyncStorage.of(disk);
        if (aliceStorage != null) net.own(aliceStorage::close);
        SyncManager alice = client(restarted, aliceStorage == null ? SyncOptions.defaults() : SyncOptions.defaults().withStorage(aliceStorage));
        RecoveryCoordinator rc = RecoveryCoordinator.install(alice, disk);
        net.own(rc::close);
        set(restarted, f.map, "assignee", "bob"); // after the restart: longer than the server, case A
        set(restarted, f.map, "archived", "false");
        List<Transaction> divergent = txs(restarted, f.map, s).subList(2, 4);
        connect(alice);

        RecoveryStatus done = awaitDone(rc, f.map, s);
        assertEquals(ForkConfirmation.Outcome.FORK, done.outcome());
        assertEquals(2, done.commonPrefix());
        assertEquals(2, done.preserved());
        assertEquals(serverS, txs(restarted, f.map, s), "alice's S is the server's S, byte for byte");
        List<Transaction> conflict = txs(restarted, f.map, s.conflictSession());
        assertEquals(2, conflict.size());
        for (int i = 0; i < 2; i++) assertEquals(divergent.get(i).madeAt(), conflict.get(i).madeAt(), "same madeAt");
        String expected = "{\"title\":\"Task\",\"priority\":\"high\",\"status\":\"review\",\"assignee\":\"bob\",\"archived\":\"false\"}";
        assertEquals(sorted(expected), sorted(SyncTestKit.mapJson(restarted, f.map)));
        List<String> edits = List.of("\"title\"=\"Task\"", "\"priority\"=\"high\"", "\"status\"=\"review\"", "\"assignee\"=\"bob\"",
                "\"archived\"=\"false\"");
        assertEquals(edits, editsInSessions(restarted, f.map, s), "every transaction of either side exactly once");

        // Propagation (§5.6): the server takes S!, and alice's next edit continues the server's S.
        await("server has S!", () -> SyncTestKit.known(serverNode, f.map).count(s.conflictSession()) == 2);
        set(restarted, f.map, "due", "friday");
        await("alice's next edit reaches the server's S", () -> SyncTestKit.known(serverNode, f.map).count(s) == 4);
        assertEquals(0, rc.stats().failed());
        assertEquals(1, rc.stats().committed());

        SyncManager[] keep = new SyncManager[1];
        LocalNode charlie = freshLoader(keep);
        String withDue = expected.replace("}", ",\"due\":\"friday\"}");
        String[] seen = new String[1];
        try {
            await("charlie's view", () -> sorted(withDue).equals(sorted(seen[0] = SyncTestKit.mapJson(charlie, f.map))));
        } catch (AssertionError e) {
            throw new AssertionError("charlie shows " + seen[0] + " with " + SyncTestKit.known(charlie, f.map), e);
        }
        KnownState ck = SyncTestKit.known(charlie, f.map);
        assertEquals(4, ck.count(s));
        assertEquals(2, ck.count(s.conflictSession()));
        assertEquals(java.util.Set.of(s, s.conflictSession()), ck.sessions().keySet(), "exactly S and S!, no stale S");
        List<String> withDueEdit = new ArrayList<>(edits);
        withDueEdit.add(3, "\"due\"=\"friday\""); // S (server's three, then the post-recovery edit), then S!
        assertEquals(withDueEdit, editsInSessions(charlie, f.map, s), "charlie holds every edit exactly once");

        if (disk != null) {
            await("alice's storage holds the repaired S and the new edit", () -> disk.knownState(f.map).count(s) == 4);
            assertEquals(2, disk.knownState(f.map).count(s.conflictSession()));
            List<RecoveryJournalEntry> journal = disk.journal(f.map);
            assertEquals(1, journal.size());
            assertEquals(1, journal.get(0).round());
            assertEquals(2, journal.get(0).commonPrefix());
            assertEquals(3, journal.get(0).serverLength());
            assertTrue(disk.ownSessions().contains(s), "the session registry names S");
            // A fresh node from alice's storage alone shows the repaired state.
            LocalNode reopened = LocalNode.forAccount(CRYPTO, f.alice.accountID(), f.secret, s);
            NodePersistence p = NodePersistence.attach(reopened, disk);
            assertTrue(p.loadAll().quarantined().isEmpty());
            p.close();
            assertEquals(sorted(withDue), sorted(SyncTestKit.mapJson(reopened, f.map)));
            assertEquals(txs(restarted, f.map, s), txs(reopened, f.map, s));
        }
    }

    @Test
    @DisplayName("RI-3 Baseline repair (MapDB, inline storage): all five fields; S equals the server's S; S! holds the two post-crash edits; a fresh loader sees it")
    void RI3_baselineRepair_inlineStorage() throws Exception {
        crashLosesStatusThenEditTwice(MapDbStorage::open, true);
    }

    @Test
    @DisplayName("RI-3 Baseline repair (MapDB, async queue): the recovery unit goes through the write queue")
    void RI3_baselineRepair_asyncQueue() throws Exception {
        crashLosesStatusThenEditTwice(AsyncMapDbStorage::open, true);
    }

    @Test
    @DisplayName("RA-11 In-memory node (no storage) recovers in memory and converges")
    void RA11_inMemoryNodeRecovers() throws Exception {
        crashLosesStatusThenEditTwice(null, false);
    }

    @Test
    @DisplayName("RI-4 Server ahead by more: crash loses status and assignee=carol; three edits after the restart; all seven fields")
    void RI4_serverAheadByMore() throws Exception {
        CoValueStorage disk = MapDbStorage.open(dir.resolve("alice"));
        net.own(disk::close);
        LocalNode restarted = crashAfterServerAck(disk, () -> {
            set(f.alice, f.map, "title", "Task");
            set(f.alice, f.map, "priority", "high");
        }, () -> {
            set(f.alice, f.map, "status", "review");
            set(f.alice, f.map, "assignee", "carol");
        });
        CoValueSyncStorage aliceStorage = CoValueSyncStorage.of(disk);
        net.own(aliceStorage::close);
        SyncManager alice = client(restarted, SyncOptions.defaults().withStorage(aliceStorage));
        RecoveryCoordinator rc = RecoveryCoordinator.install(alice, disk);
        net.own(rc::close);
        set(restarted, f.map, "archived", "true");
        set(restarted, f.map, "owner", "alice");
        set(restarted, f.map, "due", "friday");
        connect(alice);
        RecoveryStatus done = awaitDone(rc, f.map, s);
        assertEquals(3, done.preserved());
        assertEquals("{\"title\":\"Task\",\"priority\":\"high\",\"status\":\"review\",\"assignee\":\"carol\",\"archived\":\"true\","
                + "\"owner\":\"alice\",\"due\":\"friday\"}", SyncTestKit.mapJson(restarted, f.map));
        assertEquals(4, txs(restarted, f.map, s).size());
        await("server has S!", () -> SyncTestKit.known(serverNode, f.map).count(s.conflictSession()) == 3);
    }

    @Test
    @DisplayName("RA-9 Non-owner report: a forked session this installation never wrote is not rewritten; its other sessions keep syncing")
    void RA9_nonOwnerReportRewritesNothing() throws Exception {
        LocalNode restarted = crashAfterServerAck(null, () -> set(f.alice, f.map, "title", "Task"),
                () -> set(f.alice, f.map, "status", "review"));
        set(restarted, f.map, "assignee", "bob"); // the stale fork of S
        // Another installation of alice's account (its own session, its own registry) holds that fork.
        LocalNode other = LocalNode.forAccount(CRYPTO, f.alice.accountID(), f.secret, null);
        for (RawCoID id : restarted.ids()) for (ContentPiece p : restarted.exportContent(id)) other.importContent(p);
        SyncManager otherSync = client(other, SyncOptions.defaults());
        RecoveryCoordinator rc = RecoveryCoordinator.install(otherSync, null);
        net.own(rc::close);
        List<Transaction> forked = txs(other, f.map, s);
        RawPeer server = RawPeer.attach(otherSync, "server", PeerRole.SERVER);
        List<ContentPiece.SessionPiece> serverVersion = List.of(new ContentPiece.SessionPiece(s, 0, txs(serverNode, f.map, s),
                serverNode.locked(() -> serverNode.require(f.map).sessions().get(s).lastSignature().value())));
        server.send(SyncMessage.SignatureMismatch.of(f.map, s, serverVersion, "test"));

        await("non-owner report handled", () -> rc.status(f.map, s).reason() != null);
        assertEquals(RecoveryState.IDLE, rc.status(f.map, s).state());
        assertEquals(1, rc.stats().notOwned());
        assertEquals(0, rc.stats().committed());
        assertEquals(forked, txs(other, f.map, s), "nothing rewritten");
        assertNull(other.require(f.map).sessions().get(s.conflictSession()));
        set(other, f.map, "priority", "low"); // its own session keeps working and syncing
        assertEquals(1, txs(other, f.map, other.sessionID()).size());
    }

    @Test
    @DisplayName("RI-6 Bob converges: bob saw status=review before alice's crash; after her recovery he shows her post-crash edits too, without reloading")
    void RI6_bobConverges() throws Exception {
        LocalNode bob = LocalNode.forAccount(CRYPTO, f.alice.accountID(), f.secret, null); // subscribed through the server
        SyncManager bobSync = client(bob, SyncOptions.defaults());
        connect(bobSync);
        LocalNode restarted = crashAfterServerAck(null, () -> {
            set(f.alice, f.map, "title", "Task");
            set(f.alice, f.map, "priority", "high");
        }, () -> {
            set(f.alice, f.map, "status", "review");
            assertTrue(get(bobSync.load(f.map)).isPresent());
        });
        await("bob saw status=review", () -> SyncTestKit.known(bob, f.map) != null && SyncTestKit.known(bob, f.map).count(s) == 3);
        SyncManager alice = client(restarted, SyncOptions.defaults());
        RecoveryCoordinator rc = RecoveryCoordinator.install(alice, null);
        net.own(rc::close);
        set(restarted, f.map, "assignee", "bob");
        set(restarted, f.map, "archived", "false");
        connect(alice);
        awaitDone(rc, f.map, s);
        String expected = sorted("{\"title\":\"Task\",\"priority\":\"high\",\"status\":\"review\",\"assignee\":\"bob\",\"archived\":\"false\"}");
        assertEquals(expected, sorted(SyncTestKit.mapJson(restarted, f.map)));
        await("bob converges", () -> expected.equals(sorted(SyncTestKit.mapJson(bob, f.map))));
        assertEquals(SyncTestKit.known(restarted, f.map), SyncTestKit.known(bob, f.map));
    }

    @Test
    @DisplayName("RA-7 Private transactions: the map's group has a read key; alice's private post-crash edits, re-encrypted in S!, are decrypted by bob (another account, reader)")
    void RA7_readerDecryptsPrivateConflictTransactions() throws Exception {
        LocalNode bob = io.cojson.core.node.Accounts.create(CRYPTO, CRYPTO.newRandomAgentSecret(), "Bob");
        SyncManager bobSync = client(bob, SyncOptions.defaults());
        connect(bobSync);
        get(bobSync.waitForSync(bob.accountID(), "server").orTimeout(20, TimeUnit.SECONDS));
        LocalNode restarted = crashAfterServerAck(null, () -> {
            SyncManager loader = client(f.alice, SyncOptions.defaults());
            connect(loader);
            assertTrue(get(loader.load(bob.accountID())).isPresent(), "alice knows bob's account");
            io.cojson.core.node.GroupOperations.addMember(f.alice, f.group, bob.accountID().value(), "reader");
            set(f.alice, f.map, "title", "Task");
            get(loader.waitForSync(f.group, "server").orTimeout(20, TimeUnit.SECONDS));
            loader.close();
        }, () -> set(f.alice, f.map, "status", "review"));
        SyncManager alice = client(restarted, SyncOptions.defaults());
        RecoveryCoordinator rc = RecoveryCoordinator.install(alice, null);
        net.own(rc::close);
        set(restarted, f.map, "assignee", "bob"); // private (SyncTestKit writes private transactions)
        set(restarted, f.map, "archived", "false");
        assertTrue(txs(restarted, f.map, s).get(2) instanceof Transaction.Private);
        connect(alice);
        awaitDone(rc, f.map, s);
        assertTrue(txs(restarted, f.map, s.conflictSession()).get(0) instanceof Transaction.Private, "S! stays private");

        assertTrue(get(bobSync.load(f.map)).isPresent());
        String expected = sorted("{\"title\":\"Task\",\"status\":\"review\",\"assignee\":\"bob\",\"archived\":\"false\"}");
        String[] seen = new String[1];
        try {
            await("bob decrypts the merge", () -> expected.equals(seen[0] = sorted(SyncTestKit.mapJson(bob, f.map))));
        } catch (AssertionError e) {
            throw new AssertionError("bob shows " + seen[0] + " with " + SyncTestKit.known(bob, f.map), e);
        }
        assertEquals(2, SyncTestKit.known(bob, f.map).count(s.conflictSession()));
    }

    /** Alice restarted on {@code disk} (MapDB, inline) with a sync manager storing to it and recovery installed; not connected. */
    private RecoveryCoordinator restartOn(LocalNode restarted, CoValueStorage disk, SyncManager[] sync) {
        CoValueSyncStorage st = CoValueSyncStorage.of(disk);
        net.own(st::close);
        sync[0] = client(restarted, SyncOptions.defaults().withStorage(st));
        RecoveryCoordinator rc = RecoveryCoordinator.install(sync[0], disk);
        net.own(rc::close);
        return rc;
    }

    @Test
    @DisplayName("RI-5 Non-overlapping edits: empty map; crash loses status=review; alice sets assignee=bob, priority=high; all three fields")
    void RI5_nonOverlappingEdits() throws Exception {
        CoValueStorage disk = MapDbStorage.open(dir.resolve("alice"));
        net.own(disk::close);
        LocalNode restarted = crashAfterServerAck(disk, () -> { }, () -> set(f.alice, f.map, "status", "review"));
        SyncManager[] alice = new SyncManager[1];
        RecoveryCoordinator rc = restartOn(restarted, disk, alice);
        set(restarted, f.map, "assignee", "bob");
        set(restarted, f.map, "priority", "high");
        connect(alice[0]);
        RecoveryStatus done = awaitDone(rc, f.map, s);
        assertEquals(ForkConfirmation.Outcome.FORK, done.outcome());
        assertEquals(0, done.commonPrefix(), "her disk had nothing of S for this map");
        assertEquals(2, done.preserved());
        assertEquals(sorted("{\"status\":\"review\",\"assignee\":\"bob\",\"priority\":\"high\"}"), sorted(SyncTestKit.mapJson(restarted, f.map)));
        await("server has S!", () -> SyncTestKit.known(serverNode, f.map).count(s.conflictSession()) == 2);
        assertEquals(1, SyncTestKit.known(serverNode, f.map).count(s));
    }

    @Test
    @DisplayName("RI-7 Fresh charlie (own storage) loads after the recovery: title, status, assignee, priority, and exactly the sessions S and S!")
    void RI7_freshCharlieWithStorage() throws Exception {
        CoValueStorage disk = MapDbStorage.open(dir.resolve("alice"));
        net.own(disk::close);
        LocalNode restarted = crashAfterServerAck(disk, () -> set(f.alice, f.map, "title", "Task"),
                () -> set(f.alice, f.map, "status", "review"));
        SyncManager[] alice = new SyncManager[1];
        RecoveryCoordinator rc = restartOn(restarted, disk, alice);
        set(restarted, f.map, "assignee", "bob");
        set(restarted, f.map, "priority", "high");
        connect(alice[0]);
        assertEquals(ForkConfirmation.Outcome.FORK, awaitDone(rc, f.map, s).outcome());
        await("server has S!", () -> SyncTestKit.known(serverNode, f.map).count(s.conflictSession()) == 2);

        CoValueStorage charlieDisk = MapDbStorage.open(dir.resolve("charlie"));
        net.own(charlieDisk::close);
        CoValueSyncStorage charlieStorage = CoValueSyncStorage.of(charlieDisk);
        net.own(charlieStorage::close);
        LocalNode charlie = LocalNode.forAccount(CRYPTO, f.alice.accountID(), f.secret, null);
        SyncManager m = client(charlie, SyncOptions.defaults().withStorage(charlieStorage));
        connect(m);
        assertTrue(get(m.load(f.map)).isPresent(), "charlie loads the map through the server");
        String expected = sorted("{\"title\":\"Task\",\"status\":\"review\",\"assignee\":\"bob\",\"priority\":\"high\"}");
        await("charlie's view", () -> expected.equals(sorted(SyncTestKit.mapJson(charlie, f.map))));
        assertEquals(java.util.Set.of(s, s.conflictSession()), SyncTestKit.known(charlie, f.map).sessions().keySet(), "no stale S");
        assertEquals(txs(serverNode, f.map, s), txs(charlie, f.map, s));
        await("charlie's storage holds S and S!", () -> charlieDisk.knownState(f.map).count(s) == 2
                && charlieDisk.knownState(f.map).count(s.conflictSession()) == 2);
        assertEquals(java.util.Set.of(s, s.conflictSession()), charlieDisk.knownState(f.map).sessions().keySet());
    }

    @Test
    @DisplayName("RI-8 Other sessions preserved: alice2's assignee=carol stays, her session byte-identical; only S is replaced")
    void RI8_otherSessionsPreserved() throws Exception {
        CoValueStorage disk = MapDbStorage.open(dir.resolve("alice"));
        net.own(disk::close);
        LocalNode restarted = crashAfterServerAck(disk, () -> set(f.alice, f.map, "title", "Task"),
                () -> set(f.alice, f.map, "status", "review"));
        LocalNode alice2 = f.secondSession(); // another process of alice's account, its own session
        SyncManager second = client(alice2, SyncOptions.defaults());
        connect(second);
        set(alice2, f.map, "assignee", "carol");
        synced(second, f.map);
        SessionID s2 = alice2.sessionID();
        List<Transaction> secondTxs = txs(alice2, f.map, s2);

        SyncManager[] alice = new SyncManager[1];
        RecoveryCoordinator rc = restartOn(restarted, disk, alice);
        set(restarted, f.map, "priority", "high");
        set(restarted, f.map, "archived", "false");
        connect(alice[0]);
        assertEquals(ForkConfirmation.Outcome.FORK, awaitDone(rc, f.map, s).outcome());
        await("alice has alice2's session", () -> txs(restarted, f.map, s2).size() == secondTxs.size());
        assertEquals(secondTxs, txs(restarted, f.map, s2), "alice2's session byte-identical");
        assertEquals(secondTxs, txs(serverNode, f.map, s2));
        assertEquals(txs(serverNode, f.map, s), txs(restarted, f.map, s), "S replaced by the server's");
        assertEquals(java.util.Set.of(s, s.conflictSession(), s2), SyncTestKit.known(restarted, f.map).sessions().keySet());
        String expected = sorted("{\"title\":\"Task\",\"status\":\"review\",\"assignee\":\"carol\",\"priority\":\"high\",\"archived\":\"false\"}");
        assertEquals(expected, sorted(SyncTestKit.mapJson(restarted, f.map)));
    }

    @Test
    @DisplayName("§5.6 A client peer of alice that got her stale fork directly is sent the server version; it rewrites nothing (§6) and still gets S!")
    void clientPeerHoldingTheStaleForkGetsTheServerVersion() throws Exception {
        LocalNode restarted = crashAfterServerAck(null, () -> set(f.alice, f.map, "title", "Task"),
                () -> set(f.alice, f.map, "status", "review"));
        SyncManager alice = client(restarted, SyncOptions.defaults());
        RecoveryCoordinator rc = RecoveryCoordinator.install(alice, null);
        net.own(rc::close);
        set(restarted, f.map, "assignee", "bob");
        set(restarted, f.map, "archived", "false");
        // dave: another installation of the account, syncing peer to peer with alice before she reconnects
        LocalNode dave = LocalNode.forAccount(CRYPTO, f.alice.accountID(), f.secret, null);
        for (RawCoID id : restarted.ids()) if (!id.equals(f.map)) for (ContentPiece p : restarted.exportContent(id)) dave.importContent(p);
        SyncManager daveSync = client(dave, SyncOptions.defaults());
        RecoveryCoordinator daveRc = RecoveryCoordinator.install(daveSync, null);
        net.own(daveRc::close);
        SyncTestKit.connect(daveSync, alice);
        assertTrue(get(daveSync.load(f.map)).isPresent());
        await("dave holds alice's fork", () -> txs(dave, f.map, s).size() == 3);
        List<Transaction> staleFork = txs(dave, f.map, s);

        connect(alice);
        assertEquals(ForkConfirmation.Outcome.FORK, awaitDone(rc, f.map, s).outcome());
        await("dave got the server version", () -> daveSync.signatureMismatchStats().received() == 1);
        await("dave's coordinator saw it", () -> daveRc.status(f.map, s).reason() != null);
        assertEquals("not owned by this installation", daveRc.status(f.map, s).reason());
        assertEquals(staleFork, txs(dave, f.map, s), "a non-owner rewrites nothing");
        await("dave still gets S!", () -> txs(dave, f.map, s.conflictSession()).size() == 2);
    }

    private static void insertAfter(LocalNode node, RawCoID list, String item, Integer afterIndex) {
        node.locked(() -> {
            var c = (io.cojson.core.content.CoListContent) node.view(list);
            node.write(list, c.appendChanges(List.of(JsonValue.of(item)), afterIndex), null, true);
            return null;
        });
    }

    private static String items(LocalNode node, RawCoID list) {
        return node.locked(() -> JsonWriter.stringify(((io.cojson.core.content.CoListContent) node.view(list)).toJson()));
    }

    @Test
    @DisplayName("RA-6 CoList reference remapping: X then Y inserted after X, both in the tail; after recovery every peer shows X followed by Y at the same place")
    void RA6_listInsertAfterATailItemStaysInPlaceOnEveryPeer() throws Exception {
        RawCoID list = io.cojson.core.node.Accounts.createOwned(f.alice, "colist", f.group, JsonValue.NULL);
        CoValueStorage disk = MapDbStorage.open(dir.resolve("alice"));
        net.own(disk::close);
        SyncManager first = client(f.alice, SyncOptions.defaults());
        connect(first);
        insertAfter(f.alice, list, "a", null);
        insertAfter(f.alice, list, "b", null);
        synced(first, list);
        LocalNode restarted = f.restart();
        try (NodePersistence p = NodePersistence.attach(restarted, disk)) {
            get(p.persistedAll());
        }
        insertAfter(f.alice, list, "lost", null); // the server has it, her disk does not
        synced(first, list);
        first.close();

        SyncManager[] alice = new SyncManager[1];
        RecoveryCoordinator rc = restartOn(restarted, disk, alice);
        insertAfter(restarted, list, "X", 0); // after "a"
        insertAfter(restarted, list, "Y", 1); // after "X": its reference points into the divergent tail
        connect(alice[0]);
        assertEquals(ForkConfirmation.Outcome.FORK, awaitDone(rc, list, s).outcome());

        SyncManager[] keep = new SyncManager[1];
        LocalNode charlie = LocalNode.forAccount(CRYPTO, f.alice.accountID(), f.secret, null);
        SyncManager cm = client(charlie, SyncOptions.defaults());
        connect(cm);
        keep[0] = cm;
        assertTrue(get(cm.load(list)).isPresent());
        await("charlie converges with alice", () -> items(restarted, list).equals(items(charlie, list))
                && SyncTestKit.known(charlie, list).count(s.conflictSession()) == 2);
        String shown = items(restarted, list);
        assertTrue(shown.contains("\"X\",\"Y\""), "Y right after X: " + shown);
        assertTrue(shown.startsWith("[\"a\""), shown);
        for (String item : List.of("a", "b", "lost", "X", "Y")) {
            assertEquals(1, shown.split("\"" + item + "\"", -1).length - 1, item + " exactly once in " + shown);
        }
    }
}
