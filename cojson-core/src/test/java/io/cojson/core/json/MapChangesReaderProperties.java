package io.cojson.core.json;

import static io.cojson.core.json.ChangesReaderChecks.assertAlike;
import static io.cojson.core.json.ChangesReaderChecks.bent;
import static io.cojson.core.json.ChangesReaderChecks.bentIsDeclinedOrReadExactly;
import static io.cojson.core.json.ChangesReaderChecks.canonicalIsReadAsJackson;
import static io.cojson.core.json.ChangesReaderChecks.literalBodyIsReadAsItsValue;
import static io.cojson.core.json.ChangesReaderChecks.plainInteger;
import static io.cojson.core.json.ChangesReaderChecks.unescaped;
import static io.cojson.core.json.ChangesReaderChecks.unescapedLength;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link MapChangesReader} (map changes read straight from the text) builds exactly what Jackson
 * builds for the texts it takes (values, key order, number bits), takes every text written the
 * way peers write map changes, and declines everything else, which the general path then reads
 * as before.
 */
class MapChangesReaderProperties {

    /** Map changes as {@code JsonWriter} writes them: the reader takes them and agrees with Jackson. */
    @Property(tries = 1000)
    void canonicalMapChangesAreReadAsJacksonReadsThem(@ForAll("changeLists") List<JsonValue> changes) {
        String text = JsonWriter.stringify(new JsonValue.Arr(changes));
        canonicalIsReadAsJackson(text, changes.stream().allMatch(MapChangesReaderProperties::plainChange), MapChangesReader::read);
    }

    /** The same texts bent out of the plain layout: either declined, or read exactly as Jackson. */
    @Property(tries = 1000)
    void anyOtherLayoutIsDeclinedOrReadExactly(@ForAll("changeLists") List<JsonValue> changes, @ForAll("bends") int bend) {
        bentIsDeclinedOrReadExactly(bent(JsonWriter.stringify(new JsonValue.Arr(changes)), bend), MapChangesReader::read);
    }

    /**
     * The changes texts (plain and bent) as the body of the string literal they travel in: read
     * straight from the body they give Jackson's tree of the unescaped text (and are taken whenever
     * the text is plain and its strings hold no quote or backslash); every shorter body (cut at an
     * escape boundary, the rest of the literal still after it in the text) is declined or read as
     * that shorter text: the reader never looks past the body's end.
     */
    @Property(tries = 1000)
    void literalBodiesAreReadAsTheirValue(@ForAll("changeLists") List<JsonValue> changes, @ForAll("bends") int bend) {
        String value = JsonWriter.stringify(new JsonValue.Arr(changes));
        if (bend % 2 == 1) value = bent(value, bend);
        boolean plain = bend % 2 == 0 && changes.stream().allMatch(MapChangesReaderProperties::plainChange)
                && !value.replace("\\\"", "").replace("\\\\", "").contains("\\");
        literalBodyIsReadAsItsValue(value, plain, MapChangesReader::read, MapChangesReader::readLiteral);
    }

    @Example
    void literalBodiesDeclineEscapedStringsAndStayInBounds() {
        String text = "x[{\\\"op\\\":\\\"set\\\",\\\"key\\\":\\\"k\\\",\\\"value\\\":12}]y";
        JsonValue.Arr a = MapChangesReader.readLiteral(text, 1, text.length() - 1);
        assertNotNull(a, text);
        assertEquals(Json.parse("[{\"op\":\"set\",\"key\":\"k\",\"value\":12}]"), a);
        assertNull(MapChangesReader.readLiteral(text, 1, text.length() - 2)); // "]" cut off
        assertNull(MapChangesReader.readLiteral(text, 1, text.length() - 4)); // "12" read as 1: the '}' must follow within the body
        String quoteInKey = "[{\\\"op\\\":\\\"del\\\",\\\"key\\\":\\\"a\\\\\\\"b\\\"}]";
        assertNull(MapChangesReader.readLiteral(quoteInKey, 0, quoteInKey.length()), quoteInKey);
        assertEquals(Json.parse("[{\"op\":\"del\",\"key\":\"a\\\"b\"}]"),
                Json.parse(JsonStrings.unescapeCanonicalAscii(quoteInKey, 0, quoteInKey.length(), unescapedLength(quoteInKey, 0, quoteInKey.length()))));
    }

