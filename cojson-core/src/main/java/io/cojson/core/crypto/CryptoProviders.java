package io.cojson.core.crypto;

import com.goterl.lazysodium.Sodium;
import io.cojson.core.crypto.internal.BouncyCastleProvider;
import io.cojson.core.crypto.internal.LazySodiumProvider;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where {@link CryptoProvider}s come from. Both providers give identical results on all
 * reference vectors; libsodium is faster for Ed25519 and X25519, Bouncy Castle needs no native
 * code. The provider is pluggable: {@code new Crypto(provider)}, or the client builder's
 * {@code crypto(provider)}, takes any {@link CryptoProvider}, e.g. {@link #libsodium(Sodium)} on
 * Android with lazysodium-android's {@code new SodiumAndroid()}.
 */
public final class CryptoProviders {
    /** System property choosing {@link #auto()}'s provider: bouncycastle, lazysodium or auto. */
    public static final String PROPERTY = "cojson.crypto";

    private static final Logger LOG = LoggerFactory.getLogger(CryptoProviders.class);

    private static volatile CryptoProvider auto;

    private CryptoProviders() {}

    public static CryptoProvider bouncyCastle() {
        return BouncyCastleProvider.INSTANCE;
    }

    /** libsodium via lazysodium, or empty when its native library cannot be loaded here. */
    public static Optional<CryptoProvider> lazySodium() {
        return Optional.ofNullable(SodiumHolder.PROVIDER);
    }

    /**
     * libsodium through a {@link Sodium} the caller has bound: lazysodium-android's
     * {@code SodiumAndroid} on Android, or a {@code SodiumJava} on a given library path.
     *
     * @throws CryptoException if it fails the known-answer check
     */
    public static CryptoProvider libsodium(Sodium sodium) {
        return LazySodiumProvider.of(sodium);
    }

    /**
     * The provider named by the {@code cojson.crypto} system property, read on the first call;
     * by default (or "auto") libsodium if it loads, else Bouncy Castle.
     *
     * @throws CryptoException if the property names an unknown provider, or "lazysodium" when it
     *     cannot be loaded (an explicit choice should not silently degrade)
     */
    public static CryptoProvider auto() {
        CryptoProvider p = auto;
        if (p == null) {
            synchronized (CryptoProviders.class) {
                p = auto;
                if (p == null) auto = p = select(System.getProperty(PROPERTY));
            }
        }
        return p;
    }

    /** The choice {@link #auto()} makes for a given property value; package-private for tests. */
    static CryptoProvider select(String setting) {
        String s = setting == null ? "auto" : setting.trim().toLowerCase(Locale.ROOT);
        switch (s) {
            case "":
            case "auto":
                return lazySodium().orElseGet(CryptoProviders::bouncyCastle);
            case "bouncycastle":
                return bouncyCastle();
            case "lazysodium":
                return lazySodium().orElseThrow(() ->
                        new CryptoException(PROPERTY + "=lazysodium but libsodium could not be loaded", SodiumHolder.FAILURE));
            default:
                throw new CryptoException("unknown " + PROPERTY + " value \"" + setting
                        + "\"; expected bouncycastle, lazysodium or auto");
        }
    }

    /** Loads libsodium once, on first use (JNA cannot bind the same class twice). */
    private static final class SodiumHolder {
        static final CryptoProvider PROVIDER;
        static final Throwable FAILURE;

        static {
            CryptoProvider provider = null;
            Throwable failure = null;
            try {
                provider = LazySodiumProvider.load();
            } catch (Throwable t) { // UnsatisfiedLinkError, NoClassDefFoundError, self-test failure...
                failure = t;
                LOG.debug("libsodium unavailable, falling back to Bouncy Castle", t);
            }
            PROVIDER = provider;
            FAILURE = failure;
        }
    }
}
