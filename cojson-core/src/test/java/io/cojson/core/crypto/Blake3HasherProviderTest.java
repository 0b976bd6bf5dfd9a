package io.cojson.core.crypto;

import static io.cojson.core.crypto.PrimitiveVectors.concat;
import static io.cojson.core.crypto.PrimitiveVectors.provider;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cojson.core.testing.Blake3Vectors;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The incremental hasher: digest() must not consume state, copy() must fork it. */
class Blake3HasherProviderTest {
    private static final byte[] A = "first transaction".getBytes(StandardCharsets.UTF_8);
    private static final byte[] B = "second transaction".getBytes(StandardCharsets.UTF_8);

    /** The official BLAKE3 vectors are the oracle: one-shot, and running digests of one hasher. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"bouncycastle", "lazysodium"})
    void officialVectors(String providerName) {
        CryptoProvider p = provider(providerName);
        byte[] stream = Blake3Vectors.input(Blake3Vectors.maxLen());
        Blake3Hasher running = p.newBlake3();
        int pos = 0;
        for (Blake3Vectors.Case c : Blake3Vectors.CASES) {
            byte[] in = Arrays.copyOf(stream, c.inputLen());
            assertArrayEquals(c.hash32(), p.blake3(in), providerName + " blake3() input_len " + c.inputLen());
            assertArrayEquals(c.hash32(), p.newBlake3().update(in).digest(), providerName + " hasher input_len " + c.inputLen());
            running.update(stream, pos, c.inputLen() - pos);
            pos = c.inputLen();
            assertArrayEquals(c.hash32(), running.digest(), providerName + " running digest at " + pos);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"bouncycastle", "lazysodium"})
    void digestDoesNotDisturbLaterUpdates(String providerName) {
        CryptoProvider p = provider(providerName);
        Blake3Hasher h = p.newBlake3();
        assertArrayEquals(p.blake3(new byte[0]), h.digest());
        h.update(A);
        assertArrayEquals(p.blake3(A), h.digest());
        assertArrayEquals(p.blake3(A), h.digest(), "digest is repeatable");
        h.update(B);
        assertArrayEquals(p.blake3(concat(A, B)), h.digest());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"bouncycastle", "lazysodium"})
    void copyForks(String providerName) {
        CryptoProvider p = provider(providerName);
        Blake3Hasher original = p.newBlake3().update(A);
        Blake3Hasher fork = original.copy();
        fork.update(B);
        original.update(A);
        assertArrayEquals(p.blake3(concat(A, B)), fork.digest());
        assertArrayEquals(p.blake3(concat(A, A)), original.digest());
    }

    /** Digests taken at random points of a multi-chunk input (BLAKE3 chunks are 1024 bytes). */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"bouncycastle", "lazysodium"})
    void runningDigestsAcrossChunkBoundaries(String providerName) {
        CryptoProvider p = provider(providerName);
        Random random = new Random(42);
        byte[] data = new byte[5000];
        random.nextBytes(data);
        Blake3Hasher h = p.newBlake3();
        int pos = 0;
        while (pos < data.length) {
            int n = Math.min(data.length - pos, random.nextInt(700));
            h.update(data, pos, n);
            pos += n;
            assertArrayEquals(p.blake3(Arrays.copyOf(data, pos)), h.digest(), "after " + pos + " bytes");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"bouncycastle", "lazysodium"})
    void rejectsBadRanges(String providerName) {
        Blake3Hasher h = provider(providerName).newBlake3();
        assertThrows(IndexOutOfBoundsException.class, () -> h.update(A, 5, A.length));
        assertThrows(IndexOutOfBoundsException.class, () -> h.update(A, -1, 2));
        assertThrows(CryptoException.class, () -> h.update(null));
    }
}
