package io.cojson.sync;

import static io.cojson.sync.SyncTestKit.CRYPTO;
import static io.cojson.sync.SyncTestKit.await;
import static io.cojson.sync.SyncTestKit.get;
import static io.cojson.sync.SyncTestKit.known;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.ids.SessionID;
import io.cojson.core.node.LocalNode;
import io.cojson.core.session.Transaction;
import io.cojson.storage.engine.LoadResult;
import io.cojson.storage.engine.MapDbStorage;
import io.cojson.storage.engine.NodePersistence;
import io.cojson.storage.engine.StorageTestSupport;
import io.cojson.sync.recovery.RecoveryCoordinator;
import io.cojson.sync.storage.CoValueSyncStorage;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * reliability.md RL-23 (seed 004): a stored session altered behind the storage's back is
 * quarantined and refetched, never served or silently dropped. Java server on MapDB, real
 * WebSockets, alice on MapDB; the alteration goes through the storage module's test API.
 */
class RLStoredDataTest {
    @TempDir
    Path dir;
    private MapDbServerFixture h;

    @AfterEach
    void stop() throws Exception {
        if (h != null) h.close();
    }

    /** The transaction with one character of its payload changed (rows stay well-formed). */
    private static Transaction altered(Transaction t) {
        if (t instanceof Transaction.Private p) {
            String e = p.encryptedChanges();
            char c = e.charAt(e.length() - 3);
            return new Transaction.Private(e.substring(0, e.length() - 3) + (c == 'A' ? 'B' : 'A') + e.substring(e.length() - 2),
                    p.keyUsed(), p.madeAt(), p.meta());
        }
        Transaction.Trusting tr = (Transaction.Trusting) t;
        return new Transaction.Trusting(tr.changes().replace("a", "b"), tr.madeAt(), tr.meta());
    }

    private static Transaction tx(LocalNode n, io.cojson.core.ids.RawCoID id, SessionID s, int i) {
        return n.locked(() -> n.require(id).sessions().get(s).transactions().get(i));
    }

    @Test
    @DisplayName("RL-19 Asynchronous continuations re-check state: storage reads delayed 300 ms while the server peer delivers a newer version of the map; two load callers complete, nothing regresses, no change notified twice")
    void RL19_lateStorageResultDoesNotOverrideNewerState() throws Exception {
        ForkedSession f = new ForkedSession();
        ForkedSession.set(f.alice, f.map, "title", "Task");
        ForkedSession.set(f.alice, f.map, "priority", "high");
        Path aliceDir = dir.resolve("alice");
        try (MapDbStorage disk = MapDbStorage.open(aliceDir); NodePersistence p = NodePersistence.attach(f.alice, disk)) {
            get(p.persistedAll()); // storage: title, priority
        }
        ForkedSession.set(f.alice, f.map, "status", "review"); // what the server peer has beyond storage
        ForkedSession.set(f.alice, f.map, "assignee", "bob");

        MapDbStorage disk = MapDbStorage.open(aliceDir);
        CoValueSyncStorage storage = CoValueSyncStorage.of(disk);
        LocalNode node = LocalNode.forAccount(CRYPTO, f.alice.accountID(), f.secret, null);
        SyncManager sync = SyncManager.create(node, SyncOptions.defaults().withStorage(storage));
        List<AutoCloseable> toClose = List.of(sync, storage, disk);
        try {
            List<SyncError> errors = new CopyOnWriteArrayList<>();
            sync.onError(errors::add);
            List<Integer> seen = new CopyOnWriteArrayList<>();
            SessionID s = f.alice.sessionID();
            node.subscribe(f.map, x -> seen.add(known(node, f.map).count(s)));
            RawPeer server = RawPeer.attach(sync, "server", PeerRole.SERVER);
            io.cojson.storage.Faults.configure("storage.load.afterRead=delay:300*");
            var first = sync.load(f.map);
            for (var id : List.of(f.alice.accountID(), f.group, f.map)) {
                for (SyncMessage.Content c : ForkedSession.contentSince(f.alice, id, null)) server.send(c); // the newer version arrives meanwhile
            }
            var second = sync.load(f.map);
            assertTrue(get(first).isPresent());
            assertTrue(get(second).isPresent());
            await("the newer version is applied", () -> known(f.alice, f.map).equals(known(node, f.map)));
            io.cojson.storage.Faults.configure(null);
            Thread.sleep(300); // anything late would land within this
            assertEquals(known(f.alice, f.map), known(node, f.map), "the late storage result changed nothing");
            for (int i = 1; i < seen.size(); i++) assertTrue(seen.get(i) > seen.get(i - 1), "notified twice for one state: " + seen);
            assertEquals(4, seen.get(seen.size() - 1));
            assertEquals(List.of(), errors);
            String json = SyncTestKit.mapJson(node, f.map);
            for (String field : List.of("\"title\":\"Task\"", "\"priority\":\"high\"", "\"status\":\"review\"", "\"assignee\":\"bob\"")) {
                assertTrue(json.contains(field), field + " in " + json);
            }
            await("storage catches up", () -> disk.knownState(f.map).count(s) == 4);
        } finally {
            io.cojson.storage.Faults.configure(null);
            for (AutoCloseable c : toClose) c.close();
        }
    }

