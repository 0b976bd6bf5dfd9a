package io.cojson.sync;

import static io.cojson.sync.SyncTestKit.CRYPTO;

import io.cojson.core.node.LocalNode;
import io.cojson.storage.engine.AsyncMapDbStorage;
import io.cojson.sync.storage.CoValueSyncStorage;
import io.cojson.sync.transport.SyncWebSocketServer;
import io.cojson.sync.transport.WebSocketClientChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Java sync server on MapDB (the async queue) behind real WebSockets on 127.0.0.1, and the
 * clients and stores a test opens around it: {@link #close} closes everything, newest first.
 */
final class MapDbServerFixture implements AutoCloseable {
    final LocalNode serverNode = LocalNode.forAgent(CRYPTO, CRYPTO.newRandomAgentSecret());
    final SyncManager server;
    final SyncWebSocketServer ws;
    private final List<AutoCloseable> owned = new ArrayList<>();

    MapDbServerFixture(Path serverDir) {
        AsyncMapDbStorage storage = AsyncMapDbStorage.open(serverDir);
        own(storage::close);
        CoValueSyncStorage syncStorage = CoValueSyncStorage.of(storage);
        own(syncStorage::close);
        server = SyncManager.create(serverNode, SyncOptions.defaults().withStorage(syncStorage));
        own(server::close);
        ws = SyncWebSocketServer.builder().host("127.0.0.1").port(0).build();
        AtomicInteger n = new AtomicInteger();
        ws.start(ch -> server.addPeer("client-" + n.incrementAndGet(), PeerRole.CLIENT, ch));
        own(ws::close);
    }

    /** Closes {@code c} with the fixture (before what was owned earlier). */
    void own(AutoCloseable c) {
        owned.add(c);
    }

    /** A client sync manager for {@code node}, not connected yet. */
    SyncManager client(LocalNode node, SyncOptions options) {
        SyncManager m = SyncManager.create(node, options);
        own(m::close);
        return m;
    }

    /** Adds (or replaces) {@code m}'s "server" peer: a new WebSocket to this server. */
    void connect(SyncManager m) {
        m.addPeer("server", PeerRole.SERVER, WebSocketClientChannel.connect(ws.url()));
    }

    /** A client sync manager for {@code node}, connected. */
    SyncManager connected(LocalNode node, SyncOptions options) {
        SyncManager m = client(node, options);
        connect(m);
        return m;
    }

    @Override
    public void close() throws Exception {
        Collections.reverse(owned);
        for (AutoCloseable c : owned) c.close();
    }
}
