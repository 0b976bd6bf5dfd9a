package io.cojson.sync.internal.support;

import io.cojson.storage.FatalErrors;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on a backing executor. Every piece of sync state
 * is touched only from such an executor, so "check then update" decisions never race (RL-15).
 * A task that throws is logged and does not stop the ones after it.
 */
public final class SerialExecutor implements Executor {
    private static final Logger LOG = LoggerFactory.getLogger(SerialExecutor.class);
    /** Yield the backing thread after this many tasks so that serial executors sharing a pool take turns. */
    private static final int BATCH = 256;
    /** Threads that stay idle this long end: after the last client closed, no cojson thread lingers. */
    public static final long IDLE_SECONDS = 5;
    private static final ExecutorService SHARED = new java.util.concurrent.ThreadPoolExecutor(0, Integer.MAX_VALUE, IDLE_SECONDS,
            java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.SynchronousQueue<>(), daemonThreads("cojson-serial"));

    /** A scheduled pool of daemon threads whose threads end after {@link #IDLE_SECONDS} without work. */
    public static java.util.concurrent.ScheduledThreadPoolExecutor idleEndingScheduler(int threads, String name) {
        java.util.concurrent.ScheduledThreadPoolExecutor pool = new java.util.concurrent.ScheduledThreadPoolExecutor(threads, daemonThreads(name));
        pool.setKeepAliveTime(IDLE_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
        pool.allowCoreThreadTimeOut(true); // a queued delayed task keeps one thread (ThreadPoolExecutor's rule)
        pool.setRemoveOnCancelPolicy(true);
        return pool;
    }

    private final Executor backing;
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    private boolean scheduled;
    /** The thread running this executor's tasks right now, if any. */
    private volatile Thread runner;

    public SerialExecutor(Executor backing) {
        this.backing = backing;
    }

    /** A serial executor on a shared pool of daemon threads. */
    public static SerialExecutor onSharedPool() {
        return new SerialExecutor(SHARED);
    }

    @Override
    public void execute(Runnable task) {
        if (enqueue(task)) submitDrain();
    }

    /** Queues {@code task}; answers whether the caller must now start the draining (nothing runs yet). */
    private boolean enqueue(Runnable task) {
        synchronized (queue) {
            queue.add(task);
            if (scheduled) return false;
            scheduled = true;
            return true;
        }
    }

    /**
     * Runs {@code task} on the calling thread when this executor is idle, else queues it as
     * {@link #execute} does. The caller then also runs what others queue meanwhile (up to a batch,
     * then the rest goes to the backing executor), so tasks still run one at a time and in order.
     * For a transport thread delivering a received message: it saves two thread hand-offs per
     * message, and the transport reads no further until the message is handled (backpressure).
     * The caller must hold no lock that a task may take.
     */
    public void executeHere(Runnable task) {
        if (enqueue(task)) drain();
    }

    private void submitDrain() {
        try {
            backing.execute(this::drain);
        } catch (RejectedExecutionException e) { // the backing executor was shut down: the owner closed
            synchronized (queue) {
                queue.clear();
                scheduled = false;
            }
        }
    }

    /** Whether the calling thread is running one of this executor's tasks (it must then never wait for a later one). */
    public boolean inExecutor() {
        return runner == Thread.currentThread();
    }

    private void drain() {
        runner = Thread.currentThread(); // cleared before another thread may start draining
        for (int i = 0; i < BATCH; i++) {
            Runnable next;
            synchronized (queue) {
                next = queue.poll();
                if (next == null) {
                    runner = null;
                    scheduled = false;
                    return;
                }
            }
            try {
                next.run();
            } catch (RuntimeException | Error e) { // a failing task must not wedge the queue
                LOG.error("sync task failed", e);
                FatalErrors.report(e);
            }
        }
        runner = null;
        submitDrain(); // more queued: give other users of the pool a turn first
    }

    public static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
