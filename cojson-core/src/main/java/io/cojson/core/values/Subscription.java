package io.cojson.core.values;

/** A listener registration of the typed API; closing it stops further notifications. Idempotent. */
@FunctionalInterface
public interface Subscription extends AutoCloseable {
    @Override
    void close();
}
