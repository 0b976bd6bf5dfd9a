package io.cojson.core.testing;

/**
 * Tests whose story depends on the order of two writes in time (a write, then a member removal)
 * must not let both land in the same millisecond: as in the reference, a group change at the same
 * {@code madeAt} as a transaction already applies to it.
 */
public final class Millis {
    private Millis() {}

    /** Returns once {@link System#currentTimeMillis()} has moved past the value it had at the call (at most ~1 s). */
    public static void advance() {
        long t = System.currentTimeMillis();
        long deadline = System.nanoTime() + 1_000_000_000L;
        while (System.currentTimeMillis() == t) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("the wall clock did not move for 1 s");
            Thread.onSpinWait();
        }
    }
}
