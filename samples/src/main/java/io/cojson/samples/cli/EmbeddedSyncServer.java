package io.cojson.samples.cli;

import io.cojson.core.crypto.Crypto;
import io.cojson.core.node.LocalNode;
import io.cojson.storage.AsyncMapDbStorage;
import io.cojson.storage.LoadReport;
import io.cojson.storage.NodePersistence;
import io.cojson.sync.PeerRole;
import io.cojson.sync.SyncManager;
import io.cojson.sync.transport.SyncWebSocketServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Java sync server: an agent-only {@link LocalNode} behind a {@link SyncManager} (one
 * {@link PeerRole#CLIENT} peer per WebSocket connection) and a {@link SyncWebSocketServer},
 * persisting every change of the node to MapDB in a directory through {@link NodePersistence}.
 * On start, everything stored is loaded back (verified) before connections are accepted.
 */
public final class EmbeddedSyncServer implements AutoCloseable {
    private final AsyncMapDbStorage storage;
    private final NodePersistence persistence;
    private final SyncManager sync;
    private final SyncWebSocketServer ws;
    private final LoadReport loaded;
    private volatile boolean closed;

    private EmbeddedSyncServer(AsyncMapDbStorage storage, NodePersistence persistence, SyncManager sync,
                               SyncWebSocketServer ws, LoadReport loaded) {
        this.storage = storage;
        this.persistence = persistence;
        this.sync = sync;
        this.ws = ws;
        this.loaded = loaded;
    }

    /** Opens storage in {@code db} (created if missing; null = memory only), loads it, and starts listening. */
    public static EmbeddedSyncServer start(String host, int port, Path db) throws Exception {
        Crypto crypto = Crypto.create();
        LocalNode node = LocalNode.forAgent(crypto, crypto.newRandomAgentSecret());
        AsyncMapDbStorage storage = null;
        NodePersistence persistence = null;
        LoadReport loaded = null;
        SyncManager sync = null;
        SyncWebSocketServer ws = null;
        try {
            if (db != null) {
                Files.createDirectories(db);
                storage = AsyncMapDbStorage.open(db);
                persistence = NodePersistence.attach(node, storage);
                loaded = persistence.loadAll();
            }
            sync = SyncManager.create(node);
            SyncManager s = sync;
            AtomicInteger connections = new AtomicInteger();
            ws = SyncWebSocketServer.builder().host(host).port(port).build();
            ws.start(ch -> s.addPeer("client-" + connections.incrementAndGet(), PeerRole.CLIENT, ch));
            return new EmbeddedSyncServer(storage, persistence, sync, ws, loaded);
        } catch (Exception | Error e) {
            if (ws != null) ws.close();
            if (sync != null) sync.close();
            if (persistence != null) persistence.close();
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

    public SyncManager sync() {
        return sync;
    }

    public boolean persistent() {
        return storage != null;
    }

    /** What was loaded from storage at start (null without storage). */
    public LoadReport loaded() {
        return loaded;
    }

    /** Waits until storage holds everything the server node has now (no-op without storage). */
    public void flush(Duration timeout) throws Exception {
        if (persistence != null) persistence.persistedAll().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops accepting, closes connections and the sync manager, then hands storage what is pending and closes it. */
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
                if (persistence != null) {
                    try {
                        persistence.close();
                    } finally {
                        storage.close();
                    }
                }
            }
        }
    }
}
