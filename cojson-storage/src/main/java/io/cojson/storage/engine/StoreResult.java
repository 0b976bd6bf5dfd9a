package io.cojson.storage.engine;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.knownstate.KnownState;
import java.util.Set;

/**
 * What one store did, known once its unit has committed.
 *
 * @param stored          what storage holds of the CoValue after the commit
 * @param fenced          sessions whose part was dropped because it belongs to a session history
 *                        that a recovery unit has replaced since the write was created (chain epoch
 *                        older than the stored one, recovery.md §5.4 O4)
 * @param skippedDeleted  sessions dropped because the CoValue is a tombstone (only delete sessions
 *                        are stored for it)
 */
public record StoreResult(RawCoID id, Status status, KnownState stored, Set<SessionID> fenced, Set<SessionID> skippedDeleted) {
    public StoreResult {
        fenced = Set.copyOf(fenced);
        skippedDeleted = Set.copyOf(skippedDeleted);
    }

    public enum Status {
        /** New transactions (or the header) were written. */
        STORED,
        /** Storage already held everything in the content. */
        UNCHANGED,
        /**
         * The content assumes something storage lacks (the header, or transactions before a
         * session piece's {@code after}) and no correction supplied it; the parts that did fit were
         * stored. The caller should send what storage lacks, starting from {@link #stored}.
         */
        NEEDS_CORRECTION
    }
}
