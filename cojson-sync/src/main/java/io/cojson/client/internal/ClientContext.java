package io.cojson.client.internal;

import io.cojson.core.crypto.Crypto;
import io.cojson.storage.engine.CoValueStorage;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What a client's account steps ({@link Login}) need from the client: its crypto, storage (null in
 * memory), servers, default timeout, timer, connection tracker, and whether logins continue the
 * directory's last session.
 */
public record ClientContext(Crypto crypto, CoValueStorage storage, List<String> servers, Duration timeout,
        ScheduledExecutorService timer, ConnectionTracker connection, Listeners listeners, boolean continueLastSession) {}
