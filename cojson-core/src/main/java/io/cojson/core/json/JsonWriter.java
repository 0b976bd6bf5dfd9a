package io.cojson.core.json;

import java.util.Map;

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
        if (value instanceof JsonValue.Str s) {
            JsonStrings.appendQuoted(out, s.value());
        } else if (value instanceof JsonValue.Num n) {
            appendNumber(out, n.value());
        } else if (value instanceof JsonValue.Obj o) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, JsonValue> e : o.fields().entrySet()) {
                if (e.getValue() instanceof JsonValue.Undefined) continue;
                if (!first) out.append(',');
                first = false;
                JsonStrings.appendQuoted(out, e.getKey());
                out.append(':');
                write(out, e.getValue());
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
