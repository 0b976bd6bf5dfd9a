package io.cojson.core.json;

/**
 * String literal escaping exactly as ES2019 {@code JSON.stringify} (and Rust serde_json for valid
 * Unicode): short escapes for {@code \b \t \n \f \r}, lowercase {@code \\u00xx} for other control
 * characters, lowercase {@code \\udxxx} for lone surrogates, everything else literal.
 */
public final class JsonStrings {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private JsonStrings() {}

    public static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2);
        appendQuoted(sb, s);
        return sb.toString();
    }

    public static void appendQuoted(StringBuilder out, String s) {
        out.append('"');
        int len = s.length();
        int runStart = 0;
        while (true) {
            // one call site for the run copy: the JIT inlines the builder's copy loops once, not per site
            int i = plainRunEnd(s, runStart, len);
            out.append(s, runStart, i);
            if (i == len) break;
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                // the common escape (changes quoted inside a transaction): two chars, no string append
                out.append('\\').append(c);
            } else {
                appendRareEscape(out, c);
            }
            runStart = i + 1;
        }
        out.append('"');
    }

    /** The first index from {@code from} of a char that needs an escape, or {@code len}; valid surrogate pairs are literal. */
    private static int plainRunEnd(String s, int from, int len) {
        for (int i = from; i < len; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\' && !Character.isSurrogate(c)) continue;
            if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
                continue;
            }
            return i;
        }
        return len;
    }

    /** A control character or a lone surrogate, escaped (kept out of the hot loop: compiled apart). */
    private static void appendRareEscape(StringBuilder out, char c) {
        switch (c) {
            case '\b' -> out.append("\\b");
            case '\t' -> out.append("\\t");
            case '\n' -> out.append("\\n");
            case '\f' -> out.append("\\f");
            case '\r' -> out.append("\\r");
            default -> out.append("\\u")
                    .append(HEX[(c >> 12) & 0xF])
                    .append(HEX[(c >> 8) & 0xF])
                    .append(HEX[(c >> 4) & 0xF])
                    .append(HEX[c & 0xF]);
        }
    }

    /** True if the string holds an unpaired UTF-16 surrogate (which Rust peers cannot parse). */
    public static boolean hasLoneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    return true;
                }
            } else if (Character.isLowSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The value of a string literal whose body {@code text[start, end)} is written canonically in
     * ASCII (chars U+0020..U+007F, {@code \"} and {@code \\} the only escapes), {@code length}
     * chars long once unescaped.
     */
    public static String unescapeCanonicalAscii(String text, int start, int end, int length) {
        byte[] b = new byte[length];
        int n = 0;
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (c == '\\') c = text.charAt(++i);
            if (c > 0x7f || n == length) throw new IllegalArgumentException("not a canonical ASCII literal body of length " + length);
            b[n++] = (byte) c;
        }
        if (n != length) throw new IllegalArgumentException("not a canonical ASCII literal body of length " + length);
        return new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
