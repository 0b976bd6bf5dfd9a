package io.cojson.samples.cli;

import io.cojson.core.crypto.Crypto;
import io.cojson.core.node.LocalNode;
import io.cojson.storage.AsyncMapDbStorage;
import io.cojson.sync.PeerRole;
import io.cojson.sync.SyncManager;
import io.cojson.sync.SyncOptions;
import io.cojson.sync.storage.CoValueSyncStorage;
import io.cojson.sync.transport.SyncWebSocketServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Java sync server: an agent-only {@link LocalNode} behind a {@link SyncManager} (one
 * {@link PeerRole#CLIENT} peer per WebSocket connection) and a {@link SyncWebSocketServer},
 * with MapDB storage in a directory as the sync manager's {@link CoValueSyncStorage}: CoValues
 * load from storage when a peer asks for them, and received content is acknowledged only once it
 * is committed, so a killed server never forgets what a client saw acknowledged.
 */
public final class EmbeddedSyncServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedSyncServer.class);
    private final AsyncMapDbStorage storage;
    private final CoValueSyncStorage syncStorage;
    private final SyncManager sync;
    private final SyncWebSocketServer ws;
    private volatile boolean closed;

    private EmbeddedSyncServer(AsyncMapDbStorage storage, CoValueSyncStorage syncStorage, SyncManager sync,
                               SyncWebSocketServer ws) {
        this.storage = storage;
        this.syncStorage = syncStorage;
        this.sync = sync;
        this.ws = ws;
    }

    /** Opens storage in {@code db} (created if missing; null = memory only) and starts listening. */
    public static EmbeddedSyncServer start(String host, int port, Path db) throws Exception {
        return start(host, port, db, b -> {});
    }

    /** {@link #start(String, int, Path)} with transport options ({@code tune} may change any but host and port). */
    public static EmbeddedSyncServer start(String host, int port, Path db, Consumer<SyncWebSocketServer.Builder> tune)
            throws Exception {
        Crypto crypto = Crypto.create();
        LocalNode node = LocalNode.forAgent(crypto, crypto.newRandomAgentSecret());
        AsyncMapDbStorage storage = null;
        CoValueSyncStorage syncStorage = null;
        SyncManager sync = null;
        SyncWebSocketServer ws = null;
        try {
            SyncOptions options = SyncOptions.defaults();
            if (db != null) {
                Files.createDirectories(db);
                storage = AsyncMapDbStorage.open(db);
                syncStorage = CoValueSyncStorage.of(storage,
                        r -> log.warn("storage: {} left damaged sessions out (refetched from peers): {}", r.id(), r.quarantined()));
                options = options.withStorage(syncStorage);
            }
            sync = SyncManager.create(node, options);
            SyncManager s = sync;
            AtomicInteger connections = new AtomicInteger();
            SyncWebSocketServer.Builder b = SyncWebSocketServer.builder();
            tune.accept(b);
            ws = b.host(host).port(port).build();
            ws.start(ch -> s.addPeer("client-" + connections.incrementAndGet(), PeerRole.CLIENT, ch));
            return new EmbeddedSyncServer(storage, syncStorage, sync, ws);
        } catch (Exception | Error e) {
            if (ws != null) ws.close();
            if (sync != null) sync.close();
            if (syncStorage != null) syncStorage.close();
            if (storage != null) storage.close();
            throw e;
        }
    }

    public int port() {
        return ws.port();
    }

    public String host() {
        return ws.host();
    }

    public String url() {
        return ws.url();
    }

    /** The WebSocket side: connection counts, outgoing budget and its measurements. */
    public SyncWebSocketServer transport() {
        return ws;
    }

    public SyncManager sync() {
        return sync;
    }

    public boolean persistent() {
        return storage != null;
    }

    /** How many CoValues the storage holds (0 without storage). */
    public int storedCoValues() {
        return storage == null ? 0 : storage.coValueCount();
    }

    /** Waits until every store handed to storage so far has committed (no-op without storage). */
    public void flush(Duration timeout) throws Exception {
        if (storage != null) storage.flush().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops accepting, closes connections and the sync manager, then lets storage commit what is pending and closes it. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        try {
            ws.close();
        } finally {
            try {
                sync.close();
            } finally {
                if (storage != null) {
                    try {
                        syncStorage.close();
                    } finally {
                        storage.close();
                    }
                }
            }
        }
    }
}
