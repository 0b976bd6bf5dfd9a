package io.cojson.sync.transport;

import io.cojson.sync.transport.internal.ChannelCore;
import io.cojson.sync.transport.internal.FrameSocket;
import io.cojson.sync.transport.internal.Timers;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleConsumer;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.ByteString;

/**
 * A client connection to a sync server over OkHttp, framed and batched like cojson-transport-ws
 * with the client defaults of {@code createWebSocketPeer}: batching on, pings expected (no frame
 * for {@link #DEFAULT_PING_TIMEOUT} closes the channel with reason {@code "ping timeout"}).
 *
 * <p>The channel exists at once and accepts messages while the socket is still connecting; they
 * go out as one batched frame when it opens (the reference's first burst). The URL is used
 * verbatim. One connection only: {@link ReconnectingClient} reconnects.
 *
 * <p>Without an application-supplied {@link OkHttpClient}, the channel owns its OkHttp threads
 * (daemons) and connection pool and releases them when it closes or ends, so a program can exit as
 * soon as its {@code main} returns.
 */
public final class WebSocketClientChannel implements MessageChannel {
    /** {@code pingTimeout} default of cojson-transport-ws. */
    public static final Duration DEFAULT_PING_TIMEOUT = Duration.ofSeconds(10);

    private final String url;
    private final OkSocket socket;
    private final ChannelCore core;
    private final OkHttpClient ownClient; // null when the application supplied the client

    private WebSocketClientChannel(Builder b, ChannelCore.Hooks extra) {
        this.url = b.url;
        this.socket = new OkSocket();
        DoubleConsumer onPing = b.onPing;
        ChannelCore.Hooks hooks = new ChannelCore.Hooks() {
            @Override
            public void established() {
                extra.established();
            }

            @Override
            public void ping(double serverTimeMillis) {
                if (onPing != null) onPing.accept(serverTimeMillis);
            }

            @Override
            public void terminated(String reason) {
                releaseOwnClient();
                extra.terminated(reason);
            }
        };
        this.core = new ChannelCore(url, socket, b.batching, b.pingTimeout.toMillis(), Timers.shared(), hooks);
        socket.core = core;
        this.ownClient = b.client != null ? null : DefaultClient.newOwnClient();
        OkHttpClient client = b.client != null ? b.client : ownClient;
        socket.ws = client.newWebSocket(new Request.Builder().url(url).build(), socket);
    }

    /**
     * {@code url} if a channel can connect to it: {@code ws://} or {@code wss://} (or {@code http(s)://},
     * which OkHttp upgrades the same way) and well formed; else an {@link InvalidUrlException} naming it.
     */
    public static String checkUrl(String url) {
        Objects.requireNonNull(url, "url");
        int sep = url.indexOf("://");
        String scheme = sep < 0 ? "" : url.substring(0, sep).toLowerCase(Locale.ROOT);
        String asHttp = switch (scheme) {
            case "ws", "http" -> "http";
            case "wss", "https" -> "https";
            default -> null;
        };
        if (asHttp == null) {
            throw new InvalidUrlException(url, (sep < 0 ? "no scheme" : "unsupported scheme " + scheme)
                    + "; expected ws://host:port/… or wss://host:port/…");
        }
        if (HttpUrl.parse(asHttp + url.substring(sep)) == null) throw new InvalidUrlException(url, "malformed");
        return url;
    }

    /** Connects with the defaults. */
    public static WebSocketClientChannel connect(String url) {
        return builder(url).connect();
    }

    public static Builder builder(String url) {
        return new Builder(url);
    }

    /** Options of one connection. */
    public static final class Builder {
        private final String url;
        private OkHttpClient client;
        private Duration pingTimeout = DEFAULT_PING_TIMEOUT;
        private boolean batching = true;
        private DoubleConsumer onPing;

        private Builder(String url) {
            this.url = checkUrl(url);
        }

        /** The OkHttp client to use (shares its connection pool and threads); a default otherwise. */
        public Builder okHttpClient(OkHttpClient client) {
            this.client = client;
            return this;
        }

        /** Silence after which the server counts as gone; {@link Duration#ZERO} expects no pings. */
        public Builder pingTimeout(Duration timeout) {
            if (timeout.isNegative()) throw new IllegalArgumentException("negative ping timeout");
            this.pingTimeout = timeout;
            return this;
        }

