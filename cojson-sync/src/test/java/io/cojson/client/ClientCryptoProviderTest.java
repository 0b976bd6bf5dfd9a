package io.cojson.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.crypto.Blake3Hasher;
import io.cojson.core.crypto.CryptoProvider;
import io.cojson.core.crypto.CryptoProviders;
import io.cojson.core.values.CoMap;
import io.cojson.core.values.internal.TypedNodes;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The client's crypto is pluggable (an Android app passes libsodium through lazysodium-android). */
class ClientCryptoProviderTest {
    @Test
    void theClientSignsWithTheProviderItWasBuiltWith() {
        CountingProvider provider = new CountingProvider(CryptoProviders.bouncyCastle());
        try (CojsonClient client = CojsonClient.builder().inMemory().crypto(provider).build()) {
            client.createAccount("Android");
            assertTrue(provider.publicKeys.get() > 0, "the account's keys were derived through the given provider");
            CoMap note = client.node().createGroup().createMap().set("text", "made with the given provider");
            assertSame(provider, TypedNodes.localNode(client.node()).crypto().provider());
            assertEquals("made with the given provider", note.getString("text"));
        }
    }

    /** Bouncy Castle, counting the Ed25519 public keys derived through it. */
    private static final class CountingProvider implements CryptoProvider {
        final CryptoProvider d;
        final AtomicInteger publicKeys = new AtomicInteger();

        CountingProvider(CryptoProvider d) {
            this.d = d;
        }

        @Override public String name() { return "counting-" + d.name(); }
        @Override public byte[] blake3(byte[] data) { return d.blake3(data); }
        @Override public Blake3Hasher newBlake3() { return d.newBlake3(); }
        @Override public byte[] ed25519PublicKey(byte[] seed) {
            publicKeys.incrementAndGet();
            return d.ed25519PublicKey(seed);
        }
        @Override public byte[] ed25519Sign(byte[] seed, byte[] message) { return d.ed25519Sign(seed, message); }
        @Override public boolean ed25519Verify(byte[] pk, byte[] message, byte[] sig) { return d.ed25519Verify(pk, message, sig); }
        @Override public byte[] x25519PublicKey(byte[] secret) { return d.x25519PublicKey(secret); }
        @Override public byte[] x25519SharedSecret(byte[] secret, byte[] pk) { return d.x25519SharedSecret(secret, pk); }
        @Override public byte[] xsalsa20Xor(byte[] key, byte[] nonce, byte[] data) { return d.xsalsa20Xor(key, nonce, data); }
        @Override public byte[] secretboxSeal(byte[] key, byte[] nonce, byte[] plaintext) { return d.secretboxSeal(key, nonce, plaintext); }
        @Override public byte[] secretboxOpen(byte[] key, byte[] nonce, byte[] box) { return d.secretboxOpen(key, nonce, box); }
        @Override public void randomBytes(byte[] out) { d.randomBytes(out); }
    }
}
