package io.cojson.sync;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A virtual clock and the one executor of a deterministic run (reliability.md §2.3): nothing runs
 * until the test steps it, on the test's thread; tasks run in due time, then submission order;
 * time moves only by {@link #advance}. Every sync manager and recovery coordinator of a simulated
 * world shares it, so a schedule runs the same way every time. A task that throws is kept (a
 * safety invariant: none may) instead of being lost on a worker thread.
 *
 * <p>Each simulated process submits through its own {@link #owned} view, so that the scheduler
 * knows whose code is running ({@link #running}) and can {@link #kill} a process in the middle of
 * a task: its queued and future tasks never run. (The task that was running finishes as a zombie
 * whose effects nobody sees: the test closes the process's connections and freezes its disk at
 * the moment of death. Throwing instead would not stop it: the sync executor catches errors.)
 */
final class SimScheduler extends AbstractExecutorService implements io.cojson.sync.recovery.RecoveryCoordinator.SteppedWorker {
    private final PriorityQueue<Task> queue = new PriorityQueue<>((a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
    private final List<Throwable> failures = new ArrayList<>();
    private long now;
    private long seq;
    private boolean shutdown;
    /** The owner of the task running now (innermost, when a task steps others); null between tasks. */
    private Object running;
    private final Set<Object> dead = new HashSet<>();

    /** An executor view whose tasks belong to {@code owner}; the clock and queue are this scheduler's. */
    Owned owned(Object owner) {
        return new Owned(owner);
    }

    /** The owner of the running task, or null. */
    Object running() {
        return running;
    }

    /** {@code owner}'s waiting tasks and everything it submits later are dropped, never run. */
    void kill(Object owner) {
        dead.add(owner);
    }

    /** Virtual milliseconds since the start. */
    long now() {
        return now;
    }

    List<Throwable> failures() {
        return failures;
    }

    /** Runs every task due now, and those they submit for now, up to {@code max}; returns how many ran. */
    int runReady(int max) {
        int n = 0;
        while (n < max) {
            Task t = queue.peek();
            if (t == null || t.at > now) break;
            queue.poll();
            run(t);
            n++;
        }
        return n;
    }

    @Override
    public boolean runOneDueTask() {
        Task t = queue.peek();
        if (t == null || t.at > now) return false;
        queue.poll();
        run(t);
        return true;
    }

    /** Moves the clock {@code millis} forward, running what falls due in time order (bounded by {@code max} tasks). */
    int advance(long millis, int max) {
        long target = now + millis;
        int n = runReady(max);
        while (n < max) {
            Task t = queue.peek();
            if (t == null || t.at > target) break;
            now = Math.max(now, t.at);
            n += runReady(max - n);
        }
        now = target;
        return n + runReady(max - n);
    }

    /** Whether any task is waiting, due or not. */
    boolean hasTasks() {
        for (Task t : queue) if (!t.cancelled) return true;
        return false;
    }

    private void run(Task t) {
        if (t.cancelled || dead.contains(t.owner)) {
            t.done = true;
            return;
        }
        Object outer = running;
        running = t.owner;
        try {
            t.body.run();
        } catch (RuntimeException | AssertionError e) {
            failures.add(e);
        } finally {
            running = outer;
        }
        if (t.period > 0 && !t.cancelled && !dead.contains(t.owner)) {
            t.at = now + t.period;
            t.seq = seq++;
            queue.add(t);
        } else {
            t.done = true;
        }
    }

    private Task add(Object owner, Runnable body, long delayMillis, long period) {
        Task t = new Task(owner, body, now + Math.max(0, delayMillis), seq++, period);
        if (!dead.contains(owner)) queue.add(t);
        else t.done = true;
        return t;
    }

    @Override
    public void execute(Runnable command) {
        add(this, command, 0, 0);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return add(this, command, unit.toMillis(delay), 0);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException("not used by sync or recovery");
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        return add(this, command, unit.toMillis(initialDelay), Math.max(1, unit.toMillis(period)));
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        return add(this, command, unit.toMillis(initialDelay), Math.max(1, unit.toMillis(delay)));
    }

    /** The executor, scheduler and recovery worker of one simulated process. */
    final class Owned extends AbstractExecutorService implements io.cojson.sync.recovery.RecoveryCoordinator.SteppedWorker {
        final Object owner;

        Owned(Object owner) {
            this.owner = owner;
        }

        @Override
        public boolean runOneDueTask() {
            return SimScheduler.this.runOneDueTask();
        }

        @Override
        public void execute(Runnable command) {
            add(owner, command, 0, 0);
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            return add(owner, command, unit.toMillis(delay), 0);
        }

        @Override
        public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
            throw new UnsupportedOperationException("not used by sync or recovery");
        }

        @Override
        public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
            return add(owner, command, unit.toMillis(initialDelay), Math.max(1, unit.toMillis(period)));
        }

        @Override
        public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
            return add(owner, command, unit.toMillis(initialDelay), Math.max(1, unit.toMillis(delay)));
        }

        @Override
        public void shutdown() {}

        @Override
        public List<Runnable> shutdownNow() {
            return List.of();
        }

        @Override
        public boolean isShutdown() {
            return false;
        }

        @Override
        public boolean isTerminated() {
            return false;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return true;
        }
    }

    @Override
    public void shutdown() {
        shutdown = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown = true;
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return true;
    }

    private final class Task implements ScheduledFuture<Object> {
        final Object owner;
        final Runnable body;
        final long period;
        long at;
        long seq;
        boolean cancelled;
        boolean done;

        Task(Object owner, Runnable body, long at, long seq, long period) {
            this.owner = owner;
            this.body = body;
            this.at = at;
            this.seq = seq;
            this.period = period;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(at - now, TimeUnit.MILLISECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            return Long.compare(getDelay(TimeUnit.MILLISECONDS), o.getDelay(TimeUnit.MILLISECONDS));
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            if (done) return false;
            cancelled = true;
            return true;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean isDone() {
            return done || cancelled;
        }

        @Override
        public Object get() {
            throw new UnsupportedOperationException("a deterministic run never blocks on a task");
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            throw new UnsupportedOperationException("a deterministic run never blocks on a task");
        }
    }
}
