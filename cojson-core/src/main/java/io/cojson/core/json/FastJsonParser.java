package io.cojson.core.json;

import java.util.ArrayList;
import java.util.List;

/**
 * A small recursive-descent parser for well-formed JSON text, the fast path of {@link Json#parse}.
 * Creating a Jackson parser costs more than parsing a transaction's changes text, and a short-lived
 * JVM runs Jackson's many layers interpreted; this loop is compiled after a few thousand tokens.
 *
 * <p>It accepts exactly RFC 8259 JSON and builds the same values as the Jackson path ({@code
 * JSON.parse} semantics). On anything else (a syntax error, very deep nesting) it gives up and
 * returns {@code null}, and {@link Json#parse} lets Jackson decide and word the error.
 */
final class FastJsonParser {
    /** Deeper texts go to Jackson, which enforces the configured nesting limit. */
    private static final int MAX_DEPTH = 500;
    /** Recently seen short object keys ("op", "key", "value", …), shared between parses. */
    private static final String[] KEY_CACHE = new String[512];

    private final String s;
    private final int len;
    private int pos;
    private int depth;

    private FastJsonParser(String s) {
        this.s = s;
        this.len = s.length();
    }

    /** Signals "not handled here": no stack trace, one shared instance. */
    private static final class GiveUp extends RuntimeException {
        static final GiveUp INSTANCE = new GiveUp();

        private GiveUp() {
            super(null, null, false, false);
        }
    }

    /** The value of {@code text}, or {@code null} when the text is not plain well-formed JSON here. */
    static JsonValue tryParse(String text) {
        FastJsonParser p = new FastJsonParser(text);
        try {
            p.skipWs();
            JsonValue v = p.value();
            p.skipWs();
            return p.pos == p.len ? v : null;
        } catch (GiveUp | IndexOutOfBoundsException e) {
            return null;
        }
    }

    private static GiveUp giveUp() {
        return GiveUp.INSTANCE;
    }

    private void skipWs() {
        while (pos < len) {
            char c = s.charAt(pos);
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') return;
            pos++;
        }
    }

    private JsonValue value() {
        if (pos >= len) throw giveUp();
        char c = s.charAt(pos);
        switch (c) {
            case '{':
                return object();
            case '[':
                return array();
            case '"':
                return new JsonValue.Str(string(false));
            case 't':
                literal("true");
                return JsonValue.TRUE;
            case 'f':
                literal("false");
                return JsonValue.FALSE;
            case 'n':
                literal("null");
                return JsonValue.NULL;
            default:
                if (c == '-' || (c >= '0' && c <= '9')) return number();
                throw giveUp();
        }
    }

    private void literal(String word) {
        if (!s.startsWith(word, pos)) throw giveUp();
        pos += word.length();
    }

    private JsonValue object() {
        if (++depth > MAX_DEPTH) throw giveUp();
        pos++; // '{'
        SmallFields.Builder fields = new SmallFields.Builder();
        skipWs();
        if (pos < len && s.charAt(pos) == '}') {
            pos++;
        } else {
            while (true) {
                if (pos >= len || s.charAt(pos) != '"') throw giveUp();
                String key = string(true);
                skipWs();
                if (pos >= len || s.charAt(pos) != ':') throw giveUp();
                pos++;
                skipWs();
                fields.put(key, value());
                skipWs();
                if (pos >= len) throw giveUp();
                char c = s.charAt(pos++);
                if (c == '}') break;
                if (c != ',') throw giveUp();
                skipWs();
            }
        }
        depth--;
        return new JsonValue.Obj(fields.build());
    }

    private JsonValue array() {
        if (++depth > MAX_DEPTH) throw giveUp();
        pos++; // '['
        List<JsonValue> items = new ArrayList<>();
        skipWs();
        if (pos < len && s.charAt(pos) == ']') {
            pos++;
        } else {
            while (true) {
                items.add(value());
                skipWs();
                if (pos >= len) throw giveUp();
                char c = s.charAt(pos++);
                if (c == ']') break;
                if (c != ',') throw giveUp();
                skipWs();
            }
        }
        depth--;
        return new JsonValue.Arr(items);
    }

    /** A string literal at {@code pos} (on its opening quote); keys may come from the cache. */
    private String string(boolean key) {
        int start = ++pos;
        while (true) {
            if (pos >= len) throw giveUp();
            char c = s.charAt(pos);
            if (c == '"') break;
            if (c == '\\') return escapedString(start);
            if (c < 0x20) throw giveUp();
            pos++;
        }
        int end = pos++;
        return key && end - start <= 16 ? cachedKey(start, end) : s.substring(start, end);
    }

    private String cachedKey(int start, int end) {
        int h = 0;
        for (int i = start; i < end; i++) h = 31 * h + s.charAt(i);
        int slot = (h ^ (h >>> 9)) & (KEY_CACHE.length - 1);
        String k = KEY_CACHE[slot]; // Strings are immutable: a racy read sees a whole String or null
        int n = end - start;
        if (k != null && k.length() == n && s.regionMatches(start, k, 0, n)) return k;
        k = s.substring(start, end);
        KEY_CACHE[slot] = k;
        return k;
    }

    private String escapedString(int start) {
        StringBuilder sb = new StringBuilder(pos - start + 16);
        sb.append(s, start, pos);
        while (true) {
            if (pos >= len) throw giveUp();
            char c = s.charAt(pos++);
            if (c == '"') return sb.toString();
            if (c < 0x20) throw giveUp();
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (pos >= len) throw giveUp();
            char e = s.charAt(pos++);
            switch (e) {
                case '"', '\\', '/' -> sb.append(e);
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    if (pos + 4 > len) throw giveUp();
                    int v = 0;
                    for (int i = 0; i < 4; i++) {
                        int d = Character.digit(s.charAt(pos + i), 16);
                        if (d < 0) throw giveUp();
                        v = (v << 4) | d;
                    }
                    pos += 4;
                    sb.append((char) v);
                }
                default -> throw giveUp();
            }
        }
    }

    private JsonValue number() {
        int start = pos;
        boolean negative = s.charAt(pos) == '-';
        if (negative) pos++;
        if (pos >= len) throw giveUp();
        char c = s.charAt(pos);
        if (c == '0') {
            pos++;
        } else if (c >= '1' && c <= '9') {
            while (pos < len && isDigit(s.charAt(pos))) pos++;
        } else {
            throw giveUp();
        }
        int intEnd = pos;
        boolean plainInteger = true;
        if (pos < len && s.charAt(pos) == '.') {
            plainInteger = false;
            pos++;
            int digits = pos;
            while (pos < len && isDigit(s.charAt(pos))) pos++;
            if (pos == digits) throw giveUp();
        }
        if (pos < len && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
            plainInteger = false;
            pos++;
            if (pos < len && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) pos++;
            int digits = pos;
            while (pos < len && isDigit(s.charAt(pos))) pos++;
            if (pos == digits) throw giveUp();
        }
        if (pos - start > 1_000) throw giveUp(); // Jackson enforces the number length limit
        int digitsStart = negative ? start + 1 : start;
        if (plainInteger && intEnd - digitsStart <= 15) {
            long v = 0;
            for (int i = digitsStart; i < intEnd; i++) v = v * 10 + (s.charAt(i) - '0');
            // exact in a double (< 2^53); "-0" is -0 as in JSON.parse
            return new JsonValue.Num(negative ? -(double) v : (double) v);
        }
        // correctly rounded, like JSON.parse (±Infinity and 0 out of range)
        return new JsonValue.Num(Double.parseDouble(s.substring(start, pos)));
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