        /** Outgoing batching before the server has shown it batches (reference client default: on). */
        public Builder batching(boolean batchingByDefault) {
            this.batching = batchingByDefault;
            return this;
        }

        /** Receives each ping's server time (ms since epoch), e.g. for clock-offset estimation. */
        public Builder onPing(DoubleConsumer onPing) {
            this.onPing = onPing;
            return this;
        }

        public WebSocketClientChannel connect() {
            return new WebSocketClientChannel(this, new ChannelCore.Hooks() {});
        }

        WebSocketClientChannel connect(ChannelCore.Hooks hooks) {
            return new WebSocketClientChannel(this, hooks);
        }
    }

    @Override
    public void send(String messageJson) {
        core.send(messageJson);
    }

    @Override
    public void setListener(Listener listener) {
        core.setListener(listener);
    }

    @Override
    public String describe() {
        return url;
    }

    /** Flushes queued messages, then closes normally; the listener gets {@code onClosed}. */
    @Override
    public void close() {
        core.close();
        releaseOwnClient();
    }

    /**
     * Stops our OkHttp dispatcher from taking new work (its idle threads end now; the socket's
     * reader thread ends with the socket) and drops pooled connections. Idempotent.
     */
    private void releaseOwnClient() {
        if (ownClient == null) return;
        ownClient.dispatcher().executorService().shutdown();
        ownClient.connectionPool().evictAll();
    }

    /** The socket is open (the handshake completed and it has not closed). */
    public boolean isOpen() {
        return socket.open && !core.isTerminated();
    }

    /** A frame from the server has arrived (what the reference calls a successful connection). */
    public boolean isEstablished() {
        return core.isEstablished() && !core.isTerminated();
    }

    /** WebSocket frames sent so far (messages are batched into fewer frames), for diagnostics. */
    public long framesSent() {
        return core.framesSent();
    }

    @Override
    public String toString() {
        return "WebSocketClientChannel(" + url + ")";
    }

    /** The OkHttp side: {@link FrameSocket} for the queue, listener for socket events. */
    private static final class OkSocket extends WebSocketListener implements FrameSocket {
        volatile WebSocket ws;
        volatile boolean open;
        volatile ChannelCore core;

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public long bufferedAmount() {
            return ws.queueSize();
        }

        @Override
        public boolean sendFrame(String frame) {
            return ws.send(frame);
        }

        @Override
        public void close(int code, String reason) {
            if (open) ws.close(code, reason);
            else ws.cancel(); // never opened: nothing to hand shake with
            open = false;
        }

        @Override
        public void abort() {
            open = false;
            ws.cancel();
        }

        @Override
        public void onOpen(WebSocket webSocket, Response response) {
            ws = webSocket;
            open = true;
            core.socketOpened();
        }

        @Override
        public void onMessage(WebSocket webSocket, String text) {
            core.frameReceived(text);
        }

        @Override
        public void onMessage(WebSocket webSocket, ByteString bytes) {
            core.binaryFrameReceived(bytes.size());
        }

        @Override
        public void onClosing(WebSocket webSocket, int code, String reason) {
            open = false;
            webSocket.close(1000, null); // complete the handshake the server started
            core.socketClosed("closed by server (" + code + (reason.isEmpty() ? "" : " " + reason) + ")");
        }

        @Override
        public void onClosed(WebSocket webSocket, int code, String reason) {
            open = false;
            core.socketClosed("closed (" + code + ")");
        }

        @Override
        public void onFailure(WebSocket webSocket, Throwable t, Response response) {
            open = false;
            core.socketClosed("connection failed: " + t);
        }
    }

    /**
     * The defaults of a channel's own client. OkHttp's default dispatcher threads are not daemons
     * and linger 60 s after their last call, which kept client JVMs alive a minute after main
     * returned; a channel's own dispatcher has daemon threads and is shut down when it closes.
     */
    private static final class DefaultClient {
        private static final OkHttpClient TEMPLATE = new OkHttpClient.Builder()
                .connectTimeout(Duration.ofSeconds(10))
                .build();

        static OkHttpClient newOwnClient() {
            ExecutorService threads = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
                    new SynchronousQueue<>(), r -> {
                        Thread t = new Thread(r, "cojson-ws-client");
                        t.setDaemon(true);
                        return t;
                    });
            return TEMPLATE.newBuilder().dispatcher(new Dispatcher(threads)).connectionPool(new ConnectionPool()).build();
        }
    }
}
