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
        System.out.println("main returns");
    }
}
