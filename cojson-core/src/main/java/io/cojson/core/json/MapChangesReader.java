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
    /** Field names in text order; shared (SmallFields never changes its arrays). */
    private static final String[] SET_KEYS = {"op", "key", "value"};
    private static final String[] DEL_KEYS = {"op", "key"};
    private static final JsonValue.Str SET = new JsonValue.Str("set");
    private static final JsonValue.Str DEL = new JsonValue.Str("del");

    private MapChangesReader() {}

    /** Whether {@code text} may be a map changes array (cheap test before {@link #read}). */
    static boolean looksLikeMapChanges(String text) {
        return text.startsWith("[{\"op\":\"");
    }

    /** The changes array, or null when the text has any other form. */
    static JsonValue.Arr read(String s) {
        int n = s.length();
        if (n < 2 || s.charAt(0) != '[') return null;
        int p = 1;
        JsonValue first = null;
        List<JsonValue> all = null;
        while (true) {
            boolean set;
            if (s.startsWith(SET_PREFIX, p)) {
                set = true;
            } else if (s.startsWith(DEL_PREFIX, p)) {
                set = false;
            } else {
                return null;
            }
            p += SET_PREFIX.length();
            int keyEnd = plainStringEnd(s, p);
            if (keyEnd < 0) return null;
            JsonValue.Str key = JsonCursor.sharedStr(s, p, keyEnd);
            p = keyEnd + 1;
            JsonValue.Obj change;
            if (set) {
                if (!s.startsWith(VALUE_FIELD, p)) return null;
                p += VALUE_FIELD.length();
                if (p >= n) return null;
                char c = s.charAt(p);
                JsonValue v;
                if (c == '"') {
                    int end = plainStringEnd(s, p + 1);
                    if (end < 0) return null;
                    v = JsonCursor.sharedStr(s, p + 1, end);
                    p = end + 1;
                } else if (c == '-' || (c >= '0' && c <= '9')) {
                    int end = plainIntegerEnd(s, p);
                    if (end < 0) return null;
                    v = integer(s, p, end);
                    p = end;
                } else if (s.startsWith("true", p)) {
                    v = JsonValue.TRUE;
                    p += 4;
                } else if (s.startsWith("false", p)) {
                    v = JsonValue.FALSE;
                    p += 5;
                } else if (s.startsWith("null", p)) {
                    v = JsonValue.NULL;
                    p += 4;
                } else {
                    return null; // objects, arrays, fractions: the general path
                }
                change = new JsonValue.Obj(SmallFields.of(SET_KEYS, new JsonValue[] {SET, key, v}));
            } else {
                change = new JsonValue.Obj(SmallFields.of(DEL_KEYS, new JsonValue[] {DEL, key}));
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

    /** The index of the closing quote of a string without escapes or control chars from {@code p}, or -1. */
    private static int plainStringEnd(String s, int p) {
        int n = s.length();
        for (; p < n; p++) {
            char c = s.charAt(p);
            if (c == '"') return p;
            if (c == '\\' || c < 0x20) return -1;
        }
        return -1;
    }

    /** The end of an integer of at most 15 digits (exact in a double) at {@code p}, or -1 for any other number. */
    private static int plainIntegerEnd(String s, int p) {
        int n = s.length();
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

    private static JsonValue.Num integer(String s, int p, int end) {
        boolean negative = s.charAt(p) == '-';
        long v = 0;
        for (int i = negative ? p + 1 : p; i < end; i++) v = v * 10 + (s.charAt(i) - '0');
        return new JsonValue.Num(negative ? -(double) v : (double) v); // "-0" is -0, as in JSON.parse
    }
}
