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
        // The big-endian number as 32-bit limbs (most significant first), divided by 58^5
        // repeatedly: five digits per pass and four bytes per division step (hashes and
        // signatures are encoded on every local write).
        int n = input.length - zeros;
        int limbCount = (n + 3) / 4;
        int[] limbs = new int[limbCount];
        int pad = limbCount * 4 - n; // leading zero bytes of the first limb
        for (int i = 0; i < n; i++) {
            int k = pad + i;
            limbs[k >> 2] |= (input[zeros + i] & 0xFF) << (24 - 8 * (k & 3));
        }
        char[] encoded = new char[input.length * 2 + 5];
        int outputStart = encoded.length;
        int first = 0;
        while (first < limbCount) {
            int r = divideByFifthPower(limbs, first);
            while (first < limbCount && limbs[first] == 0) first++;
            boolean last = first >= limbCount;
            for (int k = 0; k < 5 && (!last || r > 0); k++) {
                encoded[--outputStart] = ALPHABET[r % 58];
                r /= 58;
            }
        }
        for (int i = 0; i < zeros; i++) encoded[--outputStart] = ALPHABET[0];
        return new String(encoded, outputStart, encoded.length - outputStart);
    }

    /**
     * Divides the number in {@code limbs[from..]} by 58^5 in place; the remainder. A method of its
     * own so that the JIT compiles this short loop normally instead of the whole encoder on-stack.
     */
    private static int divideByFifthPower(int[] limbs, int from) {
        long remainder = 0;
        for (int i = from; i < limbs.length; i++) {
            long cur = (remainder << 32) | (limbs[i] & 0xFFFFFFFFL);
            long q = cur / FIFTH_POWER;
            limbs[i] = (int) q;
            remainder = cur - q * FIFTH_POWER;
        }
        return (int) remainder;
    }

    /** Decodes base58 text; any character outside the alphabet is an {@link InvalidEncodingException}. */
    public static byte[] decode(String input) {
        if (input.isEmpty()) return new byte[0];
        // one bulk copy, then array reads (a cold JVM interprets a charAt call chain per char)
        char[] chars = input.toCharArray();
        byte[] input58 = new byte[chars.length];
        for (int i = 0; i < chars.length; i++) {
            char c = chars[i];
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
        // Multiply-accumulate up to five digits (< 58^5 < 2^30) per pass into little-endian
        // 32-bit limbs; the output has at most ~0.733 bytes per digit.
        int[] acc = new int[(input58.length * 3 + 15) / 16 + 1];
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
                carry += (acc[j] & 0xFFFFFFFFL) * mult;
                acc[j] = (int) carry;
                carry >>>= 32;
            }
            if (carry > 0) acc[used++] = (int) carry;
        }
        int bytes = used * 4;
        while (bytes > 0 && ((acc[(bytes - 1) >> 2] >>> (8 * ((bytes - 1) & 3))) & 0xFF) == 0) bytes--;
        byte[] out = new byte[zeros + bytes];
        for (int j = 0; j < bytes; j++) out[zeros + bytes - 1 - j] = (byte) (acc[j >> 2] >>> (8 * (j & 3)));
        return out;
    }
}
