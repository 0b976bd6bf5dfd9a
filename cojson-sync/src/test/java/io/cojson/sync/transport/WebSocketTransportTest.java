package io.cojson.sync.transport;

import static io.cojson.sync.transport.TestListener.load;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.json.Json;
import io.cojson.core.json.JsonValue;
import io.cojson.storage.Faults;
import io.cojson.sync.transport.internal.ChannelCore;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real WebSockets on 127.0.0.1: the OkHttp client channel against the Jetty server. */
class WebSocketTransportTest {
    private final List<AutoCloseable> cleanup = new ArrayList<>();
    private final BlockingQueue<MessageChannel> accepted = new LinkedBlockingQueue<>();

    @AfterEach
    void closeAll() throws Exception {
        Collections.reverse(cleanup);
        for (AutoCloseable c : cleanup) c.close();
        Faults.configure(null);
    }

    private SyncWebSocketServer startServer(SyncWebSocketServer.Builder b, Consumer<MessageChannel> handler) {
        SyncWebSocketServer s = b.build();
        cleanup.add(s);
        s.start(ch -> {
            accepted.add(ch);
            handler.accept(ch);
        });
        return s;
    }

    private static final Consumer<MessageChannel> ECHO = ch -> ch.setListener(new MessageChannel.Listener() {
        @Override
        public void onMessage(String m) {
            ch.send(m);
        }

        @Override
        public void onClosed(String reason) {}
    });

    private static final Consumer<MessageChannel> IGNORE = ch -> {};

    private WebSocketClientChannel client(String url, TestListener l) {
        WebSocketClientChannel c = WebSocketClientChannel.connect(url);
        cleanup.add(c);
        c.setListener(l);
        return c;
    }

    private MessageChannel nextAccepted() throws InterruptedException {
        MessageChannel ch = accepted.poll(10, TimeUnit.SECONDS);
        assertNotNull(ch, "no connection accepted within 10 s");
        return ch;
    }

    /**
     * Priority 0 so it shares the loads' queue: queued messages are drained by priority (as the
     * reference's PriorityBasedMessageQueue does), so only same-priority messages keep their order.
     */
    private static String bigContent(int chars) {
        return "{\"action\":\"content\",\"id\":\"co_zBig\",\"priority\":0,\"new\":{\"s\":\"" + "x".repeat(chars) + "\"}}";
    }

