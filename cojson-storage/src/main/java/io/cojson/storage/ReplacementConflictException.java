package io.cojson.storage;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import java.nio.file.Path;

/**
 * A recovery unit could not apply: the conflict session already holds different transactions at
 * the indices the unit writes, or the unit's transactions would leave a gap. Nothing was changed.
 */
public final class ReplacementConflictException extends StorageException {
    public ReplacementConflictException(Path dir, RawCoID id, SessionID session, String detail) {
        super("recovery unit for " + id + " / " + session + " rejected: " + detail, dir, null);
    }
}
