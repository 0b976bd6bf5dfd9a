package io.cojson.core.encoding;

import java.util.Base64;

/**
 * RFC 4648 §5 base64url. Encoding always pads with {@code '='} (the reference's Rust decoder for
 * private transactions rejects unpadded input); decoding accepts padded and unpadded text, like the
 * reference's TS decoder.
 */
public final class Base64Url {
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private Base64Url() {}

    public static String encode(byte[] bytes) {
        return ENCODER.encodeToString(bytes);
    }

    /**
     * Whether {@link #decode} of {@code text.substring(from)} succeeds, without decoding: after
     * removing every {@code '='}, only base64url letters and a length that is not 1 mod 4. Throws
     * the same {@link InvalidEncodingException} as {@code decode} otherwise.
     */
    public static void check(String text, int from) {
        int n = 0;
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '=') continue;
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
                n = -1;
                break;
            }
            n++;
        }
        if (n < 0 || n % 4 == 1) decode(text.substring(from)); // throws the exact error
    }

    public static byte[] decode(String text) {
        // The TS decoder strips every '=' before decoding; do the same, then decode unpadded.
        String stripped = text.indexOf('=') >= 0 ? text.replace("=", "") : text;
        if (stripped.length() % 4 == 1) {
            throw new InvalidEncodingException("base64url text", "impossible length in " + InvalidEncodingException.describe(text));
        }
        try {
            return DECODER.decode(stripped);
        } catch (IllegalArgumentException e) {
            throw new InvalidEncodingException("base64url text (A-Z a-z 0-9 - _)", InvalidEncodingException.describe(text));
        }
    }
}
