package io.cojson.server;

import io.cojson.core.crypto.Crypto;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.node.LocalNode;
import io.cojson.storage.engine.AsyncMapDbStorage;
import io.cojson.sync.PeerRole;
import io.cojson.sync.SyncManager;
import io.cojson.sync.SyncOptions;
import io.cojson.sync.storage.CoValueSyncStorage;
import io.cojson.sync.transport.SyncWebSocketServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cojson sync server: the public door for teams that run one on the JVM. Unchanged JS clients
 * and our own {@code CojsonClient} sync through it over WebSockets.
 *
 * <pre>{@code
 * try (CojsonServer server = CojsonServer.builder().port(4200).dataDirectory(Path.of("server-db")).start()) {
 *     System.out.println("listening on " + server.url());
 *     ...
 * }
 * }</pre>
 *
 * <p>It binds first, then opens storage: connections made meanwhile are held, not refused, and
 * served once storage is open. With a data directory, CoValues load from MapDB when a client asks
 * for them, and content is acknowledged to a client only once it is committed, so a killed server
 * never forgets what a client saw acknowledged. Without one, everything lives in memory.
 * {@link #close()} stops accepting, closes connections (1001), then commits what is pending and
 * closes storage; it owns every thread, socket and file it started.
 */
public final class CojsonServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CojsonServer.class);

    private final SyncWebSocketServer ws;
    private final Path dataDirectory;
    private volatile AsyncMapDbStorage storage;
    private volatile CoValueSyncStorage syncStorage;
    private volatile SyncManager sync;
    private boolean closed;
    private final java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);

    private CojsonServer(SyncWebSocketServer ws, Path dataDirectory) {
        this.ws = ws;
        this.dataDirectory = dataDirectory;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** How a server is set up; {@link #start()} builds and starts one. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 0;
        private Path dataDirectory;
        private Consumer<SyncWebSocketServer.Builder> transport = b -> {};

        private Builder() {}

        /** The address to bind (default {@code 127.0.0.1}; {@code 0.0.0.0} for every interface). */
        public Builder host(String host) {
            if (host == null || host.trim().isEmpty()) throw new IllegalArgumentException("host must not be empty");
            this.host = host;
            return this;
        }

        /** The port to listen on, 0 (the default) for a free one ({@link CojsonServer#port()} tells which). */
        public Builder port(int port) {
            if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
            this.port = port;
            return this;
        }

        /** MapDB storage in this directory (created if missing); null (the default): memory only. */
        public Builder dataDirectory(Path dir) {
            this.dataDirectory = dir;
            return this;
        }

        /**
         * Transport limits and timeouts (outgoing and incoming budgets, message size, ping, idle and
         * stop timeouts); the host and port set here win over any set by {@code tune}.
         */
        public Builder transport(Consumer<SyncWebSocketServer.Builder> tune) {
            this.transport = Objects.requireNonNull(tune, "tune");
            return this;
        }

        /**
         * Binds, opens storage and serves.
         *
         * @throws IOException when the data directory cannot be created
         * @throws IllegalStateException when the port cannot be bound (storage is then not opened)
         * @throws io.cojson.storage.StorageLockedException when another server or process has the
         *     data directory open
         * @throws io.cojson.storage.StorageException when storage cannot be opened for another reason
         */
        public CojsonServer start() throws IOException {
            if (dataDirectory != null) Files.createDirectories(dataDirectory);
            SyncWebSocketServer.Builder b = SyncWebSocketServer.builder();
            transport.accept(b);
            CojsonServer server = new CojsonServer(b.host(host).port(port).build(), dataDirectory);
            server.ws.startWith(server::open);
            return server;
        }
    }

    /** Runs on the starting thread once the port is bound: opens storage and the node, returns the connection handler. */
    private Consumer<io.cojson.sync.transport.MessageChannel> open() {
        Crypto crypto = Crypto.create();
        LocalNode node = LocalNode.forAgent(crypto, crypto.newRandomAgentSecret());
        SyncOptions options = SyncOptions.defaults();
        try {
            if (dataDirectory != null) {
                storage = AsyncMapDbStorage.open(dataDirectory);
                syncStorage = CoValueSyncStorage.of(storage,
                        r -> log.warn("storage: {} left damaged sessions out (refetched from peers): {}", r.id(), r.quarantined()));
                options = options.withStorage(syncStorage);
            }
            sync = SyncManager.create(node, options);
        } catch (RuntimeException | Error e) {
            closeStorage();
            throw e;
        }
        SyncManager s = sync;
        AtomicInteger connections = new AtomicInteger();
        return ch -> s.addPeer("client-" + connections.incrementAndGet(), PeerRole.CLIENT, ch);
    }

    /** The bound port (the actual one when 0 was asked for). */
    public int port() {
        return ws.port();
    }

    public String host() {
        return ws.host();
    }

    /** {@code ws://host:port}, what clients connect to. */
    public String url() {
        return ws.url();
    }

    /** Whether content is stored on disk (a data directory was given). */
    public boolean persistent() {
        return dataDirectory != null;
    }

    /** How many CoValues the storage holds (0 in memory). */
    public int storedCoValues() {
        AsyncMapDbStorage s = storage;
        return s == null ? 0 : s.coValueCount();
    }

    /** Whether the CoValue is in memory now: loaded when a client first asks for it, not at start. */
    public boolean isLoaded(RawCoID id) {
        return sync.node().get(Objects.requireNonNull(id, "id")) != null;
    }

    /** Connection counts, budgets and their measurements. */
    public SyncWebSocketServer transport() {
        return ws;
    }

    /**
     * Waits until every store handed to storage so far has committed (returns at once in memory).
     *
     * @throws TimeoutException when storage has not committed within {@code timeout}
     */
    public void flush(Duration timeout) throws TimeoutException, InterruptedException {
        AsyncMapDbStorage s = storage;
        if (s == null) return;
        try {
            s.flush().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) throw new UncheckedIOException(io);
            throw new IllegalStateException("storage could not commit: " + cause, cause);
        } catch (TimeoutException e) {
            throw new TimeoutException("storage did not commit within " + timeout.toMillis() + " ms");
        }
    }

    /** Blocks until {@link #close()} has finished (called from another thread, such as a shutdown hook). */
    public void awaitClose() throws InterruptedException {
        stopped.await();
    }

    /** Stops accepting, closes connections and sync, then lets storage commit what is pending and closes it. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) return;
            closed = true;
        }
        try {
            ws.close();
        } finally {
            try {
                SyncManager s = sync;
                if (s != null) s.close();
            } finally {
                try {
                    closeStorage();
                } finally {
                    stopped.countDown();
                }
            }
        }
    }

    private void closeStorage() {
        try {
            CoValueSyncStorage ss = syncStorage;
            if (ss != null) ss.close();
        } finally {
            AsyncMapDbStorage s = storage;
            if (s != null) s.close();
        }
    }
}
