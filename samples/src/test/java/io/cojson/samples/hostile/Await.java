package io.cojson.samples.hostile;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** The hostile-client tests' bounded wait: polls {@code done} for up to 60 s, then fails naming what it waited for. */
final class Await {
    private Await() {}

    static void await(String what, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) fail("timed out waiting: " + what);
            Thread.sleep(10);
        }
    }
}
