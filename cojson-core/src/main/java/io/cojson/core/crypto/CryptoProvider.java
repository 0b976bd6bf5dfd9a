package io.cojson.core.crypto;

/**
 * The raw primitives cojson is built on, as bytes in and bytes out (string encodings live in the
 * {@code Crypto} facade). Implementations must agree bit for bit with the reference
 * (cojson-core-napi, whose constructions are NaCl/libsodium-compatible).
 *
 * <p>Contract for every implementation: thread-safe; never modifies its arguments; always returns
 * fresh arrays. A key, nonce or seed of the wrong length, or a null argument, throws
 * {@link CryptoException} naming the expected and found lengths — except
 * {@link #ed25519Verify}, which answers {@code false} for any malformed input.
 */
public interface CryptoProvider {
    int BLAKE3_BYTES = 32;
    int ED25519_SEED_BYTES = 32;
    int ED25519_PUBLIC_KEY_BYTES = 32;
    int ED25519_SIGNATURE_BYTES = 64;
    int X25519_KEY_BYTES = 32;
    int XSALSA20_KEY_BYTES = 32;
    int XSALSA20_NONCE_BYTES = 24;
    int SECRETBOX_TAG_BYTES = 16;

    /** Short identifier, also accepted by the {@code cojson.crypto} system property. */
    String name();

    /** Plain BLAKE3 (no key, no derive_key mode), 32 bytes. */
    byte[] blake3(byte[] data);

    Blake3Hasher newBlake3();

    /** Ed25519 public key of a 32-byte RFC 8032 secret seed. */
    byte[] ed25519PublicKey(byte[] seed32);

    /** Pure Ed25519 (RFC 8032, no context, no prehash); deterministic, 64 bytes. */
    byte[] ed25519Sign(byte[] seed32, byte[] message);

    /**
     * Whether {@code signature64} is a valid signature of {@code message} by {@code publicKey32}.
     * Never throws: wrong lengths, nulls and undecodable points give {@code false}. Implementations
     * agree on every honestly made signature, but may differ from the reference on crafted edge
     * cases (small-order or non-canonical points), see their class docs.
     */
    boolean ed25519Verify(byte[] publicKey32, byte[] message, byte[] signature64);

    /** X25519(clamp(secret), 9). */
    byte[] x25519PublicKey(byte[] secret32);

    /**
     * Raw RFC 7748 X25519(clamp(secret), publicKey) with no hashing. A low-order public key yields
     * 32 zero bytes rather than an error, because the reference does not reject it either.
     */
    byte[] x25519SharedSecret(byte[] secret32, byte[] publicKey32);

    /** XSalsa20 keystream from block 0, XORed with {@code data}; no authentication. */
    byte[] xsalsa20Xor(byte[] key32, byte[] nonce24, byte[] data);

    /** NaCl crypto_secretbox (XSalsa20-Poly1305), laid out as tag(16) ‖ ciphertext. */
    byte[] secretboxSeal(byte[] key32, byte[] nonce24, byte[] plaintext);

    /** Inverse of {@link #secretboxSeal}; throws {@link CryptoException} if the tag does not verify. */
    byte[] secretboxOpen(byte[] key32, byte[] nonce24, byte[] box);

    /** Fills {@code out} from {@link java.security.SecureRandom}. */
    void randomBytes(byte[] out);
}
