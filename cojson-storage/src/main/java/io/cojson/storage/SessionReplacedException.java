package io.cojson.storage;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import java.nio.file.Path;

/**
 * A wait for storage could not be satisfied because a recovery unit replaced the session from the
 * given index on: the transactions waited for belong to the replaced history (recovery.md §5.4 O7;
 * their content, if divergent, went into the conflict session).
 */
public final class SessionReplacedException extends StorageException {
    public SessionReplacedException(Path dir, RawCoID id, SessionID session, int commonPrefix) {
        super("session " + session + " of " + id + " was replaced from index " + commonPrefix + " on", dir, null);
    }
}
