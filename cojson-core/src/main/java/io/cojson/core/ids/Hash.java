package io.cojson.core.ids;

import io.cojson.core.encoding.Base58;

/** A BLAKE3 digest: {@code hash_z} + base58(32 bytes). */
public record Hash(String value) {
    public static final String PREFIX = "hash_z";
    public static final int BYTES = 32;

    public Hash {
        Prefixed.decodeZ("hash", PREFIX, value, BYTES);
    }

    /** Parses and validates; throws {@link InvalidIdException} naming what was wrong. */
    public static Hash parse(String value) {
        return new Hash(value);
    }

    public static Hash fromBytes(byte[] bytes) {
        if (bytes.length != BYTES) {
            throw new InvalidIdException("hash of " + BYTES + " bytes", bytes.length + " bytes");
        }
        return new Hash(PREFIX + Base58.encode(bytes));
    }

    public byte[] bytes() {
        return Base58.decode(value.substring(PREFIX.length()));
    }

    @Override
    public String toString() {
        return value;
    }

    // Written out (the generated ones are method-handle chains a cold JVM interprets; see SignerID)
    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof Hash other && value.equals(other.value));
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
