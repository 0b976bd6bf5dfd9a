package io.cojson.sync;

import static io.cojson.sync.SyncTestKit.CRYPTO;
import static io.cojson.sync.SyncTestKit.await;
import static io.cojson.sync.SyncTestKit.get;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.node.Accounts;
import io.cojson.core.node.GroupOperations;
import io.cojson.core.node.LocalNode;
import io.cojson.storage.Faults;
import io.cojson.sync.transport.WebSocketClientChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 B.5, head-of-line blocking: after a restart, a Java server (MapDB, real WebSockets on
 * 127.0.0.1) whose storage read of a big value is stuck must still load and accept writes for
 * other values. The big value's read is parked at its first chunk (a fault point), not timed.
 */
class SlowStorageHeadOfLineTest {
    private static final String CHUNK = "storage.stream.afterChunk";

    @TempDir
    Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void faultsDir() {
        System.setProperty("cojson.faults.dir", dir.resolve("faults").toString()); // release files of this test only
    }

    @AfterEach
    void closeAll() throws Exception {
        release(); // never leave a reader parked
        Faults.configure(null);
        for (int i = open.size() - 1; i >= 0; i--) open.get(i).close();
        System.clearProperty("cojson.faults.dir");
    }

    private static void release() throws java.io.IOException {
        Path f = Faults.faultsDir().resolve("release-" + CHUNK);
        if (!Files.exists(f)) Files.createFile(f);
    }

    private RestartableServer server() {
        RestartableServer s = RestartableServer.start(dir.resolve("server"), 0);
        open.add(s);
        get(s.ready);
        return s;
    }

    private SyncManager client(LocalNode node, RestartableServer s) {
        SyncManager m = SyncManager.create(node, SyncOptions.defaults());
        open.add(m);
        m.addPeer("server", PeerRole.SERVER, WebSocketClientChannel.connect(s.url()));
        return m;
    }

    @Test
    @DisplayName("B.5 a big value whose storage read is stuck does not hold up another value's load and write on the same server")
    void aStuckReadOfOneValueNeverDelaysAnother() throws Exception {
        LocalNode writer = Accounts.create(CRYPTO, "Writer");
        RawCoID group = GroupOperations.createGroup(writer, null);
        GroupOperations.addMember(writer, group, "everyone", "writer");
        RawCoID big = Accounts.createOwned(writer, "comap", group, JsonValue.NULL);
        RawCoID small = Accounts.createOwned(writer, "comap", group, JsonValue.NULL);
        String filler = "x".repeat(10_000);
        for (int i = 0; i < 60; i++) SyncTestKit.set(writer, big, "k" + i, JsonValue.of(filler + i)); // ~6 stored chunks
        SyncTestKit.set(writer, small, "title", JsonValue.of("small"));
        RestartableServer first = server();
        SyncManager w = client(writer, first);
        for (RawCoID id : List.of(group, big, small)) get(w.waitForSync(id, "server"));
        w.close();
        first.close(); // graceful: its queue is flushed to MapDB
        open.remove(first);

        RestartableServer restarted = server();
        LocalNode a = Accounts.create(CRYPTO, "A");
        SyncManager syncA = client(a, restarted);
        assertTrue(get(syncA.load(group)).isPresent(), "the group (and the writer's account) are in the server's memory now");
        Faults.configure(CHUNK + "=pause");
        CompletableFuture<Optional<io.cojson.core.covalue.CoValueCore>> bigLoad = syncA.load(big);
        assertTrue(Faults.awaitPaused(CHUNK, 1, Duration.ofSeconds(30)), "the server's read of the big value is parked at its first chunk");

        LocalNode b = Accounts.create(CRYPTO, "B");
        SyncManager syncB = client(b, restarted);
        assertTrue(syncB.load(small).get(30, TimeUnit.SECONDS).isPresent(), "the small value loads while the big one's read is stuck");
        SyncTestKit.set(b, small, "fromB", JsonValue.of(1));
        syncB.waitForSync(small, "server").get(30, TimeUnit.SECONDS);
        assertFalse(bigLoad.isDone(), () -> "the big value was still being read all along, but the load ended: "
                + bigLoad.handle((v, e) -> e != null ? "failed: " + e : v.isEmpty() ? "unavailable"
                        : "with " + SyncTestKit.known(a, big)).join() + "; pauses reached: " + Faults.pausesReached(CHUNK));
        await("the server holds B's write", () -> restarted.sync != null && SyncTestKit.known(restarted.node, small) != null
                && SyncTestKit.known(restarted.node, small).count(b.sessionID()) == 1);

        release();
        assertTrue(get(bigLoad).isPresent(), "and it arrives once released");
        await("the whole big value streams in", () -> SyncTestKit.known(a, big).count(writer.sessionID()) == 60);
        assertTrue(SyncTestKit.mapJson(a, big).contains(filler + 59));
    }
}
