package io.cojson.core.json;

import static io.cojson.core.json.ChangesReaderChecks.assertAlike;
import static io.cojson.core.json.ChangesReaderChecks.bent;
import static io.cojson.core.json.ChangesReaderChecks.bentIsDeclinedOrReadExactly;
import static io.cojson.core.json.ChangesReaderChecks.canonicalIsReadAsJackson;
import static io.cojson.core.json.ChangesReaderChecks.literalBodyIsReadAsItsValue;
import static io.cojson.core.json.ChangesReaderChecks.plainInteger;
import static io.cojson.core.json.ChangesReaderChecks.unescaped;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * {@link ListChangesReader} (list changes read straight from the text, or from the body of the
 * string literal they are stored in) builds exactly what Jackson builds for the texts it takes
 * (values, key order, number bits), takes every text written the way peers write list changes, and
 * declines everything else, which the general path then reads (or rejects) as before.
 */
class ListChangesReaderProperties {
    private static final String SESSION = "co_zAbCdEfGhIjKlMnOpQrStUvWxYz1234_session_zQwErTyUiOpAsDf";

    /** List changes as {@code JsonWriter} writes them: the reader takes the plain ones and agrees with Jackson. */
    @Property(tries = 1000)
    void canonicalListChangesAreReadAsJacksonReadsThem(@ForAll("changeLists") List<JsonValue> changes) {
        String text = JsonWriter.stringify(new JsonValue.Arr(changes));
        canonicalIsReadAsJackson(text, changes.stream().allMatch(ListChangesReaderProperties::plainChange), ListChangesReader::read);
    }

    /** The same texts bent out of the plain layout: either declined, or read exactly as Jackson. */
    @Property(tries = 1000)
    void anyOtherLayoutIsDeclinedOrReadExactly(@ForAll("changeLists") List<JsonValue> changes, @ForAll("bends") int bend) {
        bentIsDeclinedOrReadExactly(bent(JsonWriter.stringify(new JsonValue.Arr(changes)), bend), ListChangesReader::read);
    }

    /**
     * The changes texts (plain and bent) as the body of the string literal they are stored in: read
     * straight from the body they give Jackson's tree of the unescaped text (and are taken whenever
     * the text is plain and its strings hold no quote or backslash); every shorter body (cut outside
     * an escape, the rest of the literal still after it in the text) is declined or read as that
     * shorter text: the reader never looks past the body's end.
     */
    @Property(tries = 1000)
    void literalBodiesAreReadAsTheirValue(@ForAll("changeLists") List<JsonValue> changes, @ForAll("bends") int bend) {
        String value = JsonWriter.stringify(new JsonValue.Arr(changes));
        if (bend % 2 == 1) value = bent(value, bend);
        boolean plain = bend % 2 == 0 && changes.stream().allMatch(ListChangesReaderProperties::plainChange) && !value.contains("\\");
        literalBodyIsReadAsItsValue(value, plain, ListChangesReader::read, ListChangesReader::readLiteral);
    }

    @Example
    void appendItemsShareTheirAnchorAndSessionsAreShared() {
        String anchor = "{\"sessionID\":\"" + SESSION + "\",\"txIndex\":3,\"changeIdx\":99}";
        String text = "[{\"op\":\"app\",\"value\":2,\"after\":" + anchor + "},{\"op\":\"app\",\"value\":1,\"after\":" + anchor
                + "},{\"op\":\"pre\",\"value\":\"x\",\"before\":{\"sessionID\":\"" + SESSION + "\",\"txIndex\":3,\"changeIdx\":98}}]";
        JsonValue.Arr a = ListChangesReader.read(text);
        assertNotNull(a);
        assertAlike(Json.parseWithJackson(text), a, text);
        JsonValue first = ((JsonValue.Obj) a.get(0)).get("after");
        assertSame(first, ((JsonValue.Obj) a.get(1)).get("after"));
        JsonValue.Obj third = (JsonValue.Obj) ((JsonValue.Obj) a.get(2)).get("before");
        assertSame(((JsonValue.Obj) first).get("sessionID"), third.get("sessionID"));
        assertEquals(JsonValue.of(98), third.get("changeIdx"));
        // Json.parse reads list changes with this reader too (the general cursor shares no objects)
        JsonValue.Arr parsed = (JsonValue.Arr) Json.parse(text);
        assertSame(((JsonValue.Obj) parsed.get(0)).get("after"), ((JsonValue.Obj) parsed.get(1)).get("after"));
        // the same from a literal body, and through the public entry point
        String body = text.replace("\"", "\\\"");
        String stored = "{\"changes\":\"" + body + "\"}";
        int from = stored.indexOf('[');
        JsonValue.Arr lit = Json.readListChangesLiteral(stored, from, from + body.length());
        assertAlike(Json.parseWithJackson(text), lit, stored);
        assertSame(((JsonValue.Obj) lit.get(0)).get("after"), ((JsonValue.Obj) lit.get(1)).get("after"));
    }

