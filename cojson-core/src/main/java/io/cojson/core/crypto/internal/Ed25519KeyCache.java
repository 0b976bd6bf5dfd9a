package io.cojson.core.crypto.internal;

import java.security.MessageDigest;
import java.util.function.UnaryOperator;

/**
 * Remembers the public key of the seed that signed last. Ed25519 signing needs the public key,
 * and deriving it costs as much as the signature itself; a node signs almost everything with
 * its one agent key, so a single entry halves the cost of {@code sign}.
 */
final class Ed25519KeyCache {
    private record Entry(byte[] seed, byte[] publicKey) {}

    private final UnaryOperator<byte[]> derive;
    private volatile Entry last;

    Ed25519KeyCache(UnaryOperator<byte[]> derive) {
        this.derive = derive;
    }

    /** The public key for {@code seed}; callers must not modify or hand out the returned array. */
    byte[] publicKey(byte[] seed) {
        Entry e = last;
        // Constant-time compare: the seed is secret.
        if (e != null && MessageDigest.isEqual(e.seed, seed)) return e.publicKey;
        byte[] pk = derive.apply(seed);
        last = new Entry(seed.clone(), pk);
        return pk;
    }
}
