package io.cojson.core.ids;

import io.cojson.core.encoding.Base58;

/**
 * A CoValue ID: {@code co_z} + base58 of the first 19 bytes of BLAKE3(stable header). Accounts are
 * CoValues, so an account ID is a RawCoID too. Parsing accepts any {@code co_z} + letters/digits
 * (tests and the reference use short placeholder IDs); {@link #bytes()} requires real base58.
 */
public record RawCoID(String value) {
    public static final String PREFIX = "co_z";
    public static final int BYTES = 19;

    public RawCoID {
        Prefixed.checkAlnum("CoValue ID", PREFIX, value, 64);
    }

    public static RawCoID parse(String value) {
        return new RawCoID(value);
    }

    public static boolean isValid(String value) {
        try {
            Prefixed.checkAlnum("CoValue ID", PREFIX, value, 64);
            return true;
        } catch (InvalidIdException e) {
            return false;
        }
    }

    /** {@code co_z} + base58 of the first 19 bytes of {@code digest}. */
    public static RawCoID fromBytes(byte[] digest) {
        if (digest.length < BYTES) {
            throw new InvalidIdException("at least " + BYTES + " bytes", digest.length + " bytes");
        }
        byte[] b = digest.length == BYTES ? digest : java.util.Arrays.copyOf(digest, BYTES);
        return new RawCoID(PREFIX + Base58.encode(b));
    }

    public byte[] bytes() {
        return Prefixed.decodeZ("CoValue ID", PREFIX, value, BYTES);
    }

    @Override
    public String toString() {
        return value;
    }

    // Written out (same values as the generated ones): a record's generated equals/hashCode run
    // through method-handle chains, which a cold JVM interprets on every map lookup.
    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof RawCoID other && value.equals(other.value));
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
