package io.cojson.sync.transport;

import static io.cojson.sync.transport.TestListener.load;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ReconnectingClientTest {
    private static SyncWebSocketServer echoServer(int port) {
        SyncWebSocketServer s = SyncWebSocketServer.builder().port(port).build();
        s.start(ch -> ch.setListener(new MessageChannel.Listener() {
            @Override
            public void onMessage(String m) {
                ch.send(m);
            }

            @Override
            public void onClosed(String reason) {}
        }));
        return s;
    }

    /** One listener per handed-out channel, in order. */
    private static final class Channels {
        final BlockingQueue<MessageChannel> channels = new LinkedBlockingQueue<>();
        final BlockingQueue<TestListener> listeners = new LinkedBlockingQueue<>();

        void accept(MessageChannel ch) {
            TestListener l = new TestListener();
            ch.setListener(l);
            channels.add(ch);
            listeners.add(l);
        }

        /** The next channel that really connects (skipping attempts that failed). */
        MessageChannel nextLive(TestListener[] out) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < deadline) {
                MessageChannel ch = channels.poll(200, TimeUnit.MILLISECONDS);
                if (ch == null) continue;
                TestListener l = listeners.take();
                ch.send(load("Probe"));
                String echo = l.messages.poll(2, TimeUnit.SECONDS);
                if (load("Probe").equals(echo)) {
                    out[0] = l;
                    return ch;
                }
            }
            throw new AssertionError("no working channel within 20 s");
        }
    }

    @Test
    void reconnectsWithBackoffWhenTheServerComesBackOnTheSamePort() throws Exception {
        SyncWebSocketServer first = echoServer(0);
        int port = first.port();
        Channels handed = new Channels();
        List<Boolean> changes = new CopyOnWriteArrayList<>();
        Backoff fast = new Backoff(Duration.ofMillis(50), Duration.ofMillis(400), 2.0, 0.2);
        try (ReconnectingClient client = ReconnectingClient.builder(first.url()).backoff(fast)
                .onChannel(handed::accept).onConnectionChange(changes::add).start()) {
            assertTrue(client.awaitConnected(Duration.ofSeconds(10)));
            TestListener[] l = new TestListener[1];
            MessageChannel one = handed.nextLive(l);
            assertEquals(0, client.attempts());

            first.close();
            assertTrue(l[0].awaitClosed(10), "the old channel reports the close");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (client.attempts() < 3 && System.nanoTime() < deadline) Thread.sleep(20);
            assertTrue(client.attempts() >= 3, "attempts while the server is down: " + client.attempts());
            assertTrue(!client.isConnected());

            SyncWebSocketServer second = echoServer(port);
            try {
                assertTrue(client.awaitConnected(Duration.ofSeconds(10)), "reconnected");
                MessageChannel two = handed.nextLive(l);
                assertNotSame(one, two, "a fresh channel for the new connection");
                two.send(load("AfterRestart"));
                assertEquals(load("AfterRestart"), l[0].next(10));
                assertEquals(0, client.attempts(), "the counter resets on the first frame");
                assertEquals(List.of(true, false, true), changes);
            } finally {
                client.close();
                second.close();
            }
            long handedOut = client.connections();
            assertTrue(client.awaitTermination(Duration.ofSeconds(10)), "the client's thread ends after close");
            assertEquals(handedOut, client.connections(), "no attempts after close");
            assertNotNull(one);
        }
    }

    @Test
    void closingWhileAnAttemptIsPendingCancelsIt() throws Exception {
        SyncWebSocketServer gone = echoServer(0);
        String url = gone.url();
        gone.close(); // nothing listens there any more: every attempt fails
        BlockingQueue<MessageChannel> handed = new LinkedBlockingQueue<>();
        Backoff slow = new Backoff(Duration.ofSeconds(5), Duration.ofSeconds(5), 1.0, 0.0);
        ReconnectingClient client = ReconnectingClient.builder(url).backoff(slow).onChannel(handed::add).start();
        try {
            assertNotNull(handed.poll(10, TimeUnit.SECONDS), "the first attempt");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (client.attempts() < 1 && System.nanoTime() < deadline) Thread.sleep(5);
            assertEquals(1, client.attempts(), "the first attempt failed; the next one waits 5 s");
        } finally {
            client.close();
        }
        // Once the client's thread is done, a pending attempt would have run: there is none.
        assertTrue(client.awaitTermination(Duration.ofSeconds(10)), "the client's thread ends after close");
        assertEquals(1, client.connections(), "no attempt after close");
        assertTrue(handed.isEmpty());
    }

    @Test
    void closingTheChannelFromTheProtocolSideAlsoReconnects() throws Exception {
        try (SyncWebSocketServer server = echoServer(0)) {
            Channels handed = new Channels();
            Backoff fast = new Backoff(Duration.ofMillis(20), Duration.ofMillis(100), 2.0, 0.0);
            try (ReconnectingClient client = ReconnectingClient.builder(server.url()).backoff(fast).onChannel(handed::accept).start()) {
                TestListener[] l = new TestListener[1];
                MessageChannel one = handed.nextLive(l);
                one.close();
                MessageChannel two = handed.nextLive(l);
                assertNotSame(one, two);
                assertEquals(2, client.connections());
            }
        }
    }
}
