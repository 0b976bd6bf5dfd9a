package io.cojson.core.session;

/** Outcome of adding a received batch to a session log: never an unchecked crash. */
public sealed interface AddResult permits AddResult.Added, AddResult.Rejected {

    /** The batch verified and was appended; {@code newLength} is the session's new length. */
    record Added(int newLength) implements AddResult {}

    record Rejected(VerificationFailure failure) implements AddResult {}

    default boolean isAdded() {
        return this instanceof Added;
    }
}
