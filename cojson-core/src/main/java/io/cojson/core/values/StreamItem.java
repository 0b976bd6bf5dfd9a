package io.cojson.core.values;

import io.cojson.core.ids.TransactionID;
import io.cojson.core.json.JsonValue;

/** One item of a {@link CoStream}: its value, the transaction that wrote it and when. */
public record StreamItem(JsonValue value, TransactionID tx, long madeAt) {
    /** The account or agent that wrote the item (the session's author). */
    public String by() {
        return tx.sessionID().author();
    }
}
