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
    private static final long FIFTH_POWER = 58L * 58 * 58 * 58 * 58;

    static {
        Arrays.fill(INDEXES, -1);
        for (int i = 0; i < ALPHABET.length; i++) INDEXES[ALPHABET[i]] = i;
    }

    private Base58() {}

    public static String encode(byte[] input) {
        if (input.length == 0) return "";
        int zeros = 0;
        while (zeros < input.length && input[zeros] == 0) zeros++;
        // Repeatedly divide the big-endian number by 58^5, emitting five digits per pass: five
        // times fewer passes than digit-at-a-time division (signatures are hot).
        byte[] number = Arrays.copyOf(input, input.length);
        char[] encoded = new char[input.length * 2 + 5];
        int outputStart = encoded.length;
        int inputStart = zeros;
        while (inputStart < number.length) {
            long remainder = 0;
            for (int i = inputStart; i < number.length; i++) {
                long digit = (number[i] & 0xFF) + remainder * 256;
                number[i] = (byte) (digit / FIFTH_POWER);
                remainder = digit % FIFTH_POWER;
            }
            while (inputStart < number.length && number[inputStart] == 0) inputStart++;
            boolean last = inputStart >= number.length;
            for (int k = 0; k < 5 && (!last || remainder > 0); k++) {
                encoded[--outputStart] = ALPHABET[(int) (remainder % 58)];
                remainder /= 58;
            }
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
        // Multiply-accumulate up to five digits (< 58^5 < 2^30) per pass into a little-endian
        // base-256 buffer; the output has at most ~0.733 bytes per digit.
        byte[] acc = new byte[input58.length];
        int used = 0;
        for (int i = zeros; i < input58.length; ) {
            int chunk = Math.min(5, input58.length - i);
            long mult = 1;
            long carry = 0;
            for (int k = 0; k < chunk; k++, i++) {
                mult *= 58;
                carry = carry * 58 + input58[i];
            }
            for (int j = 0; j < used; j++) {
                carry += (acc[j] & 0xFFL) * mult;
                acc[j] = (byte) carry;
                carry >>>= 8;
            }
            while (carry > 0) {
                acc[used++] = (byte) carry;
                carry >>>= 8;
            }
        }
        byte[] out = new byte[zeros + used];
        for (int j = 0; j < used; j++) out[zeros + j] = acc[used - 1 - j];
        return out;
    }
}
