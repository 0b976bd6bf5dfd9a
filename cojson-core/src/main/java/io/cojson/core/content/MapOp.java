package io.cojson.core.content;

import io.cojson.core.ids.TransactionID;
import io.cojson.core.json.JsonValue;

/**
 * One entry of a CoMap key's history (covalues.md §7.2): a single change of a transaction.
 *
 * @param txID      effective transaction ID
 * @param madeAt    effective time
 * @param changeIdx position of the change in its transaction's changes array
 * @param change    the change object ({@code {"op":"set","key","value"}} or {@code {"op":"del","key"}})
 * @param trusting  whether the transaction was trusting
 */
public record MapOp(TransactionID txID, long madeAt, int changeIdx, JsonValue.Obj change, boolean trusting) {

    public boolean isDelete() {
        return change.get("op") instanceof JsonValue.Str s && s.value().equals("del");
    }

    /** The set value, or {@code null} for a delete or a set without a value (JS {@code undefined}). */
    public JsonValue value() {
        if (isDelete()) return null;
        JsonValue v = change.get("value");
        return v instanceof JsonValue.Undefined ? null : v;
    }

    /**
     * The reference comparator on ops (§3.2): madeAt, then txIndex within one session; ops of
     * different sessions at the same madeAt, and ops of one transaction, compare equal.
     */
    public static int compare(MapOp a, MapOp b) {
        if (a.madeAt != b.madeAt) return Long.compare(a.madeAt, b.madeAt);
        if (a.txID.sessionID().equals(b.txID.sessionID())) return Integer.compare(a.txID.txIndex(), b.txID.txIndex());
        return 0;
    }
}
