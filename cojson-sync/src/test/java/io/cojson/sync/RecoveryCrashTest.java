package io.cojson.sync;

import static io.cojson.sync.SyncTestKit.CRYPTO;
import static io.cojson.sync.SyncTestKit.await;
import static io.cojson.sync.SyncTestKit.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.cojson.core.content.DecodedTx;
import io.cojson.core.covalue.TransactionDecoder;
import io.cojson.core.ids.AgentSecret;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.json.Json;
import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import io.cojson.core.node.LocalNode;
import io.cojson.core.session.Transaction;
import io.cojson.storage.AsyncMapDbStorage;
import io.cojson.storage.MapDbStorage;
import io.cojson.storage.NodePersistence;
import io.cojson.sync.recovery.RecoveryCoordinator;
import io.cojson.sync.recovery.RecoveryState;
import io.cojson.sync.storage.CoValueSyncStorage;
import io.cojson.sync.transport.SyncWebSocketServer;
import io.cojson.sync.transport.WebSocketClientChannel;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * recovery.md §12 "crash after server ack before local persist" with a real crash: alice's first
 * process ({@link AliceCrashChild}, a child JVM with MapDB) sends {@code status=review} to a Java
 * sync server (MapDB, WebSockets on 127.0.0.1) and is killed with SIGKILL before storing it. Her
 * node restarts from that storage with the same session, edits twice, reconnects, gets the
 * server's SignatureMismatch and recovers through T1.
 */
class RecoveryCrashTest {
    @TempDir
    Path dir;
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        Collections.reverse(cleanup);
        for (AutoCloseable c : cleanup) c.close();
    }

    private static Thread pump(java.io.InputStream in, java.util.function.Consumer<String> onLine) {
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

    private static String sortedFields(String json) {
        TreeMap<String, String> m = new TreeMap<>();
        ((JsonValue.Obj) Json.parse(json)).fields().forEach((k, v) -> m.put(k, JsonWriter.stringify(v)));
        return m.toString();
    }

    @Test
    @DisplayName("RI-3 Baseline repair after a real crash (child JVM, SIGKILL after the server stored status=review, before alice's MapDB did): every edit exactly once, a fresh loader sees the merge")
    void RI3_crashAfterServerAckBeforeLocalPersist() throws Exception {
        LocalNode serverNode = LocalNode.forAgent(CRYPTO, CRYPTO.newRandomAgentSecret());
        AsyncMapDbStorage serverDisk = AsyncMapDbStorage.open(dir.resolve("server"));
        CoValueSyncStorage serverStorage = CoValueSyncStorage.of(serverDisk);
        SyncManager server = SyncManager.create(serverNode, SyncOptions.defaults().withStorage(serverStorage));
        SyncWebSocketServer ws = SyncWebSocketServer.builder().host("127.0.0.1").port(0).build();
        AtomicInteger n = new AtomicInteger();
        ws.start(ch -> server.addPeer("client-" + n.incrementAndGet(), PeerRole.CLIENT, ch));
        cleanup.add(serverDisk::close);
        cleanup.add(serverStorage::close);
        cleanup.add(server::close);
        cleanup.add(ws::close);

        AgentSecret secret = CRYPTO.newRandomAgentSecret();
        Path aliceDir = dir.resolve("alice");
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                AliceCrashChild.class.getName(), aliceDir.toString(), secret.value(), ws.url());
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("COJSON_FAULTS");
        Process child = pb.start();
        cleanup.add(child::destroyForcibly);
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
        RawCoID account = new RawCoID(ids.get()[1]);
        SessionID s = new SessionID(ids.get()[2]);
        RawCoID map = new RawCoID(ids.get()[4]);
        await("the server stored status=review", () -> {
            var ks = SyncTestKit.known(serverNode, map);
            return ks != null && ks.count(s) == 3 && serverDisk.knownState(map).count(s) == 3;
        });
        child.destroyForcibly(); // SIGKILL on Linux
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        assertEquals(137, child.exitValue(), "killed by SIGKILL");
        List<Transaction> serverS = serverNode.locked(() -> List.copyOf(serverNode.require(map).sessions().get(s).transactions()));

        // Alice restarts from her storage: the same session, without status=review.
        MapDbStorage disk = MapDbStorage.open(aliceDir);
        cleanup.add(disk::close);
        assertEquals(2, disk.knownState(map).count(s), "her storage lost the last transaction");
        LocalNode alice = LocalNode.forAccount(CRYPTO, account, secret, s);
        try (NodePersistence p = NodePersistence.attach(alice, disk)) {
            var report = p.loadAll();
            assertTrue(report.quarantined().isEmpty(), report.toString());
            assertTrue(report.rejected().isEmpty() && report.missing().isEmpty(), report.toString());
        }
        io.cojson.core.node.Accounts.checkLogin(alice);
        CoValueSyncStorage storage = CoValueSyncStorage.of(disk);
        cleanup.add(storage::close);
        SyncManager sync = SyncManager.create(alice, SyncOptions.defaults().withStorage(storage));
        cleanup.add(sync::close);
        RecoveryCoordinator rc = RecoveryCoordinator.install(sync, disk);
        cleanup.add(rc::close);
        SyncTestKit.set(alice, map, "assignee", JsonValue.of("bob"));
        SyncTestKit.set(alice, map, "archived", JsonValue.of("false"));
        sync.addPeer("server", PeerRole.SERVER, WebSocketClientChannel.connect(ws.url()));

        await("recovery DONE", () -> rc.status(map, s).state() == RecoveryState.DONE);
        assertEquals(2, rc.status(map, s).commonPrefix());
        String expected = "{\"title\":\"Task\",\"priority\":\"high\",\"status\":\"review\",\"assignee\":\"bob\",\"archived\":\"false\"}";
        assertEquals(sortedFields(expected), sortedFields(SyncTestKit.mapJson(alice, map)));
        assertEquals(serverS, alice.locked(() -> List.copyOf(alice.require(map).sessions().get(s).transactions())));
        await("server has S!", () -> SyncTestKit.known(serverNode, map).count(s.conflictSession()) == 2);
        await("alice's storage has the repaired S and S!", () -> disk.knownState(map).count(s) == 3
                && disk.knownState(map).count(s.conflictSession()) == 2);
        assertEquals(1, disk.journal(map).size());

        LocalNode charlie = LocalNode.forAccount(CRYPTO, account, secret, null); // a fresh device of the account
        SyncManager cs = SyncManager.create(charlie);
        cleanup.add(cs::close);
        cs.addPeer("server", PeerRole.SERVER, WebSocketClientChannel.connect(ws.url()));
        assertTrue(get(cs.load(map)).isPresent());
        await("charlie sees the merge", () -> sortedFields(expected).equals(
                SyncTestKit.mapJson(charlie, map) == null ? "" : sortedFields(SyncTestKit.mapJson(charlie, map))));
        List<String> keys = charlie.locked(() -> {
            List<String> out = new ArrayList<>();
            for (DecodedTx tx : TransactionDecoder.decode(charlie.require(map), charlie, charlie.keys())) {
                if (!tx.sessionID().baseSession().equals(s)) continue;
                for (JsonValue c : tx.changes()) out.add(((JsonValue.Str) ((JsonValue.Obj) c).get("key")).value());
            }
            return out;
        });
        Collections.sort(keys);
        assertEquals(List.of("archived", "assignee", "priority", "status", "title"), keys, "every edit of either side exactly once");
    }
}
