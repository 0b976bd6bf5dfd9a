package io.cojson.core.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Properties of the JSON layer: parse/stringify round trips, canonical key order, JS number
 * formatting (checked against an independent BigDecimal oracle) and string escaping.
 */
class JsonProperties {

    // =====================================================================================
    // (a) round trips of random JSON trees
    // =====================================================================================

    @Property(tries = 500)
    void jsonStringifyThenParseGivesTheSameValue(@ForAll("jsonTrees") JsonValue v) {
        String text = JsonWriter.stringify(v);
        JsonValue parsed = Json.parse(text);
        assertEquals(v, parsed);
        // Map equality ignores order: the text comparison checks that insertion order survived
        assertEquals(text, JsonWriter.stringify(parsed));
        // JSON.stringify never emits a raw newline (sync frames are split on '\n')
        assertFalse(text.contains("\n"), text);
    }

    @Property(tries = 500)
    void stableStringifyIsIdempotentAndSorted(@ForAll("jsonTrees") JsonValue v) {
        String stable = StableJson.stringify(v);
        JsonValue parsed = Json.parse(stable);
        assertEquals(v, parsed, "stable text must parse back to an equal value");
        assertEquals(stable, StableJson.stringify(parsed));
        // the text of a sorted value is also what JSON.stringify prints, unless a key is an array
        // index: JS property order lists those first
        JsOrder.assertSortedTextInJsOrder(parsed);
        if (!JsOrder.hasArrayIndexKey(parsed)) assertEquals(stable, JsonWriter.stringify(parsed));
        // key order of the input does not matter
        assertEquals(stable, StableJson.stringify(reverseKeys(v)));
        assertEquals(new String(StableJson.bytes(v), StandardCharsets.UTF_8), stable);
    }

    @Example
    void stableOrderIsUtf16NotCodePoint() {
        JsonValue v = JsonValue.obj("\uffff", JsonValue.of(1), "\ud83d\ude00", JsonValue.of(2), "\ue000", JsonValue.of(3));
        // U+1F600 is D83D DE00 in UTF-16, so it sorts before U+E000 (code point order would differ)
        assertEquals("{\"\ud83d\ude00\":2,\"\ue000\":3,\"\uffff\":1}", StableJson.stringify(v));
    }

    private static JsonValue reverseKeys(JsonValue v) {
        if (v instanceof JsonValue.Obj o) {
            List<Map.Entry<String, JsonValue>> entries = List.copyOf(o.fields().entrySet());
            LinkedHashMap<String, JsonValue> m = new LinkedHashMap<>();
            for (int i = entries.size() - 1; i >= 0; i--) m.put(entries.get(i).getKey(), reverseKeys(entries.get(i).getValue()));
            return new JsonValue.Obj(m);
        }
        if (v instanceof JsonValue.Arr a) {
            return new JsonValue.Arr(a.items().stream().map(JsonProperties::reverseKeys).toList());
        }
        return v;
    }

    // =====================================================================================
    // (b) number formatting
    // =====================================================================================

