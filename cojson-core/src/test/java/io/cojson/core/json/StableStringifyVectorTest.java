package io.cojson.core.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * crypto.json {@code stableStringify} (plus the {@code stableStringify} field of the
 * {@code secureHash}/{@code shortHash} cases): our canonical JSON must equal the reference output
 * byte for byte.
 */
class StableStringifyVectorTest {
    private static final String FILE = "crypto.json";

    static Stream<Arguments> stableStringifyCases() {
        return VectorFiles.cases(FILE, "stableStringify", "cases").stream().map(c -> {
            String name = VectorFiles.text(c, "name");
            JsonNode output = c.get("output");
            assertTrue(output != null, name + ": no output field");
            boolean undefinedOutput = output.isNull();
            if (undefinedOutput) {
                assertTrue(c.path("outputIsUndefined").asBoolean(false), name + ": null output without outputIsUndefined");
            } else {
                assertTrue(output.isTextual(), name + ": output is not a string");
            }
            return Arguments.of(name, c.get("input"), undefinedOutput ? null : output.textValue());
        });
    }

    static Stream<Arguments> hashCases() {
        return Stream.concat(
                VectorFiles.cases(FILE, "secureHash", "cases").stream().map(c -> Arguments.of(
                        "secureHash: " + VectorFiles.text(c, "name"), c.get("value"), VectorFiles.text(c, "stableStringify"))),
                VectorFiles.cases(FILE, "shortHash", "cases").stream().map(c -> Arguments.of(
                        "shortHash: " + VectorFiles.text(c, "name"), c.get("value"), VectorFiles.text(c, "stableStringify"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stableStringifyCases")
    void stableStringify(String name, JsonNode input, String expected) {
        JsonValue value = VectorFiles.toJsonValue(input);
        String actual = StableJson.stringify(value);
        if (expected == null) {
            assertNull(actual, "stableStringify(undefined) must produce no output");
            assertThrows(IllegalArgumentException.class, () -> StableJson.bytes(value));
        } else {
            assertEquals(expected, actual);
            assertEquals(expected, new String(StableJson.bytes(value), StandardCharsets.UTF_8));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hashCases")
    void stableStringifyOfHashInputs(String name, JsonNode value, String expected) {
        assertEquals(expected, StableJson.stringify(VectorFiles.toJsonValue(value)));
    }

    /**
     * Re-parsing the reference output and serializing it again gives the same text, except for the
     * cases whose verbatim {@code encrypted_U}/{@code binary_U} strings make the output invalid JSON
     * (those must be rejected by the parser).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("stableStringifyCases")
    void outputIsIdempotent(String name, JsonNode input, String expected) {
        if (expected == null) return;
        if (makesInvalidJson(VectorFiles.toJsonValue(input))) {
            assertTrue(name.contains("NOT escaped") || name.contains("not valid JSON") || name.contains("newline")
                            || name.contains("verbatim prefix values"),
                    "unexpected invalid-JSON case: " + name);
            InvalidJsonException e = assertThrows(InvalidJsonException.class, () -> Json.parse(expected));
            assertTrue(e.getMessage().startsWith("expected "), e.getMessage());
            return;
        }
        JsonValue parsed = Json.parse(expected);
        assertEquals(expected, StableJson.stringify(parsed));
        // Sorted keys and no special strings: JSON.stringify agrees, except that it lists array-index
        // keys first (JS property order: JSON.stringify(JSON.parse('{"-1":0,"1":1,"10":1,"2":1}')) is
        // '{"1":1,"2":1,"10":1,"-1":0}' in node).
        JsOrder.assertSortedTextInJsOrder(parsed);
        if (!JsOrder.hasArrayIndexKey(parsed)) assertEquals(expected, JsonWriter.stringify(parsed));
    }

    @Test
    void converterKeepsSpecials() {
        VectorFiles.sanityCheck();
        List<JsonNode> cases = VectorFiles.cases(FILE, "stableStringify", "cases");
        // the file exercises every $special kind
        String all = cases.toString();
        for (String s : List.of("NaN", "Infinity", "-Infinity", "-0", "undefined")) {
            assertTrue(all.contains("{\"$special\":\"" + s + "\"}"), s);
        }
    }

    @Test
    void spotChecksFromTheSpec() {
        // wire-format.md §2.1 example (functions map to undefined in Java)
        JsonValue v = JsonValue.obj(
                "b", JsonValue.of(1),
                "a", JsonValue.arr(JsonValue.of(1), JsonValue.UNDEFINED, JsonValue.UNDEFINED,
                        JsonValue.obj("z", JsonValue.UNDEFINED, "y", JsonValue.NULL)),
                "c", JsonValue.UNDEFINED,
                "\u00e9", JsonValue.of(1),
                "Z", JsonValue.of(2),
                "aa", JsonValue.of(3),
                "a b", JsonValue.of(4),
                "10", JsonValue.of(5),
                "9", JsonValue.of(6),
                "\ud83d\ude00", JsonValue.of(7),
                "\uffff", JsonValue.of(8));
        assertEquals("{\"10\":5,\"9\":6,\"Z\":2,\"a\":[1,null,null,{\"y\":null}],\"a b\":4,\"aa\":3,\"b\":1,"
                + "\"\u00e9\":1,\"\ud83d\ude00\":7,\"\uffff\":8}", StableJson.stringify(v));
        // JSON.stringify drops undefined members and lists keys in JS property order: array-index keys
        // first, ascending, then insertion order (this is node's output for the same object literal)
        assertEquals("{\"9\":6,\"10\":5,\"b\":1,\"a\":[1,null,null,{\"y\":null}],\"\u00e9\":1,\"Z\":2,\"aa\":3,\"a b\":4,"
                + "\"\ud83d\ude00\":7,\"\uffff\":8}", JsonWriter.stringify(v));
        assertEquals("\"encrypted_Uab\"c\"", StableJson.stringify("encrypted_Uab\"c"));
        assertEquals("\"encrypted_Uab\\\"c\"", JsonWriter.stringify(JsonValue.of("encrypted_Uab\"c")));
        assertEquals("\"Encrypted_Uab\\\"c\"", StableJson.stringify("Encrypted_Uab\"c"));
        assertNull(JsonWriter.stringify(JsonValue.UNDEFINED));
    }

    /**
     * True when the value holds, in a value position, a string with the verbatim prefix that
     * {@code JSON.stringify} would have to escape: stableStringify then emits invalid JSON.
     */
    static boolean makesInvalidJson(JsonValue v) {
        if (v instanceof JsonValue.Str s) {
            String t = s.value();
            return (t.startsWith("encrypted_U") || t.startsWith("binary_U")) && !JsonStrings.quote(t).equals('"' + t + '"');
        }
        if (v instanceof JsonValue.Arr a) return a.items().stream().anyMatch(StableStringifyVectorTest::makesInvalidJson);
        if (v instanceof JsonValue.Obj o) {
            for (Map.Entry<String, JsonValue> e : o.fields().entrySet()) {
                if (!(e.getValue() instanceof JsonValue.Undefined) && makesInvalidJson(e.getValue())) return true;
            }
        }
        return false;
    }
}
