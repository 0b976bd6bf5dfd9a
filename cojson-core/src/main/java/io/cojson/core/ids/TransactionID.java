package io.cojson.core.ids;

import io.cojson.core.json.JsonValue;

/** A transaction's identity: its session and 0-based index in that session. */
public record TransactionID(SessionID sessionID, int txIndex) {
    public TransactionID {
        if (sessionID == null) throw new InvalidIdException("a session ID", "null");
        if (txIndex < 0) throw new InvalidIdException("txIndex >= 0", Integer.toString(txIndex));
    }

    /** {@code {"sessionID": …, "txIndex": …}} (insertion order as the reference creates it). */
    public JsonValue.Obj toJson() {
        return JsonValue.obj("sessionID", JsonValue.of(sessionID.value()), "txIndex", JsonValue.of(txIndex));
    }

    /**
     * Nonce material for encrypting/sealing in this transaction:
     * {@code {"in": coID, "tx": {"sessionID", "txIndex"}}} (a branch field never enters it).
     */
    public JsonValue.Obj nonceMaterial(RawCoID in) {
        return JsonValue.obj("in", JsonValue.of(in.value()), "tx", toJson());
    }

    // Written out (same values as the generated ones): a record's generated equals/hashCode run
    // through method-handle chains, which a cold JVM interprets on every map lookup.
    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof TransactionID other && txIndex == other.txIndex && sessionID.equals(other.sessionID));
    }

    @Override
    public int hashCode() {
        return sessionID.hashCode() * 31 + txIndex;
    }
}
