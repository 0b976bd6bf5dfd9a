package io.cojson.client;

/** Where {@link CojsonClient#load} takes a value from. */
public enum LoadMode {
    /**
     * Memory, then local storage, then the sync servers: answers at once (offline too) when the
     * value is stored here; the servers' newer changes arrive later through subscriptions.
     */
    LOCAL_FIRST,
    /**
     * Waits for a connection and for a server to answer about the value, so what it returns has
     * everything that server held when it answered. Needs a sync server.
     */
    FRESH
}
