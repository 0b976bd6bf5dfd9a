package io.cojson.core.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Json#parse} with {@code JSON.parse} semantics, and its rejections. */
class JsonParseTest {

    @ParameterizedTest(name = "trailing garbage: {0}")
    @ValueSource(strings = {"1 2", "{} x", "[1]]", "\"a\"b", "{}{}", "null,", "true false", "[] []", "0x10", "1.5.2"})
    void trailingGarbageIsRejected(String text) {
        InvalidJsonException e = assertThrows(InvalidJsonException.class, () -> Json.parse(text));
        assertClearMessage(e);
        assertTrue(e.found().contains(text), e.getMessage());
    }

    @ParameterizedTest(name = "empty text: \"{0}\"")
    @ValueSource(strings = {"", " ", "\n\t \r"})
    void emptyTextIsRejected(String text) {
        InvalidJsonException e = assertThrows(InvalidJsonException.class, () -> Json.parse(text));
        assertClearMessage(e);
        assertTrue(e.found().contains("empty"), e.getMessage());
    }

    @ParameterizedTest(name = "unterminated: {0}")
    @ValueSource(strings = {"\"abc", "\"abc\\\"", "[\"a", "{\"a\":\"b", "{\"a", "[1,", "{", "["})
    void unterminatedInputIsRejected(String text) {
        InvalidJsonException e = assertThrows(InvalidJsonException.class, () -> Json.parse(text));
        assertClearMessage(e);
        assertTrue(e.expected().contains("valid JSON"), e.getMessage());
        assertTrue(e.found().contains(text), e.getMessage());
    }

    @Test
    void unterminatedStringMessageSaysWhatIsWrong() {
        InvalidJsonException e = assertThrows(InvalidJsonException.class, () -> Json.parse("\"abc"));
        assertTrue(e.getMessage().toLowerCase().contains("end-of-input"), e.getMessage());
    }

    /** Things JSON.parse rejects must be rejected here too (Jackson has lenient options; none may be on). */
    @ParameterizedTest(name = "not JSON: {0}")
    @ValueSource(strings = {"NaN", "Infinity", "-Infinity", "'a'", "{'a':1}", "{a:1}", "[1,]", "{\"a\":1,}", "01", "+1",
        ".5", "1.", "1e", "// c\n1", "/* c */ 1", "[1 2]", "\"a\u0001b\"", "\"a\nb\"", "\"\\x41\"", "\"\\u12\"", "undefined",
        "True", "nul", "#1", "\"\\'\""})
    void nonStandardJsonIsRejected(String text) {
        InvalidJsonException e = assertThrows(InvalidJsonException.class, () -> Json.parse(text));
        assertClearMessage(e);
    }

    @Test
    void duplicateKeysKeepFirstPositionAndLastValue() {
        JsonValue.Obj o = (JsonValue.Obj) Json.parse("{\"a\":1,\"b\":2,\"a\":3}");
        assertEquals(List.of("a", "b"), List.copyOf(o.fields().keySet()));
        assertEquals(new JsonValue.Num(3), o.get("a"));
        assertEquals("{\"a\":3,\"b\":2}", JsonWriter.stringify(o));
        // nested, and a duplicate whose earlier value was an object
        JsonValue.Obj nested = (JsonValue.Obj) Json.parse("{\"x\":{\"k\":[1]},\"y\":0,\"x\":{\"k\":[2],\"k\":null}}");
        assertEquals("{\"x\":{\"k\":null},\"y\":0}", JsonWriter.stringify(nested));
    }

    @Test
    void tenMegabyteStringParses() {
        String big = "x".repeat(10 * 1024 * 1024) + "\u00e9\ud83d\ude00";
        JsonValue v = Json.parse(JsonStrings.quote(big));
        assertInstanceOf(JsonValue.Str.class, v);
        assertEquals(big, ((JsonValue.Str) v).value());
        JsonValue inArray = Json.parse("[\"" + big + "\",1]");
        assertEquals(big, ((JsonValue.Str) ((JsonValue.Arr) inArray).get(0)).value());
    }

    @Test
    void numbersAreDoublesLikeJs() {
        assertEquals("18446744073709552000", JsonWriter.stringify(Json.parse("18446744073709551616")));
        assertEquals("9007199254740992", JsonWriter.stringify(Json.parse("9007199254740993")));
        assertEquals("1e+21", JsonWriter.stringify(Json.parse("1000000000000000000000")));
        assertEquals("1e+21", JsonWriter.stringify(Json.parse("1e21")));
        assertEquals("1e+21", JsonWriter.stringify(Json.parse("1E+21")));
        assertEquals("0.1", JsonWriter.stringify(Json.parse("0.10000000000000000555")));
        assertEquals("5e-324", JsonWriter.stringify(Json.parse("4.9406564584124654e-324")));
        assertEquals("100", JsonWriter.stringify(Json.parse("1e2")));
        assertEquals("1", JsonWriter.stringify(Json.parse("1.0")));
        assertEquals("-1.5", JsonWriter.stringify(Json.parse("-1.50")));
        // out of range: JSON.parse gives ±Infinity / 0
        assertEquals(new JsonValue.Num(Double.POSITIVE_INFINITY), Json.parse("1e400"));
        assertEquals(new JsonValue.Num(Double.NEGATIVE_INFINITY), Json.parse("-1e400"));
        assertEquals(new JsonValue.Num(Double.POSITIVE_INFINITY), Json.parse("1" + "0".repeat(400)));
        assertEquals(new JsonValue.Num(0), Json.parse("1e-400"));
    }

