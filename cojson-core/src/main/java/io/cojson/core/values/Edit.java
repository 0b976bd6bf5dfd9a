package io.cojson.core.values;

import io.cojson.core.ids.TransactionID;
import io.cojson.core.json.JsonValue;

/**
 * Who made an edit of a map key or a list item, in which transaction, when (the effective
 * {@code madeAt}, in epoch milliseconds), and the value it wrote (null for a map delete).
 */
public record Edit(String by, TransactionID tx, long at, JsonValue value) { }
