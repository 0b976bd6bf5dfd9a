package io.cojson.sync.transport;

import io.cojson.storage.Faults;
import io.cojson.sync.transport.internal.ChannelCore;
import io.cojson.sync.transport.internal.IncomingBudget;
import io.cojson.sync.transport.internal.JettyConnection;
import io.cojson.sync.transport.internal.Timers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket side of a Java sync server, set up like the reference ({@code jazz-run sync},
 * ../shared/interop/sync-server.mjs): binds 127.0.0.1 unless told otherwise, upgrades on any path
 * and query, answers {@code GET /health} with {@code 200 ok}, pings every client every 1.5 s, sends
 * one message per frame until a client sends a batch, and accepts frames up to
 * {@link Builder#maxMessageBytes} (100 MiB by default, like the reference's {@code ws}; larger ones
 * close that connection with 1009).
 *
 * <p>Each connection is handed to the connection handler as a {@link MessageChannel}. Startup
 * order ({@link #startWith}): bind and accept, fault point {@code startup.beforeStorageOpen}, open
 * storage, then serve; connections accepted meanwhile wait (their messages buffered) for the handler.
 * Jetty's threads are daemons: a program that only serves must itself wait for its shutdown.
 */
public final class SyncWebSocketServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SyncWebSocketServer.class);

    private final Builder config;
    private final Set<JettyConnection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong closedPeak = new AtomicLong();
    private volatile IncomingBudget incoming;
    private final AtomicLong closedCoalesced = new AtomicLong();
    private final AtomicLong slowConsumers = new AtomicLong();
    private final java.util.concurrent.atomic.AtomicInteger closedHeldPeak = new java.util.concurrent.atomic.AtomicInteger();
    private final List<MessageChannel> held = new ArrayList<>();
    private Consumer<MessageChannel> handler;
    private Server server;
    private ServerConnector connector;
    private volatile int boundPort = -1;
    private boolean closed;

    private SyncWebSocketServer(Builder config) {
        this.config = config;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Server options. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port;
        private Duration pingInterval = Duration.ofMillis(1500);
        private String datacenter = "unknown";
        private long maxMessageBytes = 100L * 1024 * 1024;
        private Duration idleTimeout = Duration.ofMinutes(2);
        private Duration stopTimeout = Duration.ofSeconds(5);
        private long maxOutgoingBytes = defaultOutgoingBudget();
        private Duration stallTimeout = Duration.ofSeconds(30);
        private int maxHeldMessages = 1000;
        private long maxIncomingBytes = defaultIncomingBudget();
        private long maxIncomingBytesPerConnection = -1; // default: see maxIncomingBytesPerConnection
        private Duration incomingWait = Duration.ofSeconds(30);

        private Builder() {}

        /** An eighth of the heap, between 16 and 512 MiB. */
        static long defaultIncomingBudget() {
            return Math.max(16L << 20, Math.min(512L << 20, Runtime.getRuntime().maxMemory() / 8));
        }

        /**
         * Server-wide: how much incoming message text (in characters, about bytes of JSON) may be
         * held at once, from the first piece of a message until the sync layer has handled it.
         * While it is spent, connections are not read further (TCP pushes back on their clients).
         * A message larger than this can never be taken and is refused with 1009. So that half-received
         * messages cannot block each other, one connection may read on past it by one message
         * ({@link #maxMessageBytes}); held text stays below this plus one message plus 64 KiB per
         * connection, and memory at about three times that (pieces, assembled text, what is parsed).
         * Default: an eighth of the heap, between 16 and 512 MiB; 0 or less: no limit.
         */
        public Builder maxIncomingBytes(long bytes) {
            this.maxIncomingBytes = bytes;
            return this;
        }

        /**
         * Per connection: how much complete incoming text may wait to be handled before the
         * connection is read further (its message in progress, up to {@link #maxMessageBytes}, comes
         * on top), among them content that waits for its dependencies. Default: an eighth of
         * {@link #maxIncomingBytes}, at most 32 MiB, so that a few connections parking content cannot
         * spend the whole budget and stall the others; 0: no limit.
         */
        public Builder maxIncomingBytesPerConnection(long bytes) {
            this.maxIncomingBytesPerConnection = bytes;
            return this;
        }

        /**
         * How long a connection may wait for the server-wide incoming budget in the middle of a
         * message before it is closed with 1013 (try again later), so that half-received messages
         * cannot hold the budget against each other. Default 30 s; zero: wait as long as it takes.
         */
        public Builder incomingWait(Duration wait) {
            this.incomingWait = Objects.requireNonNull(wait, "wait");
            return this;
        }

        /**
         * Per connection: how many incoming messages are held while the server is not ready yet
         * (storage opening, reliability.md RL-17). Beyond that the connection is not read any
         * further until the server is ready (backpressure); nothing is dropped. Default 1,000;
         * 0 means no limit.
         */
        public Builder maxHeldMessages(int max) {
            if (max < 0) throw new IllegalArgumentException("negative limit " + max);
            this.maxHeldMessages = max;
            return this;
        }

        /** An eighth of the heap, between 16 and 256 MiB. */
        static long defaultOutgoingBudget() {
            return Math.max(16L << 20, Math.min(256L << 20, Runtime.getRuntime().maxMemory() / 8));
        }

        /**
         * Per connection: the most that may wait to be sent to its client (queued messages and
         * the socket's buffer, counted in characters of JSON, about bytes). A client that lets
         * more pile up is dropped with a logged reason; 0 or less means no limit. Default: an
         * eighth of the heap, between 16 and 256 MiB. A value larger than this cannot be served
         * to a client in one answer, so keep it above the largest CoValue.
         */
        public Builder maxOutgoingBytes(long bytes) {
            this.maxOutgoingBytes = bytes;
            return this;
        }

        /** A connection whose queued messages make no progress for this long is dropped (default 30 s; zero: never). */
        public Builder stallTimeout(Duration timeout) {
            this.stallTimeout = timeout;
            return this;
        }

        /** Interface to bind (default 127.0.0.1). */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** Port to bind; 0 (the default) picks a free one, see {@link #port()}. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) throw new IllegalArgumentException("invalid port " + port);
            this.port = port;
            return this;
        }

        /** Ping period (reference: 1 500 ms); zero sends no pings. */
        public Builder pingInterval(Duration interval) {
            this.pingInterval = interval;
            return this;
        }

        /** The {@code dc} of ping frames (reference: {@code "unknown"}). */
        public Builder datacenter(String dc) {
            this.datacenter = Objects.requireNonNull(dc, "dc");
            return this;
        }

        /** Largest accepted incoming message; 0 or less means no limit. */
        public Builder maxMessageBytes(long bytes) {
            this.maxMessageBytes = bytes;
            return this;
        }

        /** A connection with no traffic either way for this long is dropped (pings count). */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = timeout;
            return this;
        }

        /** Bound on the graceful part of {@link #close()}. */
        public Builder stopTimeout(Duration timeout) {
            this.stopTimeout = timeout;
            return this;
        }

        long perConnectionIncoming() {
            if (maxIncomingBytesPerConnection >= 0) return maxIncomingBytesPerConnection;
            return maxIncomingBytes > 0 ? Math.min(32L << 20, Math.max(1, maxIncomingBytes / 8)) : 32L << 20;
        }

        public SyncWebSocketServer build() {
            return new SyncWebSocketServer(this);
        }
    }

    /** Binds and serves every connection with {@code onConnection}. */
    public void start(Consumer<MessageChannel> onConnection) {
        Objects.requireNonNull(onConnection, "onConnection");
        startWith(() -> onConnection);
    }

    /**
     * Binds and accepts, hits {@code startup.beforeStorageOpen}, then calls {@code open} (open the
     * storage, build the node) and serves every connection, those accepted meanwhile included,
     * with the handler it returns. If {@code open} fails the server is closed again.
     */
    public void startWith(Supplier<Consumer<MessageChannel>> open) {
        synchronized (this) {
            if (server != null) throw new IllegalStateException("already started");
            server = createServer();
        }
        try {
            server.start();
        } catch (Exception e) {
            close();
            throw new IllegalStateException("cannot listen on " + config.host + ":" + config.port + ": " + e.getMessage(), e);
        }
        boundPort = connector.getLocalPort();
        log.info("sync server listening on {}", url());
        try {
            Faults.hit(FaultPoints.STARTUP_BEFORE_STORAGE_OPEN);
            serve(Objects.requireNonNull(open.get(), "connection handler"));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The bound port (the actual one when 0 was asked for); -1 before start. Kept after close. */
    public int port() {
        return boundPort;
    }

    public String host() {
        return config.host;
    }

    /** {@code ws://host:port} */
    public String url() {
        String h = config.host.contains(":") ? "[" + config.host + "]" : config.host;
        return "ws://" + h + ":" + port();
    }

    /** The per-connection outgoing budget in force ({@link Builder#maxOutgoingBytes}). */
    public long maxOutgoingBytes() {
        return config.maxOutgoingBytes;
    }

    /** The most that was ever waiting to be sent to one connection, closed ones included (chars). */
    public long peakPendingOutgoingBytes() {
        long peak = closedPeak.get();
        for (JettyConnection c : connections) {
            ChannelCore ch = c.channel();
            if (ch != null) peak = Math.max(peak, ch.peakPendingOutgoingChars());
        }
        return peak;
    }

    /**
     * The most incoming messages one connection ever held while the server was not ready (the
     * high-water mark of that per-connection queue, closed connections included).
     */
    public int peakHeldMessages() {
        int peak = closedHeldPeak.get();
        for (JettyConnection c : connections) {
            ChannelCore ch = c.channel();
            if (ch != null) peak = Math.max(peak, ch.peakHeldMessages());
        }
        return peak;
    }

    /** The server-wide incoming budget in force ({@link Builder#maxIncomingBytes}), in characters. */
    public long maxIncomingBytes() {
        return config.maxIncomingBytes;
    }

    /** Incoming message text held right now, in characters (pieces being assembled and messages not yet handled). */
    public long incomingBytesHeld() {
        IncomingBudget b = incoming;
        return b == null ? 0 : b.used();
    }

    /** The most incoming message text ever held at once, in characters. */
    public long peakIncomingBytes() {
        IncomingBudget b = incoming;
        return b == null ? 0 : b.peak();
    }

    /** Connections dropped because their client did not read what it was sent. */
    public long slowConsumersClosed() {
        return slowConsumers.get();
    }

    /** Content messages not queued again because an identical copy still waited (closed connections included). */
    public long coalescedMessages() {
        long n = closedCoalesced.get();
        for (JettyConnection c : connections) {
            ChannelCore ch = c.channel();
            if (ch != null) n += ch.coalescedMessages();
        }
        return n;
    }

    /** Sockets currently open (a closing one counts until its close handshake is over). */
    public int connectionCount() {
        return connections.size();
    }

    /**
     * Graceful stop: fault point {@code server.shutdown.begin}, stop accepting, flush and close
     * every connection with 1001, wait (bounded) for them to go, then stop Jetty.
     */
    @Override
    public void close() {
        Server s;
        synchronized (this) {
            if (closed) return;
            closed = true;
            s = server;
        }
        Faults.hit(FaultPoints.SERVER_SHUTDOWN_BEGIN);
        if (s == null) return;
        long deadline = System.nanoTime() + config.stopTimeout.toNanos();
        try {
            if (connector != null) connector.close(); // no new connections
            for (JettyConnection c : connections) {
                ChannelCore ch = c.channel();
                if (ch != null) ch.closeWith(1001, "server shutting down", "server shutting down");
            }
            while (!connections.isEmpty() && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                s.stop();
            } catch (Exception e) {
                log.warn("error while stopping the sync server", e);
            }
        }
        log.info("sync server on port {} stopped", boundPort);
    }

    private void serve(Consumer<MessageChannel> h) {
        List<MessageChannel> waiting;
        synchronized (this) {
            handler = h;
            waiting = new ArrayList<>(held);
            held.clear();
        }
        for (MessageChannel ch : waiting) handOver(h, ch);
    }

    private void handOver(Consumer<MessageChannel> h, MessageChannel ch) {
        try {
            h.accept(ch);
        } catch (RuntimeException e) {
            log.error("connection handler failed for {}", ch.describe(), e);
            ch.close();
        }
    }

    private Server createServer() {
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("cojson-sync-server");
        threads.setDaemon(true);
        Server s = new Server(threads);
        connector = new ServerConnector(s);
        connector.setHost(config.host);
        connector.setPort(config.port);
        connector.setReuseAddress(true); // a restarted server gets its port back at once
        s.addConnector(connector);
        s.setStopTimeout(config.stopTimeout.toMillis());

        Timers timers = Timers.shared();
        long pingMs = config.pingInterval.toMillis();
        JettyConnection.Owner owner = new Owner();
        incoming = new IncomingBudget(config.maxIncomingBytes, config.maxMessageBytes > 0 ? config.maxMessageBytes : config.maxIncomingBytes);
        JettyConnection.IncomingLimits limits = new JettyConnection.IncomingLimits(incoming, config.maxMessageBytes,
                config.perConnectionIncoming(), config.incomingWait.toMillis());
        WebSocketUpgradeHandler upgrades = WebSocketUpgradeHandler.from(s, container -> {
            long max = config.maxMessageBytes > 0 ? config.maxMessageBytes : Integer.MAX_VALUE; // a Java string holds no more
            container.setMaxTextMessageSize(max);
            container.setMaxBinaryMessageSize(Math.min(max, 1L << 20)); // binary frames are dropped anyway
            // Text arrives in pieces of at most 64 KiB, assembled and budgeted by each connection.
            container.setMaxFrameSize(64 * 1024);
            container.setAutoFragment(true);
            container.setIdleTimeout(config.idleTimeout);
            container.addMapping("/*", (request, response, callback) -> {
                if ("/health".equals(request.getHttpURI().getPath())) {
                    Response.writeError(request, response, callback, 404);
                    return null;
                }
                response.setExtensions(List.of()); // no permessage-deflate, like the reference's ws server
                return new JettyConnection(owner, pingMs, config.datacenter, timers, sequence.incrementAndGet(),
                        config.maxOutgoingBytes, config.stallTimeout.toMillis(), config.maxHeldMessages)
                        .limitIncoming(limits);
            });
        });
        upgrades.setHandler(new PlainHttp());
        s.setHandler(upgrades);
        return s;
    }

    /** Connection life cycle: fault point, hand-over or hold, bookkeeping. */
    private final class Owner implements JettyConnection.Owner {
        @Override
        public void opened(JettyConnection c) {
            ChannelCore ch = c.channel();
            connections.add(c);
            Faults.Effect effect;
            try {
                effect = Faults.hit(FaultPoints.SERVER_ACCEPT);
            } catch (Faults.InjectedFault f) {
                effect = Faults.Effect.DROP;
            }
            if (effect == Faults.Effect.DROP) {
                ch.abort("refused by fault point " + FaultPoints.SERVER_ACCEPT);
                return;
            }
            Consumer<MessageChannel> h;
            synchronized (SyncWebSocketServer.this) {
                h = handler;
                if (h == null) {
                    held.add(ch);
                    return;
                }
            }
            handOver(h, ch);
        }

        @Override
        public void closed(JettyConnection c) {
            ChannelCore ch = c.channel();
            if (ch != null) {
                closedPeak.accumulateAndGet(ch.peakPendingOutgoingChars(), Math::max);
                closedCoalesced.addAndGet(ch.coalescedMessages());
                closedHeldPeak.accumulateAndGet(ch.peakHeldMessages(), Math::max);
                if (ch.closedAsSlowConsumer()) slowConsumers.incrementAndGet();
            }
            connections.remove(c);
        }
    }

    /** Requests that are not upgrades: {@code /health} → 200 ok, anything else → 426. */
    private static final class PlainHttp extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            boolean health = "/health".equals(request.getHttpURI().getPath());
            response.setStatus(health ? 200 : 426);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain");
            Content.Sink.write(response, true, health ? "ok" : "this is a cojson sync server: connect with a WebSocket\n", callback);
            return true;
        }
    }
}
