package io.cojson.core.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Bouncy Castle and libsodium must agree bit for bit on random inputs, not just the vectors. */
class CryptoProviderEquivalenceTest {
    private final CryptoProvider bc = PrimitiveVectors.provider("bouncycastle");
    private final CryptoProvider ls = PrimitiveVectors.provider("lazysodium");
    private final Random random = new Random(20_019);

    private byte[] random(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    @Test
    void ed25519Agrees() {
        for (int i = 0; i < 100; i++) {
            byte[] seed = random(32);
            byte[] msg = random(random.nextInt(300));
            byte[] pk = bc.ed25519PublicKey(seed);
            assertArrayEquals(pk, ls.ed25519PublicKey(seed));
            byte[] sig = bc.ed25519Sign(seed, msg);
            assertArrayEquals(sig, ls.ed25519Sign(seed, msg));
            assertTrue(ls.ed25519Verify(pk, msg, sig));
            byte[] bad = sig.clone();
            bad[random.nextInt(64)] ^= (byte) (1 << random.nextInt(8));
            assertEquals(bc.ed25519Verify(pk, msg, bad), ls.ed25519Verify(pk, msg, bad));
            assertFalse(bc.ed25519Verify(pk, msg, bad));
        }
    }

    /** Includes u-coordinates with bit 255 set, which RFC 7748 says to ignore. */
    @Test
    void x25519Agrees() {
        for (int i = 0; i < 100; i++) {
            byte[] secret = random(32);
            byte[] u = random(32);
            assertArrayEquals(bc.x25519PublicKey(secret), ls.x25519PublicKey(secret));
            assertArrayEquals(bc.x25519SharedSecret(secret, u), ls.x25519SharedSecret(secret, u));
            byte[] other = random(32);
            byte[] ab = bc.x25519SharedSecret(secret, ls.x25519PublicKey(other));
            assertArrayEquals(ab, ls.x25519SharedSecret(other, bc.x25519PublicKey(secret)));
        }
    }

    @Test
    void xsalsa20AndSecretboxAgree() {
        int[] lengths = {0, 1, 15, 16, 31, 32, 33, 63, 64, 65, 127, 128, 1000, 4096};
        for (int len : lengths) {
            byte[] key = random(32);
            byte[] nonce = random(24);
            byte[] data = random(len);
            assertArrayEquals(bc.xsalsa20Xor(key, nonce, data), ls.xsalsa20Xor(key, nonce, data), "xor " + len);
            byte[] box = bc.secretboxSeal(key, nonce, data);
            assertArrayEquals(box, ls.secretboxSeal(key, nonce, data), "seal " + len);
            assertArrayEquals(data, ls.secretboxOpen(key, nonce, box));
            assertArrayEquals(data, bc.secretboxOpen(key, nonce, box));
        }
    }
}
