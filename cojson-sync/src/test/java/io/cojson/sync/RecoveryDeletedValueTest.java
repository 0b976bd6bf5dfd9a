package io.cojson.sync;

import static io.cojson.sync.ForkedSession.set;
import static io.cojson.sync.SyncTestKit.CRYPTO;
import static io.cojson.sync.SyncTestKit.await;
import static io.cojson.sync.SyncTestKit.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.knownstate.KnownState;
import io.cojson.core.node.CoValueDeletedException;
import io.cojson.core.node.LocalNode;
import io.cojson.core.session.Transaction;
import io.cojson.storage.engine.MapDbStorage;
import io.cojson.storage.engine.NodePersistence;
import io.cojson.sync.recovery.DiscardedDeletedRecord;
import io.cojson.sync.recovery.DiscardedEdits;
import io.cojson.sync.recovery.RecoveryCoordinator;
import io.cojson.sync.storage.CoValueSyncStorage;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * recovery.md §12 RI-9 (the PR's gap 1) in-process: jazzCloud is a Java sync server with MapDB on
 * WebSockets (127.0.0.1); alice's "disk" is a MapDB store holding what she had before deleting.
 */
class RecoveryDeletedValueTest {
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
        return net.connected(node, options);
    }

    private static List<Transaction> txs(LocalNode node, RawCoID id, SessionID session) {
        return node.locked(() -> List.copyOf(node.require(id).sessions().get(session).transactions()));
    }

    @Test
    @DisplayName("RI-9 Deleted value stays a tombstone: alice's post-crash edits are discarded into one DISCARDED_DELETED record (persisted), no S!, charlie gets only header and delete session, further edits refused")
    void RI9_deletedValueStaysATombstone() throws Exception {
        SyncManager first = client(f.alice, SyncOptions.defaults());
        set(f.alice, f.map, "title", "Task");
        get(first.waitForSync(f.map, "server").orTimeout(20, TimeUnit.SECONDS));
        // Her disk: everything up to here. The delete reaches jazzCloud, never her disk (crash).
        MapDbStorage disk = MapDbStorage.open(dir.resolve("alice"));
        net.own(disk::close);
        LocalNode restarted = f.restart();
        try (NodePersistence p = NodePersistence.attach(restarted, disk)) {
            get(p.persistedAll());
        }
        f.alice.deleteCoValue(f.map);
        await("jazzCloud has the delete", () -> serverNode.locked(() -> serverNode.get(f.map) != null && serverNode.require(f.map).isDeleted()));
        first.close();

        // Alice restarts (not deleted locally), edits twice, reconnects.
        CoValueSyncStorage aliceStorage = CoValueSyncStorage.of(disk);
        net.own(aliceStorage::close);
        SyncManager alice = SyncManager.create(restarted, SyncOptions.defaults().withStorage(aliceStorage));
        net.own(alice::close);
        RecoveryCoordinator rc = RecoveryCoordinator.install(alice, disk);
        net.own(rc::close);
        DiscardedEdits discarded = rc.discardedEdits(); // the coordinator keeps them (recovery.md §5.3)
        set(restarted, f.map, "priority", "high");
        set(restarted, f.map, "archived", "false");
        List<Transaction> edits = txs(restarted, f.map, s).subList(1, 3);
        net.connect(alice);

        await("alice's core is deleted", () -> restarted.locked(() -> restarted.require(f.map).isDeleted()));
        await("one DISCARDED_DELETED record", () -> discarded.records(f.map).size() == 1);
        DiscardedDeletedRecord r = discarded.records(f.map).get(0);
        assertEquals(DiscardedDeletedRecord.STATUS, r.status());
        assertEquals(s, r.session());
        assertEquals(1, r.from());
        assertEquals(edits, r.transactions(), "exactly the two post-crash edits, as signed");
        assertThrows(CoValueDeletedException.class, () -> set(restarted, f.map, "due", "friday"), "a further edit is refused locally");

        // charlie (own storage) loads through jazzCloud: the tombstone only.
        MapDbStorage charlieDisk = MapDbStorage.open(dir.resolve("charlie"));
        net.own(charlieDisk::close);
        CoValueSyncStorage charlieStorage = CoValueSyncStorage.of(charlieDisk);
        net.own(charlieStorage::close);
        LocalNode charlie = LocalNode.forAccount(CRYPTO, f.alice.accountID(), f.secret, null);
        SyncManager cm = client(charlie, SyncOptions.defaults().withStorage(charlieStorage));
        assertTrue(get(cm.load(f.map)).isPresent());
        await("charlie's load ends deleted", () -> charlie.locked(() -> charlie.require(f.map).isDeleted()));
        KnownState ck = SyncTestKit.known(charlie, f.map);
        assertTrue(ck.header());
        assertTrue(!ck.sessions().isEmpty() && ck.sessions().keySet().stream().allMatch(SessionID::isDeleteSession),
                "charlie received only the header and the delete session: " + ck);

        get(alice.waitForSync(f.map, "server").orTimeout(20, TimeUnit.SECONDS));
        KnownState server = SyncTestKit.known(serverNode, f.map);
        assertTrue(server.sessions().keySet().stream().noneMatch(x -> x.value().endsWith("!")), "no conflict session on jazzCloud: " + server);
        assertEquals(0, rc.stats().committed(), "no recovery unit: deletion wins");

        // The record is durable: a reopened store still has it.
        rc.close();
        aliceStorage.close();
        disk.close();
        try (MapDbStorage again = MapDbStorage.open(dir.resolve("alice"))) {
            assertEquals(1, again.discardedDeleted().size());
            assertTrue(again.discardedDeleted().get(0).contains(r.id()));
        }
    }

    /** §5.3 for a deletion that arrives in an imported bundle (RL-04) instead of by sync. */
    @Test
    void aDeletionLearnedFromAnImportedBundleReportsTheDiscardedEdits() throws Exception {
        set(f.alice, f.map, "title", "Task");
        LocalNode restarted = f.restart(); // her other process: the same history so far, no server
        f.alice.deleteCoValue(f.map);

        MapDbStorage disk = MapDbStorage.open(dir.resolve("alice"));
        net.own(disk::close);
        SyncManager offline = SyncManager.create(restarted, SyncOptions.defaults()); // no server: nothing acknowledged
        net.own(offline::close);
        RecoveryCoordinator rc = RecoveryCoordinator.install(offline, disk);
        net.own(rc::close);
        set(restarted, f.map, "priority", "high");
        set(restarted, f.map, "archived", "false");
        List<Transaction> mine = txs(restarted, f.map, s);

        get(offline.importContent(f.alice.exportContent(f.map)).orTimeout(20, TimeUnit.SECONDS));
        assertTrue(restarted.locked(() -> restarted.require(f.map).isDeleted()), "the bundle deleted it");
        await("one DISCARDED_DELETED record", () -> rc.discardedEdits().records(f.map).size() == 1);
        DiscardedDeletedRecord r = rc.discardedEdits().records(f.map).get(0);
        assertEquals(s, r.session());
        assertEquals(mine.subList(r.from(), mine.size()), r.transactions());
        assertTrue(r.transactions().containsAll(mine.subList(1, 3)), "the two edits no server had confirmed");
    }
}
