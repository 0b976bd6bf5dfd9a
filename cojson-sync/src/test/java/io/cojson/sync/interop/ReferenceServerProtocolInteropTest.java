package io.cojson.sync.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.content.BinaryStreamContent;
import io.cojson.core.content.CoMapContent;
import io.cojson.core.covalue.TransactionDecoder;
import io.cojson.core.crypto.Crypto;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.json.Json;
import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import io.cojson.core.knownstate.KnownState;
import io.cojson.core.node.Accounts;
import io.cojson.core.node.GroupOperations;
import io.cojson.core.node.LocalNode;
import io.cojson.sync.PeerRole;
import io.cojson.sync.SyncError;
import io.cojson.sync.SyncManager;
import io.cojson.sync.transport.WebSocketClientChannel;
import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Java nodes running this SDK's sync protocol through the real JS reference sync server
 * (cojson 0.20.19, ../shared/interop): upload on connect, load with dependencies, live updates
 * and concurrent edits, and a 5 MB binary stream in pieces both ways.
 */
@Tag("interop")
@Timeout(value = 5, unit = TimeUnit.MINUTES) // the reference peer runs in node; the default (180 s) is for in-JVM tests
class ReferenceServerProtocolInteropTest {
    private static final Crypto CRYPTO = Crypto.create();
    private static final long T0 = System.currentTimeMillis();
    private final AtomicLong ticks = new AtomicLong();
    private final List<SyncManager> managers = new ArrayList<>();
    private final List<SyncError> errors = new CopyOnWriteArrayList<>();
    private Process server;
    private String url;

    @AfterEach
    void stop() throws Exception {
        managers.forEach(SyncManager::close);
        if (server != null) {
            server.destroy();
            if (!server.waitFor(10, TimeUnit.SECONDS)) server.destroyForcibly();
        }
    }

    private void startServer() throws Exception {
        File dir = new File(System.getProperty("cojson.interop.dir", "../../shared/interop")).getCanonicalFile();
        assertTrue(new File(dir, "node_modules").isDirectory(), "run `npm ci` in " + dir + " first");
        server = new ProcessBuilder("node", "sync-server.mjs", "--port", "0").directory(dir)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String line = ProcessLines.of(server, "sync-server.mjs").next(Duration.ofSeconds(60));
        assertNotNull(line, "reference server exited before it was ready");
        url = ((JsonValue.Str) ((JsonValue.Obj) Json.parse(line)).get("url")).value();
    }

    /** An account node (distinct madeAt per account: ties make CoMap order arrival-dependent) synced to the server. */
    private LocalNode client(String name, int residue) {
        LocalNode node = Accounts.create(CRYPTO, CRYPTO.newRandomAgentSecret(), name, () -> T0 + 3 * ticks.incrementAndGet() + residue);
        SyncManager sync = SyncManager.create(node);
        sync.onError(errors::add);
        sync.addPeer("server", PeerRole.SERVER, WebSocketClientChannel.connect(url));
        managers.add(sync);
        return node;
    }

    private SyncManager sync(LocalNode node) {
        return managers.stream().filter(m -> m.node() == node).findFirst().orElseThrow();
    }

