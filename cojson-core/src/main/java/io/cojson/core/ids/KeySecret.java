package io.cojson.core.ids;

import io.cojson.core.encoding.Base58;

/** A symmetric XSalsa20 key: {@code keySecret_z} + base58(32 bytes). */
public record KeySecret(String value) {
    public static final String PREFIX = "keySecret_z";
    public static final int BYTES = 32;

    public KeySecret {
        Prefixed.decodeZ("key secret", PREFIX, value, BYTES);
    }

    /** Parses and validates; throws {@link InvalidIdException} naming what was wrong. */
    public static KeySecret parse(String value) {
        return new KeySecret(value);
    }

    public static KeySecret fromBytes(byte[] bytes) {
        if (bytes.length != BYTES) {
            throw new InvalidIdException("key secret of " + BYTES + " bytes", bytes.length + " bytes");
        }
        return new KeySecret(PREFIX + Base58.encode(bytes));
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
        return this == o || (o instanceof KeySecret other && value.equals(other.value));
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
