package io.cojson.client;

/**
 * One recovered conflict, as an app lists it: local edits of a value that diverged from the
 * server's version (e.g. after a crash) and were preserved beside it. The full record, and the
 * actions on it (acknowledge, resolve), are in {@link CojsonClient#conflictRecords()}.
 *
 * @param recordId   the record's stable ID
 * @param coValueId  the value's ID ({@code co_z…})
 * @param status     PRESERVED, DISCARDED_DELETED, ACKNOWLEDGED, RESOLVED_SERVER, RESOLVED_CUSTOM or FAILED
 * @param open       whether the app has not acted on it yet
 * @param divergent  how many local transactions diverged
 * @param detectedAt when it was detected (epoch milliseconds)
 */
public record Conflict(String recordId, String coValueId, String status, boolean open, int divergent, long detectedAt) {}
