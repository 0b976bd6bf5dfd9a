package io.cojson.sync.transport.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import io.cojson.core.json.internal.JacksonJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * {@link LineScan} against Jackson (cojson's configured parser, the path it replaces): whatever the
 * scan vouches for, Jackson reads as the same object with the same action, time and priority;
 * the scan vouches for the plain lines a peer sends; and a frame's verdict is Jackson's.
 */
class LineScanProperties {
    private static final String PRINTABLE = "abcXYZ019 _-:,{}[]\"\\/";

    /** The object Jackson reads from {@code text}, or null when Jackson rejects it (or it is not an object). */
    private static JsonValue.Obj jackson(String text) {
        try (JsonParser p = JacksonJson.factory().createParser(text)) {
            JsonToken t = p.nextToken();
            if (t == null) return null;
            JsonValue v = JacksonJson.read(p, t);
            if (p.nextToken() != null) return null;
            return v instanceof JsonValue.Obj o ? o : null;
        } catch (Exception e) {
            return null;
        }
    }

    private static JsonValue randomValue(Random r, int depth, boolean wideChars) {
        int kind = depth > 4 ? r.nextInt(4) : r.nextInt(6);
        switch (kind) {
            case 0:
                return new JsonValue.Num(r.nextBoolean() ? r.nextInt(2000) - 1000 : (r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(40) - 20));
            case 1:
                return new JsonValue.Str(randomString(r, wideChars));
            case 2:
                return r.nextBoolean() ? JsonValue.TRUE : r.nextBoolean() ? JsonValue.FALSE : JsonValue.NULL;
            case 3:
                return new JsonValue.Str("co_z" + r.nextInt(1_000_000));
            case 4: {
                List<JsonValue> items = new ArrayList<>();
                for (int i = r.nextInt(4); i > 0; i--) items.add(randomValue(r, depth + 1, wideChars));
                return new JsonValue.Arr(items);
            }
            default:
                return randomObject(r, depth + 1, wideChars);
        }
    }

    private static JsonValue.Obj randomObject(Random r, int depth, boolean wideChars) {
        Map<String, JsonValue> fields = new LinkedHashMap<>();
        for (int i = r.nextInt(4); i > 0; i--) fields.put(randomString(r, wideChars), randomValue(r, depth + 1, wideChars));
        return new JsonValue.Obj(fields);
    }

    private static String randomString(Random r, boolean wideChars) {
        StringBuilder sb = new StringBuilder();
        for (int i = r.nextInt(8); i > 0; i--) {
            int k = r.nextInt(10);
            if (wideChars && k == 0) sb.append((char) r.nextInt(0x10000)); // controls, lone surrogates, wide chars
            else if (wideChars && k == 1) sb.append("\uD83D\uDE00");
            else sb.append(PRINTABLE.charAt(r.nextInt(PRINTABLE.length())));
        }
        return sb.toString();
    }

    /** A content-like line: the keys the scan reads come first, as the reference writes them, then anything. */
    private static String line(Random r, boolean wideChars) {
        Map<String, JsonValue> fields = new LinkedHashMap<>();
        fields.put("action", new JsonValue.Str(r.nextBoolean() ? "content" : "error"));
        fields.put("id", new JsonValue.Str("co_z" + r.nextInt(1000)));
        if (r.nextBoolean()) fields.put("header", randomObject(r, 1, wideChars));
        if (r.nextBoolean()) fields.put("priority", new JsonValue.Num(r.nextInt(7)));
        if (r.nextInt(4) == 0) fields.put("time", new JsonValue.Num(1_735_736_405_029L + r.nextInt(1000)));
        fields.put("new", randomObject(r, 1, wideChars));
        String text = JsonWriter.stringify(new JsonValue.Obj(fields));
        return r.nextInt(3) == 0 ? spaced(r, text) : text;
    }

    /** JSON whitespace at random token boundaries (outside strings). */
    private static String spaced(Random r, String text) {
        StringBuilder sb = new StringBuilder();
        boolean inString = false;
        boolean escaped = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            sb.append(c);
            if (inString) {
                if (escaped) escaped = false;
                else if (c == '\\') escaped = true;
                else if (c == '"') inString = false;
            } else if (c == '"') {
                inString = true;
            } else if ((c == ',' || c == ':' || c == '{' || c == '[') && r.nextBoolean()) {
                sb.append(" \t\r".charAt(r.nextInt(3))); // no \n: a frame splits its lines there
            }
        }
        return sb.toString();
    }

    private static String mutate(Random r, String text) {
        StringBuilder sb = new StringBuilder(text);
        for (int m = 1 + r.nextInt(3); m > 0 && sb.length() > 0; m--) {
            int at = r.nextInt(sb.length());
            switch (r.nextInt(4)) {
                case 0 -> sb.deleteCharAt(at);
                case 1 -> sb.insert(at, "\"{}[],:\\0-e.tnu \u0001\u00e9".charAt(r.nextInt(17)));
                case 2 -> sb.setCharAt(at, "\"{}[],:\\0-e.tnu \u0001\u00e9".charAt(r.nextInt(17)));
                default -> sb.insert(at, sb.charAt(r.nextInt(sb.length())));
            }
        }
        return sb.toString();
    }

    private static void assertAgreesWithJackson(String text) {
        FrameCodec.Head h = LineScan.head(text);
        if (h == null) return; // not vouched for: the caller asks Jackson
        JsonValue.Obj o = jackson(text);
        assertNotNull(o, "the scan vouched for a line Jackson rejects: " + text);
        assertTrue(h.object);
        JsonValue action = o.get("action");
        assertEquals(action != null, h.hasAction, text);
        assertEquals(action instanceof JsonValue.Str s ? s.value() : null, h.action, text);
        JsonValue time = o.get("time");
        assertEquals(time != null, h.hasTime, text);
        if (time instanceof JsonValue.Num n) assertEquals(n.value(), h.time, text);
        JsonValue priority = o.get("priority");
        assertEquals(priority instanceof JsonValue.Num n ? Integer.valueOf((int) n.value()) : null, h.priority, text);
    }

    @Property(tries = 3000)
    void whatTheScanVouchesForJacksonReadsTheSame(@ForAll long seed) {
        Random r = new Random(seed);
        String valid = line(r, r.nextBoolean());
        assertAgreesWithJackson(valid);
        for (int i = 0; i < 4; i++) assertAgreesWithJackson(mutate(r, valid));
    }

    @Property(tries = 1000)
    void plainLinesAreVouchedFor(@ForAll long seed) {
        Random r = new Random(seed);
        String text = line(r, false);
        FrameCodec.Head h = LineScan.head(text);
        assertNotNull(h, text);
        assertAgreesWithJackson(text);
    }

    @Property(tries = 1000)
    void aFrameIsRejectedExactlyWhenJacksonRejectsALine(@ForAll long seed) {
        Random r = new Random(seed);
        String content = line(r, r.nextBoolean());
        String candidate = r.nextBoolean() ? content : mutate(r, content);
        boolean jacksonAccepts = jackson(candidate) != null || jacksonAcceptsAnyValue(candidate);
        FrameCodec.Decoded d = FrameCodec.decode("{\"action\":\"load\",\"id\":\"co_zA\",\"header\":false,\"sessions\":{}}\n" + candidate);
        assertEquals(!jacksonAccepts, d.error != null, candidate);
    }

    private static boolean jacksonAcceptsAnyValue(String text) {
        try (JsonParser p = JacksonJson.factory().createParser(text)) {
            if (p.nextToken() == null) return false;
            p.skipChildren();
            return p.nextToken() == null;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void deepNestingAndLongNumbersAreLeftToJackson() {
        String deep = "{\"action\":\"content\",\"new\":" + "[".repeat(600) + "]".repeat(600) + "}";
        assertNull(LineScan.head(deep));
        assertNull(FrameCodec.decode(deep).error, "Jackson takes it (nesting below its limit)");
        String longNumber = "{\"action\":\"content\",\"n\":" + "1".repeat(1_500) + "}";
        assertNull(LineScan.head(longNumber));
        assertNull(FrameCodec.decode(longNumber).error);
    }

    @Test
    void escapedOrUnusualHeadsAreLeftToJackson() {
        assertNull(LineScan.head("{\"action\":\"cont\\u0065nt\",\"new\":{}}"));
        assertEquals("content", FrameCodec.decode("{\"action\":\"cont\\u0065nt\",\"new\":{}}").lines.get(0).action);
        assertNull(LineScan.head("{\"action\":\"content\",\"priority\":\"3\"}"));
        assertNull(FrameCodec.decode("{\"action\":\"content\",\"priority\":\"3\"}").lines.get(0).priority);
        assertEquals("error", LineScan.head("{\"action\":\"content\",\"action\":\"error\"}").action, "the last value, as JSON.parse");
    }
}
