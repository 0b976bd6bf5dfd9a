package io.cojson.client.internal;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the application's listeners run: the executor it chose, or one daemon thread of the
 * client's own (listeners in order, one at a time). Sync and storage threads only hand work over,
 * so a listener that blocks delays other listeners, never syncing.
 */
public final class Listeners {
    private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);
    private final Executor executor;
    private final ExecutorService own; // null when the application supplied the executor

    public Listeners(Executor supplied, String clientName) {
        this.own = supplied == null ? Executors.newSingleThreadExecutor(Threads.daemon("cojson-client-listeners-" + clientName)) : null;
        this.executor = supplied != null ? supplied : own;
    }

    /** Runs {@code listener} on the listener executor; a failure is logged, never thrown into sync. */
    public void run(Runnable listener) {
        try {
            executor.execute(() -> {
                try {
                    listener.run();
                } catch (RuntimeException e) {
                    LOG.warn("a listener failed", e);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("listener dropped: its executor is shut down");
        }
    }

    /**
     * A trigger for {@code listener} that coalesces: while a call is queued, further changes do not
     * queue more (the listener reads the current state when it runs).
     */
    public Runnable coalescing(Runnable listener) {
        AtomicBoolean queued = new AtomicBoolean();
        return () -> {
            if (queued.compareAndSet(false, true)) {
                run(() -> {
                    queued.set(false);
                    listener.run();
                });
            }
        };
    }

    /** Stops the client's own listener thread (bounded); an application's executor is left alone. */
    public void close(Duration budget) {
        if (own != null) Threads.stop(own, budget);
    }
}