    @Example
    void declinesWhatItDoesNotTake() {
        for (String text : List.of("[]", "[{\"op\":\"set\",\"key\":\"a\",\"value\":1.5}]", "[{\"op\":\"set\",\"key\":\"a\",\"value\":1e3}]",
                "[{\"op\":\"set\",\"key\":\"a\",\"value\":01}]", "[{\"op\":\"set\",\"key\":\"a\",\"value\":1234567890123456}]",
                "[{\"op\":\"set\",\"key\":\"a\",\"value\":{}}]", "[{\"op\":\"set\",\"key\":\"a\"}]", "[{\"op\":\"set\",\"key\":\"a\\n\",\"value\":1}]",
                "[{\"op\":\"del\",\"key\":\"a\",\"value\":1}]", "[{\"op\":\"set\",\"key\":\"a\",\"value\":1} ]", "[{\"op\":\"set\",\"key\":\"a\",\"value\":1}]x",
                "[{\"op\":\"set\",\"key\":\"a\",\"value\":1},]", "[{\"op\":\"set\",\"key\":\"a\",\"value\":-}]", "[{\"op\":\"set\",\"key\":\"a\",\"value\":tru}]",
                "[{\"op\":\"set\",\"key\":\"a\",\"value\":1}", "[{\"op\":\"set\",\"key\":\"a")) {
            assertNull(MapChangesReader.read(text), text);
        }
        JsonValue.Arr a = MapChangesReader.read("[{\"op\":\"set\",\"key\":\"\u00e9\u20ac\ud83d\",\"value\":-0},{\"op\":\"del\",\"key\":\"\"}]");
        assertNotNull(a);
        assertEquals("\u00e9\u20ac\ud83d", ((JsonValue.Str) ((JsonValue.Obj) a.get(0)).get("key")).value());
        assertEquals(Long.toHexString(Double.doubleToRawLongBits(-0.0)),
                Long.toHexString(Double.doubleToRawLongBits(((JsonValue.Num) ((JsonValue.Obj) a.get(0)).get("value")).value())));
    }

    @Provide
    Arbitrary<List<JsonValue>> changeLists() {
        Arbitrary<String> keys = Arbitraries.oneOf(Arbitraries.of("k0", "k1", "a", "", "0", "12", "set", "x\"y", "a\\b", "\u00e9", "\u20ac", "\ud83d\ude00", "\ud800", "t\tab"),
                Arbitraries.strings().ofMaxLength(20));
        Arbitrary<JsonValue> values = Arbitraries.oneOf(
                Arbitraries.longs().between(-999_999_999_999_999L, 999_999_999_999_999L).map(JsonValue::of),
                Arbitraries.of(0L, -1L, 7L, 1_000_000_000_000_000L, -9_007_199_254_740_993L).map(JsonValue::of),
                Arbitraries.of(0.5, -0.0, 1e21, 1.5e-7, 123.25).map(JsonValue::of),
                keys.map(JsonValue::of),
                Arbitraries.of(JsonValue.TRUE, JsonValue.FALSE, JsonValue.NULL),
                Arbitraries.of(JsonValue.arr(JsonValue.of(1)), JsonValue.obj("a", JsonValue.of("b")), JsonValue.arr()));
        Arbitrary<JsonValue> set = Combinators.combine(keys, values).as((k, v) -> JsonValue.obj("op", JsonValue.of("set"), "key", JsonValue.of(k), "value", v));
        Arbitrary<JsonValue> del = keys.map(k -> JsonValue.obj("op", JsonValue.of("del"), "key", JsonValue.of(k)));
        Arbitrary<JsonValue> other = Arbitraries.of(
                JsonValue.obj("op", JsonValue.of("set"), "key", JsonValue.of("k")),
                JsonValue.obj("op", JsonValue.of("app"), "value", JsonValue.of(1)),
                JsonValue.obj("key", JsonValue.of("k"), "op", JsonValue.of("set"), "value", JsonValue.of(1)),
                JsonValue.obj("op", JsonValue.of("set"), "key", JsonValue.of("k"), "value", JsonValue.of(1), "extra", JsonValue.TRUE),
                JsonValue.of(3));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(6, set), net.jqwik.api.Tuple.of(3, del), net.jqwik.api.Tuple.of(1, other))
                .list().ofMinSize(1).ofMaxSize(5);
    }

    @Provide
    Arbitrary<Integer> bends() {
        return ChangesReaderChecks.bends();
    }

    /** A change the reader must take: set/del with a string key and a plain value, in that field order. */
    private static boolean plainChange(JsonValue v) {
        if (!(v instanceof JsonValue.Obj o) || !(o.get("key") instanceof JsonValue.Str k) || !unescaped(k)) return false;
        List<String> names = List.copyOf(o.fields().keySet());
        JsonValue op = o.get("op");
        if (op.equals(JsonValue.of("del"))) return names.equals(List.of("op", "key"));
        if (!op.equals(JsonValue.of("set")) || !names.equals(List.of("op", "key", "value"))) return false;
        JsonValue value = o.get("value");
        if (value instanceof JsonValue.Num) return plainInteger(value);
        if (value instanceof JsonValue.Str str) return unescaped(str);
        return value instanceof JsonValue.Bool || value instanceof JsonValue.Null;
    }
}
