package io.cojson.sync.internal.support;

/**
 * Makes text that a peer controls (actions, IDs, session keys, close reasons, frame previews)
 * safe to log: cut to a bounded length first, so that a 10 MB ID costs a short log line, then
 * every control, line-separator and bidi-override character escaped, so that a newline in it can
 * never start a forged log line. Backslashes are doubled, so an escape in the log is unambiguous.
 */
public final class LogText {
    /** Default number of characters kept of a peer-controlled string. */
    public static final int MAX_CHARS = 200;

    private LogText() {}

    /** {@link #safe(Object, int)} with {@link #MAX_CHARS}. */
    public static String safe(Object value) {
        return safe(value, MAX_CHARS);
    }

    /** At most {@code max} characters of {@code value}, escaped, with how many more there were. */
    public static String safe(Object value, int max) {
        String s = String.valueOf(value);
        int keep = s.length() <= max ? s.length() : max;
        if (keep < s.length() && keep > 0 && Character.isHighSurrogate(s.charAt(keep - 1))) keep--; // no half pairs
        StringBuilder b = new StringBuilder(keep + 16);
        for (int i = 0; i < keep; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (needsEscape(c)) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        if (keep < s.length()) b.append("…(+").append(s.length() - keep).append(" chars)");
        return b.toString();
    }

    /**
     * {@code s} cut to at most {@code max} characters (marked), not escaped: for messages that are
     * kept (error records) rather than logged, so that their memory stays bounded.
     */
    public static String clip(String s, int max) {
        if (s == null || s.length() <= max) return s;
        int keep = max;
        if (Character.isHighSurrogate(s.charAt(keep - 1))) keep--;
        return s.substring(0, keep) + "…(+" + (s.length() - keep) + " chars)";
    }

    private static boolean needsEscape(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) // C0, DEL, C1 (NEL ends lines too)
                || c == '\u2028' || c == '\u2029' // line and paragraph separators
                || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069') || c == '\u200e' || c == '\u200f'; // bidi
    }
}