    @Example
    void readsBranchesDeletionsAndPlainValues() {
        String text = "[{\"op\":\"del\",\"insertion\":{\"sessionID\":\"s\",\"txIndex\":0,\"branch\":\"co_zB\",\"changeIdx\":1}},"
                + "{\"op\":\"app\",\"value\":null,\"after\":\"start\"},{\"op\":\"app\",\"value\":true,\"after\":\"start\"},"
                + "{\"op\":\"pre\",\"value\":false,\"before\":\"end\"},{\"op\":\"app\",\"value\":-0,\"after\":\"start\"},"
                + "{\"op\":\"app\",\"value\":-999999999999999,\"after\":\"start\"},{\"op\":\"app\",\"value\":\"\u00e9\u20ac\ud83d\ude00\ud800\",\"after\":\"start\"}]";
        JsonValue.Arr a = ListChangesReader.read(text);
        assertNotNull(a, text);
        assertAlike(Json.parseWithJackson(text), a, text);
        assertEquals(List.of("sessionID", "txIndex", "branch", "changeIdx"),
                List.copyOf(((JsonValue.Obj) ((JsonValue.Obj) a.get(0)).get("insertion")).fields().keySet()));
        assertEquals(Long.toHexString(Double.doubleToRawLongBits(-0.0)),
                Long.toHexString(Double.doubleToRawLongBits(((JsonValue.Num) ((JsonValue.Obj) a.get(4)).get("value")).value())));
        assertEquals("\u00e9\u20ac\ud83d\ude00\ud800", ((JsonValue.Str) ((JsonValue.Obj) a.get(6)).get("value")).value());
        // in a literal's body a string with an escape of its own (here \u00e9) is declined
        String escaped = JsonStrings.quote("[{\"op\":\"app\",\"value\":\"a\\u00e9\",\"after\":\"start\"}]");
        assertNull(ListChangesReader.readLiteral(escaped, 1, escaped.length() - 1), escaped);
    }

    @Example
    void declinesWhatItDoesNotTake() {
        String opID = "{\"sessionID\":\"s\",\"txIndex\":0,\"changeIdx\":1}";
        for (String text : List.of("[]", "[{\"op\":\"app\",\"value\":1.5,\"after\":\"start\"}]", "[{\"op\":\"app\",\"value\":1e3,\"after\":\"start\"}]",
                "[{\"op\":\"app\",\"value\":01,\"after\":\"start\"}]", "[{\"op\":\"app\",\"value\":1234567890123456,\"after\":\"start\"}]",
                "[{\"op\":\"app\",\"value\":{},\"after\":\"start\"}]", "[{\"op\":\"app\",\"value\":[1],\"after\":\"start\"}]",
                "[{\"op\":\"app\",\"after\":\"start\"}]", "[{\"op\":\"app\",\"value\":\"a\\nb\",\"after\":\"start\"}]",
                "[{\"op\":\"app\",\"value\":\"a\\u00e9\",\"after\":\"start\"}]", "[{\"op\":\"app\",\"value\":\"a\\\"b\",\"after\":\"start\"}]",
                "[{\"op\":\"app\",\"value\":1,\"before\":\"start\"}]", "[{\"op\":\"pre\",\"value\":1,\"after\":\"end\"}]",
                "[{\"op\":\"app\",\"value\":1,\"after\":\"start\",\"x\":1}]", "[{\"op\":\"app\",\"value\":1,\"after\":\"start\"} ]",
                "[{\"op\":\"app\",\"value\":1,\"after\":\"start\"}]x", "[{\"op\":\"app\",\"value\":1,\"after\":\"start\"},]",
                "[{\"op\":\"app\",\"value\":-,\"after\":\"start\"}]", "[{\"op\":\"app\",\"value\":tru,\"after\":\"start\"}]",
                "[{\"op\":\"app\",\"value\":1,\"after\":\"start\"}", "[{\"op\":\"app\",\"value\":1,\"after\":\"sta",
                "[{\"op\":\"app\",\"value\":1,\"after\":7}]", "[{\"op\":\"del\",\"insertion\":\"start\"}]",
                "[{\"op\":\"del\",\"insertion\":{\"txIndex\":0,\"sessionID\":\"s\",\"changeIdx\":1}}]",
                "[{\"op\":\"del\",\"insertion\":{\"sessionID\":\"s\",\"txIndex\":0,\"changeIdx\":1,\"branch\":\"b\"}}]",
                "[{\"op\":\"del\",\"insertion\":{\"sessionID\":\"s\",\"txIndex\":0.5,\"changeIdx\":1}}]",
                "[{\"op\":\"del\",\"insertion\":{\"sessionID\":\"s\\\\\",\"txIndex\":0,\"changeIdx\":1}}]",
                "[{\"op\":\"del\",\"insertion\":" + opID + "},{\"op\":\"del\",\"insertion\":" + opID.replace("1}", "1,\"x\":2}") + "}]",
                "[{\"op\":\"del\",\"insertion\":" + opID + ",\"x\":1}]", "[{\"op\":\"set\",\"key\":\"a\",\"value\":1}]", "[1]")) {
            assertNull(ListChangesReader.read(text), text);
        }
    }