    private static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(60, TimeUnit.SECONDS);
    }

    private static JsonValue mapValue(LocalNode node, RawCoID id) {
        return node.locked(() -> {
            CoMapContent m = new CoMapContent();
            m.add(TransactionDecoder.decode(node.require(id), node, node.keys()));
            return Json.parse(JsonWriter.stringify(m.toJson()));
        });
    }

    private static KnownState known(LocalNode node, RawCoID id) {
        return node.locked(() -> node.get(id) == null ? null : node.get(id).knownState());
    }

    private static void await(String what, java.util.function.BooleanSupplier ok) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!ok.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out: " + what);
            Thread.sleep(20);
        }
    }

    @Test
    void javaClientsShareAMapAndConvergeThroughTheReferenceServer() throws Exception {
        startServer();
        LocalNode alice = client("Alice", 0);
        LocalNode bob = client("Bob", 1);
        get(sync(bob).waitForSync(bob.accountID(), "server"));
        get(sync(alice).load(bob.accountID())).orElseThrow();
        RawCoID group = GroupOperations.createGroup(alice, null);
        GroupOperations.addMember(alice, group, bob.accountID().value(), "writer");
        RawCoID map = Accounts.createOwned(alice, "comap", group, JsonValue.NULL);
        alice.write(map, List.of(CoMapContent.setChange("title", JsonValue.of("hello"))), null, true);
        get(sync(alice).waitForSync(map, "server"));

        assertTrue(get(sync(bob).load(map)).isPresent());
        assertEquals(Json.parse("{\"title\":\"hello\"}"), mapValue(bob, map));

        // Both write at once; a writer's failure (an exception on its thread) fails the test.
        ExecutorService writers = Executors.newFixedThreadPool(2);
        try {
            Future<?> a = writers.submit(() -> {
                for (int i = 0; i < 30; i++) alice.write(map, List.of(CoMapContent.setChange("k" + (i % 4), JsonValue.of("a" + i))), null, true);
            });
            Future<?> b = writers.submit(() -> {
                for (int i = 0; i < 30; i++) bob.write(map, List.of(CoMapContent.setChange("k" + (i % 3), JsonValue.of("b" + i))), null, true);
            });
            a.get(60, TimeUnit.SECONDS);
            b.get(60, TimeUnit.SECONDS);
        } finally {
            writers.shutdownNow();
        }
        get(sync(alice).waitForSync(map, "server"));
        get(sync(bob).waitForSync(map, "server"));
        await("both have both sessions", () -> known(alice, map).equals(known(bob, map)));
        // Every transaction made arrived: Alice's title and 30 writes, Bob's 30, in one session each.
        assertEquals(Map.of(alice.sessionID(), 31, bob.sessionID(), 30), known(bob, map).sessions());
        assertEquals(mapValue(alice, map), mapValue(bob, map));
        assertEquals(List.of(), errors);
    }

    @Test
    void aFiveMegabyteStreamGoesUpAndDownInPieces() throws Exception {
        startServer();
        LocalNode alice = client("Alice", 0);
        RawCoID group = GroupOperations.createGroup(alice, null);
        GroupOperations.addMember(alice, group, "everyone", "reader");
        RawCoID stream = Accounts.createOwned(alice, "costream", group, JsonValue.obj("type", JsonValue.of("binary")));
        byte[] data = new byte[5 * 1024 * 1024];
        new Random(7).nextBytes(data);
        alice.write(stream, List.of(BinaryStreamContent.startChange("application/octet-stream", null, (long) data.length)), null, true);
        for (int off = 0; off < data.length; off += 100_000) {
            alice.write(stream, List.of(BinaryStreamContent.chunkChange(Arrays.copyOfRange(data, off, Math.min(data.length, off + 100_000)))), null, true);
        }
        alice.write(stream, List.of(BinaryStreamContent.endChange()), null, true);
        get(sync(alice).waitForSync(stream, "server"));

        LocalNode carol = client("Carol", 2);
        assertTrue(get(sync(carol).load(stream)).isPresent());
        assertEquals(known(alice, stream), known(carol, stream));
        byte[] received = carol.locked(() -> {
            BinaryStreamContent v = new BinaryStreamContent();
            v.add(TransactionDecoder.decode(carol.require(stream), carol, carol.keys()));
            return v.bytes();
        });
        assertArrayEquals(data, received);
        assertTrue(sync(carol).peer("server").orElseThrow().receivedCount("content") > 40, "downloaded in pieces");
        assertTrue(sync(alice).peer("server").orElseThrow().sentCount("content") > 40, "uploaded in pieces");
        assertEquals(List.of(), errors);
    }
}
