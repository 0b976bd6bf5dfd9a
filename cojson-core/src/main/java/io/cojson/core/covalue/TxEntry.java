package io.cojson.core.covalue;

import io.cojson.core.ids.SessionID;
import io.cojson.core.ids.TransactionID;
import io.cojson.core.json.InvalidJsonException;
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
    /** The CoValue's own ID when it is a branch (part of the txID, covalues.md §13.2), else null. */
    final String currentBranch;
    /** The transaction before this one in the same session (the reference's {@code previous}). */
    final TxEntry previous;
    /** The {@link TransactionMeta} epoch in which this entry's meta was parsed (covalues.md §3.3 step 4); 0: never. */
    int metaEpoch;
    /** Effective (source) time and ID of a transaction merged from a branch (§13.3); null if none. */
    Long sourceMadeAt;
    SessionID sourceSession;
    int sourceTxIndex;
    String sourceBranch;

    TxEntry(SessionID sessionID, int txIndex, Transaction tx, long arrival) {
        this(sessionID, txIndex, tx, arrival, null, null);
    }

    TxEntry(SessionID sessionID, int txIndex, Transaction tx, long arrival, String currentBranch, TxEntry previous) {
        this.sessionID = sessionID;
        this.txIndex = txIndex;
        this.tx = tx;
        this.arrival = arrival;
        this.currentBranch = currentBranch;
        this.previous = previous;
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

    /** The transaction's own time (the one permission checks use). */
    public long madeAt() {
        return tx.madeAt();
    }

    /** The time content ordering uses: the source time of a merged transaction, else {@link #madeAt()}. */
    public long effectiveMadeAt() {
        return sourceMadeAt != null ? sourceMadeAt : tx.madeAt();
    }

    /** The session of the effective txID (the source transaction's for a merged one). */
    public SessionID effectiveSession() {
        return sourceSession != null ? sourceSession : sessionID;
    }

    /** The index of the effective txID. */
    public int effectiveTxIndex() {
        return sourceSession != null ? sourceTxIndex : txIndex;
    }

    /** The branch of the effective txID (list OpIDs include it), or null. */
    public String effectiveBranch() {
        return sourceSession != null ? sourceBranch : currentBranch;
    }

    /** The effective txID without its branch. */
    public TransactionID effectiveTxID() {
        return new TransactionID(effectiveSession(), effectiveTxIndex());
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
            if (((Transaction.Trusting) tx).parsedChanges() instanceof JsonValue.Arr a) {
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

    /** The reference comparator (covalues.md §3.2) on the effective madeAt/txID. */
    public static int compare(TxEntry a, TxEntry b) {
        long am = a.effectiveMadeAt(), bm = b.effectiveMadeAt();
        if (am != bm) return Long.compare(am, bm);
        if (a.effectiveSession().equals(b.effectiveSession())) return Integer.compare(a.effectiveTxIndex(), b.effectiveTxIndex());
        return 0;
    }
}
