package io.cojson.core.json;

import java.util.Arrays;
import java.util.List;

/**
 * Reads a CoList transaction's changes text written the way every cojson peer writes it
 * ({@code [{"op":"app","value":1,"after":"start"},{"op":"pre","value":"x","before":{"sessionID":"…",
 * "txIndex":0,"changeIdx":2}},{"op":"del","insertion":{…}}]}: no whitespace, these field orders, an
 * OpID with an optional {@code "branch"} before {@code "changeIdx"}, the value a plain integer, a
 * string, true, false or null, strings without escapes) straight from the String into the tree
 * {@link JsonCursor} would build, like {@link MapChangesReader} for map changes. A cold load of a
 * large list read every transaction's changes by unescaping the literal they are stored in and then
 * parsing the copy into a tree with one session ID string per change; here the text is read once,
 * in place, an anchor written again right after an equal one (every change of an {@code appendItems}
 * names the same anchor) is the same object, and a session ID equal to the one read last (the same
 * few sessions recur) is the same {@link JsonValue.Str}. Shared values are immutable, so the tree
 * equals the parsed one. Anything else (whitespace, escapes, other values, fields or ops, a syntax
 * error) returns null and the general path decides (and words any error).
 */
final class ListChangesReader {
    private static final String[] APP_KEYS = {"op", "value", "after"};
    private static final String[] PRE_KEYS = {"op", "value", "before"};
    private static final String[] DEL_KEYS = {"op", "insertion"};
    private static final String[] OPID_KEYS = {"sessionID", "txIndex", "changeIdx"};
    private static final String[] OPID_BRANCH_KEYS = {"sessionID", "txIndex", "branch", "changeIdx"};
    private static final JsonValue.Str APP = new JsonValue.Str("app");
    private static final JsonValue.Str PRE = new JsonValue.Str("pre");
    private static final JsonValue.Str DEL = new JsonValue.Str("del");

    /** The fixed parts of the layout, as plain text or inside a literal's body (quotes as {@code \"}). */
    private static final class Layout {
        final String app;
        final String pre;
        final String del;
        final String after;
        final String before;
        final String sessionID;
        final String txIndex;
        final String branch;
        final String changeIdx;
        final String quote;

        Layout(boolean lit) {
            app = form("{\"op\":\"app\",\"value\":", lit);
            pre = form("{\"op\":\"pre\",\"value\":", lit);
            del = form("{\"op\":\"del\",\"insertion\":", lit);
            after = form(",\"after\":", lit);
            before = form(",\"before\":", lit);
            sessionID = form("{\"sessionID\":\"", lit);
            txIndex = form("\",\"txIndex\":", lit);
            branch = form(",\"branch\":\"", lit);
            changeIdx = form(",\"changeIdx\":", lit);
            quote = form("\"", lit);
        }

        private static String form(String plain, boolean lit) {
            return lit ? plain.replace("\"", "\\\"") : plain;
        }
    }

    private static final Layout PLAIN = new Layout(false);
    private static final Layout LITERAL = new Layout(true);

    /**
     * The session ID read last (any thread; a Str is immutable, so a racy read sees a whole one or
     * null): the changes of one list name the same few sessions, one transaction after another.
     */
    private static JsonValue.Str lastSession;

    private final String s;
    private final int end;
    private final boolean lit;
    private final Layout l;
    private int p;
    /** The anchor (OpID object) read last and where its text was. */
    private JsonValue.Obj lastAnchor;
    private int lastAnchorStart;
    private int lastAnchorEnd;
    /** Where the last anchor's changeIdx value starts, and the values before it. */
    private int lastAnchorIndexAt;
    private JsonValue.Str lastAnchorSession;
    private JsonValue lastAnchorTxIndex;
    private JsonValue.Str lastAnchorBranch;

    private ListChangesReader(String s, int from, int end, boolean lit) {
        this.s = s;
        this.p = from;
        this.end = end;
        this.lit = lit;
        this.l = lit ? LITERAL : PLAIN;
    }

    /** Whether {@code text} may be a list changes array (cheap test before {@link #read}). */
    static boolean looksLikeListChanges(String text) {
        return text.startsWith("[{\"op\":\"app\"") || text.startsWith("[{\"op\":\"pre\"") || text.startsWith("[{\"op\":\"del\",\"insertion\"");
    }

