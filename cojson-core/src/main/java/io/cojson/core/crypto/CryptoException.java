package io.cojson.core.crypto;

/**
 * A cryptographic operation failed or was given unusable input: a secretbox that does not
 * authenticate, a box too short to hold its tag, or a key, nonce or seed of the wrong length.
 * Unchecked because callers usually cannot recover beyond treating the data as invalid.
 */
public class CryptoException extends RuntimeException {
    public CryptoException(String message) {
        super(message);
    }

    public CryptoException(String message, Throwable cause) {
        super(message, cause);
    }

    /** An argument had the wrong size, e.g. {@code "xsalsa20 key: expected 32 bytes, found 31"}. */
    public static CryptoException wrongLength(String what, int expected, byte[] found) {
        String got = found == null ? "null" : found.length + " bytes";
        return new CryptoException(what + ": expected " + expected + " bytes, found " + got);
    }
}
