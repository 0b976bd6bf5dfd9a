package io.cojson.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.json.Json;
import io.cojson.core.json.JsonValue;
import io.cojson.core.values.CoMap;
import io.cojson.core.values.CojsonNode;
import io.cojson.samples.Main;
import io.cojson.sync.PeerRole;
import io.cojson.sync.SyncManager;
import io.cojson.sync.transport.WebSocketClientChannel;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ServerCommandTest {
    @TempDir
    Path tmp;

    static Process startServer(Path db) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "server", "--port", "0", "--db", db.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    static String readLine(BufferedReader r) throws Exception {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return r.readLine();
            } catch (Exception e) {
                throw new java.io.UncheckedIOException(new java.io.IOException("reading the server's stdout", e));
            }
        }).get(60, TimeUnit.SECONDS);
    }

    @Test
    void printsTheReadyLineAcceptsConnectionsAndStopsOnSigterm() throws Exception {
        Process p = startServer(tmp.resolve("db"));
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String ready = readLine(out);
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
            assertEquals("{\"stopped\":true}", readLine(out));
            assertEquals(0, p.exitValue());
        } finally {
            p.destroyForcibly();
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
        CojsonNode alice = CojsonNode.of(io.cojson.core.node.Accounts.create(crypto, secret, "Alice"));
        CoMap map = alice.createGroup().createMap();
        map.set("title", "kept");
        try (EmbeddedSyncServer server = EmbeddedSyncServer.start("127.0.0.1", 0, db)) {
            assertTrue(server.persistent());
            try (SyncManager sync = SyncManager.create(alice.localNode())) {
                sync.addPeer("server", PeerRole.SERVER, WebSocketClientChannel.connect(server.url()));
                sync.waitForSync(map.id(), "server").get(30, TimeUnit.SECONDS);
            }
            server.flush(Duration.ofSeconds(30));
        }
        try (EmbeddedSyncServer server = EmbeddedSyncServer.start("127.0.0.1", 0, db)) {
            assertTrue(server.storedCoValues() >= 3, "account, group and map are stored: " + server.storedCoValues());
            assertTrue(server.sync().node().get(map.id()) == null, "loaded on demand, not at start");
            // Alice in a fresh process: same account, new session, nothing local.
            CojsonNode again = CojsonNode.of(io.cojson.core.node.LocalNode.forAccount(crypto, alice.accountID(), secret,
                    crypto.newRandomSessionID(alice.accountID().value())));
            try (SyncManager sync = SyncManager.create(again.localNode())) {
                sync.addPeer("server", PeerRole.SERVER, WebSocketClientChannel.connect(server.url()));
                assertTrue(sync.load(map.id()).get(30, TimeUnit.SECONDS).isPresent());
                assertEquals("kept", again.map(new RawCoID(map.id().value())).getString("title"));
            }
        }
    }

    private static int port(Process p) throws Exception {
        String ready = readLine(new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)));
        assertNotNull(ready, "server exited before it was ready");
        return (int) ((JsonValue.Num) ((JsonValue.Obj) Json.parse(ready)).get("port")).value();
    }

    /** reliability.md RL-21: what the server acknowledged survives a SIGKILL (kill -9) of its process. */
    @Test
    void acknowledgedWritesSurviveSigkill() throws Exception {
        Path db = tmp.resolve("kill");
        io.cojson.core.crypto.Crypto crypto = io.cojson.core.crypto.Crypto.create();
        io.cojson.core.ids.AgentSecret secret = crypto.newRandomAgentSecret();
        CojsonNode alice = CojsonNode.of(io.cojson.core.node.Accounts.create(crypto, secret, "Alice"));
        CoMap map = alice.createGroup().createMap();
        Process server = startServer(db);
        try (SyncManager sync = SyncManager.create(alice.localNode())) {
            sync.addPeer("server", PeerRole.SERVER, WebSocketClientChannel.connect("ws://127.0.0.1:" + port(server)));
            for (int i = 0; i < 100; i++) map.set("acked" + i, i);
            sync.waitForSync(map.id(), "server").get(30, TimeUnit.SECONDS); // acknowledged by the server
            for (int i = 0; i < 50; i++) map.set("inFlight" + i, i); // maybe on the wire when the server dies
            server.destroyForcibly();
            assertTrue(server.waitFor(30, TimeUnit.SECONDS));
        } finally {
            server.destroyForcibly();
        }
        Process again = startServer(db);
        try {
            int port = port(again);
            CojsonNode fresh = CojsonNode.of(io.cojson.core.node.LocalNode.forAccount(crypto, alice.accountID(), secret,
                    crypto.newRandomSessionID(alice.accountID().value())));
            try (SyncManager sync = SyncManager.create(fresh.localNode())) {
                sync.addPeer("server", PeerRole.SERVER, WebSocketClientChannel.connect("ws://127.0.0.1:" + port));
                assertTrue(sync.load(map.id()).get(30, TimeUnit.SECONDS).isPresent());
                CoMap loaded = fresh.map(new RawCoID(map.id().value()));
                for (int i = 0; i < 100; i++) assertEquals(JsonValue.of(i), loaded.get("acked" + i), "acked" + i);
            }
            // The writer comes back and uploads what the killed server may have missed.
            try (SyncManager sync = SyncManager.create(alice.localNode())) {
                sync.addPeer("server", PeerRole.SERVER, WebSocketClientChannel.connect("ws://127.0.0.1:" + port));
                sync.waitForSync(map.id(), "server").get(30, TimeUnit.SECONDS);
            }
        } finally {
            again.toHandle().destroy();
            if (!again.waitFor(30, TimeUnit.SECONDS)) again.destroyForcibly();
        }
    }
}
