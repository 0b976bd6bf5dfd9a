package io.cojson.core.json;

import java.nio.charset.StandardCharsets;

/**
 * cojson's {@code stableStringify}: the canonical JSON that is hashed, signed and encrypted.
 * Object keys sorted by UTF-16 code units ({@link String#compareTo}), and strings that start with
 * {@code encrypted_U} or {@code binary_U} written between quotes with no escaping at all (the
 * reference does this; the output can then be invalid JSON, which we reproduce on purpose).
 */
public final class StableJson {
    private StableJson() {}

    /** The stable text, or Java {@code null} when the value is undefined (JS returns undefined). */
    public static String stringify(JsonValue value) {
        if (value instanceof JsonValue.Undefined) return null;
        StringBuilder sb = new StringBuilder(64);
        write(sb, value);
        return sb.toString();
    }

    /** UTF-8 bytes of {@link #stringify}; the input of every hash and signature. */
    public static byte[] bytes(JsonValue value) {
        String s = stringify(value);
        if (s == null) throw new IllegalArgumentException("undefined has no stable JSON form");
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Stable form of a single string (what {@code sign} signs for a string message). */
    public static String stringify(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2);
        JsonWriter.write(sb, new JsonValue.Str(s), true);
        return sb.toString();
    }

    public static void write(StringBuilder out, JsonValue value) {
        JsonWriter.write(out, value, true);
    }
}
