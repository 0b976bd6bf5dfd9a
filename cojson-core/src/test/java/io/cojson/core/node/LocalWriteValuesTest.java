package io.cojson.core.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cojson.core.covalue.CoValueCore;
import io.cojson.core.covalue.TxEntry;
import io.cojson.core.crypto.Crypto;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.json.Json;
import io.cojson.core.json.JsonValue;
import io.cojson.core.session.Transaction;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A local trusting write keeps the written values instead of parsing its own JSON back, but only
 * when parsing would give the same values: what the writer sees must equal what every receiver
 * parses from the transaction text.
 */
class LocalWriteValuesTest {
    private final Crypto crypto = Crypto.create();

    private static JsonValue change(String key, JsonValue v) {
        Map<String, JsonValue> m = new LinkedHashMap<>();
        m.put("op", JsonValue.of("set"));
        m.put("key", JsonValue.of(key));
        m.put("value", v);
        return new JsonValue.Obj(m);
    }

    @Test
    void writerEntriesEqualWhatReceiversParse() {
        LocalNode node = Accounts.create(crypto, "Writer");
        RawCoID group = GroupOperations.createGroup(node, null);
        RawCoID map = Accounts.createOwned(node, "comap", group, JsonValue.NULL);
        List<JsonValue> values = List.of(
                JsonValue.of(1),
                JsonValue.of("text \u2028 \ud800"),
                new JsonValue.Num(-0.0),
                new JsonValue.Num(Double.NaN),
                new JsonValue.Num(Double.POSITIVE_INFINITY),
                new JsonValue.Arr(List.of(JsonValue.of(2), new JsonValue.Undefined())),
                new JsonValue.Obj(Map.of("inner", new JsonValue.Undefined(), "kept", JsonValue.of(true))),
                JsonValue.NULL);
        for (int i = 0; i < values.size(); i++) {
            node.write(map, List.of(change("k" + i, values.get(i))), null, false);
        }
        node.write(map, List.of(change("withMeta", JsonValue.of(3))), new JsonValue.Obj(Map.of("m", new JsonValue.Num(-0.0))), false);
        node.write(map, List.of(change("withMeta2", JsonValue.of(4))), new JsonValue.Obj(Map.of("m", JsonValue.of("x"))), false);

        CoValueCore core = node.require(map);
        int checked = 0;
        for (TxEntry e : core.entries()) {
            Transaction.Trusting t = (Transaction.Trusting) e.transaction();
            assertEquals(Json.parse(t.changes()), e.changes(), "changes of tx " + e.txIndex());
            assertEquals(t.meta() == null ? null : Json.parse(t.meta()), e.meta(), "meta of tx " + e.txIndex());
            // exact doubles too: -0 must have become 0 on the writer as on receivers
            assertEquals(t.changes(), io.cojson.core.json.JsonWriter.stringify(e.changes()));
            checked++;
        }
        assertEquals(values.size() + 2, checked);
        JsonValue.Obj zero = (JsonValue.Obj) core.entries().get(2).changes().get(0);
        assertEquals(0L, Double.doubleToRawLongBits(((JsonValue.Num) zero.get("value")).value()), "-0 reads back as +0");
    }
}
