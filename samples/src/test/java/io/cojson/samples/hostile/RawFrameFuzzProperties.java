package io.cojson.samples.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.cojson.core.crypto.Crypto;
import io.cojson.core.node.Accounts;
import io.cojson.core.values.CoMap;
import io.cojson.core.values.CojsonNode;
import io.cojson.core.values.internal.TypedNodes;
import io.cojson.server.CojsonServer;
import io.cojson.sync.PeerRole;
import io.cojson.sync.SyncManager;
import io.cojson.sync.transport.WebSocketClientChannel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Issue 11 B.6 on the wire: the real server (MapDB storage, Jetty, sync manager) gets raw
 * WebSocket frames of any opcode and payload (bad UTF-8, binary, control frames, continuation
 * without start, sync messages with hostile values) from a client that never reads. After each
 * try the hostile connection is gone or still harmless, and a well-behaved client writes a value
 * and has it acknowledged: the server neither died nor stuck.
 */
class RawFrameFuzzProperties {
    private static final Crypto CRYPTO = Crypto.create();
    private static CojsonServer server;
    private static java.nio.file.Path db;

    @BeforeContainer
    static void start() throws Exception {
        db = java.nio.file.Files.createTempDirectory("raw-frame-fuzz");
        server = CojsonServer.builder().dataDirectory(db).transport(b -> b.maxMessageBytes(1 << 20)).start();
    }

    @AfterContainer
    static void stop() throws java.io.IOException {
        server.close();
        try (var files = java.nio.file.Files.walk(db)) { // no temp directory left behind (issue 9)
            for (java.nio.file.Path p : (Iterable<java.nio.file.Path>) files.sorted(java.util.Comparator.reverseOrder())::iterator) {
                java.nio.file.Files.deleteIfExists(p);
            }
        }
    }

    record Frame(int opcode, byte[] payload) {}

    private static final List<String> TEMPLATES = List.of(
            "{\"action\":\"load\",\"id\":\"co_zXr8uZjuEmVBmk4H8AuWUu4SsoH\",\"header\":false,\"sessions\":{}}",
            "{\"action\":\"known\",\"id\":\"co_zXr8uZjuEmVBmk4H8AuWUu4SsoH\",\"header\":true,\"sessions\":{\"x\":1}}",
            "{\"action\":\"content\",\"id\":\"co_zXr8uZjuEmVBmk4H8AuWUu4SsoH\",\"priority\":0,\"new\":{}}",
            "{\"action\":\"done\",\"id\":\"co_zXr8uZjuEmVBmk4H8AuWUu4SsoH\"}",
            "{\"action\":\"reconcile\",\"id\":\"b1\",\"values\":[[\"co_zXr8uZjuEmVBmk4H8AuWUu4SsoH\",\"h\"]]}");

    @Provide
    Arbitrary<List<Frame>> frames() {
        Arbitrary<byte[]> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(3_000);
        Arbitrary<byte[]> messages = Combinators.combine(Arbitraries.of(TEMPLATES), Arbitraries.strings().all().ofMaxLength(40),
                Arbitraries.integers().between(0, 200)).as((t, junk, at) -> {
                    int i = Math.min(at, t.length());
                    return (t.substring(0, i) + junk + t.substring(i)).getBytes(StandardCharsets.UTF_8);
                });
        Arbitrary<byte[]> deep = Arbitraries.integers().between(900, 3_000).map(n -> ("[".repeat(n) + "]".repeat(n)).getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> longNumber = Arbitraries.integers().between(100, 20_000)
                .map(n -> ("{\"action\":\"load\",\"id\":\"co_z1\",\"header\":false,\"sessions\":{\"s\":" + "9".repeat(n) + "}}").getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> payload = Arbitraries.frequencyOf(Tuple.of(3, bytes), Tuple.of(4, messages), Tuple.of(1, deep), Tuple.of(1, longNumber));
        Arbitrary<Integer> opcode = Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just(1)), Tuple.of(1, Arbitraries.just(2)),
                Tuple.of(1, Arbitraries.integers().between(0, 15)));
        return Combinators.combine(opcode, payload).as(Frame::new).list().ofMinSize(1).ofMaxSize(12);
    }

    @Property(tries = 25)
    void hostileFramesNeitherKillNorStickTheServer(@ForAll("frames") List<Frame> frames) throws Exception {
        try (RawWebSocket hostile = RawWebSocket.connect(server.port(), 4_096)) {
            for (Frame f : frames) {
                byte[] p = f.opcode() >= 8 && f.payload().length > 125 ? java.util.Arrays.copyOf(f.payload(), 125) : f.payload();
                hostile.sendFrame(f.opcode(), p);
            }
        } catch (IOException e) {
            // the server may drop the connection part-way (protocol error, bad UTF-8): that is a defence
        }
        CojsonNode alice = TypedNodes.of(Accounts.create(CRYPTO, CRYPTO.newRandomAgentSecret(), "Alice"));
        CoMap map = alice.createGroup().createMap();
        map.set("ok", "yes");
        try (SyncManager sync = SyncManager.create(TypedNodes.localNode(alice))) {
            sync.addPeer("server", PeerRole.SERVER, WebSocketClientChannel.connect(server.url()));
            sync.waitForSync(map.id(), "server").get(30, TimeUnit.SECONDS);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (server.transport().connectionCount() > 0) { // every socket of this try is released
            if (System.nanoTime() > deadline) fail("connections left open: " + server.transport().connectionCount());
            Thread.sleep(20);
        }
        assertEquals(0, server.transport().slowConsumersClosed(), "nothing here should look like a slow consumer");
        assertTrue(server.isLoaded(map.id()));
    }
}
