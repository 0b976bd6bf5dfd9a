package io.cojson.storage.engine.internal;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.node.ContentPiece;
import io.cojson.storage.engine.Correction;
import io.cojson.storage.engine.SessionReplacement;
import java.util.Map;

/** One storage operation, applied inside a storage transaction by {@link Units}. */
public sealed interface Op permits Op.Store, Op.Replace, Op.MarkDeleted, Op.Erase {

    /** The CoValue the operation is about. */
    RawCoID id();

    /**
     * Operations that rewrite or remove stored rows (replace, erase) run in a transaction of their
     * own and exclude concurrent loads of their CoValue, so that a load sees before or after, never
     * a mix (recovery.md §5.4 O7).
     */
    default boolean exclusive() {
        return false;
    }

    /**
     * Store a content piece.
     *
     * @param epochs the chain epoch of each session when the write was created (fencing, O4)
     */
    record Store(ContentPiece piece, Map<SessionID, Long> epochs, Correction correction) implements Op {
        public Store {
            epochs = Map.copyOf(epochs);
        }

        @Override
        public RawCoID id() {
            return piece.id();
        }
    }

    /** The recovery unit, storing {@code newEpoch} for the replaced session. */
    record Replace(SessionReplacement replacement, long newEpoch) implements Op {
        @Override
        public RawCoID id() {
            return replacement.id();
        }

        @Override
        public boolean exclusive() {
            return true;
        }
    }

    record MarkDeleted(RawCoID id) implements Op {}

    /** Erase a deleted CoValue down to its tombstone. */
    record Erase(RawCoID id) implements Op {
        @Override
        public boolean exclusive() {
            return true;
        }
    }
}
