package io.cojson.storage.engine.internal;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.internal.Compat;
import io.cojson.core.node.ContentPiece;
import io.cojson.storage.engine.CloseReport;
import io.cojson.storage.StorageClosedException;
import io.cojson.storage.StorageInterruptedException;
import io.cojson.storage.StorageRejectedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The asynchronous storage's single ordered queue: a bounded FIFO (writers block when it is full,
 * or fail after the configured wait), drained by one writer thread. Consecutive ordinary writes are
 * committed together (group commit); recovery units and erases run in a transaction of their own.
 * Every entry's future completes only after the commit that contains it, on a separate callback
 * thread (so callbacks never stall the writer), in queue order.
 */
public final class WriteQueue {
    private enum Kind { OP, FLUSH, ERASE_ALL }

    private record Entry(Kind kind, Op op, CompletableFuture<Object> future) {}

    private final Engine engine;
    private final ArrayBlockingQueue<Entry> queue;
    private final int maxBatch;
    private final Duration enqueueTimeout;
    private final Thread writer;
    private final ExecutorService callbacks;
    private volatile boolean closing;
    private volatile boolean abandon;
    private int flushedWhileClosing;
    private int dropped;
    private final Set<String> atRisk = new LinkedHashSet<>();
    private CloseReport closeReport;

