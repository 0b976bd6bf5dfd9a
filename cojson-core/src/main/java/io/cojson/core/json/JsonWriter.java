package io.cojson.core.json;

import java.util.Arrays;

/**
 * {@code JSON.stringify} without indentation: object keys in insertion order, {@code undefined}
 * members dropped, {@code undefined} array items and non-finite numbers printed as {@code null}.
 * Used for transaction {@code changes}/{@code meta} text and sync messages.
 */
public final class JsonWriter {
    private JsonWriter() {}

    /** The JSON text, or {@code null} (Java null) when the value itself is undefined. */
    public static String stringify(JsonValue value) {
        if (value instanceof JsonValue.Undefined) return null;
        StringBuilder sb = new StringBuilder(64);
        write(sb, value);
        return sb.toString();
    }

    public static void write(StringBuilder out, JsonValue value) {
        write(out, value, false);
    }

    /**
     * Shared by both serializers: {@code stable} sorts object keys by UTF-16 code units and writes
     * {@code encrypted_U}/{@code binary_U} strings verbatim (stableStringify's rules).
     */
    static void write(StringBuilder out, JsonValue value, boolean stable) {
        if (value instanceof JsonValue.Str s) {
            if (stable && (s.value().startsWith("encrypted_U") || s.value().startsWith("binary_U"))) {
                out.append('"').append(s.value()).append('"');
            } else {
                JsonStrings.appendQuoted(out, s.value());
            }
        } else if (value instanceof JsonValue.Num n) {
            appendNumber(out, n.value());
        } else if (value instanceof JsonValue.Obj o) {
            Iterable<String> keys = o.fields().keySet();
            if (stable) {
                String[] sorted = o.fields().keySet().toArray(new String[0]);
                Arrays.sort(sorted);
                keys = Arrays.asList(sorted);
            }
            out.append('{');
            boolean first = true;
            for (String key : keys) {
                JsonValue v = o.fields().get(key);
                if (v instanceof JsonValue.Undefined) continue;
                if (!first) out.append(',');
                first = false;
                JsonStrings.appendQuoted(out, key);
                out.append(':');
                write(out, v, stable);
            }
            out.append('}');
        } else if (value instanceof JsonValue.Arr a) {
            out.append('[');
            for (int i = 0; i < a.items().size(); i++) {
                if (i > 0) out.append(',');
                write(out, a.items().get(i), stable);
            }
            out.append(']');
        } else if (value instanceof JsonValue.Bool b) {
            out.append(b.value());
        } else {
            out.append("null"); // Null, and Undefined in array position
        }
    }

    static void appendNumber(StringBuilder out, double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            out.append("null");
        } else if (d == 0) {
            out.append('0');
        } else {
            JsNumber.append(out, d);
        }
    }
}
