package io.cojson.core.crypto.internal;

import io.cojson.core.crypto.Blake3Hasher;
import io.cojson.core.crypto.CryptoProvider;
import java.util.Objects;
import org.bouncycastle.crypto.digests.Blake3Digest;

/** {@link Blake3Hasher} over Bouncy Castle, whose doFinal resets: digest() finishes a copy. */
final class BcBlake3Hasher implements Blake3Hasher {
    private final Blake3Digest state;

    BcBlake3Hasher() {
        this(new Blake3Digest(CryptoProvider.BLAKE3_BYTES * 8));
    }

    private BcBlake3Hasher(Blake3Digest state) {
        this.state = state;
    }

    @Override
    public Blake3Hasher update(byte[] data) {
        state.update(Checks.notNull("blake3 input", data), 0, data.length);
        return this;
    }

    @Override
    public Blake3Hasher update(byte[] data, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, Checks.notNull("blake3 input", data).length);
        state.update(data, offset, length);
        return this;
    }

    @Override
    public byte[] digest() {
        byte[] out = new byte[CryptoProvider.BLAKE3_BYTES];
        new Blake3Digest(state).doFinal(out, 0);
        return out;
    }

    @Override
    public Blake3Hasher copy() {
        return new BcBlake3Hasher(new Blake3Digest(state));
    }

    /** One-shot hash without the copy that {@link #digest()} needs. */
    static byte[] hash(byte[] data) {
        Blake3Digest d = new Blake3Digest(CryptoProvider.BLAKE3_BYTES * 8);
        d.update(Checks.notNull("blake3 input", data), 0, data.length);
        byte[] out = new byte[CryptoProvider.BLAKE3_BYTES];
        d.doFinal(out, 0);
        return out;
    }
}
