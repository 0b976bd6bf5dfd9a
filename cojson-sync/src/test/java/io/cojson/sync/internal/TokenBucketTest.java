package io.cojson.sync.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The per-connection budget of SignatureMismatch reports, on a hand-driven clock. */
class TokenBucketTest {
    private final AtomicLong now = new AtomicLong(1_000);

    private void advanceMillis(long ms) {
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(ms));
    }

    @Test
    void aBurstThenTheRefillRate() {
        TokenBucket b = new TokenBucket(3, 2.0, now::get);
        assertTrue(b.tryTake());
        assertTrue(b.tryTake());
        assertTrue(b.tryTake());
        assertFalse(b.tryTake(), "burst used up");
        advanceMillis(400);
        assertFalse(b.tryTake(), "0.8 of a token after 400 ms at 2/s");
        advanceMillis(100);
        assertTrue(b.tryTake(), "one token after 500 ms");
        assertFalse(b.tryTake());
        advanceMillis(60_000);
        for (int i = 0; i < 3; i++) assertTrue(b.tryTake(), "refilled up to the burst only");
        assertFalse(b.tryTake());
    }

    @Test
    void zeroRateNeverRefillsAndNegativeSettingsAreRefused() {
        TokenBucket b = new TokenBucket(1, 0, now::get);
        assertTrue(b.tryTake());
        advanceMillis(3_600_000);
        assertFalse(b.tryTake());
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(-1, 1, now::get));
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(1, -1, now::get));
    }
}
