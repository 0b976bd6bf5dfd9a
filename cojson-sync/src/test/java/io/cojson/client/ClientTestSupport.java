package io.cojson.client;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

final class ClientTestSupport {
    private ClientTestSupport() {}

    /** Polls {@code condition} until it holds, failing with {@code what} after {@code timeout}. */
    static void eventually(Duration timeout, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("not within " + timeout.toMillis() + " ms: " + what);
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    static <T> T get(java.util.concurrent.CompletableFuture<T> f) throws Exception {
        return f.get(30, TimeUnit.SECONDS);
    }
}
