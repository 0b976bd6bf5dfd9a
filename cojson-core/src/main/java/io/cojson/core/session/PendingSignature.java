package io.cojson.core.session;

import io.cojson.core.crypto.CryptoException;
import io.cojson.core.crypto.CryptoProvider;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * The Ed25519 signature of one local transaction's hash, made by whichever thread gets to it
 * first: the {@link BackgroundSigner}, or the first reader that needs it ({@link #get()} signs
 * itself when nobody started yet, so a reader never waits for a queue). Thread-safe.
 */
final class PendingSignature {
    /** Bound on waiting for a signature another thread is computing (it takes microseconds). */
    private static final long WAIT_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(30);
    /** A field updater rather than a VarHandle: Android has VarHandle only from API level 33. */
    private static final AtomicIntegerFieldUpdater<PendingSignature> CLAIMED =
            AtomicIntegerFieldUpdater.newUpdater(PendingSignature.class, "claimed");

    private final CryptoProvider provider;
    private final byte[] seed;
    private final byte[] message;
    @SuppressWarnings("unused") // through CLAIMED
    private volatile int claimed;
    /** The signature (byte[]) or why signing failed (RuntimeException); null while pending. */
    private volatile Object outcome;
    private volatile boolean waiting;

    PendingSignature(CryptoProvider provider, byte[] seed, byte[] message) {
        this.provider = provider;
        this.seed = seed;
        this.message = message;
    }

    /** Signs now if nobody claimed it yet; returns whether this call did. */
    boolean runIfUnclaimed() {
        if (!CLAIMED.compareAndSet(this, 0, 1)) return false;
        Object o;
        try {
            o = provider.ed25519Sign(seed, message);
        } catch (RuntimeException e) {
            o = e;
        }
        outcome = o;
        if (waiting) {
            synchronized (this) {
                notifyAll();
            }
        }
        return true;
    }

    /** The signature: made by this call if nobody started, else awaited (bounded). */
    byte[] get() {
        Object o = outcome;
        if (o == null) {
            runIfUnclaimed();
            o = outcome;
            if (o == null) o = await();
        }
        if (o instanceof RuntimeException e) throw new CryptoException("signing a local transaction failed: " + e.getMessage(), e);
        return (byte[]) o;
    }

    private Object await() {
        long deadline = System.nanoTime() + WAIT_LIMIT_NANOS;
        synchronized (this) {
            waiting = true;
            Object o;
            while ((o = outcome) == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) throw new IllegalStateException("a background signature did not complete within 30 s");
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for a signature", e);
                }
            }
            return o;
        }
    }
}
