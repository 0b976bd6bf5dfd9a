package io.cojson.sync.transport;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Reconnection delays: {@code initial × multiplier^(attempt−1)}, capped at {@code max}, then
 * shortened by up to {@code jitter} (a fraction) so that clients of a restarted server do not
 * all return at the same instant. The reference waits {@code 500 ms × attempt}, linear and
 * uncapped; bounded exponential backoff with jitter is the safer choice for many clients.
 */
public record Backoff(Duration initial, Duration max, double multiplier, double jitter) {

    public Backoff {
        if (initial.isNegative() || initial.isZero()) throw new IllegalArgumentException("initial delay must be positive");
        if (max.compareTo(initial) < 0) throw new IllegalArgumentException("max delay below the initial delay");
        if (!(multiplier >= 1.0)) throw new IllegalArgumentException("multiplier must be at least 1");
        if (!(jitter >= 0.0 && jitter < 1.0)) throw new IllegalArgumentException("jitter must be in [0, 1)");
    }

    /** 500 ms (the reference's base), doubling, at most 10 s, up to 20 % shorter. */
    public static Backoff defaults() {
        return new Backoff(Duration.ofMillis(500), Duration.ofSeconds(10), 2.0, 0.2);
    }

    /** The wait before reconnection attempt {@code attempt} (1 = the first after a close). */
    public long delayMillis(int attempt, DoubleSupplier random) {
        double base = initial.toMillis() * Math.pow(multiplier, Math.max(0, attempt - 1));
        double capped = Math.min(base, max.toMillis());
        return Math.round(capped * (1.0 - jitter * random.getAsDouble()));
    }
}
