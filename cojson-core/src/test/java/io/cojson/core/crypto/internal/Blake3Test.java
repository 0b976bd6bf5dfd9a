package io.cojson.core.crypto.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.cojson.core.testing.Blake3Vectors;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Our own {@link Blake3}: the official BLAKE3 vectors are the oracle (every official length, one
 * shot, running digests of one hasher fed in random slices, forks), and Bouncy Castle's digest must
 * agree with it on random inputs cut at random places (every chunk and block boundary case).
 */
class Blake3Test {
    @Test
    void everyOfficialVector() {
        for (Blake3Vectors.Case c : Blake3Vectors.CASES) {
            byte[] in = Blake3Vectors.input(c.inputLen());
            assertArrayEquals(c.hash32(), Blake3.hash(in), "hash() input_len " + c.inputLen());
            Blake3 byteWise = new Blake3();
            for (byte b : in) byteWise.update(new byte[] {b});
            assertArrayEquals(c.hash32(), byteWise.digest(), "byte by byte, input_len " + c.inputLen());
        }
    }

    @Test
    void runningDigestsAndForksOverTheOfficialStream() {
        Random random = new Random(7);
        byte[] stream = Blake3Vectors.input(Blake3Vectors.maxLen());
        Blake3 running = new Blake3();
        int pos = 0;
        for (Blake3Vectors.Case c : Blake3Vectors.CASES) {
            while (pos < c.inputLen()) {
                int n = Math.min(c.inputLen() - pos, 1 + random.nextInt(3000));
                running.update(stream, pos, n);
                pos += n;
            }
            assertArrayEquals(c.hash32(), running.digest(), "running digest at " + pos);
            assertArrayEquals(c.hash32(), running.digest(), "digest leaves the state alone");
            Blake3 fork = running.copy();
            fork.update(new byte[] {1, 2, 3});
            assertArrayEquals(c.hash32(), running.digest(), "a fork's updates leave the original alone");
        }
    }

    @Test
    void agreesWithBouncyCastleOnRandomSlices() {
        Random random = new Random(42);
        for (int round = 0; round < 300; round++) {
            byte[] data = new byte[random.nextInt(round < 200 ? 3000 : 40_000)];
            random.nextBytes(data);
            Blake3 ours = new Blake3();
            BcBlake3Hasher bc = new BcBlake3Hasher();
            int pos = 0;
            while (pos < data.length) {
                int n = Math.min(data.length - pos, random.nextInt(random.nextBoolean() ? 70 : 2100));
                ours.update(data, pos, n);
                bc.update(data, pos, n);
                pos += n;
                if (random.nextInt(4) == 0) {
                    assertArrayEquals(bc.digest(), ours.digest(), "after " + pos + " of " + data.length);
                    if (random.nextBoolean()) ours = ours.copy();
                }
            }
            assertArrayEquals(BcBlake3Hasher.hash(data), ours.digest(), data.length + " bytes");
            assertArrayEquals(BcBlake3Hasher.hash(Arrays.copyOf(data, data.length)), Blake3.hash(data));
        }
    }

    /** Text fed with updateAscii (the received-text path) hashes like its bytes, for both hashers. */
    @Test
    void asciiTextHashesLikeItsBytes() {
        Random random = new Random(3);
        for (int round = 0; round < 100; round++) {
            char[] cs = new char[random.nextInt(5000)];
            for (int i = 0; i < cs.length; i++) cs[i] = (char) random.nextInt(0x80);
            String text = new String(cs);
            byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            Blake3 ours = new Blake3();
            BcBlake3Hasher bc = new BcBlake3Hasher();
            int pos = 0;
            while (pos < cs.length) {
                int n = Math.min(cs.length - pos, random.nextInt(1500));
                if (random.nextBoolean()) ours.updateAscii(text, pos, n); else ours.update(bytes, pos, n);
                bc.updateAscii(text, pos, n);
                pos += n;
            }
            assertArrayEquals(Blake3.hash(bytes), ours.digest(), cs.length + " chars");
            assertArrayEquals(Blake3.hash(bytes), bc.digest(), cs.length + " chars (default method)");
        }
    }
}
