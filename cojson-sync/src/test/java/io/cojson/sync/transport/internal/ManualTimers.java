package io.cojson.sync.transport.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Timers and a clock that move only when the test says so. */
final class ManualTimers implements Timers {
    private record Entry(Runnable task, long dueNanos, long seq) {}

    private final List<Entry> scheduled = new ArrayList<>();
    private long now;
    private long seq;

    @Override
    public synchronized Cancellable schedule(Runnable task, long delayMillis) {
        Entry e = new Entry(task, now + TimeUnit.MILLISECONDS.toNanos(Math.max(0, delayMillis)), seq++);
        scheduled.add(e);
        return () -> {
            synchronized (this) {
                scheduled.remove(e);
            }
        };
    }

    @Override
    public synchronized long nanoTime() {
        return now;
    }

    /** Tasks scheduled and not yet run or cancelled. */
    synchronized int pending() {
        return scheduled.size();
    }

    /** Runs what is scheduled now, whatever its delay (tasks scheduled meanwhile wait for the next call). */
    void runDue() {
        List<Entry> batch;
        synchronized (this) {
            batch = new ArrayList<>(scheduled);
            scheduled.clear();
        }
        batch.forEach(e -> e.task.run());
    }

    /**
     * Moves the clock forward by {@code millis}, running each task when its time comes (in time
     * order, the clock set to its due time); tasks they schedule within the step run too.
     */
    void advance(long millis) {
        long target;
        synchronized (this) {
            target = now + TimeUnit.MILLISECONDS.toNanos(millis);
        }
        for (int ran = 0; ; ran++) {
            if (ran > 10_000) throw new AssertionError("timers keep rescheduling themselves without time passing");
            Entry next;
            synchronized (this) {
                next = scheduled.stream().filter(e -> e.dueNanos <= target)
                        .min(Comparator.comparingLong(Entry::dueNanos).thenComparingLong(Entry::seq)).orElse(null);
                if (next == null) {
                    now = target;
                    return;
                }
                scheduled.remove(next);
                now = Math.max(now, next.dueNanos);
            }
            next.task.run();
        }
    }
}
