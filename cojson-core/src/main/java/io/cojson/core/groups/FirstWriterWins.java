package io.cojson.core.groups;

import io.cojson.core.covalue.TxEntry;
import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code meta.fww} races (covalues.md §4.4): among valid transactions with the same fww value,
 * the first by the comparator wins; a later candidate that compares equal does not displace it.
 * Keys are compared as primitive JSON values (type and value); objects and arrays never collide.
 */
final class FirstWriterWins {
    private FirstWriterWins() {}

    static void apply(List<TxEntry> processingOrder) {
        Map<Object, TxEntry> winners = new HashMap<>();
        for (TxEntry e : processingOrder) {
            if (!e.isValid() || e.meta() == null || !e.meta().has("fww")) continue;
            JsonValue key = e.meta().get("fww");
            if (key instanceof JsonValue.Obj || key instanceof JsonValue.Arr) continue;
            TxEntry current = winners.get(key);
            if (current == null) {
                winners.put(key, e);
            } else if (TxEntry.compare(e, current) < 0) {
                loses(current, key);
                winners.put(key, e);
            } else {
                loses(e, key);
            }
        }
    }

    private static void loses(TxEntry e, JsonValue key) {
        String shown = key instanceof JsonValue.Str s ? s.value() : JsonWriter.stringify(key);
        e.markInvalid("Transaction is not the first writer for fww key \"" + shown + "\"");
    }
}
