package io.cojson.sync;

import static io.cojson.sync.SyncTestKit.CRYPTO;
import static io.cojson.sync.SyncTestKit.await;
import static io.cojson.sync.SyncTestKit.get;
import static io.cojson.sync.SyncTestKit.known;
import static io.cojson.sync.SyncTestKit.mapJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.knownstate.KnownState;
import io.cojson.core.node.Accounts;
import io.cojson.core.node.LocalNode;
import io.cojson.storage.Faults;
import io.cojson.storage.engine.MapDbStorage;
import io.cojson.sync.transport.MessageChannel;
import io.cojson.sync.transport.WebSocketClientChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * reliability.md RL-01, RL-03 and RL-17 (seeds 000 and 003): what a Java server on MapDB does with
 * messages that arrive while it is still opening storage or still reading a CoValue from it. Real
 * MapDB files, real WebSockets on 127.0.0.1, fault points of §2.1.
 */
class RLStartupWindowTest {
    @TempDir
    Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void faultsDir() {
        System.setProperty("cojson.faults.dir", dir.resolve("faults").toString());
    }

    @AfterEach
    void closeAll() throws Exception {
        Faults.configure(null);
        System.clearProperty("cojson.faults.dir");
        for (int i = open.size() - 1; i >= 0; i--) open.get(i).close();
    }

    private <T extends AutoCloseable> T own(T c) {
        open.add(c);
        return c;
    }

    private RestartableServer startServer(Path d) {
        RestartableServer s = own(RestartableServer.start(d, 0));
        get(s.ready);
        return s;
    }

    /** A channel that records what the server sent this client. */
    static final class Recording {
        final MessageChannel channel;
        final List<SyncMessage> received = new CopyOnWriteArrayList<>();

        Recording(MessageChannel inner) {
            this.channel = io.cojson.sync.transport.ObservedChannel.of(inner, json -> { }, this::record);
        }

        private void record(String json) {
            try {
                received.add(SyncMessage.parse(json));
            } catch (RuntimeException e) {
                // not a sync message
            }
        }

        /** The counts of {@code session} in the known messages about {@code id}, in arrival order. */
        List<Integer> knownCounts(RawCoID id, SessionID session) {
            List<Integer> out = new ArrayList<>();
            for (SyncMessage m : received) {
                if (m instanceof SyncMessage.Known k && k.knownState().id().equals(id)) out.add(k.knownState().count(session));
            }
            return out;
        }

        long corrections(RawCoID id) {
            return received.stream().filter(m -> m instanceof SyncMessage.Known k && k.isCorrection()
                    && k.knownState().id().equals(id)).count();
        }
    }

    private SyncManager client(LocalNode node, RestartableServer s, Recording[] channel) {
        SyncManager m = own(SyncManager.create(node, SyncOptions.defaults()));
        Recording r = new Recording(WebSocketClientChannel.connect(s.url()));
        if (channel != null) channel[0] = r;
        m.addPeer("server", PeerRole.SERVER, r.channel);
        return m;
    }

    /** Alice's map (and stream) stored on a server in {@code serverDir} that is then stopped. */
    private void seed(Path serverDir, ForkedSession f, List<RawCoID> ids) {
        RestartableServer first = startServer(serverDir);
        SyncManager a = client(f.alice, first, null);
        for (RawCoID id : ids) get(a.waitForSync(id, "server"));
        a.close();
        first.close();
        open.remove(first);
    }

    private static void release(String point) throws Exception {
        Files.createFile(Faults.faultsDir().resolve("release-" + point));
    }

