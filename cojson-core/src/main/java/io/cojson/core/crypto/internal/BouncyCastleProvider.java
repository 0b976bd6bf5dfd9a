package io.cojson.core.crypto.internal;

import static io.cojson.core.crypto.internal.Checks.length;
import static io.cojson.core.crypto.internal.Checks.notNull;

import io.cojson.core.crypto.Blake3Hasher;
import io.cojson.core.crypto.CryptoException;
import io.cojson.core.crypto.CryptoProvider;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.crypto.engines.XSalsa20Engine;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.bouncycastle.math.ec.rfc7748.X25519;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Pure-Java provider on the Bouncy Castle lightweight API; works everywhere.
 *
 * <p>Ed25519 uses the static RFC 8032 API rather than {@code Ed25519Signer}: it avoids the key
 * and signer objects and lets us pass a cached public key (halving the cost of signing).
 * Verification rejects S &ge; L and validates the public key fully, so small-order keys fail;
 * the reference (ed25519-dalek's non-strict verify) accepts them, so a signature crafted
 * against such a key verifies there and not here. Honest signatures always agree.
 *
 * <p>X25519 uses {@code X25519.scalarMult} directly: unlike {@code X25519Agreement} and JDK XDH
 * it does not reject an all-zero result, matching the reference.
 */
public final class BouncyCastleProvider implements CryptoProvider {
    public static final BouncyCastleProvider INSTANCE = new BouncyCastleProvider();

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Ed25519KeyCache signingKeys = new Ed25519KeyCache(BouncyCastleProvider::derivePublicKey);

    private BouncyCastleProvider() {
        Ed25519.precompute();
        X25519.precompute();
    }

    @Override
    public String name() {
        return "bouncycastle";
    }

    /** {@code -Dcojson.blake3=bouncycastle} selects Bouncy Castle's BLAKE3 instead of {@link Blake3}. */
    private static final boolean BC_BLAKE3 = "bouncycastle".equals(System.getProperty("cojson.blake3"));

    @Override
    public byte[] blake3(byte[] data) {
        return BC_BLAKE3 ? BcBlake3Hasher.hash(data) : Blake3.hash(data);
    }

    @Override
    public Blake3Hasher newBlake3() {
        return BC_BLAKE3 ? new BcBlake3Hasher() : new Blake3();
    }

    @Override
    public byte[] ed25519PublicKey(byte[] seed32) {
        return derivePublicKey(length("ed25519 seed", seed32, ED25519_SEED_BYTES));
    }

    private static byte[] derivePublicKey(byte[] seed) {
        byte[] pk = new byte[ED25519_PUBLIC_KEY_BYTES];
        Ed25519.generatePublicKey(seed, 0, pk, 0);
        return pk;
    }

    @Override
    public byte[] ed25519Sign(byte[] seed32, byte[] message) {
        length("ed25519 seed", seed32, ED25519_SEED_BYTES);
        notNull("ed25519 message", message);
        byte[] pk = signingKeys.publicKey(seed32);
        byte[] sig = new byte[ED25519_SIGNATURE_BYTES];
        Ed25519.sign(seed32, 0, pk, 0, message, 0, message.length, sig, 0);
        return sig;
    }

    @Override
    public boolean ed25519Verify(byte[] publicKey32, byte[] message, byte[] signature64) {
        if (publicKey32 == null || publicKey32.length != ED25519_PUBLIC_KEY_BYTES) return false;
        if (signature64 == null || signature64.length != ED25519_SIGNATURE_BYTES) return false;
        if (message == null) return false;
        try {
            return Ed25519.verify(signature64, 0, publicKey32, 0, message, 0, message.length);
        } catch (RuntimeException e) {
            return false; // defensive: the contract is "never throws"
        }
    }

    @Override
    public byte[] x25519PublicKey(byte[] secret32) {
        length("x25519 secret", secret32, X25519_KEY_BYTES);
        byte[] pk = new byte[X25519_KEY_BYTES];
        X25519.scalarMultBase(secret32, 0, pk, 0); // clamps internally
        return pk;
    }

    @Override
    public byte[] x25519SharedSecret(byte[] secret32, byte[] publicKey32) {
        length("x25519 secret", secret32, X25519_KEY_BYTES);
        length("x25519 public key", publicKey32, X25519_KEY_BYTES);
        byte[] shared = new byte[X25519_KEY_BYTES];
        X25519.scalarMult(secret32, 0, publicKey32, 0, shared, 0); // clamps k, masks bit 255 of u
        return shared;
    }

    @Override
    public byte[] xsalsa20Xor(byte[] key32, byte[] nonce24, byte[] data) {
        XSalsa20Engine stream = xsalsa20(key32, nonce24);
        notNull("xsalsa20 data", data);
        byte[] out = new byte[data.length];
        stream.processBytes(data, 0, data.length, out, 0);
        return out;
    }

    @Override
    public byte[] secretboxSeal(byte[] key32, byte[] nonce24, byte[] plaintext) {
        XSalsa20Engine stream = xsalsa20(key32, nonce24);
        notNull("secretbox plaintext", plaintext);
        byte[] box = new byte[SECRETBOX_TAG_BYTES + plaintext.length];
        Poly1305 mac = oneTimeMac(stream);
        stream.processBytes(plaintext, 0, plaintext.length, box, SECRETBOX_TAG_BYTES);
        mac.update(box, SECRETBOX_TAG_BYTES, plaintext.length);
        mac.doFinal(box, 0);
        return box;
    }

    @Override
    public byte[] secretboxOpen(byte[] key32, byte[] nonce24, byte[] box) {
        XSalsa20Engine stream = xsalsa20(key32, nonce24);
        notNull("secretbox box", box);
        if (box.length < SECRETBOX_TAG_BYTES) {
            throw new CryptoException("secretbox: box of " + box.length
                    + " bytes is shorter than its " + SECRETBOX_TAG_BYTES + "-byte tag");
        }
        int ctLen = box.length - SECRETBOX_TAG_BYTES;
        Poly1305 mac = oneTimeMac(stream);
        mac.update(box, SECRETBOX_TAG_BYTES, ctLen);
        byte[] tag = new byte[SECRETBOX_TAG_BYTES];
        mac.doFinal(tag, 0);
        // MessageDigest.isEqual is constant-time for equal lengths.
        if (!MessageDigest.isEqual(tag, Arrays.copyOf(box, SECRETBOX_TAG_BYTES))) {
            throw new CryptoException("secretbox: authentication failed (wrong key or nonce, or tampered data)");
        }
        byte[] plain = new byte[ctLen];
        stream.processBytes(box, SECRETBOX_TAG_BYTES, ctLen, plain, 0);
        return plain;
    }

    @Override
    public void randomBytes(byte[] out) {
        RANDOM.nextBytes(notNull("random output", out));
    }

    private static XSalsa20Engine xsalsa20(byte[] key32, byte[] nonce24) {
        length("xsalsa20 key", key32, XSALSA20_KEY_BYTES);
        length("xsalsa20 nonce", nonce24, XSALSA20_NONCE_BYTES);
        XSalsa20Engine engine = new XSalsa20Engine();
        engine.init(true, new ParametersWithIV(new KeyParameter(key32), nonce24));
        return engine;
    }

    /** NaCl secretbox: keystream bytes 0..31 are the Poly1305 key; the message starts at byte 32. */
    private static Poly1305 oneTimeMac(XSalsa20Engine stream) {
        byte[] otk = new byte[32];
        stream.processBytes(otk, 0, otk.length, otk, 0);
        Poly1305 mac = new Poly1305();
        mac.init(new KeyParameter(otk));
        Arrays.fill(otk, (byte) 0);
        return mac;
    }

    @Override
    public String toString() {
        return name();
    }
}
