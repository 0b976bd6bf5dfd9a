package io.cojson.sync;

/** Verification fetches of a {@link SyncManager} (recovery.md §15): started, ended with a version, failed or timed out. */
public record VerificationFetchStats(long started, long completed, long failed) {}
