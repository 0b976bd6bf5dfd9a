package io.cojson.core.encoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The chunked base58 codec against a plain BigInteger base conversion. */
class Base58Properties {
    private static final String ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

    static String reference(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        BigInteger n = new BigInteger(1, bytes);
        BigInteger base = BigInteger.valueOf(58);
        while (n.signum() > 0) {
            BigInteger[] qr = n.divideAndRemainder(base);
            sb.append(ALPHABET.charAt(qr[1].intValue()));
            n = qr[0];
        }
        for (int i = 0; i < bytes.length && bytes[i] == 0; i++) sb.append('1');
        return sb.reverse().toString();
    }

    @Property(tries = 2000)
    void encodeMatchesBigIntegerConversion(@ForAll @Size(max = 130) byte[] payload, @ForAll @IntRange(max = 3) int leadingZeros) {
        byte[] bytes = new byte[leadingZeros + payload.length];
        System.arraycopy(payload, 0, bytes, leadingZeros, payload.length);
        String encoded = Base58.encode(bytes);
        assertEquals(reference(bytes), encoded);
        assertArrayEquals(bytes, Base58.decode(encoded));
    }

    /** Any base58 text (not only what encode makes): one zero byte per leading '1', then the number's bytes. */
    @Property(tries = 2000)
    void decodeMatchesBigIntegerConversion(@ForAll @IntRange(max = 140) int length, @ForAll long seed) {
        java.util.Random r = new java.util.Random(seed);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) text.append(ALPHABET.charAt(r.nextInt(4) == 0 ? 0 : r.nextInt(58)));
        BigInteger n = BigInteger.ZERO;
        int zeros = 0;
        while (zeros < length && text.charAt(zeros) == '1') zeros++;
        for (int i = zeros; i < length; i++) n = n.multiply(BigInteger.valueOf(58)).add(BigInteger.valueOf(ALPHABET.indexOf(text.charAt(i))));
        byte[] magnitude = n.signum() == 0 ? new byte[0] : n.toByteArray();
        if (magnitude.length > 1 && magnitude[0] == 0) magnitude = java.util.Arrays.copyOfRange(magnitude, 1, magnitude.length);
        byte[] expected = new byte[zeros + magnitude.length];
        System.arraycopy(magnitude, 0, expected, zeros, magnitude.length);
        assertArrayEquals(expected, Base58.decode(text.toString()), text.toString());
    }
}
