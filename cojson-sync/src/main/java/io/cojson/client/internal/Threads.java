package io.cojson.client.internal;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Daemon threads named after their client, and bounded shutdowns: nothing a client starts keeps a JVM alive. */
public final class Threads {
    private Threads() {}

    public static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, n.getAndIncrement() == 0 ? name : name + "-" + n.get());
            t.setDaemon(true);
            return t;
        };
    }

    /** Shuts {@code e} down and waits at most {@code budget}, then interrupts what still runs; true if it ended. */
    public static boolean stop(ExecutorService e, Duration budget) {
        e.shutdown();
        try {
            if (e.awaitTermination(budget.toMillis(), TimeUnit.MILLISECONDS)) return true;
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
        e.shutdownNow();
        return false;
    }

    /**
     * Runs {@code step} on a daemon thread of its own and waits at most {@code budget} for it: a
     * close step that blocks without a bound of its own cannot hold up the rest of the close.
     * Returns whether it finished; a failure is rethrown.
     */
    public static boolean bounded(String name, Duration budget, Runnable step) {
        RuntimeException[] failure = new RuntimeException[1];
        Thread t = daemon(name).newThread(() -> {
            try {
                step.run();
            } catch (RuntimeException e) {
                failure[0] = e;
            }
        });
        t.start();
        try {
            t.join(Math.max(1, budget.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (t.isAlive()) return false;
        if (failure[0] != null) throw failure[0];
        return true;
    }
}
