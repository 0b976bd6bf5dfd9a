package io.cojson.sync.recovery;

/**
 * Where the application stands with one conflict record (recovery.md §11). Local metadata: it
 * never syncs. {@link #PRESERVED} is the state after a recovery kept the local edits in S!.
 */
public enum ConflictStatus {
    PRESERVED, DISCARDED_DELETED, ACKNOWLEDGED, RESOLVED_SERVER, RESOLVED_CUSTOM, FAILED;

    /** True while the app has not yet acted on the record. */
    public boolean isOpen() {
        return this == PRESERVED || this == DISCARDED_DELETED;
    }
}
