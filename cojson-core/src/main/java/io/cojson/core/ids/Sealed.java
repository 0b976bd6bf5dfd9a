package io.cojson.core.ids;

import io.cojson.core.encoding.Base64Url;

/** A secretbox keyed by an X25519 shared secret: {@code sealed_U} + base64url(tag ‖ ciphertext). */
public record Sealed(String value) {
    public static final String PREFIX = "sealed_U";

    public Sealed {
        Prefixed.checkU("sealed value", PREFIX, value);
    }

    public static Sealed parse(String value) {
        return new Sealed(value);
    }

    public static Sealed fromBytes(byte[] bytes) {
        return new Sealed(PREFIX + Base64Url.encode(bytes));
    }

    public byte[] bytes() {
        return Base64Url.decode(value.substring(PREFIX.length()));
    }

    @Override
    public String toString() {
        return value;
    }

    // Written out (the generated ones are method-handle chains a cold JVM interprets; see SignerID)
    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof Sealed other && value.equals(other.value));
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
