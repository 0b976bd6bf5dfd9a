package io.cojson.core.encoding;

/** Lowercase hexadecimal, used by vectors, logs and debugging output. */
public final class Hex {
    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

    private Hex() {}

    public static String encode(byte[] bytes) {
        char[] out = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = DIGITS[(bytes[i] >> 4) & 0xF];
            out[2 * i + 1] = DIGITS[bytes[i] & 0xF];
        }
        return new String(out);
    }

    public static byte[] decode(String hex) {
        if (hex.length() % 2 != 0) {
            throw new InvalidEncodingException("hex text of even length", InvalidEncodingException.describe(hex));
        }
        byte[] out = new byte[hex.length() / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = digit(hex, 2 * i);
            int lo = digit(hex, 2 * i + 1);
            out[i] = (byte) ((hi << 4) | lo);
        }
        return out;
    }

    /**
     * ASCII hex digit value ({@code 0-9 a-f A-F}). {@link Character#digit(char, int)} is not used
     * because it also accepts non-ASCII digits such as U+0663 or U+FF10.
     */
    private static int digit(String hex, int index) {
        char c = hex.charAt(index);
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        throw new InvalidEncodingException("hex digits (0-9 a-f A-F)",
                "character '" + c + "' at index " + index + " in " + InvalidEncodingException.describe(hex));
    }
}