    /** The changes array, or null when the text has any other form. */
    static JsonValue.Arr read(String s) {
        return new ListChangesReader(s, 0, s.length(), false).changes();
    }

    /**
     * The changes array whose text is the value of the string literal with body {@code s[from, to)}
     * (canonical ASCII: {@code \"} and {@code \\} its only escapes), read without unescaping it;
     * null for any other form, also when a string holds an escape.
     */
    static JsonValue.Arr readLiteral(String s, int from, int to) {
        if (from < 0 || to > s.length() || from > to) throw new IndexOutOfBoundsException(from + ".." + to);
        return new ListChangesReader(s, from, to, true).changes();
    }

    private JsonValue.Arr changes() {
        if (end - p < 2 || s.charAt(p) != '[') return null;
        p++;
        JsonValue[] items = new JsonValue[Math.max(1, Math.min(256, (end - p) / 40))];
        int count = 0;
        while (true) {
            JsonValue change = change();
            if (change == null) return null;
            if (count == items.length) items = Arrays.copyOf(items, count * 2);
            items[count++] = change;
            if (p >= end) return null;
            char c = s.charAt(p++);
            if (c == ']') break;
            if (c != ',') return null;
        }
        if (p != end) return null;
        return new JsonValue.Arr(count == items.length ? List.of(items) : List.of(Arrays.copyOf(items, count)));
    }

    /** One change at {@code p} (then after its closing brace), or null. */
    private JsonValue.Obj change() {
        String[] keys;
        JsonValue op;
        String anchorField;
        if (has(l.app)) {
            p += l.app.length();
            keys = APP_KEYS;
            op = APP;
            anchorField = l.after;
        } else if (has(l.pre)) {
            p += l.pre.length();
            keys = PRE_KEYS;
            op = PRE;
            anchorField = l.before;
        } else if (has(l.del)) {
            p += l.del.length();
            JsonValue.Obj target = opID();
            if (target == null || !closeBrace()) return null;
            return new JsonValue.Obj(SmallFields.ofFixedKeys(DEL_KEYS, new JsonValue[] {DEL, target}));
        } else {
            return null;
        }
        JsonValue value = value();
        if (value == null || !has(anchorField)) return null;
        p += anchorField.length();
        JsonValue anchor;
        if (has(l.quote)) {
            int close = MapChangesReader.plainStringEnd(s, p + l.quote.length(), end, lit);
            if (close < 0) return null;
            anchor = JsonCursor.sharedStr(s, p + l.quote.length(), close);
            p = close + l.quote.length();
        } else {
            anchor = opID();
            if (anchor == null) return null;
        }
        if (!closeBrace()) return null;
        return new JsonValue.Obj(SmallFields.ofFixedKeys(keys, new JsonValue[] {op, value, anchor}));
    }

    private boolean closeBrace() {
        if (p >= end || s.charAt(p) != '}') return false;
        p++;
        return true;
    }

    /** A plain integer, string without escapes, true, false or null at {@code p}; null for anything else. */
    private JsonValue value() {
        if (p >= end) return null;
        char c = s.charAt(p);
        if (c == '-' || (c >= '0' && c <= '9')) {
            int e = MapChangesReader.plainIntegerEnd(s, p, end);
            if (e < 0) return null;
            JsonValue v = MapChangesReader.integer(s, p, e);
            p = e;
            return v;
        }
        if (has(l.quote)) {
            int close = MapChangesReader.plainStringEnd(s, p + l.quote.length(), end, lit);
            if (close < 0) return null;
            JsonValue v = JsonCursor.sharedStr(s, p + l.quote.length(), close);
            p = close + l.quote.length();
            return v;
        }
        if (has("true")) {
            p += 4;
            return JsonValue.TRUE;
        }
        if (has("false")) {
            p += 5;
            return JsonValue.FALSE;
        }
        if (has("null")) {
            p += 4;
            return JsonValue.NULL;
        }
        return null; // objects, arrays, fractions: the general path
    }

