package io.cojson.core.json;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A small recursive-descent reader of well-formed JSON text: the fast path of {@link Json#parse},
 * and the cursor that streaming readers (content messages straight into transactions) walk with.
 * Creating a Jackson parser costs more than parsing a transaction's changes text, and a short-lived
 * JVM runs Jackson's many layers interpreted; these loops are compiled after a few thousand tokens.
 *
 * <p>It accepts exactly RFC 8259 JSON and builds the same values as the Jackson path ({@code
 * JSON.parse} semantics). On anything else (a syntax error, very deep nesting, a very long number)
 * it throws {@link Unhandled}, and the caller lets the Jackson path decide and word the error.
 * Not thread-safe; one cursor per text.
 */
public final class JsonCursor {
    /** Deeper texts go to Jackson, which enforces the configured nesting limit. */
    private static final int MAX_DEPTH = 500;
    /** Longer object keys go to Jackson, which enforces its name length limit (50 000 by default). */
    private static final int MAX_FAST_KEY = 10_000;
    /** Recently seen short object keys ("op", "key", "value", …), shared between parses. */
    private static final String[] KEY_CACHE = new String[512];

    static {
        // The keys cojson reads by name start out as the (interned) literals the readers use, so
        // that SmallFields finds them by identity before comparing chars.
        for (String k : new String[] {"op", "key", "value", "before", "after", "insert", "type", "ruleset", "meta",
                "uniqueness", "createdAt", "group", "initialAdmin", "changes", "madeAt", "privacy", "encryptedChanges",
                "keyUsed", "action", "id", "header", "new", "priority", "lastSignature", "newTransactions"}) {
            KEY_CACHE[keySlot(k, 0, k.length())] = k;
        }
    }
    /** Recently seen short string values, shared between parses. */
    private static final JsonValue.Str[] STR_CACHE = new JsonValue.Str[1024];

    private final String s;
    /**
     * The text as ISO-8859-1 bytes: array reads are one bytecode in the interpreter and need no call
     * in compiled code, and for a text of Latin-1 chars (every JSON text of ASCII) this is one copy
     * of the String's own bytes, where toCharArray() widened every char in a loop that a cold JVM
     * runs interpreted. A char above U+00FF became {@code '?'} here: wherever a char's value
     * matters (inside strings), a {@code '?'} byte is looked up in the text ({@link #charAt}).
     */
    private final byte[] a;
    private final int len;
    private int pos;
    private int depth;
    private boolean lastStringCanonical;
    /** The escapes in the literal last found by {@link #canonicalAsciiLiteral()}. */
    private int literalEscapes;
    /** Scratch stack of the fields (key, value) and items of the objects and arrays being read. */
    private String[] keys = new String[4];
    private JsonValue[] vals = new JsonValue[4];
    private int top;
    /** Scratch for decoding strings with escapes (allocated on the first one). */
    private char[] scratch;
    private byte[] byteScratch;
    /** The last string value longer than the shared cache's that had no escapes (see {@link #stringValue}). */
    private JsonValue.Str lastLong;

    public JsonCursor(String text) {
        this.s = text;
        this.a = latin1(text);
        this.len = a.length;
    }

    /**
     * One byte per char of {@code text}. The encoder replaces a surrogate pair by one {@code '?'}:
     * then the bytes are made char by char, so that positions stay those of the text.
     */
    private static byte[] latin1(String text) {
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        if (b.length == text.length()) return b;
        b = new byte[text.length()];
        for (int i = 0; i < b.length; i++) {
            char c = text.charAt(i);
            b[i] = c > 0xff ? (byte) '?' : (byte) c;
        }
        return b;
    }

    /** "Not handled here": the text is not plain well-formed JSON (no stack trace, one instance). */
    public static final class Unhandled extends RuntimeException {
        static final Unhandled INSTANCE = new Unhandled();

        private Unhandled() {
            super("not handled by the fast JSON path", null, false, false);
        }
    }

    /** The value of {@code text}, or {@code null} when the text is not plain well-formed JSON here. */
    static JsonValue tryParse(String text) {
        if (MapChangesReader.looksLikeMapChanges(text)) {
            JsonValue changes = MapChangesReader.read(text); // one per map transaction: no cursor
            if (changes != null) return changes;
            if (ListChangesReader.looksLikeListChanges(text)) { // list changes share the map prefix
                changes = ListChangesReader.read(text); // one per list transaction: no cursor
                if (changes != null) return changes;
            }
        }
        JsonCursor p = new JsonCursor(text);
        try {
            p.skipWs();
            JsonValue v = p.value();
            p.skipWs();
            return p.pos == p.len ? v : null;
        } catch (Unhandled | IndexOutOfBoundsException e) {
            return null;
        }
    }

    /** The char at {@code p}: the byte, or the text's char where the byte is the replacement {@code '?'}. */
    private char charAt(int p) {
        char c = (char) (a[p] & 0xff);
        return c == '?' ? s.charAt(p) : c;
    }

    private static Unhandled unhandled() {
        return Unhandled.INSTANCE;
    }

    public String text() {
        return s;
    }

    public int pos() {
        return pos;
    }

    /** Moves back (or forward) to {@code p}, e.g. to re-read a value another way. */
    public void pos(int p) {
        pos = p;
    }

    public boolean atEnd() {
        return pos >= len;
    }

    public void skipWs() {
        while (pos < len) {
            byte c = a[pos];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') return;
            pos++;
        }
    }

    /** Consumes {@code c} if it is next. */
    public boolean tryConsume(char c) {
        if (pos < len && a[pos] == c) {
            pos++;
            return true;
        }
        return false;
    }

    public void expect(char c) {
        if (!tryConsume(c)) throw unhandled();
    }

    /** Consumes {@code raw} if the text continues with exactly it. */
    public boolean tryRaw(String raw) {
        if (!s.startsWith(raw, pos)) return false;
        pos += raw.length();
        return true;
    }

    /** Any JSON value at the cursor, as a tree. */
    public JsonValue value() {
        if (pos >= len) throw unhandled();
        char c = (char) (a[pos] & 0xff);
        switch (c) {
            case '{':
                return object();
            case '[':
                return array();
            case '"':
                return stringValue();
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
                throw unhandled();
        }
    }

    private void literal(String word) {
        if (!s.startsWith(word, pos)) throw unhandled();
        pos += word.length();
    }

    private JsonValue object() {
        if (++depth > MAX_DEPTH) throw unhandled();
        pos++; // '{'
        int base = top;
        java.util.LinkedHashMap<String, JsonValue> big = null;
        skipWs();
        if (pos < len && a[pos] == '}') {
            pos++;
        } else {
            while (true) {
                if (pos >= len || a[pos] != '"') throw unhandled();
                String key = string(true);
                if (key.length() > MAX_FAST_KEY) throw unhandled(); // Jackson enforces its name length limit
                skipWs();
                if (pos >= len || a[pos] != ':') throw unhandled();
                pos++;
                skipWs();
                JsonValue v = value(); // nested values use the scratch above top and give it back
                if (big != null) {
                    big.put(key, v);
                } else if (!replaceField(base, key, v)) {
                    if (top - base == SmallFields.MAX) {
                        // many fields: a map keeps the lookups O(1) (same first-position, last-value rule)
                        big = JsonValue.Obj.freshFields(SmallFields.MAX * 2);
                        for (int i = base; i < top; i++) big.put(keys[i], vals[i]);
                        top = base;
                        big.put(key, v);
                    } else {
                        push(key, v);
                    }
                }
                skipWs();
                if (pos >= len) throw unhandled();
                byte c = a[pos++];
                if (c == '}') break;
                if (c != ',') throw unhandled();
                skipWs();
            }
        }
        depth--;
        if (big != null) return new JsonValue.Obj(big);
        SmallFields fields = SmallFields.of(Arrays.copyOfRange(keys, base, top), Arrays.copyOfRange(vals, base, top));
        Arrays.fill(keys, base, top, null);
        Arrays.fill(vals, base, top, null);
        top = base;
        return new JsonValue.Obj(fields);
    }

    /** JSON.parse keeps a repeated key's first position and its last value. */
    private boolean replaceField(int base, String key, JsonValue v) {
        for (int i = base; i < top; i++) {
            if (keys[i].equals(key)) {
                vals[i] = v;
                return true;
            }
        }
        return false;
    }

    private void push(String key, JsonValue v) {
        if (top == vals.length) {
            keys = Arrays.copyOf(keys, top * 2);
            vals = Arrays.copyOf(vals, top * 2);
        }
        keys[top] = key;
        vals[top] = v;
        top++;
    }

    private JsonValue array() {
        if (++depth > MAX_DEPTH) throw unhandled();
        pos++; // '['
        int base = top;
        skipWs();
        if (pos < len && a[pos] == ']') {
            pos++;
        } else {
            while (true) {
                JsonValue v = value();
                push(null, v);
                skipWs();
                if (pos >= len) throw unhandled();
                byte c = a[pos++];
                if (c == ']') break;
                if (c != ',') throw unhandled();
                skipWs();
            }
        }
        depth--;
        int n = top - base;
        List<JsonValue> items = n == 0 ? List.of() : n == 1 ? List.of(vals[base])
                : n == 2 ? List.of(vals[base], vals[base + 1]) : List.of(Arrays.copyOfRange(vals, base, top));
        Arrays.fill(vals, base, top, null);
        top = base;
        return new JsonValue.Arr(items);
    }

    /** A string value; short ones without escapes are shared (values like "set" or "k7" repeat). */
    private JsonValue.Str stringValue() {
        int start = pos + 1;
        int p = start;
        int h = 0;
        while (p < len && p - start <= 12) {
            char c = charAt(p);
            if (c == '"') {
                int slot = (h ^ (h >>> 10)) & (STR_CACHE.length - 1);
                JsonValue.Str cached = STR_CACHE[slot]; // immutable records: racy reads are safe
                int n = p - start;
                if (cached != null && cached.value().length() == n && s.regionMatches(start, cached.value(), 0, n)) {
                    pos = p + 1;
                    return cached;
                }
                break;
            }
            if (c == '\\' || c < 0x20 || (c >= 0xd800 && c <= 0xdfff)) break;
            h = 31 * h + c;
            p++;
        }
        // Equal to the last longer string read plainly here? (List ops repeat their anchor's
        // session ID.) That value has no quote or backslash, so an equal run of the text followed
        // by a quote is exactly this string, without escapes.
        JsonValue.Str last = lastLong;
        if (last != null) {
            String lv = last.value();
            int end = start + lv.length();
            if (end < len && a[end] == '"' && s.regionMatches(start, lv, 0, lv.length())) {
                pos = end + 1;
                return last;
            }
        }
        String v = string(false);
        JsonValue.Str str = new JsonValue.Str(v);
        if (pos == start + v.length() + 1) { // written without escapes
            if (v.length() <= 12) STR_CACHE[(h ^ (h >>> 10)) & (STR_CACHE.length - 1)] = str;
            else lastLong = str;
        }
        return str;
    }

    /**
     * The string {@code s[start, end)} (no escapes in it) as a value, shared through the same
     * cache as {@link #stringValue} when short and ASCII.
     */
    static JsonValue.Str sharedStr(String s, int start, int end) {
        int n = end - start;
        if (n > 12) return new JsonValue.Str(s.substring(start, end));
        int h = 0;
        for (int i = start; i < end; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) return new JsonValue.Str(s.substring(start, end));
            h = 31 * h + c;
        }
        int slot = (h ^ (h >>> 10)) & (STR_CACHE.length - 1);
        JsonValue.Str cached = STR_CACHE[slot];
        if (cached != null && cached.value().length() == n && s.regionMatches(start, cached.value(), 0, n)) return cached;
        JsonValue.Str str = new JsonValue.Str(s.substring(start, end));
        STR_CACHE[slot] = str;
        return str;
    }

    /** The string literal at the cursor (on its opening quote), decoded. */
    public String string() {
        if (pos >= len || a[pos] != '"') throw unhandled();
        return string(false);
    }

    /** An object key at the cursor; short keys come from a shared cache. */
    public String key() {
        if (pos >= len || a[pos] != '"') throw unhandled();
        return string(true);
    }

    /**
     * Whether the last {@link #string()} was written exactly as {@link JsonStrings#quote} writes its
     * value and is pure ASCII (conservatively: no escapes other than {@code \"} and {@code \\},
     * no char above U+007F), so that its text can stand for the canonical UTF-8 bytes.
     */
    public boolean lastStringCanonical() {
        return lastStringCanonical;
    }

    /**
     * At a string literal's opening quote: when the literal is written canonically in ASCII
     * (chars U+0020..U+007F, {@code \"} and {@code \\} its only escapes), moves past it and
     * returns the index of its closing quote, without decoding it (its value is then
     * {@code closing - (opening + 1) - }{@link #literalEscapes()} chars long); else returns -1 and
     * stays. The text a transaction's changes arrive in is such a literal.
     */
    public int canonicalAsciiLiteral() {
        if (pos >= len || a[pos] != '"') return -1;
        byte[] in = a;
        int n = len;
        int esc = 0;
        for (int p = pos + 1; p < n; p++) {
            byte x = in[p];
            if (x == '"') {
                literalEscapes = esc;
                pos = p + 1;
                return p;
            }
            if (x == '\\') {
                if (++p >= n) return -1;
                byte e = in[p];
                if (e != '"' && e != '\\') return -1;
                esc++;
            } else if (x < 0x20 || (x == '?' && s.charAt(p) != '?')) { // control, above U+007F (negative), above U+00FF
                return -1;
            }
        }
        return -1;
    }

    /** The escapes in the literal last found by {@link #canonicalAsciiLiteral()}. */
    public int literalEscapes() {
        return literalEscapes;
    }

    private String string(boolean key) {
        int start = ++pos;
        boolean canonical = true;
        while (true) {
            if (pos >= len) throw unhandled();
            char c = (char) (a[pos] & 0xff);
            if (c == '"') break;
            if (c == '\\') return escapedString(start, canonical);
            if (c == '?' && s.charAt(pos) != '?') canonical = false; // a char above U+00FF
            if (c < 0x20) throw unhandled();
            if (c >= 0x80) canonical = false;
            pos++;
        }
        lastStringCanonical = canonical;
        int end = pos++;
        return key && end - start <= 16 ? cachedKey(start, end) : s.substring(start, end);
    }

    private String cachedKey(int start, int end) {
        int h = 0;
        for (int i = start; i < end; i++) h = 31 * h + charAt(i);
        int slot = (h ^ (h >>> 9)) & (KEY_CACHE.length - 1);
        String k = KEY_CACHE[slot]; // Strings are immutable: a racy read sees a whole String or null
        int n = end - start;
        if (k != null && k.length() == n && s.regionMatches(start, k, 0, n)) return k;
        k = s.substring(start, end);
        KEY_CACHE[slot] = k;
        return k;
    }

    /**
     * Decodes a string with escapes into a scratch array reused for the whole text (a transaction's
     * changes text arrives escaped: a StringBuilder per string paid a call per run of plain chars).
     * Latin-1 bytes first: a String is then one copy of them, where a char[] is compressed in a loop
     * that a cold JVM interprets; the first char above U+00FF sends the string to the char path.
     */
    private String escapedString(int start, boolean canonical) {
        int from = pos;
        byte[] b = byteScratch;
        int n = pos - start;
        if (b == null || b.length < n + 64) b = byteScratch = new byte[Math.max(256, (n + 64) * 2)];
        byte[] in = a;
        for (int i = start; i < pos; i++) {
            byte x = in[i];
            if (x == '?' && s.charAt(i) != '?') {
                pos = from;
                return escapedWideString(start, canonical);
            }
            b[i - start] = x;
        }
        while (true) {
            if (pos >= len) throw unhandled();
            if (n + 8 > b.length) b = byteScratch = Arrays.copyOf(b, b.length * 2);
            byte x = in[pos++];
            if (x == '"') {
                lastStringCanonical = canonical;
                return new String(b, 0, n, StandardCharsets.ISO_8859_1);
            }
            if (x >= 0 && x < 0x20) throw unhandled();
            if (x != '\\') {
                if (x == '?' && s.charAt(pos - 1) != '?') {
                    pos = from;
                    return escapedWideString(start, canonical);
                }
                // copy the run up to the next quote or backslash in the same loop
                if (x < 0) canonical = false; // above U+007F
                b[n++] = x;
                while (pos < len) {
                    byte d = in[pos];
                    if (d == '"' || d == '\\' || (d >= 0 && d < 0x20)) break;
                    if (d == '?' && s.charAt(pos) != '?') {
                        pos = from;
                        return escapedWideString(start, canonical);
                    }
                    if (d < 0) canonical = false;
                    if (n == b.length) b = byteScratch = Arrays.copyOf(b, b.length * 2);
                    b[n++] = d;
                    pos++;
                }
                continue;
            }
            if (pos >= len) throw unhandled();
            byte e = in[pos++];
            int simple = simpleEscape(e);
            if (simple >= 0) {
                b[n++] = (byte) simple;
            } else if (e == 'u') {
                int v = hex4();
                if (v > 0xff) {
                    pos = from;
                    return escapedWideString(start, canonical);
                }
                pos += 4;
                b[n++] = (byte) v;
            } else {
                throw unhandled();
            }
            if (e != '"' && e != '\\') canonical = false;
        }
    }

    /** The character a one-letter JSON escape stands for ({@code \\"} … {@code \\t}), or -1 (also for {@code u}). */
    private static int simpleEscape(int e) {
        return switch (e) {
            case '"', '\\', '/' -> e;
            case 'b' -> '\b';
            case 'f' -> '\f';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            default -> -1;
        };
    }

    /** The four hex digits of a {@code \\u} escape at {@link #pos} (not consumed). */
    private int hex4() {
        if (pos + 4 > len) throw unhandled();
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit((char) (a[pos + i] & 0xff), 16);
            if (d < 0) throw unhandled();
            v = (v << 4) | d;
        }
        return v;
    }

    /** {@link #escapedString} for a string with a char above U+00FF, into chars. */
    private String escapedWideString(int start, boolean canonical) {
        char[] b = scratch;
        int n = pos - start;
        if (b == null || b.length < n + 64) b = scratch = new char[Math.max(256, (n + 64) * 2)];
        s.getChars(start, pos, b, 0);
        byte[] in = a;
        while (true) {
            if (pos >= len) throw unhandled();
            if (n + 8 > b.length) b = scratch = Arrays.copyOf(b, b.length * 2);
            char c = charAt(pos++);
            if (c == '"') {
                lastStringCanonical = canonical;
                return new String(b, 0, n);
            }
            if (c < 0x20) throw unhandled();
            if (c != '\\') {
                // copy the run up to the next quote or backslash in the same loop
                if (c >= 0x80) canonical = false;
                b[n++] = c;
                while (pos < len) {
                    char d = (char) (in[pos] & 0xff);
                    if (d == '"' || d == '\\' || d < 0x20) break;
                    if (d == '?') d = s.charAt(pos);
                    if (d >= 0x80) canonical = false;
                    if (n == b.length) b = scratch = Arrays.copyOf(b, b.length * 2);
                    b[n++] = d;
                    pos++;
                }
                continue;
            }
            if (pos >= len) throw unhandled();
            char e = (char) (in[pos++] & 0xff);
            int simple = simpleEscape(e);
            if (simple >= 0) {
                b[n++] = (char) simple;
            } else if (e == 'u') {
                b[n++] = (char) hex4();
                pos += 4;
            } else {
                throw unhandled();
            }
            // canonical escaping (JsonStrings) writes \" and \\ like this; the others are rare
            // enough that the transaction is simply re-serialized
            if (e != '"' && e != '\\') canonical = false;
        }
    }

    /**
     * A non-negative integer literal of at most 15 digits (exact in a double) at the cursor, or
     * -1 (nothing consumed) when the number there has another form.
     */
    public long plainNonNegativeInteger() {
        int start = pos;
        int p = pos;
        while (p < len && isDigit(a[p])) p++;
        int n = p - start;
        if (n == 0 || n > 15 || (n > 1 && a[start] == '0')) return -1;
        if (p < len) {
            byte c = a[p];
            if (c == '.' || c == 'e' || c == 'E') return -1;
        }
        long v = 0;
        for (int i = start; i < p; i++) v = v * 10 + (a[i] - '0');
        pos = p;
        return v;
    }

    private JsonValue number() {
        int start = pos;
        boolean negative = a[pos] == '-';
        if (negative) pos++;
        if (pos >= len) throw unhandled();
        byte c = a[pos];
        if (c == '0') {
            pos++;
        } else if (c >= '1' && c <= '9') {
            while (pos < len && isDigit(a[pos])) pos++;
        } else {
            throw unhandled();
        }
        int intEnd = pos;
        boolean plainInteger = true;
        if (pos < len && a[pos] == '.') {
            plainInteger = false;
            pos++;
            int digits = pos;
            while (pos < len && isDigit(a[pos])) pos++;
            if (pos == digits) throw unhandled();
        }
        if (pos < len && (a[pos] == 'e' || a[pos] == 'E')) {
            plainInteger = false;
            pos++;
            if (pos < len && (a[pos] == '+' || a[pos] == '-')) pos++;
            int digits = pos;
            while (pos < len && isDigit(a[pos])) pos++;
            if (pos == digits) throw unhandled();
        }
        if (pos - start > 1_000) throw unhandled(); // Jackson enforces the number length limit
        int digitsStart = negative ? start + 1 : start;
        if (plainInteger && intEnd - digitsStart <= 15) {
            long v = 0;
            for (int i = digitsStart; i < intEnd; i++) v = v * 10 + (a[i] - '0');
            // exact in a double (< 2^53); "-0" is -0 as in JSON.parse
            return new JsonValue.Num(negative ? -(double) v : (double) v);
        }
        // correctly rounded, like JSON.parse (±Infinity and 0 out of range)
        return new JsonValue.Num(Double.parseDouble(s.substring(start, pos)));
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    /** The cache slot of a key (the hash {@link #cachedKey} computes over the text's chars). */
    private static int keySlot(String k, int start, int end) {
        int h = 0;
        for (int i = start; i < end; i++) h = 31 * h + k.charAt(i);
        return (h ^ (h >>> 9)) & (KEY_CACHE.length - 1);
    }
}
