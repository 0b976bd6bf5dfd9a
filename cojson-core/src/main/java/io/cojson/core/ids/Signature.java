package io.cojson.core.ids;

import io.cojson.core.encoding.Base58;

/** An Ed25519 signature: {@code signature_z} + base58(64 bytes). */
public record Signature(String value) {
    public static final String PREFIX = "signature_z";
    public static final int BYTES = 64;

    public Signature {
        Prefixed.decodeZ("signature", PREFIX, value, BYTES);
    }

    /** Parses and validates; throws {@link InvalidIdException} naming what was wrong. */
    public static Signature parse(String value) {
        return new Signature(value);
    }

    public static Signature fromBytes(byte[] bytes) {
        if (bytes.length != BYTES) {
            throw new InvalidIdException("signature of " + BYTES + " bytes", bytes.length + " bytes");
        }
        return new Signature(PREFIX + Base58.encode(bytes));
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
        return this == o || (o instanceof Signature other && value.equals(other.value));
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
