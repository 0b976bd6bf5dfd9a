package io.cojson.core.crypto.internal;

import static io.cojson.core.crypto.internal.Checks.length;
import static io.cojson.core.crypto.internal.Checks.notNull;

import com.goterl.lazysodium.Sodium;
import com.goterl.lazysodium.SodiumJava;
import com.goterl.lazysodium.utils.LibraryLoader;
import io.cojson.core.crypto.Blake3Hasher;
import io.cojson.core.crypto.CryptoException;
import io.cojson.core.crypto.CryptoProvider;
import io.cojson.core.encoding.Hex;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Native provider: libsodium (the copy bundled in lazysodium-java, or the system one) through
 * the JNA-bound {@link Sodium} methods on plain byte arrays. BLAKE3 is not in libsodium and
 * comes from Bouncy Castle. Only methods of the {@link Sodium} base class are used, so the
 * {@code SodiumAndroid} of lazysodium-android works too (see {@link #of(Sodium)}).
 *
 * <p>Differences from the reference, on crafted inputs only:
 * <ul>
 *   <li>Ed25519 verify is libsodium's: it rejects small-order public keys, small-order R and
 *       non-canonical encodings, where ed25519-dalek's non-strict verify (the reference) accepts
 *       some of them. Honest signatures always verify the same.
 *   <li>X25519: libsodium refuses low-order public keys ({@code crypto_scalarmult} returns -1);
 *       we then compute the result with Bouncy Castle, which is the all-zero secret the
 *       reference produces too.
 * </ul>
 */
public final class LazySodiumProvider implements CryptoProvider {
    private static final SecureRandom RANDOM = new SecureRandom();
    // Known answer for the all-zero seed, checked at load to catch a broken native library.
    private static final String ZERO_SEED_ED25519_PUBLIC =
            "3b6a27bcceb6a42d62a3a8d02a6f0d73653215771de243a63ac048a18b59da29";

    private final Sodium sodium;
    private final BouncyCastleProvider fallback = BouncyCastleProvider.INSTANCE;
    private final Ed25519KeyCache signingKeys;

    private LazySodiumProvider(Sodium sodium) {
        this.sodium = sodium;
        this.signingKeys = new Ed25519KeyCache(this::derivePublicKey);
    }

    /**
     * Loads libsodium (bundled copy first, then the system's) and checks that it computes a known
     * answer. Throws whatever the loader throws (often {@link UnsatisfiedLinkError}) if it cannot.
     * JNA can bind the native methods only once per JVM, so call this once and keep the result.
     */
    public static LazySodiumProvider load() {
        return of(bind());
    }

    /**
     * A provider on an already bound libsodium, e.g. lazysodium-android's {@code new SodiumAndroid()}
     * on Android, where the bundled desktop binaries of lazysodium-java do not load. Checks the
     * same known answer as {@link #load()}.
     */
    public static LazySodiumProvider of(Sodium sodium) {
        LazySodiumProvider p = new LazySodiumProvider(java.util.Objects.requireNonNull(sodium, "sodium"));
        String pk = Hex.encode(p.ed25519PublicKey(new byte[ED25519_SEED_BYTES]));
        if (!pk.equals(ZERO_SEED_ED25519_PUBLIC)) {
            throw new CryptoException("libsodium self-test failed: ed25519 public key of the zero seed is " + pk);
        }
        return p;
    }

    /**
     * Binds the bundled libsodium from a verified copy that all JVM starts share (see
     * {@link NativeLibraryCache}; directory {@code cojson.native.dir}, default java.io.tmpdir), or
     * the system's libsodium if the bundled one cannot be put in place.
     */
    static SodiumJava bind() {
        String base = System.getProperty("cojson.native.dir", System.getProperty("java.io.tmpdir"));
        String path;
        try {
            path = NativeLibraryCache.extract(SodiumJava.class.getClassLoader(), LibraryLoader.getSodiumPathInResources(),
                    new java.io.File(base));
        } catch (java.io.IOException | RuntimeException e) {
            return new SodiumJava(LibraryLoader.Mode.SYSTEM_ONLY);
        }
        return new SodiumJava(path);
    }

    @Override
    public String name() {
        return "lazysodium";
    }

    @Override
    public byte[] blake3(byte[] data) {
        return fallback.blake3(data);
    }

    @Override
    public Blake3Hasher newBlake3() {
        return fallback.newBlake3();
    }

    @Override
    public byte[] ed25519PublicKey(byte[] seed32) {
        return derivePublicKey(length("ed25519 seed", seed32, ED25519_SEED_BYTES));
    }

    private byte[] derivePublicKey(byte[] seed) {
        byte[] pk = new byte[ED25519_PUBLIC_KEY_BYTES];
        byte[] sk = new byte[64];
        check(sodium.crypto_sign_seed_keypair(pk, sk, seed), "crypto_sign_seed_keypair");
        Arrays.fill(sk, (byte) 0);
        return pk;
    }

    @Override
    public byte[] ed25519Sign(byte[] seed32, byte[] message) {
        length("ed25519 seed", seed32, ED25519_SEED_BYTES);
        notNull("ed25519 message", message);
        // libsodium's secret key is seed ‖ public key.
        byte[] sk = Arrays.copyOf(seed32, 64);
        System.arraycopy(signingKeys.publicKey(seed32), 0, sk, 32, 32);
        byte[] sig = new byte[ED25519_SIGNATURE_BYTES];
        int rc = sodium.crypto_sign_detached(sig, null, message, message.length, sk);
        Arrays.fill(sk, (byte) 0);
        check(rc, "crypto_sign_detached");
        return sig;
    }

    @Override
    public boolean ed25519Verify(byte[] publicKey32, byte[] message, byte[] signature64) {
        if (publicKey32 == null || publicKey32.length != ED25519_PUBLIC_KEY_BYTES) return false;
        if (signature64 == null || signature64.length != ED25519_SIGNATURE_BYTES) return false;
        if (message == null) return false;
        return sodium.crypto_sign_verify_detached(signature64, message, message.length, publicKey32) == 0;
    }

    @Override
    public byte[] x25519PublicKey(byte[] secret32) {
        length("x25519 secret", secret32, X25519_KEY_BYTES);
        byte[] pk = new byte[X25519_KEY_BYTES];
        if (sodium.crypto_scalarmult_base(pk, secret32) != 0) return fallback.x25519PublicKey(secret32);
        return pk;
    }

    @Override
    public byte[] x25519SharedSecret(byte[] secret32, byte[] publicKey32) {
        length("x25519 secret", secret32, X25519_KEY_BYTES);
        length("x25519 public key", publicKey32, X25519_KEY_BYTES);
        byte[] shared = new byte[X25519_KEY_BYTES];
        // -1 means a low-order point (all-zero result); the reference returns the zeros.
        if (sodium.crypto_scalarmult(shared, secret32, publicKey32) != 0) {
            return fallback.x25519SharedSecret(secret32, publicKey32);
        }
        return shared;
    }

    @Override
    public byte[] xsalsa20Xor(byte[] key32, byte[] nonce24, byte[] data) {
        checkKeyAndNonce(key32, nonce24);
        notNull("xsalsa20 data", data);
        byte[] out = new byte[data.length];
        if (data.length == 0) return out;
        // libsodium's default crypto_stream is XSalsa20.
        check(sodium.crypto_stream_xor(out, data, data.length, nonce24, key32), "crypto_stream_xor");
        return out;
    }

    @Override
    public byte[] secretboxSeal(byte[] key32, byte[] nonce24, byte[] plaintext) {
        checkKeyAndNonce(key32, nonce24);
        notNull("secretbox plaintext", plaintext);
        byte[] box = new byte[SECRETBOX_TAG_BYTES + plaintext.length];
        check(sodium.crypto_secretbox_easy(box, plaintext, plaintext.length, nonce24, key32),
                "crypto_secretbox_easy");
        return box;
    }

    @Override
    public byte[] secretboxOpen(byte[] key32, byte[] nonce24, byte[] box) {
        checkKeyAndNonce(key32, nonce24);
        notNull("secretbox box", box);
        if (box.length < SECRETBOX_TAG_BYTES) {
            throw new CryptoException("secretbox: box of " + box.length
                    + " bytes is shorter than its " + SECRETBOX_TAG_BYTES + "-byte tag");
        }
        byte[] plain = new byte[box.length - SECRETBOX_TAG_BYTES];
        if (sodium.crypto_secretbox_open_easy(plain, box, box.length, nonce24, key32) != 0) {
            throw new CryptoException("secretbox: authentication failed (wrong key or nonce, or tampered data)");
        }
        return plain;
    }

    @Override
    public void randomBytes(byte[] out) {
        RANDOM.nextBytes(notNull("random output", out));
    }

    private static void checkKeyAndNonce(byte[] key32, byte[] nonce24) {
        length("xsalsa20 key", key32, XSALSA20_KEY_BYTES);
        length("xsalsa20 nonce", nonce24, XSALSA20_NONCE_BYTES);
    }

    private static void check(int rc, String function) {
        if (rc != 0) throw new CryptoException("libsodium " + function + " failed with " + rc);
    }

    @Override
    public String toString() {
        return name();
    }
}