    @Test
    @DisplayName("RL-23 A corrupted stored session is quarantined and refetched: bob's session refetched, alice's own session restored from the server with no fork, neither served corrupted")
    void RL23_corruptedStoredSessionIsQuarantinedAndRefetched() throws Exception {
        h = new MapDbServerFixture(dir.resolve("server"));
        ForkedSession f = new ForkedSession();
        SessionID s = f.alice.sessionID();
        LocalNode bob = f.secondSession(); // another installation's session
        SyncManager a1 = h.connected(f.alice, SyncOptions.defaults());
        SyncManager b1 = h.connected(bob, SyncOptions.defaults());
        ForkedSession.set(f.alice, f.map, "title", "Task");
        ForkedSession.set(f.alice, f.map, "status", "review");
        ForkedSession.set(bob, f.map, "assignee", "bob");
        get(a1.waitForSync(f.map, "server"));
        get(b1.waitForSync(f.map, "server"));
        SessionID bs = bob.sessionID();
        await("alice has bob's edit", () -> known(f.alice, f.map).count(bs) == 1);
        Path aliceDir = dir.resolve("alice");
        try (MapDbStorage disk = MapDbStorage.open(aliceDir); NodePersistence p = NodePersistence.attach(f.alice, disk)) {
            get(p.persistedAll());
            disk.recordOwnSession(s);
        }
        a1.close(); // alice's node stops
        Transaction bobOriginal = tx(f.alice, f.map, bs, 0);
        Transaction aliceOriginal = tx(f.alice, f.map, s, 1);
        try (MapDbStorage disk = MapDbStorage.open(aliceDir)) {
            assertTrue(StorageTestSupport.rewriteTransaction(disk, f.map, bs, 0, altered(bobOriginal)), "(a) bob's session altered");
            assertTrue(StorageTestSupport.rewriteTransaction(disk, f.map, s, 1, altered(aliceOriginal)), "(b) alice's own session altered");
        }

        MapDbStorage disk = MapDbStorage.open(aliceDir); // alice's node restarts on it
        h.own(disk::close);
        List<LoadResult> quarantined = new CopyOnWriteArrayList<>();
        CoValueSyncStorage storage = CoValueSyncStorage.of(disk, quarantined::add);
        h.own(storage::close);
        LocalNode alice = LocalNode.forAccount(CRYPTO, f.alice.accountID(), f.secret, s);
        SyncManager sync = h.client(alice, SyncOptions.defaults().withStorage(storage));
        List<SyncError> errors = new CopyOnWriteArrayList<>();
        h.own(sync.onError(errors::add)::close);
        RecoveryCoordinator rc = RecoveryCoordinator.install(sync, disk);
        h.own(rc::close);
        h.connect(sync);
        assertTrue(get(sync.load(f.map)).isPresent());
        await("the damage is reported", () -> !quarantined.isEmpty() || errors.stream().anyMatch(e -> f.map.equals(e.id())));

        await("(a) bob's session refetched", () -> known(alice, f.map).count(bs) == 1);
        await("(b) alice's session restored from the server", () -> known(alice, f.map).count(s) == 2);
        assertEquals(bobOriginal, tx(alice, f.map, bs, 0), "bob's transaction as he signed it");
        assertEquals(aliceOriginal, tx(alice, f.map, s, 1), "alice's transaction as she signed it");
        String json = SyncTestKit.mapJson(alice, f.map);
        for (String field : List.of("\"title\":\"Task\"", "\"status\":\"review\"", "\"assignee\":\"bob\"")) {
            assertTrue(json.contains(field), field + " in " + json);
        }

        ForkedSession.set(alice, f.map, "priority", "high"); // her next edit continues the server's S: no fork
        await("the edit reaches the server's S", () -> known(h.serverNode, f.map).count(s) == 3);
        assertEquals(0, known(h.serverNode, f.map).count(s.conflictSession()), "no conflict session");
        assertEquals(0, h.server.signatureMismatchStats().detected(), "nothing corrupted or forked was pushed");
        assertEquals(bobOriginal, tx(h.serverNode, f.map, bs, 0), "the server never got the corrupted form");
        assertEquals(aliceOriginal, tx(h.serverNode, f.map, s, 1));
    }
}
