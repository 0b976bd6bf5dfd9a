package io.cojson.sync.transport.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Server-wide memory budget for incoming messages, counted in characters of message text (about
 * bytes for sync JSON): what the transport holds while a message is assembled from its frames, and
 * what the sync layer holds until it has handled the message. A connection is charged for each
 * piece it received and reads no further while the budget is spent (the socket is not read, so
 * TCP pushes back on the client); it goes on once handled messages give their share back.
 *
 * <p>Half-received messages could hold the whole budget against each other, none able to finish.
 * So one connection in the middle of a message, the leader, may read on past the limit by up to
 * one more message ({@code leaderAllowance}); the others wait until it finished its message.
 *
 * <p>Thread-safe. Waiters are resumed outside the lock, in the order they began to wait.
 */
public final class IncomingBudget {
    private final long limit;
    private final long leaderAllowance;
    private Object leader;
    private long used;
    private long peak;
    private final Set<Runnable> waiters = new LinkedHashSet<>();

    /** {@code limit} characters; zero or less: no limit (only counted). */
    public IncomingBudget(long limit) {
        this(limit, limit);
    }

    /** As above; the leader may read on up to {@code limit + leaderAllowance}. */
    public IncomingBudget(long limit, long leaderAllowance) {
        this.limit = limit;
        this.leaderAllowance = Math.max(0, leaderAllowance);
    }

    public long limit() {
        return limit;
    }

    /** Characters currently held. */
    public synchronized long used() {
        return used;
    }

    /** The most characters ever held at once. */
    public synchronized long peak() {
        return peak;
    }

    /** Counts {@code chars} more as held (the memory is already taken; this never refuses). */
    public synchronized void charge(long chars) {
        used += chars;
        peak = Math.max(peak, used);
    }

    /** Whether another piece may be read now. */
    public synchronized boolean hasRoom() {
        return limit <= 0 || used < limit;
    }

    /**
     * True when {@code reader} may read its next piece now; otherwise registers {@code resume} to
     * run once that may have changed (once per registration; {@link #cancel} takes it back) and
     * answers false. A reader {@code midMessage} may become (or stay) the leader.
     */
    public synchronized boolean hasRoomElseWait(Object reader, boolean midMessage, Runnable resume) {
        if (limit <= 0 || used < limit) return true;
        if (midMessage && (leader == null || leader == reader) && used < limit + leaderAllowance) {
            leader = reader;
            return true;
        }
        waiters.add(resume);
        return false;
    }

    /** {@code reader} finished (or dropped) its message: if it led, another may lead now. */
    public void messageEnded(Object reader) {
        List<Runnable> ready;
        synchronized (this) {
            if (leader != reader) return;
            leader = null;
            if (waiters.isEmpty()) return;
            ready = new ArrayList<>(waiters);
            waiters.clear();
        }
        for (Runnable r : ready) r.run();
    }

    public synchronized void cancel(Runnable resume) {
        waiters.remove(resume);
    }

    /** Gives back {@code chars}, resuming waiters while there is room. */
    public void release(long chars) {
        List<Runnable> ready;
        synchronized (this) {
            used = Math.max(0, used - chars);
            // a leader waits for less than the limit plus its allowance, so every release below that wakes
            if (waiters.isEmpty() || (limit > 0 && used >= limit + leaderAllowance)) return;
            ready = new ArrayList<>(waiters);
            waiters.clear();
        }
        for (Runnable r : ready) r.run(); // each resumed reader charges again and may wait again
    }

    /**
     * The charge of one received text message, given back when the frame's handling and every
     * message taken from it are done ({@link #handled()} hands out one idempotent completion per
     * message).
     */
    public static final class Lease {
        private final AtomicInteger open = new AtomicInteger(1);
        private final long chars;
        private final Runnable onRelease;

        /** {@code onRelease} gives the {@code chars} back, once. */
        public Lease(long chars, Runnable onRelease) {
            this.chars = chars;
            this.onRelease = onRelease;
        }

        public long chars() {
            return chars;
        }

        /** One more message of this frame is in flight; run the result once it is handled. */
        public Runnable handled() {
            open.incrementAndGet();
            AtomicBoolean once = new AtomicBoolean();
            return () -> {
                if (once.compareAndSet(false, true)) done();
            };
        }

        /** The frame itself was looked at (its messages, if any, hold their own share). */
        public void frameDone() {
            done();
        }

        private void done() {
            if (open.decrementAndGet() == 0) onRelease.run();
        }
    }
}