    @Test
    @DisplayName("RL-01 Reconnect while the server is still loading a CoValue never write-locks it: writes made while the stream's storage read is paused at chunk 2 are all taken after release, no errored peer, at most two corrections")
    void RL01_reconnectWhileServerLoadingNeverWriteLocks() throws Exception {
        Path serverDir = dir.resolve("server");
        ForkedSession f = new ForkedSession();
        ForkedSession.set(f.alice, f.map, "title", "Task");
        RawCoID stream = Accounts.createOwned(f.alice, "costream", f.group, JsonValue.NULL);
        String big = "x".repeat(40_000);
        for (int i = 0; i < 15; i++) f.alice.write(stream, List.of(JsonValue.of(i + big)), null, true); // >= 5 storage chunks
        seed(serverDir, f, List.of(f.alice.accountID(), f.group, f.map, stream));
        try (MapDbStorage check = MapDbStorage.open(serverDir)) {
            List<Integer> sizes = new ArrayList<>();
            check.load(stream, p -> sizes.add(p.sessions().size()));
            assertTrue(sizes.size() >= 5, "the stream is stored in " + sizes.size() + " chunks");
        }

        RestartableServer s = startServer(serverDir);
        LocalNode warm = LocalNode.forAccount(CRYPTO, f.alice.accountID(), f.secret, null);
        assertTrue(get(client(warm, s, null).load(f.map)).isPresent()); // the server has account, group and map in memory
        Faults.configure("storage.stream.afterChunk=pause@2");
        Recording[] aChannel = new Recording[1];
        client(f.alice, s, aChannel); // A reconnects: announcing the stream makes the server read it
        assertTrue(Faults.awaitPaused("storage.stream.afterChunk", 1, Duration.ofSeconds(20)), "the stream read paused at chunk 2");
        for (int i = 0; i < 3; i++) f.alice.write(stream, List.of(JsonValue.of("new " + i)), null, true);
        ForkedSession.set(f.alice, f.map, "status", "review");
        Thread.sleep(2000);
        release("storage.stream.afterChunk");

        KnownState wantStream = known(f.alice, stream);
        KnownState wantMap = known(f.alice, f.map);
        await("the server covers all four writes", () -> wantStream.equals(known(s.node, stream)) && wantMap.equals(known(s.node, f.map)));
        LocalNode fresh = LocalNode.forAccount(CRYPTO, f.alice.accountID(), f.secret, null);
        SyncManager freshSync = client(fresh, s, null);
        assertTrue(get(freshSync.load(stream)).isPresent());
        assertTrue(get(freshSync.load(f.map)).isPresent());
        assertEquals(wantStream, known(fresh, stream), "a fresh client gets the whole stream, the three new entries included");
        assertTrue(mapJson(fresh, f.map).contains("\"status\":\"review\""), mapJson(fresh, f.map));
        for (PeerState p : s.sync.peers()) {
            assertFalse(p.hasErrored(stream) || p.hasErrored(f.map), "no errored mark on " + p);
        }
        assertTrue(aChannel[0].corrections(stream) <= 2, "corrections to A for the stream: " + aChannel[0].corrections(stream));
    }

    @Test
    @DisplayName("RL-03 Caches built during the startup window heal themselves: B stores while storage reads are slow; A's later load has B's transactions, B's wait completes, no stale count is reported to B")
    void RL03_cachesBuiltDuringStartupWindowHeal() throws Exception {
        Path serverDir = dir.resolve("server");
        ForkedSession f = new ForkedSession();
        ForkedSession.set(f.alice, f.map, "title", "Task");
        LocalNode b = f.secondSession();
        seed(serverDir, f, List.of(f.alice.accountID(), f.group, f.map));

        RestartableServer s = startServer(serverDir);
        LocalNode a = LocalNode.forAccount(CRYPTO, f.alice.accountID(), f.secret, null);
        SyncManager aSync = client(a, s, null);
        Faults.configure("storage.load.afterRead=delay:500*");
        ForkedSession.set(b, f.map, "status", "review");
        ForkedSession.set(b, f.map, "assignee", "bob");
        ForkedSession.set(b, f.map, "priority", "high");
        Recording[] bChannel = new Recording[1];
        SyncManager bSync = client(b, s, bChannel);
        get(bSync.waitForSync(f.map, "server")); // acknowledged only after the server stored it

        Optional<?> loaded = get(aSync.load(f.map));
        assertTrue(loaded.isPresent());
        await("A has B's transactions", () -> known(b, f.map).equals(known(a, f.map)));
        String json = mapJson(a, f.map);
        for (String field : List.of("\"title\":\"Task\"", "\"status\":\"review\"", "\"assignee\":\"bob\"", "\"priority\":\"high\"")) {
            assertTrue(json.contains(field), field + " in " + json);
        }
        SessionID bSession = b.sessionID();
        List<Integer> counts = bChannel[0].knownCounts(f.map, bSession);
        assertFalse(counts.isEmpty());
        for (int i = 1; i < counts.size(); i++) {
            assertTrue(counts.get(i) >= counts.get(i - 1), "a stale count reported to B after a newer one: " + counts);
        }
        assertEquals(3, counts.get(counts.size() - 1), "the last count B heard is what was stored: " + counts);
        Faults.configure(null);
        s.close();
        open.remove(s);
        try (MapDbStorage disk = MapDbStorage.open(serverDir)) {
            assertEquals(known(b, f.map), disk.knownState(f.map), "storage equals what B was told");
        }
    }

