package io.cojson.client;

import io.cojson.core.crypto.Crypto;
import io.cojson.core.node.LocalNode;
import io.cojson.storage.AsyncMapDbStorage;
import io.cojson.sync.PeerRole;
import io.cojson.sync.SyncManager;
import io.cojson.sync.SyncOptions;
import io.cojson.sync.storage.CoValueSyncStorage;
import io.cojson.sync.transport.SyncWebSocketServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Java sync server on MapDB (async queue) behind a real WebSocket on 127.0.0.1, which a test
 * can stop and start again on the same port and data.
 */
final class TestSyncServer implements AutoCloseable {
    private static final Crypto CRYPTO = Crypto.create();
    private final Path dir;
    private int port;
    private AsyncMapDbStorage storage;
    private CoValueSyncStorage syncStorage;
    private SyncManager sync;
    private SyncWebSocketServer ws;

    TestSyncServer(Path dir) {
        this.dir = dir;
        start();
    }

    synchronized void start() {
        storage = AsyncMapDbStorage.open(dir);
        syncStorage = CoValueSyncStorage.of(storage);
        sync = SyncManager.create(LocalNode.forAgent(CRYPTO, CRYPTO.newRandomAgentSecret()), SyncOptions.defaults().withStorage(syncStorage));
        ws = SyncWebSocketServer.builder().host("127.0.0.1").port(port).stopTimeout(Duration.ofSeconds(2)).build();
        AtomicInteger n = new AtomicInteger();
        SyncManager s = sync;
        ws.start(ch -> s.addPeer("client-" + n.incrementAndGet(), PeerRole.CLIENT, ch));
        port = ws.port();
    }

    synchronized void stop() {
        if (ws == null) return;
        ws.close();
        sync.close();
        syncStorage.close();
        storage.close();
        ws = null;
    }

    String url() {
        return "ws://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        stop();
    }
}
