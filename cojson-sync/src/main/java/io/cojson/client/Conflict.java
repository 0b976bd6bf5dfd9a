package io.cojson.client;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;

/**
 * One recovered conflict, as an app lists it: local edits of a value that diverged from the
 * server's version (e.g. after a crash) and were preserved beside it, in the conflict session
 * (the session ID plus {@code !}). Act on it with {@link CojsonClient#acknowledge},
 * {@link CojsonClient#preferServer} or {@link CojsonClient#markResolved}.
 *
 * @param recordId        the record's stable ID
 * @param coValueId       the value
 * @param session         the session that diverged
 * @param conflictSession where its divergent edits now live ({@code session + "!"})
 * @param status          where the app stands with it
 * @param open            whether the app has not acted on it yet
 * @param divergent       how many local transactions diverged
 * @param detectedAt      when it was detected (epoch milliseconds)
 * @param reason          what resolving could not revert, or why recovery failed; null otherwise
 */
public record Conflict(String recordId, RawCoID coValueId, SessionID session, SessionID conflictSession, Status status, boolean open,
        int divergent, long detectedAt, String reason) {

    /** Where the app stands with a conflict (local only: it never syncs). */
    public enum Status {
        /** Recovery kept the local edits in the conflict session; the app has not acted yet. */
        PRESERVED,
        /** The value was deleted meanwhile: deletion won and the local edits were kept aside, not applied. */
        DISCARDED_DELETED,
        /** The app keeps the merged state. */
        ACKNOWLEDGED,
        /** The app undid the local edits ({@link CojsonClient#preferServer}). */
        RESOLVED_SERVER,
        /** The app made its own edits and marked it resolved. */
        RESOLVED_CUSTOM,
        /** Recovery could not complete; {@code reason} says why. */
        FAILED
    }
}
