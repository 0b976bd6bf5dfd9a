package io.cojson.core.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Parsed objects keep JSON.parse semantics whether their fields are small arrays or a map. */
class SmallFieldsTest {
    private static String object(int n) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < n; i++) sb.append(i > 0 ? "," : "").append("\"k").append(n - i).append("\":").append(i);
        return sb.append('}').toString();
    }

    @Test
    void orderLookupAndEqualityAtEverySize() {
        for (int n = 0; n <= SmallFields.MAX + 3; n++) {
            JsonValue.Obj o = (JsonValue.Obj) Json.parse(object(n));
            assertEquals(n <= SmallFields.MAX, o.fields() instanceof SmallFields, "small representation up to " + SmallFields.MAX);
            LinkedHashMap<String, JsonValue> expected = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) expected.put("k" + (n - i), JsonValue.of(i));
            assertEquals(new ArrayList<>(expected.keySet()), new ArrayList<>(o.fields().keySet()), "insertion order");
            assertEquals(expected, o.fields());
            assertEquals(o.fields(), expected);
            assertEquals(expected.hashCode(), o.fields().hashCode());
            assertEquals(new JsonValue.Obj(expected), o);
            assertEquals(object(n), JsonWriter.stringify(o), "re-serializes byte for byte");
            for (int i = 0; i < n; i++) assertEquals(JsonValue.of(i), o.get("k" + (n - i)));
            assertNull(o.get("absent"));
            assertFalse(o.has("absent"));
            List<String> visited = new ArrayList<>();
            o.fields().forEach((k, v) -> visited.add(k));
            assertEquals(new ArrayList<>(expected.keySet()), visited);
        }
    }

    @Test
    void repeatedKeysKeepTheirFirstPositionAndTakeTheLastValue() {
        JsonValue.Obj small = (JsonValue.Obj) Json.parse("{\"a\":1,\"b\":2,\"a\":3}");
        assertEquals("{\"a\":3,\"b\":2}", JsonWriter.stringify(small));
        StringBuilder big = new StringBuilder("{\"a\":0");
        for (int i = 0; i < SmallFields.MAX + 2; i++) big.append(",\"x").append(i).append("\":").append(i);
        big.append(",\"a\":9}");
        JsonValue.Obj o = (JsonValue.Obj) Json.parse(big.toString());
        assertEquals(JsonValue.of(9), o.get("a"));
        assertEquals("a", o.fields().keySet().iterator().next());
        assertEquals(SmallFields.MAX + 3, o.fields().size());
    }

    @Test
    void parsedObjectsAreImmutable() {
        Map<String, JsonValue> f = ((JsonValue.Obj) Json.parse("{\"a\":1}")).fields();
        assertThrows(UnsupportedOperationException.class, () -> f.put("b", JsonValue.of(2)));
        assertThrows(UnsupportedOperationException.class, () -> f.remove("a"));
        assertThrows(UnsupportedOperationException.class, () -> f.keySet().clear());
        assertThrows(UnsupportedOperationException.class, () -> f.entrySet().iterator().next().setValue(JsonValue.NULL));
        assertTrue(f.containsKey("a"));
    }

    @Test
    void theObjectBuilderFollowsJsonParseAndTheJacksonPathUsesIt() {
        for (int n = 0; n <= SmallFields.MAX + 3; n++) {
            JsonValue.Obj.Builder b = new JsonValue.Obj.Builder();
            for (int i = 0; i < n; i++) b.put("k" + (n - i), JsonValue.of(i));
            b.put("k" + n, JsonValue.of("again")); // a repeated key: first position, last value (n > 0)
            JsonValue.Obj built = b.build();
            String text = object(n);
            String expected = n == 0 ? "{\"k0\":\"again\"}" : text.replace("\"k" + n + "\":0", "\"k" + n + "\":\"again\"");
            assertEquals(expected, JsonWriter.stringify(built));
            int distinct = Math.max(n, 1);
            assertEquals(distinct <= SmallFields.MAX, built.fields() instanceof SmallFields, "small objects stay compact");
            // the Jackson path (whitespace makes the fast cursor hand the text over) builds the same
            JsonValue viaJackson = Json.parseWithJackson(" " + text.replace("{", "{ ") + " ");
            assertEquals(Json.parse(text), viaJackson);
        }
        JsonValue.Obj indexed = new JsonValue.Obj.Builder().put("b", JsonValue.of(1)).put("2", JsonValue.of(2)).put("1", JsonValue.of(3)).build();
        assertEquals("{\"1\":3,\"2\":2,\"b\":1}", JsonWriter.stringify(indexed), "array-index keys first, as in JS");
        assertThrows(NullPointerException.class, () -> new JsonValue.Obj.Builder().put(null, JsonValue.NULL));
    }
}
