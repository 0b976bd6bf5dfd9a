package io.cojson.core.crypto;

/**
 * Incremental BLAKE3 (default hash mode, 32-byte output). Unlike most digest APIs,
 * {@link #digest()} does not finish the hasher: cojson hashes a session's transactions one after
 * another and needs the running hash after each one. Not thread-safe; {@link #copy()} forks.
 */
public interface Blake3Hasher {
    /** Feeds {@code data}; a null array throws {@link CryptoException}. Returns this hasher. */
    Blake3Hasher update(byte[] data);

    /** Feeds a slice; an out-of-range slice throws {@link IndexOutOfBoundsException}. */
    Blake3Hasher update(byte[] data, int offset, int length);

    /**
     * Feeds the chars {@code text[offset, offset + length)}, which the caller guarantees are all
     * ASCII (so they are their own UTF-8 bytes): hashing received text without encoding it first.
     */
    default Blake3Hasher updateAscii(String text, int offset, int length) {
        return update(text.substring(offset, offset + length).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    /** The 32-byte hash of everything fed so far; the hasher stays usable and unchanged. */
    byte[] digest();

    /** An independent hasher with the same state; updates to either do not affect the other. */
    Blake3Hasher copy();
}
