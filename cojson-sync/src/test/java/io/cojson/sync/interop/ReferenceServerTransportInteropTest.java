package io.cojson.sync.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.crypto.Crypto;
import io.cojson.core.header.CoValueHeader;
import io.cojson.core.header.Ruleset;
import io.cojson.core.json.Json;
import io.cojson.core.json.JsonValue;
import io.cojson.sync.transport.Backoff;
import io.cojson.sync.transport.MessageChannel;
import io.cojson.sync.transport.ReconnectingClient;
import io.cojson.sync.transport.WebSocketClientChannel;
import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Java WebSocket transport against the real JS reference sync server (../shared/interop,
 * cojson-transport-ws 0.20.19 behind {@code ws}): connection, pings, batched and 6 MB frames, the
 * reference's treatment of a frame with an invalid line, and reconnection across a server restart.
 */
@Tag("interop")
@Timeout(value = 5, unit = TimeUnit.MINUTES) // the reference peer runs in node; the default (180 s) is for in-JVM tests
class ReferenceServerTransportInteropTest {
    private static final Crypto crypto = Crypto.create();
    private final List<Process> servers = new ArrayList<>();
    private final List<AutoCloseable> clients = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : clients) c.close();
        for (Process p : servers) stopServer(p);
    }

    private record Ready(Process process, int port, String url) {}

    private Ready startServer(int port) throws Exception {
        File dir = new File(System.getProperty("cojson.interop.dir", "../../shared/interop")).getCanonicalFile();
        assertTrue(new File(dir, "node_modules").isDirectory(), "run `npm ci` in " + dir + " first");
        Process p = new ProcessBuilder("node", "sync-server.mjs", "--port", String.valueOf(port))
                .directory(dir).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        servers.add(p);
        String line = ProcessLines.of(p, "sync-server.mjs").next(Duration.ofSeconds(60));
        assertNotNull(line, "reference server exited before it was ready");
        JsonValue.Obj ready = (JsonValue.Obj) Json.parse(line);
        assertEquals(JsonValue.TRUE, ready.get("ready"), line);
        return new Ready(p, (int) ((JsonValue.Num) ready.get("port")).value(), ((JsonValue.Str) ready.get("url")).value());
    }

    private static void stopServer(Process p) throws InterruptedException {
        p.destroy(); // SIGTERM: the reference closes sockets with 1001 and exits 0
        if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    private static String unknownId() {
        CoValueHeader h = CoValueHeader.create("comap", new Ruleset.UnsafeAllowAll(), JsonValue.NULL,
                CoValueHeader.isoTimestamp(System.currentTimeMillis()), JsonValue.of(crypto.newUniqueness()));
        return h.id(crypto).value();
    }

    private static String load(String id) {
        return "{\"action\":\"load\",\"id\":\"" + id + "\",\"header\":false,\"sessions\":{}}";
    }

    /** Collects {@code known} replies by id. */
    private static final class Inbox implements MessageChannel.Listener {
        final BlockingQueue<JsonValue.Obj> messages = new LinkedBlockingQueue<>();

        @Override
        public void onMessage(String json) {
            messages.add((JsonValue.Obj) Json.parse(json));
        }

        @Override
        public void onClosed(String reason) {}

        /** The next {@code known} for {@code id} within {@code millis}, or null. */
        JsonValue.Obj known(String id, long millis) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            while (System.nanoTime() < deadline) {
                JsonValue.Obj m = messages.poll(50, TimeUnit.MILLISECONDS);
                if (m != null && JsonValue.of("known").equals(m.get("action")) && JsonValue.of(id).equals(m.get("id"))) return m;
            }
            return null;
        }
    }

    private WebSocketClientChannel connect(String url, Inbox inbox, List<Double> pings) {
        WebSocketClientChannel c = WebSocketClientChannel.builder(url).onPing(pings::add).connect();
        clients.add(c);
        c.setListener(inbox);
        return c;
    }

    private static void assertUnknown(JsonValue.Obj known, String id) {
        assertNotNull(known, "no known reply for " + id);
        assertEquals(JsonValue.FALSE, known.get("header"), known.toString());
        assertEquals(JsonValue.obj(), known.get("sessions"), known.toString());
    }

    @Test
    void loadOfAnUnknownValueIsAnsweredWithKnownHeaderFalse() throws Exception {
        Ready server = startServer(0);
        Inbox inbox = new Inbox();
        List<Double> pings = new CopyOnWriteArrayList<>();
        WebSocketClientChannel c = connect(server.url(), inbox, pings);
        String id = unknownId();
        c.send(load(id));
        assertUnknown(inbox.known(id, 20_000), id);
        assertFalse(pings.isEmpty(), "the reference pings as soon as a client connects");
        assertTrue(c.isEstablished());
    }

    @Test
    void batchedAndSixMegabyteFramesAreUnderstoodByTheReference() throws Exception {
        Ready server = startServer(0);
        Inbox inbox = new Inbox();
        WebSocketClientChannel c = connect(server.url(), inbox, new CopyOnWriteArrayList<>());
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ids.add(unknownId());
            c.send(load(ids.get(i))); // before the socket opened: one batched frame
        }
        for (String id : ids) assertUnknown(inbox.known(id, 20_000), id);
        assertEquals(1, c.framesSent(), "20 loads in one frame");

        String big = unknownId();
        c.send("{\"action\":\"load\",\"id\":\"" + big + "\",\"header\":false,\"sessions\":{},\"padding\":\"" + "p".repeat(6 * 1024 * 1024) + "\"}");
        assertUnknown(inbox.known(big, 30_000), big);
    }

    @Test
    void theReferenceDropsAFrameWithAnInvalidLineWhole() throws Exception {
        Ready server = startServer(0);
        Inbox inbox = new Inbox();
        WebSocketClientChannel c = connect(server.url(), inbox, new CopyOnWriteArrayList<>());
        String warmup = unknownId();
        c.send(load(warmup));
        assertUnknown(inbox.known(warmup, 20_000), warmup); // open and idle: the next sends are single frames
        String lost = unknownId();
        String after = unknownId();
        c.send(load(lost) + "\n{not json"); // deliberately one raw frame: a valid line, then garbage
        c.send(load(after));
        assertUnknown(inbox.known(after, 20_000), after);
        assertEquals(null, inbox.known(lost, 1_000), "the valid line of the garbage frame was not processed");
    }

    @Test
    void reconnectingClientResumesAfterTheReferenceServerRestartsOnTheSamePort() throws Exception {
        Ready first = startServer(0);
        BlockingQueue<MessageChannel> channels = new LinkedBlockingQueue<>();
        BlockingQueue<Inbox> inboxes = new LinkedBlockingQueue<>();
        ReconnectingClient client = ReconnectingClient.builder(first.url())
                .backoff(new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), 2.0, 0.2))
                .onChannel(ch -> {
                    Inbox in = new Inbox();
                    ch.setListener(in);
                    inboxes.add(in);
                    channels.add(ch);
                })
                .start();
        clients.add(client);
        assertTrue(client.awaitConnected(Duration.ofSeconds(20)));

        stopServer(first.process());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (client.isConnected() && System.nanoTime() < deadline) Thread.sleep(20);
        assertFalse(client.isConnected(), "the close was noticed");

        startServer(first.port());
        assertTrue(client.awaitConnected(Duration.ofSeconds(30)), "reconnected to the restarted server");
        MessageChannel current = client.current();
        assertNotNull(current);
        Inbox in = null;
        while (channels.peek() != null) {
            MessageChannel ch = channels.poll();
            Inbox i = inboxes.poll();
            if (ch == current) in = i;
        }
        assertNotNull(in, "the live channel was handed out");
        String id = unknownId();
        current.send(load(id));
        assertUnknown(in.known(id, 20_000), id);
    }
}