    @Test
    void manyMessagesAndASixMegabyteOneRoundTripInOrderWithBatching() throws Exception {
        SyncWebSocketServer server = startServer(SyncWebSocketServer.builder(), ECHO);
        TestListener l = new TestListener();
        WebSocketClientChannel c = client(server.url(), l);
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 500; i++) sent.add(load("Early" + i)); // queued while connecting: one batch
        sent.add(bigContent(6 * 1024 * 1024));
        for (int i = 0; i < 3000; i++) sent.add(load("Late" + i)); // behind 6 MB of buffered data: batched
        sent.forEach(c::send);
        for (int i = 0; i < sent.size(); i++) {
            String got = l.next(30);
            assertTrue(sent.get(i).equals(got), "message " + i + " differs (" + got.length() + " chars)");
        }
        assertTrue(c.framesSent() < sent.size() / 2, "batched: " + c.framesSent() + " frames");
        ChannelCore serverSide = (ChannelCore) nextAccepted();
        assertTrue(serverSide.isBatching(), "the server batches once the client did");
        assertTrue(serverSide.framesReceived() < sent.size());
    }

    @Test
    void garbageFramesAreDroppedWholeWithoutHarmingTheConnection() throws Exception {
        SyncWebSocketServer server = startServer(SyncWebSocketServer.builder(), IGNORE);
        RawClient raw = RawClient.connect(server.url() + "/any/path?key=test@example.com", cleanup);
        MessageChannel serverSide = nextAccepted();
        TestListener l = new TestListener();
        serverSide.setListener(l);

        JsonValue.Obj ping = (JsonValue.Obj) Json.parse(raw.next());
        assertEquals(JsonValue.of("ping"), ping.get("type"), "a ping right after connecting");
        assertEquals(JsonValue.of("unknown"), ping.get("dc"));

        raw.sendText("garbage");
        raw.sendText(load("LostWithItsFrame") + "\n{not json");
        raw.sendText(load("AlsoLost") + "\n");
        raw.sendText("");
        raw.sendText("42\nnull\n{\"no\":\"action\"}");
        raw.ws.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}), true).get(5, TimeUnit.SECONDS);
        raw.sendText(load("A") + "\n" + load("B"));
        assertEquals(load("A"), l.next(10));
        assertEquals(load("B"), l.next(10));
        assertNull(l.messages.poll(300, TimeUnit.MILLISECONDS), "nothing from the garbage frames");
        assertEquals(1, l.closed.getCount(), "still open");
        serverSide.send(load("Reply"));
        assertEquals(load("Reply"), raw.nextNonPing());
    }

    @Test
    void anOversizedFrameClosesOnlyThatConnection() throws Exception {
        SyncWebSocketServer server = startServer(SyncWebSocketServer.builder().maxMessageBytes(1024 * 1024), IGNORE);
        RawClient raw = RawClient.connect(server.url(), cleanup);
        TestListener l = new TestListener();
        nextAccepted().setListener(l);
        raw.ws.sendText(bigContent(2 * 1024 * 1024), true);
        assertTrue(l.awaitClosed(10), "server side closed");
        try {
            assertEquals(Integer.valueOf(1009), raw.closeCode.get(10, TimeUnit.SECONDS));
        } catch (java.util.concurrent.ExecutionException e) {
            // The server may close while the client is still writing the frame; the client then
            // sees a broken pipe instead of the 1009 close frame. Either way the connection is gone.
            assertTrue(e.getCause() instanceof java.io.IOException, "unexpected failure: " + e.getCause());
        }

        TestListener l2 = new TestListener();
        WebSocketClientChannel c = client(server.url(), new TestListener());
        nextAccepted().setListener(l2);
        c.send(load("StillServing"));
        assertEquals(load("StillServing"), l2.next(10));
    }

    @Test
    void healthAnswersOkAndOtherPlainRequestsAskForAnUpgrade() throws Exception {
        SyncWebSocketServer server = startServer(SyncWebSocketServer.builder(), IGNORE);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String base = "http://127.0.0.1:" + server.port();
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/health")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode());
        assertEquals("ok", health.body());
        HttpResponse<String> other = http.send(HttpRequest.newBuilder(URI.create(base + "/")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(426, other.statusCode());
        assertEquals("127.0.0.1", server.host());
        assertTrue(server.port() > 0);
    }

    @Test
    void serverCloseReachesTheClientAndClientCloseReachesTheServer() throws Exception {
        SyncWebSocketServer server = startServer(SyncWebSocketServer.builder(), IGNORE);
        TestListener c1 = new TestListener();
        client(server.url(), c1);
        TestListener s1 = new TestListener();
        nextAccepted().setListener(s1);
        TestListener c2 = new TestListener();
        WebSocketClientChannel second = client(server.url(), c2);
        TestListener s2 = new TestListener();
        nextAccepted().setListener(s2);

        second.send(load("LastWords"));
        second.close(); // flushes, then closes
        assertEquals(load("LastWords"), s2.next(10));
        assertTrue(s2.awaitClosed(10), "server saw the client go");
        assertTrue(c2.awaitClosed(1));
        assertEquals("closed locally", c2.closeReason);

        server.close();
        assertTrue(c1.awaitClosed(10), "client saw the server go");
        assertTrue(c1.closeReason.contains("1001"), c1.closeReason);
        assertTrue(s1.awaitClosed(10));
        assertEquals(0, server.connectionCount());
    }

    @Test
    void clientPingsAndSilence() throws Exception {
        SyncWebSocketServer pinging = startServer(SyncWebSocketServer.builder().pingInterval(Duration.ofMillis(50)).datacenter("test-dc"), IGNORE);
        List<Double> pings = new CopyOnWriteArrayList<>();
        WebSocketClientChannel c = WebSocketClientChannel.builder(pinging.url()).onPing(pings::add).connect();
        cleanup.add(c);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (pings.size() < 3 && System.nanoTime() < deadline) Thread.sleep(20);
        assertTrue(pings.size() >= 3, "pings: " + pings);
        assertTrue(c.isEstablished());

        // A server that never pings: after its one message, silence ends the connection.
        SyncWebSocketServer silent = startServer(SyncWebSocketServer.builder().pingInterval(Duration.ZERO), ch -> ch.send(load("Hello")));
        TestListener l = new TestListener();
        WebSocketClientChannel quiet = WebSocketClientChannel.builder(silent.url()).pingTimeout(Duration.ofMillis(300)).connect();
        cleanup.add(quiet);
        quiet.setListener(l);
        assertEquals(load("Hello"), l.next(10));
        assertTrue(l.awaitClosed(10));
        assertEquals("ping timeout", l.closeReason);
    }

    @Test
    void connectionsAcceptedBeforeStorageOpensWaitForTheHandler() throws Exception {
        SyncWebSocketServer server = SyncWebSocketServer.builder().build();
        cleanup.add(server);
        TestListener clientSide = new TestListener();
        server.startWith(() -> {
            // "storage opening": a client connects and talks meanwhile
            WebSocketClientChannel early = WebSocketClientChannel.connect(server.url());
            cleanup.add(early);
            early.setListener(clientSide);
            early.send(load("Early"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (server.connectionCount() == 0 && System.nanoTime() < deadline) LockSupport.parkNanos(10_000_000);
            return ch -> {
                accepted.add(ch);
                ECHO.accept(ch);
            };
        });
        assertEquals(load("Early"), clientSide.next(10), "held, then served");

        Faults.configure("startup.beforeStorageOpen=throw:io");
        SyncWebSocketServer failing = SyncWebSocketServer.builder().port(0).build(); // binds before the fault point
        cleanup.add(failing);
        assertThrows(Faults.InjectedFault.class, () -> failing.startWith(() -> IGNORE));
        int port = failing.port();
        assertTrue(port > 0, "the failed server had bound a port: " + port);
        CompletableFuture<WebSocket> refused = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + port), new WebSocket.Listener() {});
        // The port must be closed: the connection is refused. A timeout (a server still bound but hanging
        // the upgrade) or an upgrade answered some other way is a failure.
        ExecutionException e = assertThrows(ExecutionException.class, () -> refused.get(10, TimeUnit.SECONDS), "closed after the failed start");
        assertTrue(e.getCause() instanceof ConnectException, "connection refused, not: " + e.getCause());
    }

    @Test
    void serverAcceptFaultRefusesAConnection() throws Exception {
        SyncWebSocketServer server = startServer(SyncWebSocketServer.builder(), ECHO);
        Faults.configure("server.accept=drop");
        TestListener refused = new TestListener();
        client(server.url(), refused);
        assertTrue(refused.awaitClosed(10));
        TestListener ok = new TestListener();
        WebSocketClientChannel c = client(server.url(), ok);
        c.send(load("Second"));
        assertEquals(load("Second"), ok.next(10));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (server.connectionCount() != 1 && System.nanoTime() < deadline) Thread.sleep(10);
        assertEquals(1, server.connectionCount(), "the refused socket is gone");
    }

    /** A JDK WebSocket that sends exactly the frames a test writes. */
    static final class RawClient implements WebSocket.Listener {
        final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();
        WebSocket ws;

        static RawClient connect(String url, List<AutoCloseable> cleanup) throws Exception {
            RawClient r = new RawClient();
            r.ws = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                    .buildAsync(URI.create(url), r).get(10, TimeUnit.SECONDS);
            cleanup.add(() -> r.ws.abort());
            return r;
        }

        void sendText(String frame) throws Exception {
            ws.sendText(frame, true).get(10, TimeUnit.SECONDS);
        }

        String next() throws InterruptedException {
            String f = frames.poll(10, TimeUnit.SECONDS);
            assertNotNull(f, "no frame within 10 s");
            return f;
        }

        String nextNonPing() throws InterruptedException {
            for (int i = 0; i < 100; i++) {
                String f = next();
                if (!f.contains("\"type\":\"ping\"")) return f;
            }
            throw new AssertionError("only pings");
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                frames.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeCode.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closeCode.completeExceptionally(error);
        }
    }
}