    private static final Pattern JS_NUMBER =
            Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]*[1-9])?(e[+-][1-9][0-9]*)?");

    @Property(tries = 3000)
    void numberFormattingMatchesEcmaScript(@ForAll("finiteDoubles") double x) {
        checkNumber(x);
    }

    @Property(tries = 1000)
    void powersOfTwoAndTheirNeighbours(@ForAll("powersOfTwo") double x) {
        checkNumber(x);
        checkNumber(Math.nextUp(x));
        checkNumber(Math.nextDown(x));
    }

    @Example
    void everyPowerOfTwo() {
        for (int e = -1074; e <= 1023; e++) checkNumber(Math.scalb(1.0, e));
    }

    static void checkNumber(double x) {
        String t = JsNumber.toString(x);
        String where = x + " (bits " + Long.toHexString(Double.doubleToRawLongBits(x)) + ") -> " + t;
        if (x == 0) {
            assertEquals("0", t, where);
            return;
        }
        // 1. round trip
        assertEquals(Double.doubleToRawLongBits(x), Double.doubleToRawLongBits(Double.parseDouble(t)), where);
        assertTrue(JS_NUMBER.matcher(t).matches(), where);
        assertEquals(x < 0, t.startsWith("-"), where);
        String abs = x < 0 ? t.substring(1) : t;

        // digits s (k of them) and position n: value = 0.s × 10^n
        BigDecimal printed = new BigDecimal(abs).stripTrailingZeros();
        String s = printed.unscaledValue().toString();
        int k = s.length();
        int n = k - printed.scale();
        assertTrue(k <= 17, where);

        // 2. shortest: no decimal with one digit fewer round-trips. Both neighbours of the exact
        // value are tried: at powers of two the round-trip interval is asymmetric.
        BigDecimal exact = new BigDecimal(Math.abs(x));
        double ax = Math.abs(x);
        if (k > 1) {
            for (RoundingMode mode : List.of(RoundingMode.FLOOR, RoundingMode.CEILING, RoundingMode.HALF_EVEN)) {
                BigDecimal shorter = exact.round(new MathContext(k - 1, mode));
                assertFalse(roundTrips(shorter, ax), where + ": " + shorter + " is shorter and round-trips");
            }
        }

        // 3. closest among the k-digit decimals that round-trip, ties to the even digit
        BigDecimal down = exact.round(new MathContext(k, RoundingMode.FLOOR));
        BigDecimal up = exact.round(new MathContext(k, RoundingMode.CEILING));
        assertTrue(printed.compareTo(down) == 0 || printed.compareTo(up) == 0, where + ": not a neighbour of the exact value");
        if (down.compareTo(up) != 0 && roundTrips(down, ax) && roundTrips(up, ax)) {
            assertEquals(0, printed.compareTo(exact.round(new MathContext(k, RoundingMode.HALF_EVEN))),
                    where + ": not the closest (ties to even)");
        }

        // 4. layout (the four ECMAScript cases)
        assertEquals(layout(s, n), abs, where);

        // 5. cross-check with the JDK: Double.toString round-trips but on JDK 17 is not always
        // shortest or closest. It can never be shorter than ours; at equal length ours is at least
        // as close to the exact value.
        BigDecimal jdk = new BigDecimal(Double.toString(ax)).stripTrailingZeros();
        assertTrue(roundTrips(jdk, ax), where);
        assertTrue(jdk.precision() >= k, where + ": JDK found a shorter form " + jdk);
        if (jdk.precision() == k && jdk.compareTo(printed) != 0) {
            assertTrue(printed.subtract(exact).abs().compareTo(jdk.subtract(exact).abs()) <= 0,
                    where + ": JDK form " + jdk + " is closer");
        }
    }

    /** ECMAScript Number::toString layout for digits s (no trailing zeros) and position n. */
    static String layout(String s, int n) {
        int k = s.length();
        if (k <= n && n <= 21) return s + "0".repeat(n - k);
        if (0 < n && n <= 21) return s.substring(0, n) + "." + s.substring(n);
        if (-6 < n && n <= 0) return "0." + "0".repeat(-n) + s;
        int e = n - 1;
        return s.charAt(0) + (k > 1 ? "." + s.substring(1) : "") + "e" + (e >= 0 ? "+" : "-") + Math.abs(e);
    }

    private static boolean roundTrips(BigDecimal d, double x) {
        return Double.parseDouble(d.toString()) == x;
    }

    @Property(tries = 300)
    void numbersSurviveJsonRoundTrips(@ForAll("finiteDoubles") double x) {
        JsonValue v = JsonValue.arr(new JsonValue.Num(x), JsonValue.obj("n", new JsonValue.Num(x)));
        String text = JsonWriter.stringify(v);
        assertEquals(v, Json.parse(text));
        assertEquals(text, StableJson.stringify(Json.parse(text)));
    }

    // =====================================================================================
    // (c) string escaping
    // =====================================================================================

    @Property(tries = 2000)
    void quotedStringsParseBackAndUseOnlyTheAllowedEscapes(@ForAll("anyStrings") String s) {
        String q = JsonStrings.quote(s);
        assertEquals(new JsonValue.Str(s), Json.parse(q));
        assertEquals(q, JsonWriter.stringify(new JsonValue.Str(s)));
        if (!s.startsWith("encrypted_U") && !s.startsWith("binary_U")) {
            assertEquals(q, StableJson.stringify(new JsonValue.Str(s)));
        }
        assertTrue(q.length() >= 2 && q.charAt(0) == '"' && q.charAt(q.length() - 1) == '"', q);

        StringBuilder decoded = new StringBuilder();
        for (int i = 1; i < q.length() - 1; i++) {
            char c = q.charAt(i);
            assertTrue(c >= 0x20, "raw control character in " + q);
            assertTrue(c != '"', "raw quote in " + q);
            if (Character.isHighSurrogate(c)) {
                assertTrue(i + 1 < q.length() - 1 && Character.isLowSurrogate(q.charAt(i + 1)), "raw lone surrogate in " + q);
                decoded.append(c).append(q.charAt(++i));
                continue;
            }
            assertFalse(Character.isLowSurrogate(c), "raw lone surrogate in " + q);
            if (c != '\\') {
                decoded.append(c);
                continue;
            }
            char e = q.charAt(++i);
            switch (e) {
                case '"':
                case '\\':
                    decoded.append(e);
                    break;
                case 'b':
                    decoded.append('\b');
                    break;
                case 't':
                    decoded.append('\t');
                    break;
                case 'n':
                    decoded.append('\n');
                    break;
                case 'f':
                    decoded.append('\f');
                    break;
                case 'r':
                    decoded.append('\r');
                    break;
                case 'u': {
                    String hex = q.substring(i + 1, i + 5);
                    assertTrue(hex.matches("[0-9a-f]{4}"), "escape must be 4 lowercase hex digits: \\u" + hex);
                    char u = (char) Integer.parseInt(hex, 16);
                    boolean control = u < 0x20 && "\b\t\n\f\r".indexOf(u) < 0;
                    assertTrue(control || Character.isSurrogate(u), "needless escape \\u" + hex + " in " + q);
                    decoded.append(u);
                    i += 4;
                    break;
                }
                default:
                    throw new AssertionError("unexpected escape \\" + e + " in " + q);
            }
        }
        assertEquals(s, decoded.toString());
        // every escaped surrogate was really alone in the input
        String unescaped = q.substring(1, q.length() - 1);
        assertEquals(unescaped, new String(unescaped.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8),
                "output must be well-formed UTF-16");
    }

    @Property(tries = 300)
    void objectKeysAreEscapedLikeStrings(@ForAll("anyStrings") String key) {
        JsonValue.Obj o = JsonValue.obj(key, JsonValue.NULL);
        String expected = "{" + JsonStrings.quote(key) + ":null}";
        assertEquals(expected, JsonWriter.stringify(o));
        assertEquals(expected, StableJson.stringify(o));
        assertEquals(o, Json.parse(expected));
    }

    // =====================================================================================
    // generators
    // =====================================================================================

    @Provide
    Arbitrary<JsonValue> jsonTrees() {
        return tree(3);
    }

    private Arbitrary<JsonValue> tree(int depth) {
        Arbitrary<JsonValue> leaf = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just((JsonValue) JsonValue.NULL)),
                Tuple.of(1, Arbitraries.of(true, false).map(b -> (JsonValue) JsonValue.of(b))),
                Tuple.of(4, finiteDoubles().map(d -> (JsonValue) new JsonValue.Num(d))),
                Tuple.of(4, wellFormedStrings(12)
                        .filter(s -> !s.startsWith("encrypted_U") && !s.startsWith("binary_U"))
                        .map(s -> (JsonValue) new JsonValue.Str(s))));
        if (depth == 0) return leaf;
        Arbitrary<JsonValue> child = Arbitraries.lazy(() -> tree(depth - 1));
        Arbitrary<JsonValue> array = child.list().ofMaxSize(5).map(items -> (JsonValue) new JsonValue.Arr(items));
        Arbitrary<JsonValue> object = Combinators.combine(
                        wellFormedStrings(6).list().uniqueElements().ofMaxSize(5), child.list().ofSize(5))
                .as((keys, values) -> {
                    LinkedHashMap<String, JsonValue> m = new LinkedHashMap<>();
                    for (int i = 0; i < keys.size(); i++) m.put(keys.get(i), values.get(i));
                    return (JsonValue) new JsonValue.Obj(m);
                });
        return Arbitraries.frequencyOf(Tuple.of(3, leaf), Tuple.of(1, array), Tuple.of(2, object));
    }

    @Provide
    Arbitrary<Double> finiteDoubles() {
        return Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.doubles()),
                Tuple.of(4, Arbitraries.longs().map(Double::longBitsToDouble).filter(Double::isFinite)),
                Tuple.of(2, Arbitraries.longs().map(l -> (double) l)),
                Tuple.of(2, Arbitraries.integers().between(-100_000, 100_000).map(i -> (double) i)),
                Tuple.of(2, Combinators.combine(Arbitraries.longs().between(-99_999_999L, 99_999_999L),
                                Arbitraries.integers().between(-30, 30))
                        .as((m, e) -> Double.parseDouble(m + "e" + e))),
                Tuple.of(1, powersOfTwo()),
                Tuple.of(1, Combinators.combine(Arbitraries.doubles().between(-2, 2).ofScale(17),
                                Arbitraries.integers().between(-1074, -1000))
                        .as((m, e) -> Math.scalb(m, e))),
                Tuple.of(1, Arbitraries.of(0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MAX_VALUE,
                        -Double.MAX_VALUE, Double.MIN_NORMAL, Math.nextDown(Double.MIN_NORMAL), 1e21, 1e-7, 1e-6,
                        Math.nextDown(1e21), 9007199254740992.0, 9007199254740994.0, 0.1, 0.2, 0.3, 4.35)));
    }

    @Provide
    Arbitrary<Double> powersOfTwo() {
        return Arbitraries.integers().between(-1074, 1023).map(e -> Math.scalb(1.0, e));
    }

    /** Strings including lone surrogates (JsonStrings must escape them). */
    @Provide
    Arbitrary<String> anyStrings() {
        return codeUnitsOrPoints(true).list().ofMaxSize(20).map(JsonProperties::fromCodePoints);
    }

    /** Well-formed UTF-16: control characters, U+2028, U+FFFF, emoji, no lone surrogates. */
    private static Arbitrary<String> wellFormedStrings(int maxLength) {
        return codeUnitsOrPoints(false).list().ofMaxSize(maxLength).map(JsonProperties::fromCodePoints)
                .filter(s -> !JsonStrings.hasLoneSurrogate(s)); // a surrogate pair can't be split, but be explicit
    }

    private static Arbitrary<Integer> codeUnitsOrPoints(boolean loneSurrogates) {
        Arbitrary<Integer> common = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.integers().between(0x20, 0x7e)),
                Tuple.of(3, Arbitraries.integers().between(0, 0x1f)),
                Tuple.of(3, Arbitraries.of(0x22, 0x5c, 0x2f, 0x7f, 0x80, 0x2028, 0x2029, 0xfeff, 0xfffe, 0xffff, 0xe000,
                        0xd7ff, 0x1f600, 0x1f44d, 0x1f3fd, 0x200d, 0x10ffff, 0x10000)),
                Tuple.of(2, Arbitraries.integers().between(0x80, 0xd7ff)),
                Tuple.of(1, Arbitraries.integers().between(0xe000, 0xffff)),
                Tuple.of(2, Arbitraries.integers().between(0x10000, 0x10ffff)));
        if (!loneSurrogates) return common;
        return Arbitraries.frequencyOf(
                Tuple.of(5, common),
                Tuple.of(2, Arbitraries.integers().between(0xd800, 0xdfff)),
                Tuple.of(1, Arbitraries.of(0xd800, 0xdbff, 0xdc00, 0xdfff)));
    }

    private static String fromCodePoints(List<Integer> cps) {
        StringBuilder sb = new StringBuilder();
        for (int cp : cps) sb.appendCodePoint(cp); // a surrogate value appends that single code unit
        return sb.toString();
    }
}
