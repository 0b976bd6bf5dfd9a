package io.cojson.core.content;

import io.cojson.core.ids.SessionID;
import io.cojson.core.ids.TransactionID;
import io.cojson.core.json.JsonValue;
import java.util.List;

/**
 * A transaction as content views consume it: valid, readable, with its changes parsed. The
 * {@code txID} and {@code madeAt} are the effective ones (a transaction merged from a branch
 * carries its source's); views sort and break ties with them (covalues.md §3.2).
 *
 * @param txID     effective transaction ID (session + index)
 * @param madeAt   effective time
 * @param changes  the parsed changes array (one view op per element)
 * @param trusting whether the transaction was trusting (false: decrypted private)
 * @param branch   the branch of the effective txID (a branch's own transactions and those merged
 *                 from it carry the branch's CoValue ID; list OpIDs include it), or null
 */
public record DecodedTx(TransactionID txID, long madeAt, List<JsonValue> changes, boolean trusting, String branch) {
    public DecodedTx {
        changes = List.copyOf(changes);
    }

    /** A transaction that belongs to no branch. */
    public DecodedTx(TransactionID txID, long madeAt, List<JsonValue> changes, boolean trusting) {
        this(txID, madeAt, changes, trusting, null);
    }

    public SessionID sessionID() {
        return txID.sessionID();
    }

    public int txIndex() {
        return txID.txIndex();
    }

    /**
     * The reference's comparator: madeAt, then (same session only) txIndex; transactions of
     * different sessions with equal madeAt compare equal so a stable sort keeps arrival order.
     */
    public static int compare(DecodedTx a, DecodedTx b) {
        if (a.madeAt != b.madeAt) return Long.compare(a.madeAt, b.madeAt);
        if (a.txID.sessionID().equals(b.txID.sessionID())) return Integer.compare(a.txID.txIndex(), b.txID.txIndex());
        return 0;
    }
}
