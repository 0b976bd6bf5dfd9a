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
import io.cojson.storage.Faults;
import io.cojson.storage.engine.AsyncMapDbStorage;
import io.cojson.storage.engine.NodePersistence;
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

    /** What a scenario gets: the node, its map, its persistence, the raw server peer and the marker file. */
    private record Setup(LocalNode node, RawCoID map, NodePersistence persistence, RawPeer server, Path marker) {}

    private interface Scenario {
        void run(Setup s) throws Exception;
    }

    /**
     * A node persisting through NodePersistence on the async queue, a synced map, a sync manager
     * tracking the window with a raw server peer; then {@code scenario}, with the queue paused at
     * {@link #POINT} before its first edit and always released before the storage closes.
     */
    private void withPausedQueue(String name, SyncOptions options, Scenario scenario) throws Exception {
        Path data = dir.resolve(name);
        LocalNode node = Accounts.create(CRYPTO, name);
        try (AsyncMapDbStorage disk = AsyncMapDbStorage.open(data); NodePersistence p = NodePersistence.attach(node, disk)) {
            RawCoID group = GroupOperations.createGroup(node, null);
            RawCoID map = Accounts.createOwned(node, "comap", group, JsonValue.NULL);
            get(p.persistedAll());
            SyncManager sync = SyncManager.create(node, options);
            try {
                sync.trackDurabilityWindow(disk);
                RawPeer server = RawPeer.attach(sync, "server", PeerRole.SERVER);
                Path marker = data.resolve("durability-window");
                await("the marker is started", () -> Files.exists(marker));
                Faults.configure(POINT + "=pause");
                SyncTestKit.set(node, map, "title", JsonValue.of("Task"));
                assertTrue(Faults.awaitPaused(POINT, 1, Duration.ofSeconds(30)), "the store of the edit is held in the queue");
                scenario.run(new Setup(node, map, p, server, marker));
            } finally {
                release(); // before the storage closes: its writer must not stay parked
                sync.close();
            }
        }
    }

    @Test
    @DisplayName("§13 NodePersistence + SyncManager.trackDurabilityWindow: content sent while its store is queued is named in the marker, which empties once the store committed")
    void theWindowOpensWhileAStoreIsQueuedAndClosesAfterItsCommit() throws Exception {
        withPausedQueue("alice", SyncOptions.defaults(), s -> {
            String pair = s.map().value() + " " + s.node().sessionID().value();
            await("the edit goes out and the marker names it", () -> read(s.marker()).contains(pair));
            assertTrue(s.server().next(SyncMessage.Content.class) != null);
            release();
            get(s.persistence().persistedAll());
            await("the marker is emptied once storage caught up", () -> read(s.marker()).equals("tracked\n"));
        });
    }

    @Test
    @DisplayName("§13 persist before send through NodePersistence: an edit whose store is held in the queue does not go out; it goes once the store committed, and the window never opens")
    void persistBeforeSendHoldsAnEditUntilItsStoreCommitted() throws Exception {
        withPausedQueue("bob", SyncOptions.defaults().withPersistBeforeSend(true), s -> {
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(500);
            while (System.nanoTime() < deadline) { // whatever goes out meanwhile, never the edit
                SyncMessage m = s.server().poll(50);
                if (m instanceof SyncMessage.Content c) {
                    assertTrue(c.impliedKnownState().count(s.node().sessionID()) == 0 || !c.id().equals(s.map()),
                            "sent before stored: " + m.toJson());
                }
            }
            release();
            await("the edit goes out once stored", () -> {
                SyncMessage m = s.server().poll(100);
                return m instanceof SyncMessage.Content c && c.id().equals(s.map()) && c.impliedKnownState().count(s.node().sessionID()) == 1;
            });
            assertTrue(read(s.marker()).equals("tracked\n"), "nothing was ever sent unstored");
        });
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