    /** Malformed texts are declined here and rejected with the typed error by the general path. */
    @Example
    void invalidTextIsDeclinedAndRejectedWithATypedError() {
        for (String text : List.of("[{\"op\":\"app\",\"value\":1,\"after\":\"start\"}", "[{\"op\":\"app\",\"value\":1,\"after\":\"start\"},]",
                "[{\"op\":\"app\",\"value\":-,\"after\":\"start\"}]", "[{\"op\":\"app\",\"value\":1,\"after\":\"start}]",
                "[{\"op\":\"del\",\"insertion\":{\"sessionID\":\"s\",\"txIndex\":0,\"changeIdx\":1}]",
                "[{\"op\":\"app\",\"value\":1,\"after\":\"start\"}]]", "[{\"op\":\"app\",\"value\":\"\\ud83d\\ude0\",\"after\":\"start\"}]")) {
            assertNull(ListChangesReader.read(text), text);
            assertThrows(InvalidJsonException.class, () -> Json.parse(text), text);
            String body = JsonStrings.quote(text);
            body = body.substring(1, body.length() - 1);
            assertNull(Json.readListChangesLiteral(body, 0, body.length()), body);
        }
        String s = "[{\\\"op\\\":\\\"app\\\",\\\"value\\\":1,\\\"after\\\":\\\"start\\\"}]";
        assertThrows(IndexOutOfBoundsException.class, () -> ListChangesReader.readLiteral(s, -1, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> ListChangesReader.readLiteral(s, 0, s.length() + 1));
        assertThrows(IndexOutOfBoundsException.class, () -> ListChangesReader.readLiteral(s, 4, 3));
        assertNotNull(ListChangesReader.readLiteral(s, 0, s.length()));
        assertNull(ListChangesReader.readLiteral(s, 0, s.length() - 1)); // "]" cut off
    }

    @Provide
    Arbitrary<List<JsonValue>> changeLists() {
        Arbitrary<String> strings = Arbitraries.oneOf(Arbitraries.of("a", "", "0", "12", "start", "end", "x\"y", "a\\b", "\u00e9", "\u20ac",
                "\ud83d\ude00", "\ud800", "t\tab", "co_zXyZ"), Arbitraries.strings().ofMaxLength(16));
        Arbitrary<JsonValue> values = Arbitraries.oneOf(
                Arbitraries.longs().between(-999_999_999_999_999L, 999_999_999_999_999L).map(JsonValue::of),
                Arbitraries.of(0L, -1L, 7L, 1_000_000_000_000_000L, -9_007_199_254_740_993L).map(JsonValue::of),
                Arbitraries.of(0.5, -0.0, 1e21, 1.5e-7, 123.25).map(JsonValue::of),
                strings.map(JsonValue::of),
                Arbitraries.of(JsonValue.TRUE, JsonValue.FALSE, JsonValue.NULL),
                Arbitraries.of(JsonValue.arr(JsonValue.of(1)), JsonValue.obj("a", JsonValue.of("b")), JsonValue.arr()));
        Arbitrary<String> sessions = Arbitraries.oneOf(Arbitraries.of(SESSION, SESSION + "x", "s", "a\"b", "\u00e9"), strings);
        Arbitrary<JsonValue> indices = Arbitraries.oneOf(Arbitraries.integers().between(0, 1000).map(JsonValue::of),
                Arbitraries.of(JsonValue.of(-1), JsonValue.of(1.5), JsonValue.of(-0.0), JsonValue.of("3"), JsonValue.of(1e21)));
        Arbitrary<JsonValue> opIDs = Combinators.combine(sessions, indices, indices, Arbitraries.of("", "", "", "co_zBranch", "b\"r")).as((s, t, c, b) -> b.isEmpty()
                ? JsonValue.obj("sessionID", JsonValue.of(s), "txIndex", t, "changeIdx", c)
                : JsonValue.obj("sessionID", JsonValue.of(s), "txIndex", t, "branch", JsonValue.of(b), "changeIdx", c));
        // OpIDs from a small pool, so that one often follows another with the same session, txIndex
        // and branch and another changeIdx (an append chain), or with the same text, or one more digit
        Arbitrary<JsonValue> chained = Combinators.combine(Arbitraries.of(SESSION, "s"), Arbitraries.of(JsonValue.of(0), JsonValue.of(1),
                JsonValue.of(10)), Arbitraries.of(JsonValue.of(0), JsonValue.of(1), JsonValue.of(12), JsonValue.of(-1), JsonValue.of(1.5),
                JsonValue.of("3")), Arbitraries.of("", "", "co_zBranch")).as((s, t, c, b) -> b.isEmpty()
                ? JsonValue.obj("sessionID", JsonValue.of(s), "txIndex", t, "changeIdx", c)
                : JsonValue.obj("sessionID", JsonValue.of(s), "txIndex", t, "branch", JsonValue.of(b), "changeIdx", c));
        // a few fixed anchors repeat, as the changes of one appendItems do
        Arbitrary<JsonValue> anchors = Arbitraries.oneOf(Arbitraries.of(JsonValue.of("start"), JsonValue.of("end"),
                JsonValue.obj("sessionID", JsonValue.of(SESSION), "txIndex", JsonValue.of(0), "changeIdx", JsonValue.of(9))), opIDs, chained,
                chained, strings.map(JsonValue::of));
        Arbitrary<JsonValue> app = Combinators.combine(values, anchors).as((v, a) -> JsonValue.obj("op", JsonValue.of("app"), "value", v, "after", a));
        Arbitrary<JsonValue> pre = Combinators.combine(values, anchors).as((v, a) -> JsonValue.obj("op", JsonValue.of("pre"), "value", v, "before", a));
        Arbitrary<JsonValue> del = Arbitraries.oneOf(opIDs, chained).map(o -> JsonValue.obj("op", JsonValue.of("del"), "insertion", o));
        Arbitrary<JsonValue> other = Arbitraries.of(
                JsonValue.obj("op", JsonValue.of("app"), "after", JsonValue.of("start")),
                JsonValue.obj("op", JsonValue.of("app"), "value", JsonValue.of(1), "before", JsonValue.of("start")),
                JsonValue.obj("value", JsonValue.of(1), "op", JsonValue.of("app"), "after", JsonValue.of("start")),
                JsonValue.obj("op", JsonValue.of("app"), "value", JsonValue.of(1), "after", JsonValue.of("start"), "extra", JsonValue.TRUE),
                JsonValue.obj("op", JsonValue.of("del"), "insertion", JsonValue.of(1)),
                JsonValue.obj("op", JsonValue.of("set"), "key", JsonValue.of("k"), "value", JsonValue.of(1)),
                JsonValue.of(3));
        return Arbitraries.frequencyOf(Tuple.of(6, app), Tuple.of(2, pre), Tuple.of(2, del), Tuple.of(1, other))
                .list().ofMinSize(1).ofMaxSize(6);
    }

    @Provide
    Arbitrary<Integer> bends() {
        return ChangesReaderChecks.bends();
    }

    /** A change the reader must take: app/pre/del in the peers' field order with plain values and OpIDs. */
    private static boolean plainChange(JsonValue v) {
        if (!(v instanceof JsonValue.Obj o)) return false;
        List<String> names = List.copyOf(o.fields().keySet());
        JsonValue op = o.get("op");
        if (JsonValue.of("del").equals(op)) return names.equals(List.of("op", "insertion")) && plainOpID(o.get("insertion"));
        boolean app = JsonValue.of("app").equals(op);
        if (!app && !JsonValue.of("pre").equals(op)) return false;
        String anchorField = app ? "after" : "before";
        if (!names.equals(List.of("op", "value", anchorField)) || !plainValue(o.get("value"))) return false;
        JsonValue anchor = o.get(anchorField);
        return anchor instanceof JsonValue.Str s ? unescaped(s) : plainOpID(anchor);
    }

    private static boolean plainOpID(JsonValue v) {
        if (!(v instanceof JsonValue.Obj o)) return false;
        List<String> names = List.copyOf(o.fields().keySet());
        boolean branch = names.equals(List.of("sessionID", "txIndex", "branch", "changeIdx"));
        if (!branch && !names.equals(List.of("sessionID", "txIndex", "changeIdx"))) return false;
        if (branch && !(o.get("branch") instanceof JsonValue.Str b && unescaped(b))) return false;
        return o.get("sessionID") instanceof JsonValue.Str s && unescaped(s) && plainInteger(o.get("txIndex")) && plainInteger(o.get("changeIdx"));
    }

    private static boolean plainValue(JsonValue value) {
        if (value instanceof JsonValue.Num) return plainInteger(value);
        if (value instanceof JsonValue.Str str) return unescaped(str);
        return value instanceof JsonValue.Bool || value instanceof JsonValue.Null;
    }
}
