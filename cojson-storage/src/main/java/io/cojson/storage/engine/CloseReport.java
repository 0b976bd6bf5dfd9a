package io.cojson.storage.engine;

import io.cojson.storage.StorageClosedException;
import java.util.Set;

/**
 * How a graceful close went (reliability.md RL-14).
 *
 * @param flushed        queued operations committed during the close
 * @param dropped        queued operations that did not fit the budget: failed with
 *                       {@link StorageClosedException}, never reported persisted
 * @param atRiskSessions sessions (as {@code coValueID sessionID}) whose writes were dropped; they
 *                       are also recorded in the directory so that the next start can use a new
 *                       session (see {@code CoValueStorage.atRiskSessions()})
 */
public record CloseReport(int flushed, int dropped, Set<String> atRiskSessions) {
    public CloseReport {
        atRiskSessions = Set.copyOf(atRiskSessions);
    }
}
