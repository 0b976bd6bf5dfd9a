package io.cojson.core.ids;

import io.cojson.core.encoding.Base58;

/** A 32-byte invite seed: {@code inviteSecret_z} + base58(32 bytes). */
public record InviteSecret(String value) {
    public static final String PREFIX = "inviteSecret_z";
    public static final int BYTES = 32;

    public InviteSecret {
        Prefixed.decodeZ("invite secret", PREFIX, value, BYTES);
    }

    /** Parses and validates; throws {@link InvalidIdException} naming what was wrong. */
    public static InviteSecret parse(String value) {
        return new InviteSecret(value);
    }

    public static InviteSecret fromBytes(byte[] bytes) {
        if (bytes.length != BYTES) {
            throw new InvalidIdException("invite secret of " + BYTES + " bytes", bytes.length + " bytes");
        }
        return new InviteSecret(PREFIX + Base58.encode(bytes));
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
        return this == o || (o instanceof InviteSecret other && value.equals(other.value));
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
