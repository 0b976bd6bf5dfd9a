package io.cojson.core.crypto.internal;

import io.cojson.core.crypto.CryptoException;

/** Argument checks shared by the providers, so both reject bad input with the same message. */
final class Checks {
    private Checks() {}

    static byte[] length(String what, byte[] value, int expected) {
        if (value == null || value.length != expected) throw CryptoException.wrongLength(what, expected, value);
        return value;
    }

    static byte[] notNull(String what, byte[] value) {
        if (value == null) throw new CryptoException(what + ": expected bytes, found null");
        return value;
    }
}
