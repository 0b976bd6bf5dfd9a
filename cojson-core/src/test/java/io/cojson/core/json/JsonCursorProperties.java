package io.cojson.core.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link JsonCursor} (the fast path of {@link Json#parse}) builds exactly what the Jackson path
 * builds, key order and number bits included, and hands every text it does not take to Jackson.
 */
class JsonCursorProperties {
    private final JsonProperties trees = new JsonProperties();

    @Provide
    Arbitrary<JsonValue> jsonTrees() {
        return trees.jsonTrees();
    }

    @Provide
    Arbitrary<String> anyStrings() {
        return trees.anyStrings();
    }

    @Property(tries = 1000)
    void sameValueAsJacksonForStringifiedTrees(@ForAll("jsonTrees") JsonValue v) {
        String text = JsonWriter.stringify(v);
        assertSameAsJackson(text);
        assertSameAsJackson(StableJson.stringify(v));
        // whitespace wherever JSON allows it
        assertSameAsJackson(" \n" + spaced(v) + "\r\t");
    }

    @Property(tries = 1000)
    void sameStringsAsJackson(@ForAll("anyStrings") String s) {
        assertSameAsJackson(JsonStrings.quote(s));
        // every character escaped as \\uXXXX (upper case hex), and as a key
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) sb.append(String.format("\\u%04X", (int) c));
        String escaped = sb.append('"').toString();
        assertSameAsJackson(escaped);
        assertSameAsJackson("{" + escaped + ":1," + JsonStrings.quote(s) + ":2}");
    }

    @Property(tries = 1000)
    void sameNumbersAsJackson(@ForAll("numberTexts") String text) {
        assertSameAsJackson(text);
        assertSameAsJackson("[" + text + "," + text + "]");
    }

    /** Objects of up to 30 fields with repeated keys (small and map-backed objects), nested in arrays. */
    @Property(tries = 500)
    void sameObjectsWithRepeatedKeysAsJackson(@ForAll("fieldLists") List<Integer> keyIds) {
        StringBuilder sb = new StringBuilder("[{");
        for (int i = 0; i < keyIds.size(); i++) {
            if (i > 0) sb.append(',');
            int k = keyIds.get(i);
            // keys "k0".."k11" and some array-index keys; values mix scalars, short strings, nesting
            String key = k % 4 == 3 ? String.valueOf(k) : "k" + k;
            sb.append('"').append(key).append("\":");
            switch (i % 4) {
                case 0 -> sb.append(i);
                case 1 -> sb.append("\"v").append(k).append('"');
                case 2 -> sb.append("{\"a\":[").append(i).append(",{\"a\":1,\"a\":2}]}");
                default -> sb.append("[\"set\",\"set\",null]");
            }
        }
        String obj = sb.append("}").toString();
        assertSameAsJackson(obj + "]");
        assertSameAsJackson(obj + "," + obj.substring(1) + ",[],[[]],{}]");
    }

    @Provide
    Arbitrary<List<Integer>> fieldLists() {
        return Arbitraries.integers().between(0, 11).list().ofMaxSize(30);
    }

    @Provide
    Arbitrary<String> numberTexts() {
        Arbitrary<String> sign = Arbitraries.of("", "-");
        Arbitrary<String> intPart = Arbitraries.oneOf(Arbitraries.just("0"),
                Arbitraries.strings().withCharRange('0', '9').ofMinLength(1).ofMaxLength(25).filter(d -> d.charAt(0) != '0'));
        Arbitrary<String> frac = Arbitraries.oneOf(Arbitraries.just(""),
                Arbitraries.strings().withCharRange('0', '9').ofMinLength(1).ofMaxLength(20).map(d -> "." + d));
        Arbitrary<String> exp = Arbitraries.oneOf(Arbitraries.just(""),
                Arbitraries.integers().between(-400, 400).map(e -> "e" + e),
                Arbitraries.integers().between(0, 30).map(e -> "E+" + e));
        return net.jqwik.api.Combinators.combine(sign, intPart, frac, exp).as((a, b, c, d) -> a + b + c + d);
    }

    @Example
    void deepAndLongInputsAreLeftToJackson() {
        assertNull(JsonCursor.tryParse("[".repeat(600) + "]".repeat(600)));
        assertSameAsJackson("[".repeat(400) + "]".repeat(400));
        assertNull(JsonCursor.tryParse("1" + "0".repeat(2000)));
        assertNull(JsonCursor.tryParse("{\"" + "k".repeat(20_000) + "\":1}"));
        assertSameAsJackson("{\"" + "k".repeat(9_000) + "\":1}");
    }

    /** Every rejection of JsonParseTest, and more: the fast path declines, Jackson throws. */
    @Example
    void invalidTextsAreLeftToJackson() {
        for (String text : List.of("NaN", "Infinity", "-Infinity", "'a'", "{'a':1}", "{a:1}", "[1,]", "{\"a\":1,}", "01",
                "+1", ".5", "1.", "1e", "// c\n1", "/* c */ 1", "[1 2]", "\"a\u0001b\"", "\"a\nb\"", "\"\\x41\"",
                "\"\\u12\"", "undefined", "True", "nul", "#1", "\"\\'\"", "", " ", "1 2", "{} x", "[1]]", "\"a\"b", "{}{}",
                "null,", "\"abc", "\"abc\\\"", "[\"a", "{\"a\":\"b", "{\"a", "[1,", "{", "[", "-", "-a", "1e+", "[,1]",
                "{\"a\" 1}", "{,}", "\u00a01", "[1]\u000b", "tru", "nulll", "-01", "1.e5", "\"\\u00g0\"")) {
            assertNull(JsonCursor.tryParse(text), text);
            assertThrows(InvalidJsonException.class, () -> Json.parse(text), text);
        }
    }

    /**
     * The cursor reads Latin-1 bytes of the text, where a char above U+00FF is a {@code '?'}: real
     * question marks, Latin-1, wider chars and surrogate pairs, with and without escapes, before
     * and after them, keep their values, positions and the canonical flag.
     */
    @Property(tries = 500)
    void questionMarksAndWideCharsKeepTheirValues(@ForAll("mixedPieces") List<String> pieces) {
        String value = String.join("", pieces);
        String quoted = JsonStrings.quote(value);
        String text = "[" + quoted + ",{" + quoted + ":" + quoted + "},\"?\",1.5e3]";
        assertSameAsJackson(text);
        JsonCursor c = new JsonCursor(quoted + "," + quoted);
        assertEquals(value, c.string());
        boolean ascii = value.chars().allMatch(ch -> ch < 0x80);
        boolean plainEscapes = value.chars().allMatch(ch -> ch >= 0x20);
        assertEquals(ascii && plainEscapes, c.lastStringCanonical(), quoted);
        c.expect(',');
        assertEquals(value, c.key());
        assertEquals(quoted.length() * 2 + 1, c.pos());
    }

    /**
     * Repeated longer strings are shared within a text; an equal prefix, a longer or shorter
     * string, escapes after an equal run, and a wide char read back correctly.
     */
    @Example
    void repeatedLongStringsReadBackExactly() {
        String id = "co_zABCdefGHIjkl_session_zXYZ12345";
        String text = "[\"" + id + "\",{\"sessionID\":\"" + id + "\"},\"" + id + "\",\"" + id + "x\",\"" + id
                + "\",\"" + id.substring(0, 20) + "\",\"" + id + "\\n\",\"" + id + "\\\"\",\"" + id + "\",\"" + id
                + "\u0100\",\"" + id + "\u0100\",\"" + id + "\u0100y\",\"" + id + "\"]";
        assertSameAsJackson(text);
        JsonValue.Arr arr = (JsonValue.Arr) JsonCursor.tryParse(text);
        assertEquals(id + "\n", ((JsonValue.Str) arr.get(6)).value());
        assertEquals(id + "\"", ((JsonValue.Str) arr.get(7)).value());
        assertEquals(id + "\u0100y", ((JsonValue.Str) arr.get(11)).value());
        assertEquals(13, arr.size());
    }

    @Provide
    Arbitrary<List<String>> mixedPieces() {
        return Arbitraries.of("?", "??", "a", "\"", "\\", "\n", "\u0001", "\u00e9", "\u00ff", "\u0100", "\u20ac",
                "\ud83d\ude00", "\ud83d", "xyz?", "\u007f").list().ofMaxSize(12);
    }

    private static void assertSameAsJackson(String text) {
        JsonValue jackson = Json.parseWithJackson(text);
        JsonValue fast = JsonCursor.tryParse(text);
        assertEquals(jackson, fast, text);
        assertEquals(JsonWriter.stringify(jackson), JsonWriter.stringify(fast), text); // key order
        assertEquals(bits(jackson), bits(fast), text); // -0 and exact doubles
    }

    /** The value as JSON text with whitespace between all tokens. */
    private static String spaced(JsonValue v) {
        if (v instanceof JsonValue.Arr a) {
            StringBuilder sb = new StringBuilder("[ ");
            for (int i = 0; i < a.size(); i++) sb.append(i > 0 ? " ,\t" : "").append(spaced(a.get(i)));
            return sb.append("\n]").toString();
        }
        if (v instanceof JsonValue.Obj o) {
            StringBuilder sb = new StringBuilder("{\r\n");
            String sep = "";
            for (var e : o.fields().entrySet()) {
                sb.append(sep).append(JsonStrings.quote(e.getKey())).append(" :\t").append(spaced(e.getValue()));
                sep = " , ";
            }
            return sb.append(" }").toString();
        }
        return JsonWriter.stringify(v);
    }

    /** The value with every number as its exact bits (-0 and doubles compared exactly); shared with MapChangesReaderProperties. */
    static String bits(JsonValue v) {
        if (v instanceof JsonValue.Num n) return Long.toHexString(Double.doubleToRawLongBits(n.value()));
        if (v instanceof JsonValue.Arr a) {
            StringBuilder sb = new StringBuilder("[");
            for (JsonValue x : a.items()) sb.append(bits(x)).append(',');
            return sb.append(']').toString();
        }
        if (v instanceof JsonValue.Obj o) {
            StringBuilder sb = new StringBuilder("{");
            o.fields().forEach((k, x) -> sb.append(k).append(':').append(bits(x)).append(','));
            return sb.append('}').toString();
        }
        return String.valueOf(v);
    }
}
