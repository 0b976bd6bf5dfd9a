package io.cojson.sync.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.crypto.Crypto;
import io.cojson.core.header.CoValueHeader;
import io.cojson.core.header.Ruleset;
import io.cojson.core.ids.AgentID;
import io.cojson.core.ids.AgentSecret;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.json.Json;
import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import io.cojson.core.session.SessionLog;
import io.cojson.core.session.Transaction;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The core's bytes against the real JS reference sync server (../shared/interop): content built
 * by this SDK (header → ID, agent session with trusting and private transactions, BLAKE3 chain,
 * Ed25519 signatures) must be accepted by cojson 0.20.19, and a tampered session rejected.
 * Runs in the interop suite ({@code -Dgroups=interop}), which .ci/run starts after {@code npm ci}.
 */
@Tag("interop")
@Timeout(value = 5, unit = TimeUnit.MINUTES) // the reference peer runs in node; the default (180 s) is for in-JVM tests
class ReferenceServerCoreInteropTest {
    private static Process server;
    private static WebSocket socket;
    private static final BlockingQueue<JsonValue.Obj> inbox = new LinkedBlockingQueue<>();
    private static final Crypto crypto = Crypto.create();

    @BeforeAll
    static void startServer() throws Exception {
        File dir = new File(System.getProperty("cojson.interop.dir", "../../shared/interop")).getCanonicalFile();
        assertTrue(new File(dir, "node_modules").isDirectory(), "run `npm ci` in " + dir + " first");
        server = new ProcessBuilder("node", "sync-server.mjs", "--port", "0")
                .directory(dir).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String ready = ProcessLines.of(server, "sync-server.mjs").next(Duration.ofSeconds(60));
        assertNotNull(ready, "reference server exited before it was ready");
        JsonValue.Obj r = (JsonValue.Obj) Json.parse(ready);
        assertEquals(JsonValue.TRUE, r.get("ready"));
        int port = (int) ((JsonValue.Num) r.get("port")).value();
        socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                .buildAsync(URI.create("ws://127.0.0.1:" + port), new Collector()).get(20, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (socket != null) socket.abort();
        if (server != null) {
            server.destroy();
            if (!server.waitFor(10, TimeUnit.SECONDS)) server.destroyForcibly();
        }
    }

    /** Frames carry one or more messages separated by newlines (cojson-transport-ws). */
    private static final class Collector implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                for (String line : partial.toString().split("\n")) {
                    if (!line.isBlank() && Json.parse(line) instanceof JsonValue.Obj o) inbox.add(o);
                }
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }
    }

    private record Built(RawCoID id, SessionID session, String message) {}

    private static Built buildContent(boolean tamper) {
        AgentSecret agent = crypto.newRandomAgentSecret();
        AgentID agentID = crypto.getAgentID(agent);
        CoValueHeader header = CoValueHeader.create("comap", new Ruleset.UnsafeAllowAll(), JsonValue.NULL,
                CoValueHeader.isoTimestamp(System.currentTimeMillis()), JsonValue.of(crypto.newUniqueness()));
        RawCoID id = header.id(crypto);
        SessionID session = crypto.newRandomSessionID(agentID.value());
        SessionLog log = new SessionLog(crypto, session, agentID.signer());
        long now = System.currentTimeMillis();
        log.appendTrusting(agent.signer(), "[{\"op\":\"set\",\"key\":\"title\",\"value\":\"from Java \\u00e9 \\ud83d\\ude00\"}]", now, null);
        log.appendTrusting(agent.signer(), "[{\"op\":\"set\",\"key\":\"n\",\"value\":1.5e-7}]", now + 1, "{\"why\":\"test\"}");
        Crypto.NewKey key = crypto.newRandomKeySecret();
        log.appendPrivate(agent.signer(), id, key.id(), key.secret(), "[{\"op\":\"set\",\"key\":\"s\",\"value\":\"secret\"}]", now + 2, null);
        List<JsonValue> txs = new ArrayList<>();
        for (Transaction t : log.transactions()) txs.add(t.toJson());
        if (tamper) {
            Transaction.Trusting t0 = (Transaction.Trusting) log.get(0);
            txs.set(0, new Transaction.Trusting(t0.changes(), t0.madeAt() + 1, null).toJson());
        }
        JsonValue.Obj piece = JsonValue.obj("after", JsonValue.of(0), "newTransactions", new JsonValue.Arr(txs),
                "lastSignature", JsonValue.of(log.lastSignature().value()));
        JsonValue.Obj msg = JsonValue.obj("action", JsonValue.of("content"), "id", JsonValue.of(id.value()),
                "header", header.json(), "priority", JsonValue.of(3),
                "new", JsonValue.obj(session.value(), piece));
        return new Built(id, session, JsonWriter.stringify(msg));
    }

    /** Waits (bounded) for the server's {@code known} message about {@code id}. */
    private static JsonValue.Obj awaitKnown(RawCoID id) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            JsonValue.Obj m = inbox.poll(200, TimeUnit.MILLISECONDS);
            if (m != null && JsonValue.of("known").equals(m.get("action")) && JsonValue.of(id.value()).equals(m.get("id"))) {
                return m;
            }
        }
        throw new AssertionError("no known message for " + id + " within 20 s");
    }

    @Test
    void referenceServerAcceptsJavaSignedSessionWithTrustingAndPrivateTransactions() throws Exception {
        Built b = buildContent(false);
        socket.sendText(b.message(), true).get(10, TimeUnit.SECONDS);
        JsonValue.Obj known = awaitKnown(b.id());
        assertEquals(JsonValue.TRUE, known.get("header"), "header accepted: " + known);
        JsonValue.Obj sessions = (JsonValue.Obj) known.get("sessions");
        assertEquals(JsonValue.of(3), sessions.get(b.session().value()), "all three transactions verified: " + known);
    }

    @Test
    void referenceServerRejectsTamperedSession() throws Exception {
        Built b = buildContent(true);
        socket.sendText(b.message(), true).get(10, TimeUnit.SECONDS);
        JsonValue.Obj known = awaitKnown(b.id());
        assertEquals(JsonValue.TRUE, known.get("header"), "the header itself is fine: " + known);
        JsonValue.Obj sessions = (JsonValue.Obj) known.get("sessions");
        JsonValue count = sessions.get(b.session().value());
        assertFalse(count != null && !JsonValue.of(0).equals(count), "tampered session must not be stored: " + known);
    }
}
