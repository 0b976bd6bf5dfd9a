package io.cojson.sync.transport;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A client program as a user writes it: connects to the server at {@code args[0]} through a
 * {@link ReconnectingClient} and a plain {@link WebSocketClientChannel}, exchanges a message on
 * each, closes both and returns from {@code main}. Nothing else may keep the JVM alive.
 */
public final class ClientExitChild {
    private ClientExitChild() {}

    public static void main(String[] args) throws Exception {
        String url = args[0];
        TestListener viaReconnecting = new TestListener();
        try (ReconnectingClient client = ReconnectingClient.builder(url).onChannel(ch -> {
            ch.setListener(viaReconnecting);
            ch.send(TestListener.load("Exit"));
        }).start()) {
            if (!client.awaitConnected(Duration.ofSeconds(10))) throw new AssertionError("not connected to " + url);
            viaReconnecting.next(10);
        }
        WebSocketClientChannel plain = WebSocketClientChannel.connect(url);
        TestListener direct = new TestListener();
        plain.setListener(direct);
        plain.send(TestListener.load("Exit"));
        direct.next(10);
        plain.close();
        if (!direct.closed.await(10, TimeUnit.SECONDS)) throw new AssertionError("plain channel did not close");
        // A sync manager too (its own thread, the process-wide sync and transport timers), closed:
        // then every cojson thread ends by itself once idle, nothing lingers after the last client.
        io.cojson.core.crypto.Crypto crypto = io.cojson.core.crypto.Crypto.create();
        io.cojson.sync.SyncManager sync = io.cojson.sync.SyncManager.create(
                io.cojson.core.node.LocalNode.forAgent(crypto, crypto.newRandomAgentSecret()), io.cojson.sync.SyncOptions.defaults());
        sync.addPeer("server", io.cojson.sync.PeerRole.SERVER, WebSocketClientChannel.connect(url));
        sync.flush().get(10, TimeUnit.SECONDS);
        sync.close();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        java.util.List<String> left = cojsonThreads();
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            left = cojsonThreads();
        }
        System.out.println("cojson threads left: " + left.size() + " " + left);
        System.out.println("main returns");
    }

    private static java.util.List<String> cojsonThreads() {
        java.util.List<String> names = new java.util.ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) if (t.isAlive() && t.getName().startsWith("cojson-")) names.add(t.getName());
        return names;
    }
}
