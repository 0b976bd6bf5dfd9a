package io.cojson.core.crypto.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.goterl.lazysodium.Sodium;
import io.cojson.core.crypto.CryptoProvider;
import io.cojson.core.crypto.CryptoProviders;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The pluggable path an Android app takes: a provider on a Sodium the caller bound itself. */
class LazySodiumProviderOfTest {
    @Test
    void aProviderOnACallerBoundSodiumSignsAsBouncyCastleDoes() {
        Sodium sodium = LazySodiumProvider.bind(); // what an Android app does with new SodiumAndroid()
        CryptoProvider p = CryptoProviders.libsodium(sodium);
        CryptoProvider bc = CryptoProviders.bouncyCastle();
        byte[] seed = new byte[32];
        for (int i = 0; i < seed.length; i++) seed[i] = (byte) (i * 7 + 1);
        byte[] msg = "hello android".getBytes(StandardCharsets.UTF_8);
        assertEquals("lazysodium", p.name());
        assertArrayEquals(bc.ed25519PublicKey(seed), p.ed25519PublicKey(seed));
        assertArrayEquals(bc.ed25519Sign(seed, msg), p.ed25519Sign(seed, msg));
        assertTrue(bc.ed25519Verify(p.ed25519PublicKey(seed), msg, p.ed25519Sign(seed, msg)));
        byte[] key = new byte[32];
        byte[] nonce = new byte[24];
        nonce[3] = 9;
        assertArrayEquals(bc.secretboxSeal(key, nonce, msg), p.secretboxSeal(key, nonce, msg));
    }

    @Test
    void nullIsRejected() {
        assertThrows(NullPointerException.class, () -> CryptoProviders.libsodium(null));
    }
}
