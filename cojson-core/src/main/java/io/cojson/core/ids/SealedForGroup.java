package io.cojson.core.ids;

import io.cojson.core.encoding.Base64Url;

/** An anonymous box to a group sealer: {@code sealedForGroup_U} + base64url(ephemeral public key ‖ tag ‖ ciphertext). */
public record SealedForGroup(String value) {
    public static final String PREFIX = "sealedForGroup_U";

    public SealedForGroup {
        Prefixed.checkU("sealed-for-group value", PREFIX, value);
    }

    public static SealedForGroup parse(String value) {
        return new SealedForGroup(value);
    }

    public static SealedForGroup fromBytes(byte[] bytes) {
        return new SealedForGroup(PREFIX + Base64Url.encode(bytes));
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
        return this == o || (o instanceof SealedForGroup other && value.equals(other.value));
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
