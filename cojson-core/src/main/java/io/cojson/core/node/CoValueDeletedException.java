package io.cojson.core.node;

import io.cojson.core.ids.RawCoID;

/**
 * A local write to a deleted CoValue (covalues.md §14): nothing is signed. The reference drops such
 * a write with a logged error; this SDK tells the caller.
 */
public final class CoValueDeletedException extends PermissionDeniedException {
    public CoValueDeletedException(RawCoID id) {
        super("Cannot make transaction on a deleted coValue " + id.value());
    }
}
