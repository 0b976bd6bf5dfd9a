package io.cojson.core.ids;

import io.cojson.core.encoding.Base58;

/** An Ed25519 private seed (RFC 8032): {@code signerSecret_z} + base58(32 bytes). */
public record SignerSecret(String value) {
    public static final String PREFIX = "signerSecret_z";
    public static final int BYTES = 32;

    public SignerSecret {
        Prefixed.decodeZ("signer secret", PREFIX, value, BYTES);
    }

    /** Parses and validates; throws {@link InvalidIdException} naming what was wrong. */
    public static SignerSecret parse(String value) {
        return new SignerSecret(value);
    }

    public static SignerSecret fromBytes(byte[] bytes) {
        if (bytes.length != BYTES) {
            throw new InvalidIdException("signer secret of " + BYTES + " bytes", bytes.length + " bytes");
        }
        return new SignerSecret(PREFIX + Base58.encode(bytes));
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
        return this == o || (o instanceof SignerSecret other && value.equals(other.value));
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