    public WriteQueue(Engine engine, int capacity, int maxBatch, Duration enqueueTimeout) {
        this.engine = engine;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.maxBatch = maxBatch;
        this.enqueueTimeout = enqueueTimeout;
        String name = "cojson-storage-" + engine.dir().getFileName();
        this.callbacks = Executors.newSingleThreadExecutor(r -> daemon(r, name + "-callbacks"));
        engine.completeWaitersOn(callbacks);
        this.writer = daemon(this::run, name + "-writer");
        writer.start();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @SuppressWarnings("unchecked")
    public <T> CompletableFuture<T> submit(Op op) {
        return (CompletableFuture<T>) enqueue(new Entry(Kind.OP, op, new CompletableFuture<>()));
    }

    public CompletableFuture<Void> flush() {
        return enqueue(new Entry(Kind.FLUSH, null, new CompletableFuture<>())).thenApply(x -> null);
    }

    public CompletableFuture<Integer> eraseAll() {
        return enqueue(new Entry(Kind.ERASE_ALL, null, new CompletableFuture<>())).thenApply(x -> (Integer) x);
    }

    private CompletableFuture<Object> enqueue(Entry e) {
        if (closing) return Compat.failedFuture(new StorageClosedException(engine.dir(), "storage is closing", null));
        try {
            if (enqueueTimeout == null) {
                queue.put(e);
            } else if (!queue.offer(e, enqueueTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
                return Compat.failedFuture(new StorageRejectedException(engine.dir(),
                        "write queue full for " + enqueueTimeout.toMillis() + " ms", null));
            }
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            return Compat.failedFuture(new StorageInterruptedException(engine.dir(), "interrupted while waiting for queue space", ie));
        }
        if (!writer.isAlive() && queue.remove(e)) { // raced a close that already finished draining
            e.future.completeExceptionally(new StorageClosedException(engine.dir(), "storage is closed", null));
        }
        return e.future;
    }

    private void run() {
        while (true) {
            Entry e;
            try {
                e = queue.poll(20, TimeUnit.MILLISECONDS);
            } catch (InterruptedException ie) {
                continue; // only close stops the writer
            }
            if (e == null) {
                if (closing) break;
                continue;
            }
            if (abandon) {
                drop(e);
                continue;
            }
            try {
                FaultPoints.hit(FaultPoints.QUEUE_BEFORE_ENTRY);
                process(e);
            } catch (RuntimeException ex) {
                io.cojson.storage.FatalErrors.report(ex); // an out-of-memory wrapped by the engine
                fail(List.of(e), ex);
            }
        }
        for (Entry left; (left = queue.poll()) != null;) drop(left);
    }

    private void process(Entry e) {
        switch (e.kind) {
            case FLUSH:
                complete(List.of(e), java.util.Collections.singletonList(null));
                return;
            case ERASE_ALL:
                int n = 0;
                for (RawCoID id : engine.deletedPendingErase()) {
                    if ((Boolean) engine.commit(List.of(new Op.Erase(id))).get(0)) n++;
                }
                complete(List.of(e), List.of(n));
                return;
            default:
                List<Entry> batch = new ArrayList<>();
                batch.add(e);
                while (!e.op.exclusive() && batch.size() < maxBatch && !abandon) {
                    Entry next = queue.peek();
                    if (next == null || next.kind != Kind.OP || next.op.exclusive()) break;
                    queue.poll();
                    FaultPoints.hit(FaultPoints.QUEUE_BEFORE_ENTRY);
                    batch.add(next);
                }
                commit(batch);
        }
    }

    private void commit(List<Entry> batch) {
        List<Op> ops = new ArrayList<>(batch.size());
        for (Entry b : batch) ops.add(b.op);
        try {
            complete(batch, engine.commit(ops));
        } catch (RuntimeException ex) {
            io.cojson.storage.FatalErrors.report(ex);
            if (batch.size() == 1) {
                fail(batch, ex);
                return;
            }
            for (Entry b : batch) { // find the failing entry; the others commit on their own
                try {
                    complete(List.of(b), engine.commit(List.of(b.op)));
                } catch (RuntimeException single) {
                    fail(List.of(b), single);
                }
            }
        }
    }

    private void complete(List<Entry> entries, List<Object> results) {
        if (closing) flushedWhileClosing += entries.size();
        callbacks.execute(() -> {
            for (int i = 0; i < entries.size(); i++) entries.get(i).future.complete(results.get(i));
        });
    }

    private void fail(List<Entry> entries, RuntimeException ex) {
        for (Entry e : entries) if (e.op != null) engine.failWaiters(e.op.id(), ex);
        callbacks.execute(() -> entries.forEach(e -> e.future.completeExceptionally(ex)));
    }

    private void drop(Entry e) {
        dropped++;
        if (e.op instanceof Op.Store s) {
            for (ContentPiece.SessionPiece p : s.piece().sessions()) atRisk.add(s.id().value() + " " + p.sessionID().value());
        } else if (e.op instanceof Op.Replace r) {
            atRisk.add(r.id().value() + " " + r.replacement().session().value());
        }
        StorageClosedException ex = new StorageClosedException(engine.dir(), "storage closed before this write ran; it was not persisted", null);
        if (e.op != null) engine.failWaiters(e.op.id(), ex);
        callbacks.execute(() -> e.future.completeExceptionally(ex));
    }

    /**
     * Stops accepting writes and lets the writer commit what is queued within {@code budget}; what
     * is left then fails (never reported persisted) and its sessions are recorded as at risk. A unit
     * already running always finishes (or is rolled back), never half.
     */
    public synchronized CloseReport close(Duration budget) {
        if (closeReport != null) return closeReport;
        closing = true;
        try {
            writer.join(Math.max(1, budget.toMillis()));
            if (writer.isAlive()) {
                abandon = true;
                writer.join();
            }
        } catch (InterruptedException ie) {
            abandon = true;
            Thread.currentThread().interrupt();
            try {
                writer.join();
            } catch (InterruptedException again) {
                Thread.currentThread().interrupt();
            }
        }
        for (Entry left; (left = queue.poll()) != null;) drop(left);
        try {
            if (!atRisk.isEmpty()) engine.writeAtRisk(atRisk);
        } finally {
            engine.close();
            callbacks.shutdown();
            try {
                callbacks.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
        }
        closeReport = new CloseReport(flushedWhileClosing, dropped, atRisk);
        return closeReport;
    }
}
