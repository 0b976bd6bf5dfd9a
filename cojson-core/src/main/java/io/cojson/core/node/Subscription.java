package io.cojson.core.node;

/** A listener registration; closing it stops further notifications. Idempotent. */
public interface Subscription extends AutoCloseable {
    @Override
    void close();
}
