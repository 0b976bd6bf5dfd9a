package io.cojson.core.crypto.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.crypto.Blake3Hasher;
import io.cojson.core.encoding.Hex;
import io.cojson.core.testing.Blake3Vectors;
import java.util.Random;
import org.bouncycastle.crypto.digests.Blake3Digest;
import org.bouncycastle.crypto.params.Blake3Parameters;
import org.junit.jupiter.api.Test;

/**
 * {@link BcBlake3Hasher} against the official BLAKE3 vectors (the oracle is the published file,
 * not another implementation). Covers every official length, the one-shot and incremental paths,
 * running digests taken mid-stream and forks made with copy().
 */
class BcBlake3HasherTest {
    @Test
    void oneShotMatchesEveryOfficialVector() {
        for (Blake3Vectors.Case c : Blake3Vectors.CASES) {
            byte[] in = Blake3Vectors.input(c.inputLen());
            String what = "input_len " + c.inputLen();
            assertArrayEquals(c.hash32(), BcBlake3Hasher.hash(in), "hash() " + what + " " + Hex.encode(c.hash32()));
            assertArrayEquals(c.hash32(), new BcBlake3Hasher().update(in).digest(), "update+digest " + what);
        }
    }

    /** One hasher fed the official stream in random slices; its digest at each official length must match. */
    @Test
    void runningDigestsMatchOfficialVectorsWhateverTheSlicing() {
        byte[] stream = Blake3Vectors.input(Blake3Vectors.maxLen());
        for (long seed = 1; seed <= 4; seed++) {
            Random rnd = new Random(seed);
            Blake3Hasher h = new BcBlake3Hasher();
            int pos = 0;
            int checked = 0;
            for (Blake3Vectors.Case c : Blake3Vectors.CASES) {
                while (pos < c.inputLen()) {
                    int n = Math.min(c.inputLen() - pos, 1 + rnd.nextInt(rnd.nextBoolean() ? 70 : 3000));
                    h.update(stream, pos, n);
                    pos += n;
                }
                assertArrayEquals(c.hash32(), h.digest(), "seed " + seed + " running digest at " + pos);
                assertArrayEquals(c.hash32(), h.digest(), "seed " + seed + " digest repeatable at " + pos);
                checked++;
            }
            assertTrue(checked == Blake3Vectors.CASES.size(), "every case checked");
        }
    }

    /** A fork taken at any official length continues independently to the next ones. */
    @Test
    void copiesForkAtEveryOfficialLength() {
        byte[] stream = Blake3Vectors.input(Blake3Vectors.maxLen());
        Blake3Hasher h = new BcBlake3Hasher();
        int pos = 0;
        for (int i = 0; i < Blake3Vectors.CASES.size() - 1; i++) {
            Blake3Vectors.Case here = Blake3Vectors.CASES.get(i);
            Blake3Vectors.Case next = Blake3Vectors.CASES.get(i + 1);
            h.update(stream, pos, here.inputLen() - pos);
            pos = here.inputLen();
            Blake3Hasher fork = h.copy();
            fork.update(stream, pos, next.inputLen() - pos);
            assertArrayEquals(next.hash32(), fork.digest(), "fork at " + pos + " to " + next.inputLen());
            assertArrayEquals(here.hash32(), h.digest(), "original untouched by the fork at " + pos);
        }
    }

    /**
     * The library under our hasher on the whole file: all three modes at the full 131-byte extended
     * output. cojson only uses the default mode; this pins the library version's behaviour.
     */
    @Test
    void bouncyCastleMatchesAllModesAndExtendedOutput() {
        for (Blake3Vectors.Case c : Blake3Vectors.CASES) {
            byte[] in = Blake3Vectors.input(c.inputLen());
            assertArrayEquals(c.hash(), xof(new Blake3Digest(256), in), "hash " + c.inputLen());
            Blake3Digest keyed = new Blake3Digest(256);
            keyed.init(Blake3Parameters.key(Blake3Vectors.KEY));
            assertArrayEquals(c.keyedHash(), xof(keyed, in), "keyed_hash " + c.inputLen());
            Blake3Digest derive = new Blake3Digest(256);
            derive.init(Blake3Parameters.context(Blake3Vectors.CONTEXT.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
            assertArrayEquals(c.deriveKey(), xof(derive, in), "derive_key " + c.inputLen());
        }
    }

    private static byte[] xof(Blake3Digest d, byte[] in) {
        d.update(in, 0, in.length);
        byte[] out = new byte[131];
        d.doFinal(out, 0, out.length);
        return out;
    }
}
