package io.cojson.sync.transport;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Collects what a channel delivers; every wait is bounded. */
final class TestListener implements MessageChannel.Listener {
    final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    final CountDownLatch closed = new CountDownLatch(1);
    volatile String closeReason;

    @Override
    public void onMessage(String messageJson) {
        messages.add(messageJson);
    }

    @Override
    public void onClosed(String reason) {
        closeReason = reason;
        closed.countDown();
    }

    String next(long seconds) throws InterruptedException {
        String m = messages.poll(seconds, TimeUnit.SECONDS);
        assertNotNull(m, "no message within " + seconds + " s");
        return m;
    }

    boolean awaitClosed(long seconds) throws InterruptedException {
        return closed.await(seconds, TimeUnit.SECONDS);
    }

    static String load(String tag) {
        return "{\"action\":\"load\",\"id\":\"co_z" + tag + "\",\"header\":false,\"sessions\":{}}";
    }
}
