package io.cojson.core.session;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * One daemon thread per JVM that makes the Ed25519 signatures of local transactions while the
 * writer goes on (every transaction is still signed, exactly as before, only on another core). At
 * most {@link #MAX_QUEUED} signatures wait; beyond that {@link #offer} refuses and the writer signs
 * itself, so a fast writer and the signer share the work and memory stays bounded. A reader that
 * needs a signature not yet made signs it itself ({@link PendingSignature#get()}).
 *
 * <p>On by default when the JVM has more than one processor; {@code -Dcojson.backgroundSigning=false}
 * turns it off (every signature is then made by the writer, inside its write).
 */
final class BackgroundSigner {
    /** About 0.5 MB of pending work; a burst of a few thousand writes never waits for the signer. */
    static final int MAX_QUEUED = 4096;
    /**
     * A parked signer is woken once this many signatures wait, not for each one (a wake-up is a
     * system call on the writer's thread); fewer wait at most {@link #IDLE_PARK_NANOS}, and a
     * reader that needs one of them makes it itself.
     */
    static final int WAKE_BATCH = 16;
    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    static final boolean ENABLED = Boolean.parseBoolean(System.getProperty("cojson.backgroundSigning",
            String.valueOf(Runtime.getRuntime().availableProcessors() > 1)));

    private static final ConcurrentLinkedQueue<PendingSignature> QUEUE = new ConcurrentLinkedQueue<>();
    /** Signatures queued or being made by the signer thread. */
    private static final AtomicInteger QUEUED = new AtomicInteger();
    private static volatile Thread thread;
    private static volatile boolean parked;

    private BackgroundSigner() {}

    /** Queues {@code p} for the signer thread; false when signing in the background is off or the queue is full. */
    static boolean offer(PendingSignature p) {
        if (!ENABLED || QUEUED.get() >= MAX_QUEUED) return false;
        Thread t = thread;
        if (t == null) t = start();
        int queued = QUEUED.incrementAndGet();
        QUEUE.offer(p);
        if (parked && queued >= WAKE_BATCH) LockSupport.unpark(t);
        return true;
    }

    private static synchronized Thread start() {
        Thread t = thread;
        if (t != null) return t;
        t = new Thread(BackgroundSigner::loop, "cojson-signer");
        t.setDaemon(true);
        thread = t;
        t.start();
        return t;
    }

    private static void loop() {
        while (true) {
            PendingSignature p = QUEUE.poll();
            if (p == null) {
                parked = true;
                if (QUEUE.isEmpty()) LockSupport.parkNanos(BackgroundSigner.class, IDLE_PARK_NANOS);
                parked = false;
                continue;
            }
            try {
                p.runIfUnclaimed();
            } catch (Throwable e) {
                // runIfUnclaimed records failures in the signature itself; never let the thread die
            } finally {
                QUEUED.decrementAndGet();
            }
        }
    }

    /**
     * Makes every queued signature now (on the calling thread, alongside the signer) and waits
     * for the one in progress: afterwards every local transaction written so far is signed.
     */
    static void drain() {
        PendingSignature p;
        while ((p = QUEUE.poll()) != null) {
            try {
                p.runIfUnclaimed();
            } finally {
                QUEUED.decrementAndGet();
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (QUEUED.get() > 0) { // the one the signer thread is making
            if (System.nanoTime() > deadline) throw new IllegalStateException("background signing did not finish within 30 s");
            LockSupport.parkNanos(10_000);
        }
    }

    /** How many signatures wait for the signer thread (diagnostics). */
    static int queued() {
        return QUEUED.get();
    }
}
