package io.cojson.core.encoding;

/**
 * Thrown when text or bytes are not in the encoding the caller expected. The message names what
 * was expected and what was found, so a bad frame or a corrupt storage row is easy to trace.
 */
public class InvalidEncodingException extends IllegalArgumentException {
    private final String expected;
    private final String found;

    public InvalidEncodingException(String expected, String found) {
        super("expected " + expected + ", found " + found);
        this.expected = expected;
        this.found = found;
    }

    /** What the parser was looking for, e.g. "base58 text". */
    public String expected() {
        return expected;
    }

    /** A short, truncated description of what it got. */
    public String found() {
        return found;
    }

    /** Quotes and truncates untrusted text for use in error messages. */
    public static String describe(String s) {
        if (s == null) return "null";
        String shown = s.length() > 80 ? s.substring(0, 77) + "..." : s;
        return "\"" + shown + "\" (" + s.length() + " chars)";
    }
}
