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
 * @param mismatchReports how many {@code SignatureMismatch} reports this node sends to one client
 *                        connection (recovery.md §4.1 step 5): each carries a whole session, so
 *                        the rate is bounded against amplification; excess reports are dropped
 *                        and counted, and the fork is reported again when the client pushes it next
 * @param persistBeforeSend with storage: content is sent to peers only as far as storage has
 *                        committed it, closing the window in which a crash after sending forks
 *                        the session (recovery.md §13). Off by default, as in the reference; the
 *                        default is read from {@link RecoverySwitches#persistBeforeSend()}
 * @param incomingQueueLimit per client peer: how many of its messages may wait to be handled; the
 *                        transport then stops reading from it until there is room (backpressure,
 *                        nothing dropped, reliability.md RL-17). 0: no limit. Default 1,000. Not
 *                        applied with a caller's {@link #executor}, which may run on the delivering thread
 */
public record SyncOptions(Executor executor, ScheduledExecutorService scheduler, SyncStorage storage,
        Duration loadTimeout, Duration localBatchDelay, boolean stickyErrors, RateLimit mismatchReports,
        boolean persistBeforeSend, int incomingQueueLimit) {

    /** A token bucket: {@code burst} at once, refilled at {@code perSecond}. */
    public record RateLimit(int burst, double perSecond) {
        public RateLimit {
            if (burst < 0 || !(perSecond >= 0)) throw new IllegalArgumentException("invalid rate limit " + burst + ", " + perSecond);
        }
    }

    public SyncOptions {
        if (incomingQueueLimit < 0) throw new IllegalArgumentException("negative incoming queue limit " + incomingQueueLimit);
    }

    /** Default {@link #incomingQueueLimit}. */
    public static final int DEFAULT_INCOMING_QUEUE_LIMIT = 1000;

    /** Default {@link #mismatchReports}: 5 at once, then 2 sessions per second per connection. */
    public static final RateLimit DEFAULT_MISMATCH_REPORTS = new RateLimit(5, 2.0);

    public static SyncOptions defaults() {
        return new SyncOptions(null, null, null, Duration.ofSeconds(60), Duration.ofMillis(2), false, DEFAULT_MISMATCH_REPORTS,
                RecoverySwitches.persistBeforeSend(), DEFAULT_INCOMING_QUEUE_LIMIT);
    }

    public SyncOptions withExecutor(Executor e) {
        return new SyncOptions(e, scheduler, storage, loadTimeout, localBatchDelay, stickyErrors, mismatchReports, persistBeforeSend, incomingQueueLimit);
    }

    public SyncOptions withScheduler(ScheduledExecutorService s) {
        return new SyncOptions(executor, s, storage, loadTimeout, localBatchDelay, stickyErrors, mismatchReports, persistBeforeSend, incomingQueueLimit);
    }

    public SyncOptions withStorage(SyncStorage s) {
        return new SyncOptions(executor, scheduler, s, loadTimeout, localBatchDelay, stickyErrors, mismatchReports, persistBeforeSend, incomingQueueLimit);
    }

    public SyncOptions withLoadTimeout(Duration d) {
        return new SyncOptions(executor, scheduler, storage, d, localBatchDelay, stickyErrors, mismatchReports, persistBeforeSend, incomingQueueLimit);
    }

    public SyncOptions withLocalBatchDelay(Duration d) {
        return new SyncOptions(executor, scheduler, storage, loadTimeout, d, stickyErrors, mismatchReports, persistBeforeSend, incomingQueueLimit);
    }

    public SyncOptions withStickyErrors(boolean sticky) {
        return new SyncOptions(executor, scheduler, storage, loadTimeout, localBatchDelay, sticky, mismatchReports, persistBeforeSend, incomingQueueLimit);
    }

    public SyncOptions withMismatchReports(RateLimit limit) {
        return new SyncOptions(executor, scheduler, storage, loadTimeout, localBatchDelay, stickyErrors, java.util.Objects.requireNonNull(limit), persistBeforeSend, incomingQueueLimit);
    }

    public SyncOptions withPersistBeforeSend(boolean on) {
        return new SyncOptions(executor, scheduler, storage, loadTimeout, localBatchDelay, stickyErrors, mismatchReports, on, incomingQueueLimit);
    }

    public SyncOptions withIncomingQueueLimit(int limit) {
        return new SyncOptions(executor, scheduler, storage, loadTimeout, localBatchDelay, stickyErrors, mismatchReports, persistBeforeSend, limit);
    }
}
