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

    /** 2^53: integers up to it print the same from a double in JS and from a long here. */
    private static final double MAX_SAFE = 9007199254740992d;

    /**
     * {@link #bytes} of a transaction's nonce material, {@code {"in": s, "tx": {"sessionID": s,
     * "txIndex": n}}}, written straight into bytes when its strings are printable ASCII without
     * {@code "} or {@code \} and {@code n} is an integer in [0, 2^53] (IDs always are); null for
     * anything else (then use {@link #bytes}). Every private transaction derives one nonce when it
     * is encrypted and one each time it is decrypted; building the text through a JSON writer
     * with sorted keys allocated several times its size.
     */
    public static byte[] nonceMaterialBytes(JsonValue value) {
        if (!(value instanceof JsonValue.Obj o) || o.fields().size() != 2) return null;
        if (!(o.get("in") instanceof JsonValue.Str in) || !(o.get("tx") instanceof JsonValue.Obj tx) || tx.fields().size() != 2) return null;
        if (!(tx.get("sessionID") instanceof JsonValue.Str session) || !(tx.get("txIndex") instanceof JsonValue.Num index)) return null;
        double d = index.value();
        if (!(d >= 0 && d <= MAX_SAFE && d == Math.rint(d))) return null;
        String n = Long.toString((long) d);
        String a = in.value();
        String b = session.value();
        byte[] out = new byte[a.length() + b.length() + n.length() + 42];
        int p = put(out, 0, "{\"in\":\"");
        if ((p = plain(out, p, a)) < 0) return null;
        p = put(out, p, "\",\"tx\":{\"sessionID\":\"");
        if ((p = plain(out, p, b)) < 0) return null;
        p = put(out, p, "\",\"txIndex\":");
        p = put(out, p, n);
        put(out, p, "}}");
        return out;
    }

    private static int put(byte[] out, int p, String ascii) {
        for (int i = 0; i < ascii.length(); i++) out[p++] = (byte) ascii.charAt(i);
        return p;
    }

    /** Copies a string that needs no escaping (printable ASCII, no quote or backslash); -1 otherwise. */
    private static int plain(byte[] out, int p, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') return -1;
            out[p++] = (byte) c;
        }
        return p;
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
