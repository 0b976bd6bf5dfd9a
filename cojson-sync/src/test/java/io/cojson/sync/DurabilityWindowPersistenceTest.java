package io.cojson.sync;

import static io.cojson.sync.SyncTestKit.CRYPTO;
import static io.cojson.sync.SyncTestKit.await;
import static io.cojson.sync.SyncTestKit.get;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.node.Accounts;
import io.cojson.core.node.GroupOperations;
import io.cojson.core.node.LocalNode;
import io.cojson.storage.AsyncMapDbStorage;
import io.cojson.storage.Faults;
import io.cojson.storage.NodePersistence;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * recovery.md §13 for a node that persists through NodePersistence (as CojsonClient and the client
 * command do): while the async queue holds a write back, its content still goes to the server and
 * the durability-window marker names it; once the write commits the marker is emptied.
 */
class DurabilityWindowPersistenceTest {
    private static final String POINT = "storage.queue.beforeEntry";
    @TempDir
    Path dir;

    @BeforeEach
    void faultsDir() {
        System.setProperty("cojson.faults.dir", dir.resolve("faults").toString());
    }

    private static void release() throws java.io.IOException {
        Path release = Faults.faultsDir().resolve("release-" + POINT);
        if (!Files.exists(release)) Files.createFile(release);
    }

    @AfterEach
    void clear() throws Exception {
        release();
        Faults.configure(null);
        System.clearProperty("cojson.faults.dir");
    }

    @Test
    @DisplayName("§13 NodePersistence + SyncManager.trackDurabilityWindow: content sent while its store is queued is named in the marker, which empties once the store committed")
    void theWindowOpensWhileAStoreIsQueuedAndClosesAfterItsCommit() throws Exception {
        Path data = dir.resolve("alice");
        LocalNode alice = Accounts.create(CRYPTO, "Alice");
        try (AsyncMapDbStorage disk = AsyncMapDbStorage.open(data); NodePersistence p = NodePersistence.attach(alice, disk)) {
            RawCoID group = GroupOperations.createGroup(alice, null);
            RawCoID map = Accounts.createOwned(alice, "comap", group, JsonValue.NULL);
            get(p.persistedAll());
            SyncManager sync = SyncManager.create(alice);
            try {
                sync.trackDurabilityWindow(disk);
                RawPeer server = RawPeer.attach(sync, "server", PeerRole.SERVER);
                Path marker = data.resolve("durability-window");
                await("the marker is started", () -> Files.exists(marker));
                Faults.configure(POINT + "=pause");
                SyncTestKit.set(alice, map, "title", JsonValue.of("Task"));
                assertTrue(Faults.awaitPaused(POINT, 1, Duration.ofSeconds(30)), "the store of the edit is held in the queue");
                String pair = map.value() + " " + alice.sessionID().value();
                await("the edit goes out and the marker names it", () -> read(marker).contains(pair));
                assertTrue(server.next(SyncMessage.Content.class) != null);
                release();
                get(p.persistedAll());
                await("the marker is emptied once storage caught up", () -> read(marker).equals("tracked\n"));
            } finally {
                release(); // before the storage closes: its writer must not stay parked
                sync.close();
            }
        }
    }

    @Test
    @DisplayName("§13 persist before send through NodePersistence: an edit whose store is held in the queue does not go out; it goes once the store committed, and the window never opens")
    void persistBeforeSendHoldsAnEditUntilItsStoreCommitted() throws Exception {
        Path data = dir.resolve("bob");
        LocalNode bob = Accounts.create(CRYPTO, "Bob");
        try (AsyncMapDbStorage disk = AsyncMapDbStorage.open(data); NodePersistence p = NodePersistence.attach(bob, disk)) {
            RawCoID group = GroupOperations.createGroup(bob, null);
            RawCoID map = Accounts.createOwned(bob, "comap", group, JsonValue.NULL);
            get(p.persistedAll());
            SyncManager sync = SyncManager.create(bob, SyncOptions.defaults().withPersistBeforeSend(true));
            try {
                sync.trackDurabilityWindow(disk);
                RawPeer server = RawPeer.attach(sync, "server", PeerRole.SERVER);
                Path marker = data.resolve("durability-window");
                await("the marker is started", () -> Files.exists(marker));
                Faults.configure(POINT + "=pause");
                SyncTestKit.set(bob, map, "title", JsonValue.of("Task"));
                assertTrue(Faults.awaitPaused(POINT, 1, Duration.ofSeconds(30)), "the store of the edit is held in the queue");
                long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(500);
                while (System.nanoTime() < deadline) { // whatever goes out meanwhile, never the edit
                    SyncMessage m = server.poll(50);
                    if (m instanceof SyncMessage.Content c) {
                        assertTrue(c.impliedKnownState().count(bob.sessionID()) == 0 || !c.id().equals(map), "sent before stored: " + m.toJson());
                    }
                }
                release();
                await("the edit goes out once stored", () -> {
                    SyncMessage m = server.poll(100);
                    return m instanceof SyncMessage.Content c && c.id().equals(map) && c.impliedKnownState().count(bob.sessionID()) == 1;
                });
                assertTrue(read(marker).equals("tracked\n"), "nothing was ever sent unstored");
            } finally {
                release(); // before the storage closes: its writer must not stay parked
                sync.close();
            }
        }
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
