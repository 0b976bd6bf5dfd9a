package io.cojson.samples.cli;

import io.cojson.core.values.internal.TypedNodes;
import io.cojson.server.CojsonServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.json.Json;
import io.cojson.core.json.JsonValue;
import io.cojson.core.knownstate.KnownState;
import io.cojson.core.node.LocalNode;
import io.cojson.core.values.CoMap;
import io.cojson.core.values.CojsonNode;
import io.cojson.samples.Main;
import io.cojson.sync.PeerRole;
import io.cojson.sync.PeerState;
import io.cojson.sync.SyncManager;
import io.cojson.sync.transport.WebSocketClientChannel;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ServerCommandTest {
    @TempDir
    Path tmp;

    /** The {@code server} command as a child JVM on a free port (see {@link #port}). */
    static Process startServer(Path db) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "server", "--port", "0", "--db", db.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    @Test
    void printsTheReadyLineAcceptsConnectionsAndStopsOnSigterm() throws Exception {
        Process p = startServer(tmp.resolve("db"));
        try {
            ProcessLines out = ProcessLines.of(p, "server");
            String ready = out.next();
            assertNotNull(ready, "server exited before it was ready");
            assertTrue(ready.matches("\\{\"ready\":true,\"port\":\\d+\\}"), ready);
            int port = (int) ((JsonValue.Num) ((JsonValue.Obj) Json.parse(ready)).get("port")).value();
            assertTrue(port > 0);
            try (Socket s = new Socket("127.0.0.1", port)) {
                assertTrue(s.isConnected());
            }
            // SIGTERM (what Process.destroy() sends; the handle's destroy leaves stdout open to read the last line)
            assertTrue(p.toHandle().destroy());
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "server did not stop");
            assertEquals("{\"stopped\":true}", out.next());
            assertEquals(0, p.exitValue());
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    @DisplayName("RL-06 Only one process writes a storage directory: a second server on the same directory exits non-zero with a clear message naming the holder; the first keeps serving; the directory passes the integrity check")
    void RL06_aSecondServerOnTheSameDirectoryExitsAndTheFirstKeepsServing() throws Exception {
        Path db = tmp.resolve("locked");
        Process first = startServer(db);
        try {
            int port = port(first);
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process second = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                    "server", "--port", "0", "--db", db.toString()).redirectErrorStream(true).start();
            String output;
            try {
                assertTrue(second.waitFor(30, TimeUnit.SECONDS), "the second server gave up instead of waiting for the lock");
                output = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } finally {
                second.destroyForcibly();
            }
            assertTrue(second.exitValue() != 0, "non-zero exit: " + second.exitValue() + "\n" + output);
            assertTrue(output.contains("pid=" + first.pid()), "the message names the holder: " + output);

            io.cojson.core.crypto.Crypto crypto = io.cojson.core.crypto.Crypto.create();
            CojsonNode alice = TypedNodes.of(io.cojson.core.node.Accounts.create(crypto, "Alice"));
            CoMap map = alice.createGroup().createMap();
            map.set("title", "still served");
            try (SyncManager sync = SyncManager.create(TypedNodes.localNode(alice))) {
                sync.addPeer("server", PeerRole.SERVER, WebSocketClientChannel.connect("ws://127.0.0.1:" + port));
                sync.waitForSync(map.id(), "server").get(30, TimeUnit.SECONDS); // acknowledged after its commit
            }
            assertTrue(first.toHandle().destroy()); // SIGTERM
            assertTrue(first.waitFor(30, TimeUnit.SECONDS));
            try (io.cojson.storage.engine.MapDbStorage disk = io.cojson.storage.engine.MapDbStorage.open(db)) {
                assertTrue(disk.verifyIntegrity().ok(), disk.verifyIntegrity().problems().toString());
                assertTrue(disk.knownState(map.id()).header(), "what the first server acknowledged is there");
            }
        } finally {
            first.destroyForcibly();
        }
    }

    @Test
    void badArgumentsExitWithTwo() {
        for (String[] args : new String[][] {{"server", "--port", "70000"}, {"server", "--port", "abc"}, {"server", "--port", "-1"},
                {"server"}, {"server", "--port", "0", "--bogus"}}) {
            StringWriter err = new StringWriter();
            CommandLine cl = new CommandLine(new Main());
            cl.setErr(new PrintWriter(err));
            assertEquals(2, cl.execute(args), String.join(" ", args));
        }
    }

    @Test
    void contentSurvivesAServerRestartOnTheSameDirectory() throws Exception {
        Path db = tmp.resolve("restart");
        io.cojson.core.crypto.Crypto crypto = io.cojson.core.crypto.Crypto.create();
        io.cojson.core.ids.AgentSecret secret = crypto.newRandomAgentSecret();
        CojsonNode alice = TypedNodes.of(io.cojson.core.node.Accounts.create(crypto, secret, "Alice"));
        CoMap map = alice.createGroup().createMap();
        map.set("title", "kept");
        try (CojsonServer server = CojsonServer.builder().dataDirectory(db).start()) {
            assertTrue(server.persistent());
            try (SyncManager sync = SyncManager.create(TypedNodes.localNode(alice))) {
                sync.addPeer("server", PeerRole.SERVER, WebSocketClientChannel.connect(server.url()));
                sync.waitForSync(map.id(), "server").get(30, TimeUnit.SECONDS);
            }
            server.flush(Duration.ofSeconds(30));
        }
        try (CojsonServer server = CojsonServer.builder().dataDirectory(db).start()) {
            assertTrue(server.storedCoValues() >= 3, "account, group and map are stored: " + server.storedCoValues());
            assertTrue(!server.isLoaded(map.id()), "loaded on demand, not at start");
            // Alice in a fresh process: same account, new session, nothing local.
            CojsonNode again = TypedNodes.of(io.cojson.core.node.LocalNode.forAccount(crypto, alice.accountID(), secret,
                    crypto.newRandomSessionID(alice.accountID().value())));
            try (SyncManager sync = SyncManager.create(TypedNodes.localNode(again))) {
                sync.addPeer("server", PeerRole.SERVER, WebSocketClientChannel.connect(server.url()));
                assertTrue(sync.load(map.id()).get(30, TimeUnit.SECONDS).isPresent());
                assertEquals("kept", again.map(new RawCoID(map.id().value())).getString("title"));
            }
        }
    }

    private static int port(Process p) throws Exception {
        String ready = ProcessLines.of(p, "server").next();
        assertNotNull(ready, "server exited before it was ready");
        return (int) ((JsonValue.Num) ((JsonValue.Obj) Json.parse(ready)).get("port")).value();
    }

    /** Alice's one session in {@code id} and its transaction count on {@code node}. */
    private static Map.Entry<SessionID, Integer> onlySession(LocalNode node, RawCoID id) {
        Map<SessionID, Integer> sessions = node.locked(() -> node.require(id).knownState().sessions());
        assertEquals(1, sessions.size(), "one writer session: " + sessions);
        return sessions.entrySet().iterator().next();
    }

    private static int confirmed(PeerState peer, RawCoID id, SessionID session) {
        KnownState k = peer.knownState(id);
        return k == null ? 0 : k.count(session);
    }

    /**
     * reliability.md RL-21: what the server acknowledged survives a SIGKILL (kill -9) of its process,
     * in-flight writes included: each is either acknowledged and present after the restart, or was
     * not acknowledged.
     */
    @Test
    @DisplayName("RL-21 The Java server loses nothing it acknowledged: its process SIGKILLed (kill -9) while a client writes, every acknowledged write present after the restart")
    void RL21_acknowledgedWritesSurviveSigkill() throws Exception {
        Path db = tmp.resolve("kill");
        io.cojson.core.crypto.Crypto crypto = io.cojson.core.crypto.Crypto.create();
        io.cojson.core.ids.AgentSecret secret = crypto.newRandomAgentSecret();
        CojsonNode alice = TypedNodes.of(io.cojson.core.node.Accounts.create(crypto, secret, "Alice"));
        CoMap map = alice.createGroup().createMap();
        RawCoID mid = map.id();
        int inFlight = 300;
        int[] txAfter = new int[inFlight]; // Alice's transaction count once in-flight write i was made
        int acknowledged; // transactions of Alice's session the server confirmed before it died
        SessionID session;
        Process server = startServer(db);
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try (SyncManager sync = SyncManager.create(TypedNodes.localNode(alice))) {
            sync.addPeer("server", PeerRole.SERVER, WebSocketClientChannel.connect("ws://127.0.0.1:" + port(server)));
            for (int i = 0; i < 100; i++) map.set("acked" + i, i);
            sync.waitForSync(map.id(), "server").get(30, TimeUnit.SECONDS); // acknowledged by the server
            session = onlySession(TypedNodes.localNode(alice), mid).getKey();
            int waitedFor = onlySession(TypedNodes.localNode(alice), mid).getValue();
            PeerState peer = sync.peer("server").orElseThrow();
            Future<?> writing = writer.submit(() -> {
                for (int i = 0; i < inFlight; i++) {
                    map.set("inFlight" + i, i); // on the wire, stored, acknowledged or none of these when the server dies
                    txAfter[i] = onlySession(TypedNodes.localNode(alice), mid).getValue();
                }
            });
            // Kill while the writes stream in: once the server has acknowledged some of them.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (confirmed(peer, mid, session) < waitedFor + 20 && System.nanoTime() < deadline) Thread.sleep(1);
            server.destroyForcibly();
            assertTrue(server.waitFor(30, TimeUnit.SECONDS));
            assertEquals(128 + 9, server.exitValue(), "killed by SIGKILL (Java reports 128 + signal)");
            writing.get(30, TimeUnit.SECONDS);
            // Acknowledgements sent before the kill are read once the connection is known to be gone.
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!peer.isClosed() && System.nanoTime() < deadline) Thread.sleep(10);
            assertTrue(peer.isClosed(), "the client saw the server go");
            acknowledged = confirmed(peer, mid, session);
            assertTrue(acknowledged >= waitedFor + 20, "acknowledged " + acknowledged + " of " + waitedFor + " + in-flight writes");
        } finally {
            writer.shutdownNow();
            server.destroyForcibly();
        }
        Process again = startServer(db);
        try {
            int port = port(again);
            CojsonNode fresh = TypedNodes.of(io.cojson.core.node.LocalNode.forAccount(crypto, alice.accountID(), secret,
                    crypto.newRandomSessionID(alice.accountID().value())));
            try (SyncManager sync = SyncManager.create(TypedNodes.localNode(fresh))) {
                sync.addPeer("server", PeerRole.SERVER, WebSocketClientChannel.connect("ws://127.0.0.1:" + port));
                assertTrue(sync.load(map.id()).get(30, TimeUnit.SECONDS).isPresent(), "the acknowledged map is stored");
                CoMap loaded = fresh.map(mid);
                for (int i = 0; i < 100; i++) assertEquals(JsonValue.of(i), loaded.get("acked" + i), "acked" + i);
                int stored = onlySession(TypedNodes.localNode(fresh), mid).getValue();
                String counts = "acknowledged " + acknowledged + ", stored " + stored + ", in-flight writes end at " + txAfter[inFlight - 1];
                assertTrue(stored >= acknowledged, "an acknowledged transaction is missing: " + counts);
                for (int i = 0; i < inFlight; i++) {
                    boolean ackedWrite = txAfter[i] <= acknowledged;
                    boolean storedWrite = txAfter[i] <= stored;
                    if (ackedWrite) assertTrue(storedWrite, "inFlight" + i + " was acknowledged: " + counts);
                    // present exactly when its transaction was stored, with the value written
                    assertEquals(storedWrite ? JsonValue.of(i) : null, loaded.get("inFlight" + i), "inFlight" + i + ": " + counts);
                }
            }
            // The writer comes back and uploads what the killed server may have missed.
            try (SyncManager sync = SyncManager.create(TypedNodes.localNode(alice))) {
                sync.addPeer("server", PeerRole.SERVER, WebSocketClientChannel.connect("ws://127.0.0.1:" + port));
                sync.waitForSync(map.id(), "server").get(30, TimeUnit.SECONDS);
            }
        } finally {
            again.toHandle().destroy();
            if (!again.waitFor(30, TimeUnit.SECONDS)) again.destroyForcibly();
        }
    }

    /**
     * reliability.md RL-21 (a): the server process halts (an in-process kill -9) at its 50th storage
     * commit while three clients write; nothing it acknowledged is missing after the restart, and once
     * the clients reconnect the server holds every transaction any of them made.
     */
    @Test
    @DisplayName("RL-21 (a) storage.tx.beforeCommit=halt@50 while three clients write: nothing acknowledged is missing after the restart; after heal the server has every client transaction")
    void RL21a_aServerHaltedMidCommitLosesNothingItAcknowledgedAndClientsHealTheRest() throws Exception {
        Path db = tmp.resolve("halt");
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "server", "--port", "0", "--db", db.toString()).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("COJSON_FAULTS", "storage.tx.beforeCommit=halt@50");
        Process server = pb.start();
        io.cojson.core.crypto.Crypto crypto = io.cojson.core.crypto.Crypto.create();
        int n = 3;
        List<io.cojson.core.ids.AgentSecret> secrets = new java.util.ArrayList<>();
        List<CojsonNode> writers = new java.util.ArrayList<>();
        List<CoMap> maps = new java.util.ArrayList<>();
        List<SyncManager> syncs = new java.util.ArrayList<>();
        int[] acknowledged = new int[n]; // writes 0..acknowledged-1 of each writer were confirmed by the server
        int[] written = new int[n];
        try {
            String url = "ws://127.0.0.1:" + port(server);
            for (int c = 0; c < n; c++) {
                io.cojson.core.ids.AgentSecret secret = crypto.newRandomAgentSecret();
                CojsonNode w = TypedNodes.of(io.cojson.core.node.Accounts.create(crypto, secret, "writer" + c));
                SyncManager sync = SyncManager.create(TypedNodes.localNode(w));
                sync.addPeer("server", PeerRole.SERVER, WebSocketClientChannel.connect(url));
                secrets.add(secret);
                writers.add(w);
                maps.add(w.createGroup().createMap());
                syncs.add(sync);
            }
            // Round-robin writes; every 5th write of a writer waits (bounded) for the server's confirmation.
            for (int i = 0; i < 2000 && server.isAlive(); i++) {
                for (int c = 0; c < n; c++) {
                    maps.get(c).set("k" + i, i);
                    written[c] = i + 1;
                    if (i % 5 == 4) {
                        try {
                            syncs.get(c).waitForSync(maps.get(c).id(), "server").get(5, TimeUnit.SECONDS);
                            acknowledged[c] = i + 1;
                        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                            // the server died before confirming: these writes are not in the ledger
                        }
                    }
                }
            }
            assertTrue(server.waitFor(30, TimeUnit.SECONDS), "the server halted at its 50th commit");
            assertEquals(137, server.exitValue());
        } finally {
            syncs.forEach(SyncManager::close); // offline until the restarted server was checked on its own
            server.destroyForcibly();
        }
        assertTrue(java.util.Arrays.stream(acknowledged).sum() > 0, "some writes were acknowledged before the halt");

        Process again = startServer(db);
        try {
            String url = "ws://127.0.0.1:" + port(again); // the clients were closed: any port will do
            for (int c = 0; c < n; c++) {
                CojsonNode fresh = TypedNodes.of(io.cojson.core.node.LocalNode.forAccount(crypto, writers.get(c).accountID(),
                        secrets.get(c), crypto.newRandomSessionID(writers.get(c).accountID().value())));
                try (SyncManager sync = SyncManager.create(TypedNodes.localNode(fresh))) {
                    sync.addPeer("server", PeerRole.SERVER, WebSocketClientChannel.connect(url));
                    if (acknowledged[c] == 0) continue;
                    assertTrue(sync.load(maps.get(c).id()).get(30, TimeUnit.SECONDS).isPresent(), "writer" + c + "'s map");
                    CoMap stored = fresh.map(new RawCoID(maps.get(c).id().value()));
                    int cc = c;
                    io.cojson.core.node.LocalNode fl = TypedNodes.localNode(fresh);
                    io.cojson.core.node.LocalNode wl = TypedNodes.localNode(writers.get(c));
                    RawCoID mid = new RawCoID(maps.get(c).id().value());
                    java.util.function.Supplier<String> why = () -> "acked " + acknowledged[cc] + " written " + written[cc]
                            + " fresh map " + fl.locked(() -> fl.require(mid).knownState()) + " writer map " + wl.locked(() -> wl.require(mid).knownState())
                            + " view " + stored.toJson()
                            + "\nFRESH " + fl.locked(() -> fl.ids().stream().map(x -> fl.require(x).knownState().toString()).toList())
                            + "\nWRITER " + wl.locked(() -> wl.ids().stream().map(x -> wl.require(x).knownState().toString()).toList());
                    for (int i = 0; i < acknowledged[c]; i++) {
                        assertEquals(JsonValue.of(i), stored.get("k" + i), "writer" + c + " k" + i + " was acknowledged: " + why.get());
                    }
                }
            }
            // The writers come back and heal what the server lost.
            for (int c = 0; c < n; c++) {
                try (SyncManager sync = SyncManager.create(TypedNodes.localNode(writers.get(c)))) {
                    sync.addPeer("server", PeerRole.SERVER, WebSocketClientChannel.connect(url));
                    sync.waitForSync(maps.get(c).id(), "server").get(30, TimeUnit.SECONDS);
                }
                CojsonNode fresh = TypedNodes.of(io.cojson.core.node.LocalNode.forAccount(crypto, writers.get(c).accountID(),
                        secrets.get(c), crypto.newRandomSessionID(writers.get(c).accountID().value())));
                try (SyncManager sync = SyncManager.create(TypedNodes.localNode(fresh))) {
                    sync.addPeer("server", PeerRole.SERVER, WebSocketClientChannel.connect(url));
                    assertTrue(sync.load(maps.get(c).id()).get(30, TimeUnit.SECONDS).isPresent());
                    CoMap stored = fresh.map(new RawCoID(maps.get(c).id().value()));
                    for (int i = 0; i < written[c]; i++) assertEquals(JsonValue.of(i), stored.get("k" + i), "writer" + c + " k" + i);
                }
            }
        } finally {
            again.toHandle().destroy();
            if (!again.waitFor(30, TimeUnit.SECONDS)) again.destroyForcibly();
        }
    }
}
