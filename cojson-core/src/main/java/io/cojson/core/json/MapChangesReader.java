package io.cojson.core.json;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads a CoMap transaction's changes text written the way every cojson peer writes it
 * ({@code [{"op":"set","key":"k","value":1},{"op":"del","key":"k"}]}, no whitespace, the key and a
 * string value without escapes, the value a plain integer, a string, true, false or null) straight
 * from the String into the tree {@link JsonCursor} would build: no byte copy of the text, no
 * cursor and scratch per transaction, and the field names of all changes share one array. Ingest
 * and cold load parse one such text per transaction, and it was about a third of their allocation.
 * Anything else (whitespace, escapes, other values or ops, a syntax error) returns null and the
 * general path decides.
 */
final class MapChangesReader {
    private static final String SET_PREFIX = "{\"op\":\"set\",\"key\":\"";
    private static final String DEL_PREFIX = "{\"op\":\"del\",\"key\":\"";
    private static final String VALUE_FIELD = ",\"value\":";
    /** The same inside a string literal's body, where every quote is written {@code \"}. */
    private static final String SET_PREFIX_LIT = literal(SET_PREFIX);
    private static final String DEL_PREFIX_LIT = literal(DEL_PREFIX);
    private static final String VALUE_FIELD_LIT = literal(VALUE_FIELD);
    /** Field names in text order; shared (SmallFields never changes its arrays). */
    private static final String[] SET_KEYS = {"op", "key", "value"};
    private static final String[] DEL_KEYS = {"op", "key"};
    private static final JsonValue.Str SET = new JsonValue.Str("set");
    private static final JsonValue.Str DEL = new JsonValue.Str("del");

    private MapChangesReader() {}

    private static String literal(String plain) {
        return plain.replace("\"", "\\\"");
    }

    /** Whether {@code text} may be a map changes array (cheap test before {@link #read}). */
    static boolean looksLikeMapChanges(String text) {
        return text.startsWith("[{\"op\":\"");
    }

    /** The changes array, or null when the text has any other form. */
    static JsonValue.Arr read(String s) {
        return read(s, 0, s.length(), false);
    }

    /**
     * The changes array whose text is the value of the string literal with body {@code s[from, to)}
     * (canonical ASCII: {@code \"} and {@code \\} its only escapes), read without unescaping it;
     * null for any other form, also when a key or string value holds an escape.
     */
    static JsonValue.Arr readLiteral(String s, int from, int to) {
        if (from < 0 || to > s.length() || from > to) throw new IndexOutOfBoundsException(from + ".." + to);
        return read(s, from, to, true);
    }

    /** {@code lit}: the text is a literal's body, quotes are {@code \"} and any other backslash declines. */
    private static JsonValue.Arr read(String s, int from, int n, boolean lit) {
        int q = lit ? 2 : 1; // the length of a quote
        String setPrefix = lit ? SET_PREFIX_LIT : SET_PREFIX;
        String delPrefix = lit ? DEL_PREFIX_LIT : DEL_PREFIX;
        String valueField = lit ? VALUE_FIELD_LIT : VALUE_FIELD;
        if (n - from < 2 || s.charAt(from) != '[') return null;
        int p = from + 1;
        JsonValue first = null;
        List<JsonValue> all = null;
        while (true) {
            boolean set;
            if (has(s, p, n, setPrefix)) {
                set = true;
            } else if (has(s, p, n, delPrefix)) {
                set = false;
            } else {
                return null;
            }
            p += setPrefix.length();
            int keyEnd = plainStringEnd(s, p, n, lit);
            if (keyEnd < 0) return null;
            JsonValue.Str key = JsonCursor.sharedStr(s, p, keyEnd);
            p = keyEnd + q;
            JsonValue.Obj change;
            if (set) {
                if (!has(s, p, n, valueField)) return null;
                p += valueField.length();
                if (p >= n) return null;
                char c = s.charAt(p);
                JsonValue v;
                if (lit ? has(s, p, n, "\\\"") : c == '"') {
                    int end = plainStringEnd(s, p + q, n, lit);
                    if (end < 0) return null;
                    v = JsonCursor.sharedStr(s, p + q, end);
                    p = end + q;
                } else if (c == '-' || (c >= '0' && c <= '9')) {
                    int end = plainIntegerEnd(s, p, n);
                    if (end < 0) return null;
                    v = integer(s, p, end);
                    p = end;
                } else if (has(s, p, n, "true")) {
                    v = JsonValue.TRUE;
                    p += 4;
                } else if (has(s, p, n, "false")) {
                    v = JsonValue.FALSE;
                    p += 5;
                } else if (has(s, p, n, "null")) {
                    v = JsonValue.NULL;
                    p += 4;
                } else {
                    return null; // objects, arrays, fractions: the general path
                }
                change = new JsonValue.Obj(SmallFields.ofFixedKeys(SET_KEYS, new JsonValue[] {SET, key, v}));
            } else {
                change = new JsonValue.Obj(SmallFields.ofFixedKeys(DEL_KEYS, new JsonValue[] {DEL, key}));
            }
            if (p >= n || s.charAt(p) != '}') return null;
            p++;
            if (first == null) {
                first = change;
            } else {
                if (all == null) {
                    all = new ArrayList<>(4);
                    all.add(first);
                }
                all.add(change);
            }
            if (p >= n) return null;
            char c = s.charAt(p++);
            if (c == ']') break;
            if (c != ',') return null;
        }
        if (p != n) return null;
        return new JsonValue.Arr(all == null ? List.of(first) : all);
    }

    /** Whether {@code s[p, n)} starts with {@code prefix}. */
    private static boolean has(String s, int p, int n, String prefix) {
        return p + prefix.length() <= n && s.startsWith(prefix, p);
    }

    /**
     * The index of the closing quote (in a literal's body: of the {@code \"} closing it) of a
     * string without escapes or control chars from {@code p}, or -1.
     */
    static int plainStringEnd(String s, int p, int n, boolean lit) {
        for (; p < n; p++) {
            char c = s.charAt(p);
            if (c == '"') return lit ? -1 : p; // never bare in a canonical body
            if (c == '\\') return lit && p + 1 < n && s.charAt(p + 1) == '"' ? p : -1;
            if (c < 0x20) return -1;
        }
        return -1;
    }

    /** The end of an integer of at most 15 digits (exact in a double) at {@code p}, or -1 for any other number. */
    static int plainIntegerEnd(String s, int p, int n) {
        int start = s.charAt(p) == '-' ? p + 1 : p;
        int q = start;
        while (q < n && s.charAt(q) >= '0' && s.charAt(q) <= '9') q++;
        int digits = q - start;
        if (digits == 0 || digits > 15 || (digits > 1 && s.charAt(start) == '0')) return -1;
        if (q < n) {
            char c = s.charAt(q);
            if (c == '.' || c == 'e' || c == 'E') return -1;
        }
        return q;
    }

    static JsonValue.Num integer(String s, int p, int end) {
        boolean negative = s.charAt(p) == '-';
        long v = 0;
        for (int i = negative ? p + 1 : p; i < end; i++) v = v * 10 + (s.charAt(i) - '0');
        return new JsonValue.Num(negative ? -(double) v : (double) v); // "-0" is -0, as in JSON.parse
    }
}
