package io.cojson.sync;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Settings of a {@link SyncManager}. Start from {@link #defaults()} and use the withers.
 *
 * @param executor        where sync work runs, one task at a time (null: a dedicated daemon thread);
 *                        tests pass a manually stepped executor for deterministic runs
 * @param scheduler       timers for load timeouts and local batching (null: a shared daemon timer)
 * @param storage         persistent storage, or null for a purely in-memory node
 * @param loadTimeout     how long a load waits for peers before the CoValue counts as unavailable
 *                        (the reference's 60 s, refreshed by every content piece)
 * @param localBatchDelay local writes are sent once they paused this long (at most 50 ms after the
 *                        first), so that a burst goes out as a few content messages (the reference
 *                        batches one microtask); zero sends on the next turn of the sync executor
 * @param stickyErrors    the reference's rule: after invalid content, ignore that CoValue for that
 *                        peer while it stays in memory. Off by default: only the offending session
 *                        is rejected and later valid content is applied (reliability.md RL-02,
 *                        recovery.md §4.1)
 */
public record SyncOptions(Executor executor, ScheduledExecutorService scheduler, SyncStorage storage,
        Duration loadTimeout, Duration localBatchDelay, boolean stickyErrors) {

    public static SyncOptions defaults() {
        return new SyncOptions(null, null, null, Duration.ofSeconds(60), Duration.ofMillis(2), false);
    }

    public SyncOptions withExecutor(Executor e) {
        return new SyncOptions(e, scheduler, storage, loadTimeout, localBatchDelay, stickyErrors);
    }

    public SyncOptions withScheduler(ScheduledExecutorService s) {
        return new SyncOptions(executor, s, storage, loadTimeout, localBatchDelay, stickyErrors);
    }

    public SyncOptions withStorage(SyncStorage s) {
        return new SyncOptions(executor, scheduler, s, loadTimeout, localBatchDelay, stickyErrors);
    }

    public SyncOptions withLoadTimeout(Duration d) {
        return new SyncOptions(executor, scheduler, storage, d, localBatchDelay, stickyErrors);
    }

    public SyncOptions withLocalBatchDelay(Duration d) {
        return new SyncOptions(executor, scheduler, storage, loadTimeout, d, stickyErrors);
    }

    public SyncOptions withStickyErrors(boolean sticky) {
        return new SyncOptions(executor, scheduler, storage, loadTimeout, localBatchDelay, sticky);
    }
}
