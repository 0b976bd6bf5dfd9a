package io.cojson.core.ids;

import io.cojson.core.encoding.Base58;
import io.cojson.core.encoding.Base64Url;
import io.cojson.core.encoding.InvalidEncodingException;

/** Shared parsing for {@code prefix + base58} and {@code prefix + base64url} values. */
final class Prefixed {
    private Prefixed() {}

    /** Validates {@code prefix + base58(n bytes)} and returns the decoded payload. */
    static byte[] decodeZ(String kind, String prefix, String text, int expectedBytes) {
        if (text == null) throw new InvalidIdException(kind + " (" + prefix + "…)", "null");
        if (!text.startsWith(prefix)) {
            throw new InvalidIdException(kind + " starting with \"" + prefix + "\"", describe(kind, text));
        }
        byte[] payload;
        try {
            payload = Base58.decode(text.substring(prefix.length()));
        } catch (InvalidEncodingException e) {
            throw new InvalidIdException(kind + " with a base58 payload", isSecret(kind) ? describe(kind, text) : e.found());
        }
        if (expectedBytes >= 0 && payload.length != expectedBytes) {
            throw new InvalidIdException(kind + " with a " + expectedBytes + "-byte payload",
                    payload.length + " bytes in " + describe(kind, text));
        }
        return payload;
    }

    private static boolean isSecret(String kind) {
        return kind.contains("secret");
    }

    /** Untrusted text for an error message; secret material is never echoed, only its length. */
    private static String describe(String kind, String text) {
        return isSecret(kind) ? "redacted text of " + text.length() + " chars" : InvalidEncodingException.describe(text);
    }

    /** Validates {@code prefix + base64url} and returns the decoded payload. */
    static byte[] decodeU(String kind, String prefix, String text) {
        if (text == null) throw new InvalidIdException(kind + " (" + prefix + "…)", "null");
        if (!text.startsWith(prefix)) {
            throw new InvalidIdException(kind + " starting with \"" + prefix + "\"", InvalidEncodingException.describe(text));
        }
        try {
            return Base64Url.decode(text.substring(prefix.length()));
        } catch (InvalidEncodingException e) {
            throw new InvalidIdException(kind + " with a base64url payload", e.found());
        }
    }

    /** {@link #decodeU}'s checks without decoding (for values that keep only their text). */
    static void checkU(String kind, String prefix, String text) {
        if (text == null) throw new InvalidIdException(kind + " (" + prefix + "…)", "null");
        if (!text.startsWith(prefix)) {
            throw new InvalidIdException(kind + " starting with \"" + prefix + "\"", InvalidEncodingException.describe(text));
        }
        try {
            Base64Url.check(text, prefix.length());
        } catch (InvalidEncodingException e) {
            throw new InvalidIdException(kind + " with a base64url payload", e.found());
        }
    }

    /** {@code prefix} followed by 1..maxLen ASCII letters/digits: names that are never decoded. */
    static void checkAlnum(String kind, String prefix, String text, int maxLen) {
        if (text == null) throw new InvalidIdException(kind + " (" + prefix + "…)", "null");
        int n = text.length() - prefix.length();
        boolean ok = n >= 1 && n <= maxLen && text.startsWith(prefix) && isAlnum(text, prefix.length(), text.length());
        if (!ok) {
            throw new InvalidIdException(kind + " (\"" + prefix + "\" + 1.." + maxLen + " letters/digits)",
                    InvalidEncodingException.describe(text));
        }
    }

    private static final boolean[] ALNUM = new boolean[128];

    static {
        for (char c = '0'; c <= '9'; c++) ALNUM[c] = true;
        for (char c = 'a'; c <= 'z'; c++) ALNUM[c] = true;
        for (char c = 'A'; c <= 'Z'; c++) ALNUM[c] = true;
    }

    /**
     * Whether {@code text[from, to)} is ASCII letters and digits only: one table read per char (IDs
     * are checked on every parse, and a cold JVM interprets every bytecode). No copy of the chars:
     * the garbage of one per ID made a write-heavy run promote more to the old generation.
     */
    static boolean isAlnum(String text, int from, int to) {
        boolean[] table = ALNUM;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c >= 128 || !table[c]) return false;
        }
        return true;
    }
}
