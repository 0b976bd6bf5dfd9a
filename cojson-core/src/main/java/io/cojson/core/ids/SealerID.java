package io.cojson.core.ids;

import io.cojson.core.encoding.Base58;

/** An X25519 public key: {@code sealer_z} + base58(32 bytes). */
public record SealerID(String value) {
    public static final String PREFIX = "sealer_z";
    public static final int BYTES = 32;

    public SealerID {
        Prefixed.decodeZ("sealer ID", PREFIX, value, BYTES);
    }

    /** Parses and validates; throws {@link InvalidIdException} naming what was wrong. */
    public static SealerID parse(String value) {
        return new SealerID(value);
    }

    public static SealerID fromBytes(byte[] bytes) {
        if (bytes.length != BYTES) {
            throw new InvalidIdException("sealer ID of " + BYTES + " bytes", bytes.length + " bytes");
        }
        return new SealerID(PREFIX + Base58.encode(bytes));
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
        return this == o || (o instanceof SealerID other && value.equals(other.value));
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
