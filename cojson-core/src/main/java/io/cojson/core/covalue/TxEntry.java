package io.cojson.core.covalue;

import io.cojson.core.ids.SessionID;
import io.cojson.core.ids.TransactionID;
import io.cojson.core.json.InvalidJsonException;
import io.cojson.core.json.Json;
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
    /** Parsed changes; null while encrypted or when unparseable (read through {@link #changes()}). */
    private JsonValue.Arr changes;
    /**
     * A trusting transaction whose changes text is parsed on first use: a node that only relays
     * (a sync server) never reads the changes of most values.
     */
    private boolean changesPending;
    /** Parsed meta object; null when absent, encrypted or unparseable. */
    JsonValue.Obj meta;
    private boolean changesUnparseable;
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
        if (changesPending) parseChanges();
        return changes;
    }

    /** The changes of a trusting transaction are parsed when first read. */
    void parseChangesLazily() {
        changes = null;
        changesUnparseable = false;
        changesPending = true;
    }

    void setChanges(JsonValue.Arr parsed) {
        changes = parsed;
        changesUnparseable = false;
        changesPending = false;
    }

    private void parseChanges() {
        changesPending = false;
        try {
            if (Json.parse(((Transaction.Trusting) tx).changes()) instanceof JsonValue.Arr a) {
                changes = a;
            } else {
                changesUnparseable = true;
            }
        } catch (InvalidJsonException ex) {
            changesUnparseable = true;
        }
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
        if (changesPending) parseChanges();
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
        setChanges(new JsonValue.Arr(java.util.List.of()));
        meta = pointerMeta;
    }

    /** The reference comparator (covalues.md §3.2) on own madeAt/txID. */
    public static int compare(TxEntry a, TxEntry b) {
        if (a.tx.madeAt() != b.tx.madeAt()) return Long.compare(a.tx.madeAt(), b.tx.madeAt());
        if (a.sessionID.equals(b.sessionID)) return Integer.compare(a.txIndex, b.txIndex);
        return 0;
    }
}
