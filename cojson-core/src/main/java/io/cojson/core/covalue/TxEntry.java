package io.cojson.core.covalue;

import io.cojson.core.ids.SessionID;
import io.cojson.core.ids.TransactionID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.session.Transaction;

/**
 * One transaction in a CoValue's working list, with what the processing pipeline learned about
 * it: parsed changes/meta (trusting ones at load, private ones after decryption) and the verdict.
 * Mutable; owned and guarded by its {@link CoValueCore}.
 */
public final class TxEntry {
    final SessionID sessionID;
    final int txIndex;
    final Transaction tx;
    /** When this entry joined its CoValue's working list: a per-CoValue counter, never reused. */
    final long arrival;
    /** Parsed changes; null while encrypted or when unparseable. */
    JsonValue.Arr changes;
    /** Parsed meta object; null when absent, encrypted or unparseable. */
    JsonValue.Obj meta;
    boolean changesUnparseable;
    /** null = not (yet) judged. */
    Boolean valid;
    String reason;
    /** Reader branch-pointer exception: valid, but its changes count as [] (covalues.md §5.3). */
    boolean branchPointerOnly;

    TxEntry(SessionID sessionID, int txIndex, Transaction tx, long arrival) {
        this.sessionID = sessionID;
        this.txIndex = txIndex;
        this.tx = tx;
        this.arrival = arrival;
    }

    /**
     * The entry's arrival number in its CoValue ({@link CoValueCore#arrivals()} before it was
     * added); it does not change when a group's working list is re-sorted.
     */
    public long arrival() {
        return arrival;
    }

    public SessionID sessionID() {
        return sessionID;
    }

    public int txIndex() {
        return txIndex;
    }

    public TransactionID txID() {
        return new TransactionID(sessionID, txIndex);
    }

    public Transaction transaction() {
        return tx;
    }

    public long madeAt() {
        return tx.madeAt();
    }

    public boolean isTrusting() {
        return tx instanceof Transaction.Trusting;
    }

    public JsonValue.Arr changes() {
        return changes;
    }

    public JsonValue.Obj meta() {
        return meta;
    }

    /** True if judged valid; false if judged invalid or not judged. */
    public boolean isValid() {
        return Boolean.TRUE.equals(valid);
    }

    /** The reference's invalidity reason, or null (valid, or never marked). */
    public String invalidReason() {
        return reason;
    }

    public boolean isBranchPointerOnly() {
        return branchPointerOnly;
    }

    public boolean changesUnparseable() {
        return changesUnparseable;
    }

    // Verdicts are set by the validation of the groups package.

    public void resetVerdict() {
        valid = null;
        reason = null;
        branchPointerOnly = false;
    }

    public void markValid() {
        valid = Boolean.TRUE;
        reason = null;
    }

    public void markInvalid(String why) {
        valid = Boolean.FALSE;
        reason = why;
    }

    /** Valid as a reader's branch pointer: changes become [] and meta only {branch, ownerId}. */
    public void markBranchPointerOnly(JsonValue.Obj pointerMeta) {
        valid = Boolean.TRUE;
        reason = null;
        branchPointerOnly = true;
        changes = new JsonValue.Arr(java.util.List.of());
        meta = pointerMeta;
    }

    /** The reference comparator (covalues.md §3.2) on own madeAt/txID. */
    public static int compare(TxEntry a, TxEntry b) {
        if (a.tx.madeAt() != b.tx.madeAt()) return Long.compare(a.tx.madeAt(), b.tx.madeAt());
        if (a.sessionID.equals(b.sessionID)) return Integer.compare(a.txIndex, b.txIndex);
        return 0;
    }
}
