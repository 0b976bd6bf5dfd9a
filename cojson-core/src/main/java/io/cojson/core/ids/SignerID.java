package io.cojson.core.ids;

import io.cojson.core.encoding.Base58;

/** An Ed25519 public key: {@code signer_z} + base58(32 bytes). */
public record SignerID(String value) {
    public static final String PREFIX = "signer_z";
    public static final int BYTES = 32;

    public SignerID {
        Prefixed.decodeZ("signer ID", PREFIX, value, BYTES);
    }

    /** Parses and validates; throws {@link InvalidIdException} naming what was wrong. */
    public static SignerID parse(String value) {
        return new SignerID(value);
    }

    public static SignerID fromBytes(byte[] bytes) {
        if (bytes.length != BYTES) {
            throw new InvalidIdException("signer ID of " + BYTES + " bytes", bytes.length + " bytes");
        }
        return new SignerID(PREFIX + Base58.encode(bytes));
    }

    /** The last key decoded (text and bytes): every session log of one signer needs the same key. */
    private record Decoded(String value, byte[] bytes) {}

    private static volatile Decoded lastDecoded;

    /** The 32 key bytes (a fresh array each call). */
    public byte[] bytes() {
        Decoded d = lastDecoded;
        if (d != null && d.value.equals(value)) return d.bytes.clone();
        byte[] b = Base58.decode(value.substring(PREFIX.length()));
        lastDecoded = new Decoded(value, b.clone());
        return b;
    }

    @Override
    public String toString() {
        return value;
    }

    // Written out (same values as the generated ones): a record's generated equals/hashCode run
    // through method-handle chains, which a cold JVM interprets on every map lookup.
    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof SignerID other && value.equals(other.value));
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
