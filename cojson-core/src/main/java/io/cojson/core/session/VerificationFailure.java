package io.cojson.core.session;

import io.cojson.core.ids.Hash;
import io.cojson.core.ids.SessionID;

/**
 * Why a received batch was not added to a session log. The log is unchanged after a failure.
 *
 * @param sessionID          the session whose batch failed
 * @param lastVerifiedIndex  index of the last transaction we hold verified (-1 if none)
 * @param lastVerifiedHash   running hash after {@code lastVerifiedIndex} (null if none)
 * @param expectedHash       the running hash we computed over our prefix plus the batch, which the
 *                           received signature should have signed (null if the batch did not parse).
 *                           The wire carries no hash, only a signature over one, so the sender's
 *                           hash is not known; {@code receivedSignature} is what we were given.
 * @param receivedSignature  the signature text that came with the batch
 * @param kind               the category, for callers that react differently (recovery does)
 * @param message            the reference's error text where there is one
 */
public record VerificationFailure(
        SessionID sessionID,
        int lastVerifiedIndex,
        Hash lastVerifiedHash,
        Hash expectedHash,
        String receivedSignature,
        Kind kind,
        String message) {

    public enum Kind {
        /** The signature does not sign our hash of the session: tampered or diverged history. */
        SIGNATURE_MISMATCH,
        /** The signature text is not a 64-byte {@code signature_z…}. */
        MALFORMED_SIGNATURE,
        /** A transaction of the batch does not parse. */
        MALFORMED_TRANSACTION,
        /** The batch does not start at our next index (a gap, or it overlaps what we hold). */
        NOT_CONTIGUOUS,
        /** The signer of the session could not be determined or the session is of the wrong kind. */
        SIGNER_UNKNOWN,
        /** The CoValue is deleted; only delete sessions are accepted (covalues.md §14). */
        COVALUE_DELETED,
        /** A delete session that breaks the deletion rules (covalues.md §14). */
        DELETE_REJECTED
    }
}
