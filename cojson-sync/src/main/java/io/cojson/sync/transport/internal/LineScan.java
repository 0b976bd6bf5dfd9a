package io.cojson.sync.transport.internal;

import java.nio.charset.StandardCharsets;

/**
 * One pass over a received line that carries transactions ({@code content}, a signature
 * mismatch's session): checks that it is exactly one JSON value (RFC 8259 grammar, which
 * {@code JSON.parse} accepts) without building anything, and reads the top-level {@code action},
 * {@code time} and {@code priority} the transport looks at. The protocol layer reads such lines
 * straight into transactions; before, Jackson tokenized each of them in full first, which on a
 * server was a second tokenizer to run, profile and compile on every content message.
 *
 * <p>Conservative: {@link #head} answers null whenever it cannot vouch for the line (any syntax
 * error, nesting deeper than {@value #MAX_DEPTH}, a number longer than {@value #MAX_NUMBER}
 * chars, a key longer than {@value #MAX_KEY}, an escaped or unusual action/time/priority); the
 * caller then lets Jackson decide, and word the error, as for any other line.
 */
final class LineScan {
    private static final int MAX_DEPTH = 500; // below Jackson's nesting limit (1,000)
    private static final int MAX_NUMBER = 1_000; // below Jackson's number length limit
    private static final int MAX_KEY = 10_000; // below Jackson's name length limit

    private final String s;
    /** One byte per char; a char above U+00FF is {@code '?'} (valid inside strings, invalid outside). */
    private final byte[] a;
    private final int len;
    private int pos;
    private final byte[] open = new byte[MAX_DEPTH + 1];

    private String action;
    private boolean hasAction;
    private boolean hasTime;
    private double time = Double.NaN;
    private Integer priority;

    private LineScan(String s) {
        this.s = s;
        this.a = s.getBytes(StandardCharsets.ISO_8859_1);
        this.len = a.length;
    }

    /** The head of a well-formed line that is a JSON object, or null (not vouched for: ask Jackson). */
    static FrameCodec.Head head(String text) {
        LineScan l = new LineScan(text);
        if (l.len != text.length() || !l.line()) return null;
        return new FrameCodec.Head(text, true, l.hasAction, l.action, l.hasTime, l.time, l.priority);
    }

    /** The whole line: whitespace, one object, whitespace. */
    private boolean line() {
        skipWs();
        if (pos >= len || a[pos] != '{') return false;
        if (!value()) return false;
        skipWs();
        return pos == len;
    }

    /**
     * The line's object at {@link #pos} and everything nested in it, iteratively (a stack of open
     * brackets, no recursion); the members of the object itself (depth 1) are looked at.
     */
    private boolean value() {
        int depth = 0;
        boolean atValue = true; // a value starts at pos (else: pos is just after one)
        while (true) {
            if (atValue) {
                if (pos >= len) return false;
                byte c = a[pos];
                if (c == '{' || c == '[') {
                    if (depth == MAX_DEPTH) return false;
                    open[++depth] = c;
                    pos++;
                    skipWs();
                    if (pos < len && a[pos] == (c == '{' ? '}' : ']')) {
                        pos++;
                        depth--;
                        atValue = false;
                    } else if (c == '{') {
                        int m = member(depth == 1);
                        if (m < 0) return false;
                        atValue = m == VALUE_FOLLOWS;
                    } // else the array's first item starts here
                    continue;
                }
                if (!scalar(c)) return false;
                atValue = false;
                continue;
            }
            if (depth == 0) return true;
            skipWs();
            if (pos >= len) return false;
            byte d = a[pos++];
            if (d == ',') {
                skipWs();
                if (open[depth] == '{') {
                    int m = member(depth == 1);
                    if (m < 0) return false;
                    atValue = m == VALUE_FOLLOWS;
                } else {
                    atValue = true;
                }
            } else if (d == (open[depth] == '{' ? '}' : ']')) {
                depth--;
            } else {
                return false;
            }
        }
    }

    private static final int VALUE_FOLLOWS = 0;
    private static final int VALUE_READ = 1;

