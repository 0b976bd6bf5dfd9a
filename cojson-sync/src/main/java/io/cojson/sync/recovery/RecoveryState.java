package io.cojson.sync.recovery;

/**
 * Where a recovery of one (CoValue, session) stands (recovery.md §5.1). A report already carries
 * the server version, so trigger T1 starts at {@link #VERIFYING}; {@link #FAILED} is reachable
 * from every step before {@link #SWAPPING} and leaves the pre-recovery state untouched.
 */
public enum RecoveryState {
    IDLE, VERIFYING, PLANNING, COMMITTING, SWAPPING, PROPAGATING, DONE, FAILED;

    public boolean isFinal() {
        return this == IDLE || this == DONE || this == FAILED;
    }
}
