package io.cojson.core.header;

import io.cojson.core.json.JsonValue;
import java.util.Arrays;
import java.util.Map;

/**
 * The bytes of a header in the usual shape, written once: for such a header the JS stable form
 * ({@code stableStringify}) and the Rust form ({@link RustHeaderForm}) are the same ASCII text, so
 * the ID check of an imported header needs neither serialization (each made a string builder, key
 * lists and a string; together ~3 KB per header, and a cold load checks one header per value).
 *
 * <p>The usual shape: fields {@code type}, {@code ruleset}, {@code meta} and {@code uniqueness},
 * optionally {@code createdAt}, nothing else; {@code type} a string; {@code ruleset} exactly
 * {@code {type:"ownedByGroup",group}}, {@code {type:"group",initialAdmin}} or
 * {@code {type:"unsafeAllowAll"}}; {@code meta} null or an object of strings; {@code createdAt} a
 * string or null; {@code uniqueness} a string, boolean or null; every key and string printable
 * ASCII without {@code "} or {@code \}. Both forms then write the fields and keys in the same
 * (ASCII) order and the strings verbatim between quotes. Any other header gets null and is
 * serialized both ways.
 */
final class PlainHeaderForm {
    private PlainHeaderForm() {}

    /** The text both forms give, as ASCII bytes, or null when the header is not in the usual shape. */
    static byte[] bytes(JsonValue.Obj h) {
        Map<String, JsonValue> f = h.fields();
        JsonValue type = f.get("type");
        JsonValue ruleset = f.get("ruleset");
        JsonValue meta = f.get("meta");
        JsonValue createdAt = f.get("createdAt");
        JsonValue uniqueness = f.get("uniqueness");
        if (type == null || ruleset == null || meta == null || uniqueness == null) return null;
        if (f.size() != (createdAt == null ? 4 : 5)) return null;
        Out out = new Out();
        out.raw('{');
        if (createdAt != null) {
            out.raw("\"createdAt\":");
            if (!out.stringOrNull(createdAt)) return null;
            out.raw(',');
        }
        out.raw("\"meta\":");
        if (meta instanceof JsonValue.Obj m) {
            if (!stringObject(out, m)) return null;
        } else if (meta instanceof JsonValue.Null) {
            out.raw("null");
        } else {
            return null;
        }
        out.raw(",\"ruleset\":");
        if (!(ruleset instanceof JsonValue.Obj r) || !plainRuleset(out, r)) return null;
        out.raw(",\"type\":");
        if (!(type instanceof JsonValue.Str t) || !out.string(t.value())) return null;
        out.raw(",\"uniqueness\":");
        if (uniqueness instanceof JsonValue.Bool bool) {
            out.raw(bool.value() ? "true" : "false");
        } else if (!out.stringOrNull(uniqueness)) {
            return null;
        }
        out.raw('}');
        return out.bytes();
    }

    private static boolean plainRuleset(Out out, JsonValue.Obj r) {
        Map<String, JsonValue> f = r.fields();
        if (!(f.get("type") instanceof JsonValue.Str t)) return false;
        switch (t.value()) {
            case "ownedByGroup":
                if (f.size() != 2 || !(f.get("group") instanceof JsonValue.Str g)) return false;
                out.raw("{\"group\":");
                if (!out.string(g.value())) return false;
                out.raw(",\"type\":\"ownedByGroup\"}");
                return true;
            case "group":
                if (f.size() != 2 || !(f.get("initialAdmin") instanceof JsonValue.Str a)) return false;
                out.raw("{\"initialAdmin\":");
                if (!out.string(a.value())) return false;
                out.raw(",\"type\":\"group\"}");
                return true;
            case "unsafeAllowAll":
                if (f.size() != 1) return false;
                out.raw("{\"type\":\"unsafeAllowAll\"}");
                return true;
            default:
                return false;
        }
    }

    /** An object of plain strings with plain keys, keys sorted (ASCII: the same order for both forms). */
    private static boolean stringObject(Out out, JsonValue.Obj m) {
        Map<String, JsonValue> f = m.fields();
        String[] keys = f.keySet().toArray(new String[0]);
        Arrays.sort(keys);
        out.raw('{');
        for (int i = 0; i < keys.length; i++) {
            if (i > 0) out.raw(',');
            if (!out.string(keys[i])) return false;
            out.raw(':');
            if (!(f.get(keys[i]) instanceof JsonValue.Str v) || !out.string(v.value())) return false;
        }
        out.raw('}');
        return true;
    }

    /** A growing ASCII byte buffer. */
    private static final class Out {
        private byte[] b = new byte[256];
        private int n;

        void raw(char c) {
            ensure(1);
            b[n++] = (byte) c;
        }

        void raw(String s) {
            ensure(s.length());
            for (int i = 0; i < s.length(); i++) b[n++] = (byte) s.charAt(i);
        }

        boolean stringOrNull(JsonValue v) {
            if (v instanceof JsonValue.Null) {
                raw("null");
                return true;
            }
            return v instanceof JsonValue.Str s && string(s.value());
        }

        /** {@code "s"} when every char of s is printable ASCII other than a quote or backslash, else false. */
        boolean string(String s) {
            ensure(s.length() + 2);
            b[n++] = '"';
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') return false;
                b[n++] = (byte) c;
            }
            b[n++] = '"';
            return true;
        }

        private void ensure(int more) {
            if (n + more > b.length) b = Arrays.copyOf(b, Math.max(b.length * 2, n + more));
        }

        byte[] bytes() {
            return Arrays.copyOf(b, n);
        }
    }
}