    @Test
    @DisplayName("RL-17 Messages that arrive before the node is ready are queued, not dropped: five clients push 50 maps and load 10 while storage opens 2 s late; all stored, all answered, queue high-water mark reported; with a limit of 10 messages the same (backpressure)")
    void RL17_messagesBeforeReadyAreQueuedNotDropped() throws Exception {
        int[] unbounded = beforeReady(dir.resolve("unbounded"), 0);
        assertTrue(unbounded[0] > 10, "the high-water mark shows messages held before ready: " + unbounded[0]);
        int[] bounded = beforeReady(dir.resolve("bounded"), 10);
        assertEquals(10, bounded[0], "held up to the limit, then the connection was not read further");
        assertTrue(bounded[1] >= 1 && bounded[1] <= 10, "once ready, at most 10 messages per client waited: " + bounded[1]);
    }

    /**
     * The RL-17 scenario with {@code maxHeld} messages held per connection before ready and queued
     * per client after (0: no limit before ready); returns both high-water marks.
     */
    private int[] beforeReady(Path root, int maxHeld) throws Exception {
        Path serverDir = root.resolve("server");
        ForkedSession f = new ForkedSession();
        List<LocalNode> clients = new ArrayList<>();
        for (int i = 0; i < 5; i++) clients.add(f.secondSession()); // the account and the group, not the maps below
        List<RawCoID> existing = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            RawCoID m = Accounts.createOwned(f.alice, "comap", f.group, JsonValue.NULL);
            ForkedSession.set(f.alice, m, "title", "existing " + i);
            existing.add(m);
        }
        List<RawCoID> seeded = new ArrayList<>(List.of(f.alice.accountID(), f.group));
        seeded.addAll(existing);
        seed(serverDir, f, seeded);
        List<List<RawCoID>> pushed = new ArrayList<>();
        for (LocalNode c : clients) {
            List<RawCoID> mine = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                RawCoID m = Accounts.createOwned(c, "comap", f.group, JsonValue.NULL);
                for (int k = 0; k < 3; k++) ForkedSession.set(c, m, "k" + k, "v" + k);
                mine.add(m);
            }
            pushed.add(mine);
        }

        Faults.configure("startup.beforeStorageOpen=delay:2000");
        RestartableServer s = own(RestartableServer.start(serverDir, 0, maxHeld));
        assertFalse(s.ready.isDone(), "storage is not open yet");
        List<CompletableFuture<Optional<io.cojson.core.covalue.CoValueCore>>> loads = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            SyncManager m = client(clients.get(i), s, null); // connects at once: the server accepts before storage is open
            loads.add(m.load(existing.get(2 * i)));
            loads.add(m.load(existing.get(2 * i + 1)));
        }
        assertFalse(s.ready.isDone(), "everything above happened inside the startup window");
        get(s.ready);

        for (int i = 0; i < 10; i++) {
            assertTrue(get(loads.get(i)).isPresent(), "load " + i + " answered with content");
            LocalNode c = clients.get(i / 2);
            assertTrue(mapJson(c, existing.get(i)).contains("existing " + i), mapJson(c, existing.get(i)));
        }
        for (int i = 0; i < 5; i++) {
            for (RawCoID m : pushed.get(i)) {
                KnownState want = known(clients.get(i), m);
                await("map " + m + " reaches the server", () -> want.equals(known(s.node, m)));
            }
        }
        assertEquals(List.of(), s.errors);
        int highWater = s.ws.peakHeldMessages();
        int queued = s.sync.peers().stream().mapToInt(PeerState::incomingHighWater).max().orElse(0);
        s.close();
        open.remove(s);
        try (MapDbStorage disk = MapDbStorage.open(serverDir)) {
            for (int i = 0; i < 5; i++) {
                for (RawCoID m : pushed.get(i)) assertEquals(known(clients.get(i), m), disk.knownState(m), "stored with every transaction");
            }
        }
        return new int[] {highWater, queued};
    }
}
