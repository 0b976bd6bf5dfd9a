package io.cojson.core.ids;

import io.cojson.core.encoding.Base58;

/** The first 19 bytes of a BLAKE3 digest: {@code shortHash_z} + base58(19 bytes). */
public record ShortHash(String value) {
    public static final String PREFIX = "shortHash_z";
    public static final int BYTES = 19;

    public ShortHash {
        Prefixed.decodeZ("short hash", PREFIX, value, BYTES);
    }

    /** Parses and validates; throws {@link InvalidIdException} naming what was wrong. */
    public static ShortHash parse(String value) {
        return new ShortHash(value);
    }

    public static ShortHash fromBytes(byte[] bytes) {
        if (bytes.length != BYTES) {
            throw new InvalidIdException("short hash of " + BYTES + " bytes", bytes.length + " bytes");
        }
        return new ShortHash(PREFIX + Base58.encode(bytes));
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
        return this == o || (o instanceof ShortHash other && value.equals(other.value));
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
