package io.cojson.sync.internal;

import java.util.function.LongSupplier;

/**
 * A token bucket: up to {@code burst} takes at once, refilled at {@code perSecond}. Not
 * thread-safe (one per connection, used from the sync executor). The clock is injectable so the
 * refill can be tested without sleeping.
 */
public final class TokenBucket {
    private final int burst;
    private final double perNano;
    private final LongSupplier nanoClock;
    private double tokens;
    private long last;

    public TokenBucket(int burst, double perSecond, LongSupplier nanoClock) {
        if (burst < 0 || perSecond < 0 || Double.isNaN(perSecond)) throw new IllegalArgumentException("negative rate limit");
        this.burst = burst;
        this.perNano = perSecond / 1e9;
        this.nanoClock = nanoClock;
        this.tokens = burst;
        this.last = nanoClock.getAsLong();
    }

    /** Takes one token if there is one. */
    public boolean tryTake() {
        long now = nanoClock.getAsLong();
        tokens = Math.min(burst, tokens + Math.max(0, now - last) * perNano);
        last = now;
        if (tokens < 1) return false;
        tokens -= 1;
        return true;
    }
}