    @Test
    void negativeZeroIsKept() {
        // JSON.parse("-0") is -0, for the integer and the fraction form alike
        for (String text : List.of("-0", "-0.0", "-0e5", "-0E-3")) {
            JsonValue v = Json.parse(text);
            assertInstanceOf(JsonValue.Num.class, v, text);
            assertEquals(Long.MIN_VALUE, Double.doubleToRawLongBits(((JsonValue.Num) v).value()), text);
            assertEquals("0", JsonWriter.stringify(v));
        }
        assertEquals(0L, Double.doubleToRawLongBits(((JsonValue.Num) Json.parse("0")).value()));
        assertEquals(0L, Double.doubleToRawLongBits(((JsonValue.Num) ((JsonValue.Arr) Json.parse("[0]")).get(0)).value()));
    }

    @Test
    void stringsKeepLoneSurrogatesAndEscapes() {
        assertEquals(new JsonValue.Str("\ud800"), Json.parse("\"\\ud800\""));
        assertEquals(new JsonValue.Str("\udc00\ud800"), Json.parse("\"\\udc00\\ud800\""));
        assertEquals(new JsonValue.Str("\ud83d\ude00"), Json.parse("\"\\ud83d\\ude00\""));
        assertEquals(new JsonValue.Str("\ud83d\ude00"), Json.parse("\"\ud83d\ude00\""));
        assertEquals(new JsonValue.Str("\"\\/\b\f\n\r\t\u0001\u001f\u2028\uffff"),
                Json.parse("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u0001\\u001F\u2028\\uFFFF\""));
        assertEquals(new JsonValue.Str("\u007f"), Json.parse("\"\u007f\""));
    }

    @Test
    void keysKeepTextOrderAndWhitespaceIsIgnored() {
        JsonValue v = Json.parse(" \n{ \"z\" : [ 1 , { } , [ ] ] ,\t\"a\" : null , \"\" : true , \"\\u00e9\" : false }\r\n ");
        assertEquals("{\"z\":[1,{},[]],\"a\":null,\"\":true,\"\u00e9\":false}", JsonWriter.stringify(v));
        assertEquals("{\"\":true,\"a\":null,\"z\":[1,{},[]],\"\u00e9\":false}", StableJson.stringify(v));
    }

    /**
     * JSON.parse builds a JS object, whose keys are listed in JS property order: canonical array
     * indices (up to 2^32 - 2) first, ascending, then the others in text order; a duplicate keeps the
     * position of its first occurrence. Expected texts are node's
     * {@code JSON.stringify(JSON.parse(text))} for the same inputs.
     */
    @Test
    void arrayIndexKeysComeFirstLikeInAJsObject() {
        assertEquals("{\"2\":2,\"4294967294\":5,\"b\":3,\"01\":4,\"4294967295\":6,\"-0\":7}", JsonWriter.stringify(
                Json.parse("{\"b\":1,\"2\":2,\"b\":3,\"01\":4,\"4294967294\":5,\"4294967295\":6,\"-0\":7}")));
        assertEquals("{\"1\":\"one\",\"2\":\"two\",\"10\":\"ten\",\"-1\":0,\"a\":0,\"b\":0}", JsonWriter.stringify(
                Json.parse("{\"-1\":0,\"1\":\"one\",\"10\":\"ten\",\"2\":\"two\",\"a\":0,\"b\":0}")));
        assertEquals("{\"\":null,\" \":null,\"!\":[{\"0\":0,\"\":null}]}", JsonWriter.stringify(
                Json.parse("{\"\":null,\" \":null,\"!\":[{\"\":null,\"0\":0}]}")));
        // built objects follow the same rule; the stable (hashed) form still sorts as strings
        JsonValue.Obj built = JsonValue.obj("b", JsonValue.of(1), "10", JsonValue.of(2), "a", JsonValue.of(3), "2", JsonValue.of(4));
        assertEquals("{\"2\":4,\"10\":2,\"b\":1,\"a\":3}", JsonWriter.stringify(built));
        assertEquals("{\"10\":2,\"2\":4,\"a\":3,\"b\":1}", StableJson.stringify(built));
    }

    @Test
    void deepNestingWithinLimitsParses() {
        String text = "[".repeat(500) + "]".repeat(500);
        assertEquals(text, JsonWriter.stringify(Json.parse(text)));
    }

    private static void assertClearMessage(InvalidJsonException e) {
        String m = e.getMessage();
        assertTrue(m.startsWith("expected " + e.expected() + ", found "), m);
        assertTrue(!e.found().isBlank(), m);
    }
}
