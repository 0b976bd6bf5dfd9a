package io.cojson.sync;

import io.cojson.core.encoding.InvalidEncodingException;

/**
 * A text that is not a sync message this peer can act on. The reference logs and drops such
 * messages without replying (sync-protocol §3.7, §7); so does {@link SyncManager}, recording the
 * error for the peer that sent it.
 */
public class InvalidSyncMessageException extends InvalidEncodingException {
    public enum Kind {
        /** Not valid JSON. */
        MALFORMED_JSON,
        /** Valid JSON but not an object with a string {@code action} (pings and other frames). */
        NOT_A_SYNC_MESSAGE,
        /** An {@code action} this protocol version does not know. */
        UNKNOWN_ACTION,
        /** {@code id} missing or not a {@code co_z…} CoValue ID. */
        INVALID_ID,
        /** A field of the wrong type or shape (sessions, counters, session pieces, priority…). */
        INVALID_FIELD,
        /** A content header the reference would not accept as JSON (it then drops the message). */
        INVALID_HEADER
    }

    private final Kind kind;
    private final String action;

    public InvalidSyncMessageException(Kind kind, String action, String expected, String found) {
        super(expected, found);
        this.kind = kind;
        this.action = action;
    }

    public Kind kind() {
        return kind;
    }

    /** The message's {@code action} when it had a string one, else null. */
    public String action() {
        return action;
    }
}
