package io.cojson.core.ids;

/** The name of a symmetric key: {@code key_z} + base58 of 12 random bytes. Never decoded. */
public record KeyID(String value) {
    public static final String PREFIX = "key_z";

    public KeyID {
        Prefixed.checkAlnum("key ID", PREFIX, value, 64);
    }

    public static KeyID parse(String value) {
        return new KeyID(value);
    }

    @Override
    public String toString() {
        return value;
    }

    // Written out (the generated ones are method-handle chains a cold JVM interprets; see SignerID)
    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof KeyID other && value.equals(other.value));
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
