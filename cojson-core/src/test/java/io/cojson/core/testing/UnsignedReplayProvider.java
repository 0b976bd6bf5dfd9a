package io.cojson.core.testing;

import io.cojson.core.crypto.Blake3Hasher;
import io.cojson.core.crypto.CryptoProvider;

/**
 * A real provider whose Ed25519 verification accepts every signature. Fixture files carry one
 * signature per session (over the whole log), so replaying a session one transaction at a time
 * has no signature for the shorter prefixes. Only for replays of content whose signatures a batch
 * load with the real provider has already verified (the Rust consumers of the same fixtures skip
 * verification entirely).
 */
public final class UnsignedReplayProvider implements CryptoProvider {
    private final CryptoProvider real;

    public UnsignedReplayProvider(CryptoProvider real) {
        this.real = real;
    }

    @Override public String name() { return "unsigned-replay(" + real.name() + ")"; }
    @Override public byte[] blake3(byte[] data) { return real.blake3(data); }
    @Override public Blake3Hasher newBlake3() { return real.newBlake3(); }
    @Override public byte[] ed25519PublicKey(byte[] seed32) { return real.ed25519PublicKey(seed32); }
    @Override public byte[] ed25519Sign(byte[] seed32, byte[] message) { return real.ed25519Sign(seed32, message); }
    @Override public boolean ed25519Verify(byte[] publicKey32, byte[] message, byte[] signature64) { return true; }
    @Override public byte[] x25519PublicKey(byte[] secret32) { return real.x25519PublicKey(secret32); }
    @Override public byte[] x25519SharedSecret(byte[] secret32, byte[] publicKey32) { return real.x25519SharedSecret(secret32, publicKey32); }
    @Override public byte[] xsalsa20Xor(byte[] key32, byte[] nonce24, byte[] data) { return real.xsalsa20Xor(key32, nonce24, data); }
    @Override public byte[] secretboxSeal(byte[] key32, byte[] nonce24, byte[] plaintext) { return real.secretboxSeal(key32, nonce24, plaintext); }
    @Override public byte[] secretboxOpen(byte[] key32, byte[] nonce24, byte[] box) { return real.secretboxOpen(key32, nonce24, box); }
    @Override public void randomBytes(byte[] out) { real.randomBytes(out); }
}
