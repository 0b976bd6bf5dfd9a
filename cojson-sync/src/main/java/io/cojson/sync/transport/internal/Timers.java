package io.cojson.sync.transport.internal;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Delayed tasks for the transport (send-queue polling, ping deadlines, server pings). Tasks must
 * be short and non-blocking; tests substitute a manual implementation to step time.
 */
public interface Timers {
    /** Runs {@code task} after {@code delayMillis}; the returned handle cancels it. */
    Cancellable schedule(Runnable task, long delayMillis);

    /** The clock the delays are measured on ({@link System#nanoTime}); a manual one in tests. */
    default long nanoTime() {
        return System.nanoTime();
    }

    /** Handle of a scheduled task. */
    interface Cancellable {
        void cancel();
    }

    /** One process-wide pool of two daemon threads, so idle channels cost no threads; they end when idle. */
    static Timers shared() {
        return Shared.INSTANCE;
    }

    /** Holder for the lazily created shared pool. */
    final class Shared implements Timers {
        static final Shared INSTANCE = new Shared();
        private final ScheduledThreadPoolExecutor pool;

        private Shared() {
            pool = io.cojson.sync.internal.support.SerialExecutor.idleEndingScheduler(2, "cojson-transport-timer");
        }

        @Override
        public Cancellable schedule(Runnable task, long delayMillis) {
            ScheduledFuture<?> f = pool.schedule(() -> {
                try {
                    task.run();
                } catch (RuntimeException | Error e) {
                    // A scheduled future would swallow it silently.
                    org.slf4j.LoggerFactory.getLogger(Timers.class).error("transport timer task failed", e);
                    io.cojson.storage.FatalErrors.report(e);
                }
            }, Math.max(0, delayMillis), TimeUnit.MILLISECONDS);
            return () -> f.cancel(false);
        }
    }
}
