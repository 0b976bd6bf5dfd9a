package io.cojson.core.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * The checks the map and list changes readers share: each reads a text (or a literal's body) of
 * the form peers write exactly as Jackson does, and declines any other (then the general path
 * decides, and rejects invalid text with its typed error).
 */
final class ChangesReaderChecks {
    /** A reader of the body {@code text[from, to)} of a string literal. */
    interface LiteralReader {
        JsonValue.Arr read(String text, int from, int to);
    }

    private ChangesReaderChecks() {}

    static Arbitrary<Integer> bends() {
        return Arbitraries.integers().between(0, 9999);
    }

    /** Changes as {@code JsonWriter} writes them: taken when {@code plain}, and read as Jackson reads them. */
    static void canonicalIsReadAsJackson(String text, boolean plain, Function<String, JsonValue.Arr> reader) {
        JsonValue.Arr read = reader.apply(text);
        if (plain) assertNotNull(read, text);
        if (read != null) assertAlike(Json.parseWithJackson(text), read, text);
        assertAlike(Json.parseWithJackson(text), Json.parse(text), text);
    }

    /** A text bent out of the plain layout: declined, or read exactly as Jackson; invalid text a typed error. */
    static void bentIsDeclinedOrReadExactly(String text, Function<String, JsonValue.Arr> reader) {
        JsonValue jackson;
        try {
            jackson = Json.parseWithJackson(text);
        } catch (InvalidJsonException e) {
            assertNull(reader.apply(text), text);
            assertThrows(InvalidJsonException.class, () -> Json.parse(text), text);
            return;
        }
        JsonValue.Arr read = reader.apply(text);
        if (read != null) assertAlike(jackson, read, text);
        assertAlike(jackson, Json.parse(text), text);
    }

    /**
     * {@code value} as the body of the string literal it is stored in: read straight from the body
     * it gives Jackson's tree of the unescaped text (and is taken when {@code plain}); taken exactly
     * when the plain reader takes the value and it holds no escape; every shorter body (cut outside
     * an escape, the rest of the literal still after it) is declined or read as that shorter text:
     * the reader never looks past the body's end.
     */
    static void literalBodyIsReadAsItsValue(String value, boolean plain, Function<String, JsonValue.Arr> reader, LiteralReader literalReader) {
        String literal = JsonStrings.quote(value);
        if (!literal.chars().allMatch(ch -> ch >= 0x20 && ch < 0x80) || literal.replace("\\\\", "").replace("\\\"", "").contains("\\")) return;
        String text = "{\"changes\":" + literal + ",\"madeAt\":1}";
        int from = text.indexOf(literal) + 1;
        int to = from + literal.length() - 2;
        JsonValue.Arr read = literalReader.read(text, from, to);
        if (plain) assertNotNull(read, text);
        if (read != null) assertAlike(Json.parseWithJackson(value), read, text);
        assertEquals(reader.apply(value) != null && !value.contains("\\"), read != null, text);
        for (int cut = from; cut < to; cut++) {
            if (text.charAt(cut - 1) == '\\' && !escapedBackslashBefore(text, from, cut)) continue; // inside an escape
            JsonValue.Arr part = literalReader.read(text, from, cut);
            if (part != null) {
                assertAlike(Json.parseWithJackson(JsonStrings.unescapeCanonicalAscii(text, from, cut, unescapedLength(text, from, cut))), part, text + " cut at " + cut);
            }
        }
    }

    /** An integer the readers take as it is (no fraction or exponent, below 1e15, not -0). */
    static boolean plainInteger(JsonValue value) {
        if (!(value instanceof JsonValue.Num n)) return false;
        double d = n.value();
        return d == Math.rint(d) && Math.abs(d) < 1e15 && !(d == 0 && Double.doubleToRawLongBits(d) != 0);
    }

    /** Written without escapes (no quote, backslash, control char or lone surrogate). */
    static boolean unescaped(JsonValue.Str s) {
        return JsonWriter.stringify(s).equals('"' + s.value() + '"');
    }

    /** The text with one deterministic edit at a position chosen by {@code bend}: whitespace, escapes, cuts, junk. */
    static String bent(String text, int bend) {
        int at = bend % (text.length() + 1);
        String[] edits = {" ", "\n", "\\u0041", "\\\"", "x", ",", "]", "}", "\"", "0", ".5", "-", "e1", "{", ":"};
        return switch (bend / 1000 % 3) {
            case 0 -> text.substring(0, at) + edits[bend % edits.length] + text.substring(at);
            case 1 -> text.substring(0, at);
            default -> text.substring(0, at) + text.substring(Math.min(text.length(), at + 1 + bend % 3));
        };
    }

    /** Equal values, key order and number bits (-0, exact doubles). */
    static void assertAlike(JsonValue expected, JsonValue actual, String text) {
        assertEquals(expected, actual, text);
        assertEquals(JsonWriter.stringify(expected), JsonWriter.stringify(actual), text);
        assertEquals(JsonCursorProperties.bits(expected), JsonCursorProperties.bits(actual), text);
    }

    /** Whether the backslash at {@code cut - 1} ends an escaped backslash (an even run of them). */
    private static boolean escapedBackslashBefore(String text, int from, int cut) {
        int run = 0;
        for (int i = cut - 1; i >= from && text.charAt(i) == '\\'; i--) run++;
        return run % 2 == 0;
    }

    static int unescapedLength(String text, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++, n++) if (text.charAt(i) == '\\') i++;
        return n;
    }
}
