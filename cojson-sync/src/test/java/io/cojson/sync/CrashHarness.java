package io.cojson.sync;

import static io.cojson.sync.SyncTestKit.CRYPTO;
import static io.cojson.sync.SyncTestKit.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.cojson.core.ids.AgentSecret;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.node.LocalNode;
import io.cojson.storage.engine.AsyncMapDbStorage;
import io.cojson.sync.storage.CoValueSyncStorage;
import io.cojson.sync.transport.SyncWebSocketServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * A Java sync server (MapDB, WebSockets on 127.0.0.1) and alice's processes as child JVMs, for the
 * crash scenarios of recovery.md §12 ("crash after server ack before local persist").
 */
final class CrashHarness implements AutoCloseable {
    final LocalNode serverNode = LocalNode.forAgent(CRYPTO, CRYPTO.newRandomAgentSecret());
    final AsyncMapDbStorage serverDisk;
    private final CoValueSyncStorage serverStorage;
    final SyncManager server;
    final SyncWebSocketServer ws;
    final AgentSecret secret;
    private final List<Process> children = new ArrayList<>();

    /** Alice's identity and the map, as her first process printed them. */
    record Alice(RawCoID account, SessionID session, RawCoID group, RawCoID map) {}

    CrashHarness(Path serverDir) {
        this(serverDir, CRYPTO.newRandomAgentSecret());
    }

    /** A server on the store in {@code serverDir} (new or existing); alice's processes use {@code secret}. */
    CrashHarness(Path serverDir, AgentSecret secret) {
        this.secret = secret;
        serverDisk = AsyncMapDbStorage.open(serverDir);
        serverStorage = CoValueSyncStorage.of(serverDisk);
        server = SyncManager.create(serverNode, SyncOptions.defaults().withStorage(serverStorage));
        ws = SyncWebSocketServer.builder().host("127.0.0.1").port(0).build();
        AtomicInteger n = new AtomicInteger();
        ws.start(ch -> server.addPeer("client-" + n.incrementAndGet(), PeerRole.CLIENT, ch));
    }

    Process start(Class<?> main, Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")), main.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("COJSON_FAULTS");
        pb.environment().putAll(env);
        Process p = pb.start();
        children.add(p);
        return p;
    }

    static Thread pump(java.io.InputStream in, Consumer<String> onLine) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null;) onLine.accept(line);
            } catch (java.io.IOException e) {
                // the child died
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * Alice's first process ({@link AliceCrashChild}) writes title and priority (stored), then
     * status=review, which the server stores; it is killed with SIGKILL before her storage does.
     */
    Alice crashAfterServerAck(Path aliceDir) throws Exception {
        return crashAfterServerAck(aliceDir, List.of("title=Task", "priority=high"), List.of("status=review"));
    }

    /** The same with {@code before} stored and {@code lost} ({@code key=value} each) reaching only the server. */
    Alice crashAfterServerAck(Path aliceDir, List<String> before, List<String> lost) throws Exception {
        return crashAfterServerAck(aliceDir, before, lost, false);
    }

    /** The same; with {@code everyoneReads} the map's group gives "everyone" the reader role (other accounts can follow it). */
    Alice crashAfterServerAck(Path aliceDir, List<String> before, List<String> lost, boolean everyoneReads) throws Exception {
        Process child = start(AliceCrashChild.class, Map.of(), aliceDir.toString(), secret.value(), ws.url(), String.join(";", before),
                String.join(";", lost), everyoneReads ? "everyone-reads" : "private");
        int total = before.size() + lost.size();
        AtomicReference<String[]> ids = new AtomicReference<>();
        CountDownLatch paused = new CountDownLatch(1);
        List<String> stderr = Collections.synchronizedList(new ArrayList<>());
        pump(child.getInputStream(), line -> {
            if (line.startsWith("IDS ")) ids.set(line.split(" "));
        });
        pump(child.getErrorStream(), line -> {
            stderr.add(line);
            if (line.startsWith("COJSON_FAULT") && line.endsWith("paused")) paused.countDown();
        });
        if (!paused.await(60, TimeUnit.SECONDS)) fail("alice's process never reached the pause; stderr: " + stderr);
        // stdout (IDS) and stderr (paused) are read by two threads: the IDS line may still be on its way
        await("alice's process printed its IDs", () -> ids.get() != null);
        Alice a = new Alice(new RawCoID(ids.get()[1]), new SessionID(ids.get()[2]), new RawCoID(ids.get()[3]), new RawCoID(ids.get()[4]));
        await("the server stored " + lost, () -> {
            var ks = SyncTestKit.known(serverNode, a.map());
            return ks != null && ks.count(a.session()) == total && serverDisk.knownState(a.map()).count(a.session()) == total;
        });
        child.destroyForcibly(); // SIGKILL on Linux
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        assertEquals(137, child.exitValue(), "killed by SIGKILL");
        return a;
    }

    /**
     * Alice's first process writes title and priority, which reach the server and her storage;
     * it is killed with SIGKILL while idle, its durability window closed (recovery.md §13).
     */
    Alice crashWhileIdle(Path aliceDir) throws Exception {
        Process child = start(AliceCrashChild.class, Map.of(), aliceDir.toString(), secret.value(), ws.url(), "title=Task;priority=high", "",
                "private");
        AtomicReference<String[]> ids = new AtomicReference<>();
        CountDownLatch idle = new CountDownLatch(1);
        List<String> stderr = Collections.synchronizedList(new ArrayList<>());
        pump(child.getInputStream(), line -> {
            if (line.startsWith("IDS ")) ids.set(line.split(" "));
            if (line.equals("IDLE")) idle.countDown();
        });
        pump(child.getErrorStream(), stderr::add);
        if (!idle.await(60, TimeUnit.SECONDS)) fail("alice's process never became idle; stderr: " + stderr);
        child.destroyForcibly(); // SIGKILL on Linux
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        assertEquals(137, child.exitValue(), "killed by SIGKILL");
        return new Alice(new RawCoID(ids.get()[1]), new SessionID(ids.get()[2]), new RawCoID(ids.get()[3]), new RawCoID(ids.get()[4]));
    }

    @Override
    public void close() {
        for (Process p : children) p.destroyForcibly();
        ws.close();
        server.close();
        serverStorage.close();
        serverDisk.close();
    }
}
