package io.cojson.core.ids;

import io.cojson.core.encoding.Base58;

/** An X25519 private key as stored (clamped when used): {@code sealerSecret_z} + base58(32 bytes). */
public record SealerSecret(String value) {
    public static final String PREFIX = "sealerSecret_z";
    public static final int BYTES = 32;

    public SealerSecret {
        Prefixed.decodeZ("sealer secret", PREFIX, value, BYTES);
    }

    /** Parses and validates; throws {@link InvalidIdException} naming what was wrong. */
    public static SealerSecret parse(String value) {
        return new SealerSecret(value);
    }

    public static SealerSecret fromBytes(byte[] bytes) {
        if (bytes.length != BYTES) {
            throw new InvalidIdException("sealer secret of " + BYTES + " bytes", bytes.length + " bytes");
        }
        return new SealerSecret(PREFIX + Base58.encode(bytes));
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
        return this == o || (o instanceof SealerSecret other && value.equals(other.value));
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
