package io.cojson.core.crypto;

import static io.cojson.core.crypto.PrimitiveVectors.provider;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.encoding.Hex;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad input and edge cases, identical on every provider. */
class CryptoProviderRejectionTest {
    private static final byte[] KEY = bytes(32, 1);
    private static final byte[] NONCE = bytes(24, 2);
    private static final byte[] SEED = bytes(32, 3);
    private static final byte[] MESSAGE = "\"hello\"".getBytes(StandardCharsets.UTF_8);

    /** Low-order X25519 u-coordinates (RFC 7748 §7 / libsodium's blacklist). */
    private static final String[] LOW_ORDER_POINTS = {
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0100000000000000000000000000000000000000000000000000000000000000",
        "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
        "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    };

    private static byte[] bytes(int n, int start) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (start + i);
        return b;
    }

    private static void assertWrongLength(String expectedFragment, Executable call) {
        CryptoException e = assertThrows(CryptoException.class, call);
        assertTrue(e.getMessage().contains(expectedFragment), () -> "message was: " + e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"bouncycastle", "lazysodium"})
    void rejectsWrongKeyAndNonceLengths(String providerName) {
        CryptoProvider p = provider(providerName);
        byte[] k31 = new byte[31];
        byte[] n23 = new byte[23];
        assertWrongLength("expected 32 bytes, found 31 bytes", () -> p.xsalsa20Xor(k31, NONCE, MESSAGE));
        assertWrongLength("expected 24 bytes, found 23 bytes", () -> p.xsalsa20Xor(KEY, n23, MESSAGE));
        assertWrongLength("expected 32 bytes, found 33 bytes", () -> p.secretboxSeal(new byte[33], NONCE, MESSAGE));
        assertWrongLength("expected 24 bytes, found 25 bytes", () -> p.secretboxSeal(KEY, new byte[25], MESSAGE));
        assertWrongLength("expected 32 bytes, found 31 bytes", () -> p.secretboxOpen(k31, NONCE, new byte[40]));
        assertWrongLength("expected 24 bytes, found null", () -> p.secretboxOpen(KEY, null, new byte[40]));
        assertWrongLength("ed25519 seed: expected 32 bytes, found 64 bytes", () -> p.ed25519Sign(new byte[64], MESSAGE));
        assertWrongLength("expected 32 bytes, found 0 bytes", () -> p.ed25519PublicKey(new byte[0]));
        assertWrongLength("x25519 secret: expected 32 bytes", () -> p.x25519PublicKey(k31));
        assertWrongLength("x25519 public key: expected 32 bytes", () -> p.x25519SharedSecret(KEY, k31));
        assertThrows(CryptoException.class, () -> p.xsalsa20Xor(KEY, NONCE, null));
        assertThrows(CryptoException.class, () -> p.ed25519Sign(SEED, null));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"bouncycastle", "lazysodium"})
    void secretboxRejectsEveryTamperedByte(String providerName) {
        CryptoProvider p = provider(providerName);
        byte[] box = p.secretboxSeal(KEY, NONCE, MESSAGE);
        assertEquals(CryptoProvider.SECRETBOX_TAG_BYTES + MESSAGE.length, box.length);
        for (int i = 0; i < box.length; i++) {
            byte[] tampered = box.clone();
            tampered[i] ^= 0x01;
            int at = i;
            CryptoException e = assertThrows(CryptoException.class, () -> p.secretboxOpen(KEY, NONCE, tampered),
                    () -> "flipped byte " + at);
            assertTrue(e.getMessage().contains("authentication failed"), e.getMessage());
        }
        assertArrayEquals(MESSAGE, p.secretboxOpen(KEY, NONCE, box));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"bouncycastle", "lazysodium"})
    void secretboxRejectsWrongKeyWrongNonceAndShortBoxes(String providerName) {
        CryptoProvider p = provider(providerName);
        byte[] box = p.secretboxSeal(KEY, NONCE, MESSAGE);
        assertThrows(CryptoException.class, () -> p.secretboxOpen(bytes(32, 9), NONCE, box));
        assertThrows(CryptoException.class, () -> p.secretboxOpen(KEY, bytes(24, 9), box));
        for (int len = 0; len < CryptoProvider.SECRETBOX_TAG_BYTES; len++) {
            byte[] shortBox = Arrays.copyOf(box, len);
            CryptoException e = assertThrows(CryptoException.class, () -> p.secretboxOpen(KEY, NONCE, shortBox));
            assertTrue(e.getMessage().contains("shorter than"), e.getMessage());
        }
        // A tag-only box is valid for the empty message.
        byte[] empty = p.secretboxSeal(KEY, NONCE, new byte[0]);
        assertEquals(CryptoProvider.SECRETBOX_TAG_BYTES, empty.length);
        assertEquals(0, p.secretboxOpen(KEY, NONCE, empty).length);
        assertThrows(CryptoException.class, () -> p.secretboxOpen(KEY, NONCE, new byte[16]));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"bouncycastle", "lazysodium"})
    void verifyReturnsFalseForGarbageAndNeverThrows(String providerName) {
        CryptoProvider p = provider(providerName);
        byte[] pk = p.ed25519PublicKey(SEED);
        byte[] sig = p.ed25519Sign(SEED, MESSAGE);
        assertTrue(p.ed25519Verify(pk, MESSAGE, sig));

        assertFalse(p.ed25519Verify(null, MESSAGE, sig));
        assertFalse(p.ed25519Verify(new byte[0], MESSAGE, sig));
        assertFalse(p.ed25519Verify(Arrays.copyOf(pk, 31), MESSAGE, sig));
        assertFalse(p.ed25519Verify(Arrays.copyOf(pk, 33), MESSAGE, sig));
        byte[] allFf = new byte[32];
        Arrays.fill(allFf, (byte) 0xff); // y >= p: not a canonical encoding
        assertFalse(p.ed25519Verify(allFf, MESSAGE, sig));
        assertFalse(p.ed25519Verify(new byte[32], MESSAGE, sig));
        assertFalse(p.ed25519Verify(bytes(32, 77), MESSAGE, sig));

        assertFalse(p.ed25519Verify(pk, MESSAGE, null));
        assertFalse(p.ed25519Verify(pk, MESSAGE, Arrays.copyOf(sig, 63)));
        assertFalse(p.ed25519Verify(pk, MESSAGE, Arrays.copyOf(sig, 65)));
        assertFalse(p.ed25519Verify(pk, null, sig));
        byte[] bigS = sig.clone();
        Arrays.fill(bigS, 32, 64, (byte) 0xff); // S >= L
        assertFalse(p.ed25519Verify(pk, MESSAGE, bigS));
    }

    /**
     * Pins a known divergence: with the identity as public key and R, and S = 0, ed25519-dalek's
     * non-strict verify (the reference) accepts any message; both providers here reject it.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"bouncycastle", "lazysodium"})
    void verifyRejectsSmallOrderPublicKeyForgery(String providerName) {
        CryptoProvider p = provider(providerName);
        byte[] identity = new byte[32];
        identity[0] = 1;
        byte[] sig = Arrays.copyOf(identity, 64);
        assertFalse(p.ed25519Verify(identity, MESSAGE, sig));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"bouncycastle", "lazysodium"})
    void x25519WithLowOrderPublicKeyGivesZeroSecret(String providerName) {
        CryptoProvider p = provider(providerName);
        for (String point : LOW_ORDER_POINTS) {
            assertEquals("00".repeat(32), Hex.encode(p.x25519SharedSecret(KEY, Hex.decode(point))), point);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"bouncycastle", "lazysodium"})
    void signingAlternatingKeysUsesEachKey(String providerName) {
        CryptoProvider p = provider(providerName);
        byte[] otherSeed = bytes(32, 100);
        byte[] pk = p.ed25519PublicKey(SEED);
        byte[] otherPk = p.ed25519PublicKey(otherSeed);
        for (int i = 0; i < 3; i++) {
            assertTrue(p.ed25519Verify(pk, MESSAGE, p.ed25519Sign(SEED, MESSAGE)));
            assertTrue(p.ed25519Verify(otherPk, MESSAGE, p.ed25519Sign(otherSeed, MESSAGE)));
        }
        // The key cache must not alias the caller's array.
        byte[] seed = SEED.clone();
        byte[] sig = p.ed25519Sign(seed, MESSAGE);
        seed[0] ^= 1;
        assertFalse(p.ed25519Verify(pk, MESSAGE, p.ed25519Sign(seed, MESSAGE)));
        assertArrayEquals(sig, p.ed25519Sign(SEED, MESSAGE));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"bouncycastle", "lazysodium"})
    void inputsAreNotModifiedAndEmptyDataWorks(String providerName) {
        CryptoProvider p = provider(providerName);
        byte[] key = KEY.clone();
        byte[] nonce = NONCE.clone();
        byte[] msg = MESSAGE.clone();
        p.secretboxOpen(key, nonce, p.secretboxSeal(key, nonce, msg));
        p.xsalsa20Xor(key, nonce, msg);
        p.ed25519Sign(key, msg);
        byte[] pk = p.x25519PublicKey(SEED);
        p.x25519SharedSecret(key, pk);
        assertArrayEquals(p.x25519PublicKey(SEED), pk);
        assertArrayEquals(KEY, key);
        assertArrayEquals(NONCE, nonce);
        assertArrayEquals(MESSAGE, msg);
        assertEquals(0, p.xsalsa20Xor(KEY, NONCE, new byte[0]).length);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"bouncycastle", "lazysodium"})
    void randomBytesFillsTheArray(String providerName) {
        CryptoProvider p = provider(providerName);
        byte[] a = new byte[32];
        byte[] b = new byte[32];
        p.randomBytes(a);
        p.randomBytes(b);
        assertNotEquals(Hex.encode(a), Hex.encode(b));
        assertNotEquals("00".repeat(32), Hex.encode(a));
        p.randomBytes(new byte[0]);
    }
}