    /**
     * An OpID object at {@code p}: {@code {"sessionID":"…","txIndex":n,["branch":"…",]"changeIdx":n}}
     * with plain integers and strings without escapes; null for anything else.
     */
    private JsonValue.Obj opID() {
        int start = p;
        JsonValue.Obj prev = lastAnchor;
        if (prev != null) {
            int prefix = lastAnchorIndexAt - lastAnchorStart;
            if (start + prefix <= end && s.regionMatches(start, s, lastAnchorStart, prefix)) {
                // The same session, txIndex and branch as the anchor read last, all but its changeIdx
                // compared once (an append chain names the change before, so only that differs).
                int len = lastAnchorEnd - lastAnchorStart;
                if (start + len <= end && s.regionMatches(start + prefix, s, lastAnchorIndexAt, len - prefix)) {
                    p = start + len; // the same text read the same way: the same object
                    return prev;
                }
                p = start + prefix;
                JsonValue changeIdx = integer();
                if (changeIdx == null || !closeBrace()) return null;
                JsonValue.Obj id = lastAnchorBranch == null
                        ? new JsonValue.Obj(SmallFields.ofFixedKeys(OPID_KEYS, new JsonValue[] {lastAnchorSession, lastAnchorTxIndex, changeIdx}))
                        : new JsonValue.Obj(SmallFields.ofFixedKeys(OPID_BRANCH_KEYS,
                                new JsonValue[] {lastAnchorSession, lastAnchorTxIndex, lastAnchorBranch, changeIdx}));
                remember(id, start, start + prefix);
                return id;
            }
        }
        if (!has(l.sessionID)) return null;
        p += l.sessionID.length();
        int close = MapChangesReader.plainStringEnd(s, p, end, lit);
        if (close < 0) return null;
        JsonValue.Str session = session(p, close);
        p = close;
        if (!has(l.txIndex)) return null;
        p += l.txIndex.length();
        JsonValue txIndex = integer();
        if (txIndex == null) return null;
        JsonValue.Obj id;
        JsonValue.Str branch = null;
        if (has(l.branch)) {
            p += l.branch.length();
            int branchEnd = MapChangesReader.plainStringEnd(s, p, end, lit);
            if (branchEnd < 0) return null;
            branch = JsonCursor.sharedStr(s, p, branchEnd);
            p = branchEnd + l.quote.length();
        }
        if (!has(l.changeIdx)) return null;
        p += l.changeIdx.length();
        int indexAt = p;
        JsonValue changeIdx = integer();
        if (changeIdx == null || !closeBrace()) return null;
        id = branch == null
                ? new JsonValue.Obj(SmallFields.ofFixedKeys(OPID_KEYS, new JsonValue[] {session, txIndex, changeIdx}))
                : new JsonValue.Obj(SmallFields.ofFixedKeys(OPID_BRANCH_KEYS, new JsonValue[] {session, txIndex, branch, changeIdx}));
        lastAnchorSession = session;
        lastAnchorTxIndex = txIndex;
        lastAnchorBranch = branch;
        remember(id, start, indexAt);
        return id;
    }

    /** {@code id} is the anchor read last: its text starts at {@code start}, its changeIdx at {@code indexAt}, it ends at p. */
    private void remember(JsonValue.Obj id, int start, int indexAt) {
        lastAnchor = id;
        lastAnchorStart = start;
        lastAnchorIndexAt = indexAt;
        lastAnchorEnd = p;
    }

    private JsonValue integer() {
        if (p >= end) return null;
        int e = MapChangesReader.plainIntegerEnd(s, p, end);
        if (e < 0) return null;
        JsonValue v = MapChangesReader.integer(s, p, e);
        p = e;
        return v;
    }

    /** The session ID {@code s[from, to)} (no escapes): the one read last when equal. */
    private JsonValue.Str session(int from, int to) {
        JsonValue.Str last = lastSession;
        int n = to - from;
        if (last != null && last.value().length() == n && s.regionMatches(from, last.value(), 0, n)) return last;
        JsonValue.Str str = new JsonValue.Str(s.substring(from, to));
        lastSession = str;
        return str;
    }

    /** Whether the text at {@code p} (before the end) starts with {@code prefix}. */
    private boolean has(String prefix) {
        return p + prefix.length() <= end && s.startsWith(prefix, p);
    }
}
