package io.cojson.sync;

import static io.cojson.sync.SyncTestKit.CRYPTO;

import io.cojson.core.node.LocalNode;
import io.cojson.storage.engine.AsyncMapDbStorage;
import io.cojson.sync.storage.CoValueSyncStorage;
import io.cojson.sync.transport.MessageChannel;
import io.cojson.sync.transport.SyncWebSocketServer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Java sync server on MapDB behind real WebSockets on 127.0.0.1, started in the production order
 * of {@link SyncWebSocketServer#startWith} (accept, {@code startup.beforeStorageOpen}, open storage,
 * serve) on a given port, so that a test can stop it and start another on the same directory and
 * port (a restart), or connect clients before its storage is open.
 */
final class RestartableServer implements AutoCloseable {
    final SyncWebSocketServer ws;
    /** Completes once storage is open and connections are served. */
    final CompletableFuture<Void> ready = new CompletableFuture<>();
    final List<SyncError> errors = new CopyOnWriteArrayList<>();
    volatile LocalNode node;
    volatile SyncManager sync;
    private volatile AsyncMapDbStorage disk;
    private volatile CoValueSyncStorage storage;

    private final int queueLimit;

    private RestartableServer(int port, int maxHeldMessages) {
        ws = SyncWebSocketServer.builder().host("127.0.0.1").port(port).maxHeldMessages(maxHeldMessages).build();
        queueLimit = maxHeldMessages == 0 ? SyncOptions.DEFAULT_INCOMING_QUEUE_LIMIT : maxHeldMessages;
    }

    /** Starts on another thread and returns once the port is bound (storage may not be open yet). */
    static RestartableServer start(Path dir, int port) {
        return start(dir, port, 1000);
    }

    /**
     * As {@link #start(Path, int)}, holding at most {@code maxHeldMessages} per connection before
     * ready and queueing as many per client once ready (0: no limit before ready, the default after).
     */
    static RestartableServer start(Path dir, int port, int maxHeldMessages) {
        RestartableServer s = new RestartableServer(port, maxHeldMessages);
        Thread t = new Thread(() -> {
            try {
                s.ws.startWith(() -> {
                    s.disk = AsyncMapDbStorage.open(dir);
                    s.storage = CoValueSyncStorage.of(s.disk);
                    s.node = LocalNode.forAgent(CRYPTO, CRYPTO.newRandomAgentSecret());
                    s.sync = SyncManager.create(s.node, SyncOptions.defaults().withStorage(s.storage).withIncomingQueueLimit(s.queueLimit));
                    s.sync.onError(s.errors::add);
                    AtomicInteger n = new AtomicInteger();
                    return (MessageChannel ch) -> s.sync.addPeer("client-" + n.incrementAndGet(), PeerRole.CLIENT, ch);
                });
                s.ready.complete(null);
            } catch (RuntimeException e) {
                s.ready.completeExceptionally(e);
            }
        }, "test-server-start");
        t.setDaemon(true);
        t.start();
        SyncTestKit.await("the server binds its port", () -> s.ws.port() > 0 || s.ready.isDone());
        return s;
    }

    /** The server's storage (null before it is open). */
    AsyncMapDbStorage disk() {
        return disk;
    }

    String url() {
        return ws.url();
    }

    /** Graceful stop in the server's order: sockets (1001), sync, then storage (flushing its queue). */
    @Override
    public void close() {
        ws.close();
        if (sync != null) sync.close();
        if (storage != null) storage.close();
        if (disk != null) disk.close();
    }
}
