package io.cojson.core.encoding;

import java.util.Arrays;

/**
 * Bitcoin-alphabet base58 without checksum, as {@code @scure/base} and Rust {@code bs58} produce it:
 * big-endian base conversion where each leading zero byte becomes one leading {@code '1'}.
 */
public final class Base58 {
    private static final char[] ALPHABET =
            "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".toCharArray();
    private static final int[] INDEXES = new int[128];

    static {
        Arrays.fill(INDEXES, -1);
        for (int i = 0; i < ALPHABET.length; i++) INDEXES[ALPHABET[i]] = i;
    }

    private Base58() {}

    public static String encode(byte[] input) {
        if (input.length == 0) return "";
        int zeros = 0;
        while (zeros < input.length && input[zeros] == 0) zeros++;
        // Work on a copy; repeatedly divide the big-endian number by 58.
        byte[] number = Arrays.copyOf(input, input.length);
        char[] encoded = new char[input.length * 2];
        int outputStart = encoded.length;
        int inputStart = zeros;
        while (inputStart < number.length) {
            int remainder = 0;
            for (int i = inputStart; i < number.length; i++) {
                int digit = (number[i] & 0xFF) + remainder * 256;
                number[i] = (byte) (digit / 58);
                remainder = digit % 58;
            }
            encoded[--outputStart] = ALPHABET[remainder];
            while (inputStart < number.length && number[inputStart] == 0) inputStart++;
        }
        for (int i = 0; i < zeros; i++) encoded[--outputStart] = ALPHABET[0];
        return new String(encoded, outputStart, encoded.length - outputStart);
    }

    /** Decodes base58 text; any character outside the alphabet is an {@link InvalidEncodingException}. */
    public static byte[] decode(String input) {
        if (input.isEmpty()) return new byte[0];
        byte[] input58 = new byte[input.length()];
        for (int i = 0; i < input.length(); i++) {
            char c = input.charAt(i);
            int digit = c < 128 ? INDEXES[c] : -1;
            if (digit < 0) {
                throw new InvalidEncodingException(
                        "base58 text (alphabet 1-9A-HJ-NP-Za-km-z)",
                        "character '" + c + "' at index " + i + " in " + InvalidEncodingException.describe(input));
            }
            input58[i] = (byte) digit;
        }
        int zeros = 0;
        while (zeros < input58.length && input58[zeros] == 0) zeros++;
        byte[] decoded = new byte[input.length()];
        int outputStart = decoded.length;
        int inputStart = zeros;
        while (inputStart < input58.length) {
            int remainder = 0;
            for (int i = inputStart; i < input58.length; i++) {
                int digit = (input58[i] & 0xFF) + remainder * 58;
                input58[i] = (byte) (digit / 256);
                remainder = digit % 256;
            }
            decoded[--outputStart] = (byte) remainder;
            while (inputStart < input58.length && input58[inputStart] == 0) inputStart++;
        }
        byte[] out = new byte[zeros + decoded.length - outputStart];
        System.arraycopy(decoded, outputStart, out, zeros, decoded.length - outputStart);
        return out;
    }
}
