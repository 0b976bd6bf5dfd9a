package io.cojson.core.json;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

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
        appendString(sb, s);
        return sb.toString();
    }

    public static void write(StringBuilder out, JsonValue value) {
        if (value instanceof JsonValue.Str s) {
            appendString(out, s.value());
        } else if (value instanceof JsonValue.Num n) {
            JsonWriter.appendNumber(out, n.value());
        } else if (value instanceof JsonValue.Obj o) {
            Map<String, JsonValue> fields = o.fields();
            String[] keys = fields.keySet().toArray(new String[0]);
            Arrays.sort(keys);
            out.append('{');
            boolean first = true;
            for (String key : keys) {
                JsonValue v = fields.get(key);
                if (v instanceof JsonValue.Undefined) continue;
                if (!first) out.append(',');
                first = false;
                JsonStrings.appendQuoted(out, key);
                out.append(':');
                write(out, v);
            }
            out.append('}');
        } else if (value instanceof JsonValue.Arr a) {
            out.append('[');
            for (int i = 0; i < a.items().size(); i++) {
                if (i > 0) out.append(',');
                write(out, a.items().get(i));
            }
            out.append(']');
        } else if (value instanceof JsonValue.Bool b) {
            out.append(b.value());
        } else {
            out.append("null"); // Null, and Undefined in array position
        }
    }

    private static void appendString(StringBuilder out, String s) {
        if (s.startsWith("encrypted_U") || s.startsWith("binary_U")) {
            out.append('"').append(s).append('"');
        } else {
            JsonStrings.appendQuoted(out, s);
        }
    }
}