    /**
     * An object member's key and colon: {@link #VALUE_FOLLOWS}, or {@link #VALUE_READ} for a
     * top-level {@code action}, {@code time} or {@code priority} of the plain form, read here;
     * -1 when not vouched for.
     */
    private int member(boolean topLevel) {
        if (pos >= len || a[pos] != '"') return -1;
        int keyStart = pos + 1;
        if (!string()) return -1;
        int keyEnd = pos - 1;
        if (keyEnd - keyStart > MAX_KEY) return -1;
        skipWs();
        if (pos >= len || a[pos] != ':') return -1;
        pos++;
        skipWs();
        if (!topLevel) return VALUE_FOLLOWS;
        if (is("action", keyStart, keyEnd)) return actionValue() ? VALUE_READ : -1;
        if (is("time", keyStart, keyEnd) || is("priority", keyStart, keyEnd)) return numberValue(a[keyStart] == 't') ? VALUE_READ : -1;
        return VALUE_FOLLOWS;
    }

    /** A top-level action: a string of printable ASCII without escapes is read; anything else is left to Jackson. */
    private boolean actionValue() {
        if (pos >= len || a[pos] != '"') return false;
        int start = pos + 1;
        int p = start;
        while (p < len && a[p] != '"') {
            int c = a[p] & 0xff;
            if (c < 0x20 || c >= 0x7f || c == '\\' || c == '?') return false;
            p++;
        }
        if (p >= len) return false;
        hasAction = true;
        action = s.substring(start, p);
        pos = p + 1;
        return true;
    }

    /** A top-level time or priority: a number is read (as JSON.parse reads it); anything else is left to Jackson. */
    private boolean numberValue(boolean isTime) {
        int start = pos;
        if (!number()) return false;
        double v = Double.parseDouble(s.substring(start, pos));
        if (isTime) {
            hasTime = true;
            time = v;
        } else {
            priority = (int) v;
        }
        return true;
    }

    private boolean scalar(byte c) {
        if (c == '"') return string();
        if (c == 't') return word("true");
        if (c == 'f') return word("false");
        if (c == 'n') return word("null");
        return number();
    }

    /** A string at its opening quote, moved past its closing one; escapes checked, control chars refused. */
    private boolean string() {
        int p = pos + 1;
        while (p < len) {
            int c = a[p] & 0xff;
            if (c == '"') {
                pos = p + 1;
                return true;
            }
            if (c == '\\') {
                if (++p >= len) return false;
                int e = a[p];
                if (e == 'u') {
                    if (p + 4 >= len) return false;
                    for (int i = 1; i <= 4; i++) if (Character.digit((char) (a[p + i] & 0xff), 16) < 0) return false;
                    p += 4;
                } else if (e != '"' && e != '\\' && e != '/' && e != 'b' && e != 'f' && e != 'n' && e != 'r' && e != 't') {
                    return false;
                }
            } else if (c < 0x20) {
                return false;
            }
            p++;
        }
        return false;
    }

    private boolean word(String w) {
        if (!s.startsWith(w, pos)) return false;
        pos += w.length();
        return true;
    }

    /** {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?} */
    private boolean number() {
        int start = pos;
        if (pos < len && a[pos] == '-') pos++;
        if (pos >= len) return false;
        if (a[pos] == '0') {
            pos++;
        } else if (digit(a[pos])) {
            while (pos < len && digit(a[pos])) pos++;
        } else {
            return false;
        }
        if (pos < len && a[pos] == '.') {
            int d = ++pos;
            while (pos < len && digit(a[pos])) pos++;
            if (pos == d) return false;
        }
        if (pos < len && (a[pos] == 'e' || a[pos] == 'E')) {
            pos++;
            if (pos < len && (a[pos] == '+' || a[pos] == '-')) pos++;
            int d = pos;
            while (pos < len && digit(a[pos])) pos++;
            if (pos == d) return false;
        }
        return pos - start <= MAX_NUMBER;
    }

    private static boolean digit(byte c) {
        return c >= '0' && c <= '9';
    }

    private boolean is(String key, int start, int end) {
        return end - start == key.length() && s.startsWith(key, start);
    }

    private void skipWs() {
        while (pos < len) {
            byte c = a[pos];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') return;
            pos++;
        }
    }
}
