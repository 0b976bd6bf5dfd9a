package io.cojson.sync.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void growsExponentiallyUpToTheCap() {
        Backoff b = Backoff.defaults();
        assertEquals(500, b.delayMillis(1, () -> 0.0));
        assertEquals(1000, b.delayMillis(2, () -> 0.0));
        assertEquals(4000, b.delayMillis(4, () -> 0.0));
        assertEquals(10_000, b.delayMillis(6, () -> 0.0));
        assertEquals(10_000, b.delayMillis(1_000, () -> 0.0));
    }

    @Test
    void jitterOnlyShortensWithinItsFraction() {
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2), 3.0, 0.5);
        Random r = new Random(7);
        for (int attempt = 1; attempt < 30; attempt++) {
            long d = b.delayMillis(attempt, r::nextDouble);
            long base = Math.min(2000, Math.round(100 * Math.pow(3, attempt - 1)));
            assertTrue(d <= base && d >= base / 2, attempt + ": " + d);
        }
    }

    @Test
    void rejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), 2, 0));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 2, 0));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 0.5, 0));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 2, 1.0));
    }
}
