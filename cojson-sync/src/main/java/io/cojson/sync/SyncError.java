package io.cojson.sync;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.session.VerificationFailure;

/**
 * Something a peer (or storage) sent that this node could not use. Recorded on the peer, reported
 * to listeners and logged; never thrown into the transport. Scoped as narrowly as the input allows:
 * one message, one header, or one session of one message (RL-02, RL-13).
 *
 * @param peerId   the sending peer, or {@link #STORAGE} for content read from storage
 * @param id       the CoValue concerned, or null when the message had no usable id
 * @param session  the rejected session, or null when the whole message was dropped
 * @param kind     the category
 * @param failure  for {@link Kind#REJECTED_SESSION}: the verification failure (its kind tells a
 *                 signature mismatch from a malformed transaction, unknown signer, …); else null
 * @param message  human-readable detail, never transaction contents
 */
public record SyncError(String peerId, RawCoID id, SessionID session, Kind kind, VerificationFailure failure, String message) {
    public static final String STORAGE = "storage";

    public enum Kind {
        /** Not a sync message, or one of the wrong shape: dropped, no reply (§3.7). */
        INVALID_MESSAGE,
        /** A content header that does not hash to the id: dropped, no reply (§5.4 step 3). */
        INVALID_HEADER,
        /** A session of a content message failed verification or parsing: not stored, others applied. */
        REJECTED_SESSION,
        /** Storage failed to load or store; the operation is retried on the next change or load. */
        STORAGE_FAILURE,
        /**
         * A client's content that needs a dependency this node lacks (a session's author, a
         * group) was dropped because too many of that client's contents already wait for theirs.
         * (One that waited in vain until the load timeout is rejected per session, SIGNER_UNKNOWN.)
         */
        DEPENDENCY_UNAVAILABLE
    }
}
