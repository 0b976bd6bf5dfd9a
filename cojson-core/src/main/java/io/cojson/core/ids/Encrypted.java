package io.cojson.core.ids;

import io.cojson.core.encoding.Base64Url;

/** XSalsa20 ciphertext without MAC: {@code encrypted_U} + base64url (padded). */
public record Encrypted(String value) {
    public static final String PREFIX = "encrypted_U";

    public Encrypted {
        Prefixed.checkU("encrypted value", PREFIX, value);
    }

    public static Encrypted parse(String value) {
        return new Encrypted(value);
    }

    public static Encrypted fromBytes(byte[] bytes) {
        return new Encrypted(PREFIX + Base64Url.encode(bytes));
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
        return this == o || (o instanceof Encrypted other && value.equals(other.value));
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
