package io.cojson.core.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CryptoProvidersTest {
    @Test
    void lazySodiumLoadsHere() {
        // linux x86_64 ships a bundled libsodium; failing to load it here is a bug, not a skip.
        assertTrue(CryptoProviders.lazySodium().isPresent(), "lazysodium failed to load (see debug log)");
        assertEquals("lazysodium", CryptoProviders.lazySodium().get().name());
        assertSame(CryptoProviders.lazySodium().get(), CryptoProviders.lazySodium().get());
    }

    @Test
    void bouncyCastleIsAlwaysThere() {
        assertEquals("bouncycastle", CryptoProviders.bouncyCastle().name());
    }

    @Test
    void autoIsCachedAndFollowsTheProperty() {
        assertSame(CryptoProviders.auto(), CryptoProviders.auto());
        assertSame(CryptoProviders.select(System.getProperty(CryptoProviders.PROPERTY)), CryptoProviders.auto());
    }

    @Test
    void selectHonorsSettings() {
        CryptoProvider sodium = CryptoProviders.lazySodium().orElseThrow();
        assertSame(sodium, CryptoProviders.select(null));
        assertSame(sodium, CryptoProviders.select("auto"));
        assertSame(sodium, CryptoProviders.select(" LazySodium "));
        assertSame(CryptoProviders.bouncyCastle(), CryptoProviders.select("bouncycastle"));
        CryptoException e = assertThrows(CryptoException.class, () -> CryptoProviders.select("openssl"));
        assertTrue(e.getMessage().contains("bouncycastle, lazysodium or auto"), e.getMessage());
    }
}
