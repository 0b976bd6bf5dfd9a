package io.cojson.core.crypto.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cojson.core.encoding.Hex;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.bouncycastle.crypto.digests.Blake3Digest;
import org.junit.jupiter.api.Test;

/** The plain-Java BLAKE3 against Bouncy Castle's Blake3Digest and the official test vectors. */
class BcBlake3HasherTest {
    private static byte[] oracle(byte[] data, int len) {
        Blake3Digest d = new Blake3Digest(256);
        d.update(data, 0, len);
        byte[] out = new byte[32];
        d.doFinal(out, 0);
        return out;
    }

    /** Official vectors: input byte i is i mod 251 (first 32 bytes of the default-hash output). */
    @Test
    void officialVectors() {
        assertEquals("af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262",
                Hex.encode(BcBlake3Hasher.hash(new byte[0])));
        assertEquals("2d3adedff11b61f14c886e35afa036736dcd87a74d27b5c1510225d0f592e213",
                Hex.encode(BcBlake3Hasher.hash(vectorInput(1))));
        assertEquals("42214739f095a406f3fc83deb889744ac00df831c10daa55189b5d121c855af7",
                Hex.encode(BcBlake3Hasher.hash(vectorInput(1024))));
        assertEquals("d00278ae47eb27b34faecf67b4fe263f82d5412916c1ffd97c8cb7fb814b8444",
                Hex.encode(BcBlake3Hasher.hash(vectorInput(1025))));
    }

    private static byte[] vectorInput(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (i % 251);
        return b;
    }

    /** Every length around block, chunk and subtree boundaries, fed in one piece. */
    @Test
    void oneShotMatchesOracleAtBoundaries() {
        Random random = new Random(1);
        byte[] data = new byte[17 * 1024 + 100];
        random.nextBytes(data);
        for (int len = 0; len <= data.length; len += (len < 2200 ? 1 : 61)) {
            assertArrayEquals(oracle(data, len), new BcBlake3Hasher().update(data, 0, len).digest(), "length " + len);
        }
    }

    /** Running digests while fed in random slices (the session-log pattern), with copies forking. */
    @Test
    void runningDigestsAndCopiesMatchOracle() {
        Random random = new Random(7);
        byte[] data = new byte[40_000];
        random.nextBytes(data);
        io.cojson.core.crypto.Blake3Hasher h = new BcBlake3Hasher();
        int pos = 0;
        int steps = 0;
        while (pos < data.length) {
            int n = Math.min(data.length - pos, random.nextInt(random.nextBoolean() ? 150 : 3000));
            h.update(data, pos, n);
            pos += n;
            assertArrayEquals(oracle(data, pos), h.digest(), "after " + pos + " bytes");
            assertArrayEquals(oracle(data, pos), h.digest(), "digest is repeatable after " + pos);
            if (++steps % 5 == 0) {
                io.cojson.core.crypto.Blake3Hasher fork = h.copy();
                byte[] extra = "fork".getBytes(StandardCharsets.UTF_8);
                fork.update(extra);
                byte[] joined = Arrays.copyOf(data, pos + extra.length);
                System.arraycopy(extra, 0, joined, pos, extra.length);
                assertArrayEquals(oracle(joined, joined.length), fork.digest(), "fork at " + pos);
            }
        }
        assertEquals(true, steps > 20, "enough steps: " + steps);
    }
}
