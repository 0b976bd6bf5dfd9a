package io.cojson.core.header;

import io.cojson.core.json.JsNumber;
import io.cojson.core.json.JsonStrings;
import io.cojson.core.json.JsonValue;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * The header as the reference's Rust core re-serializes it before checking the CoValue ID
 * (wire-format §3.3): fixed field order, typed ruleset, unknown fields dropped, object keys in
 * UTF-8 byte order, floats printed by ryu. A header whose Rust form hashes to another ID is
 * rejected by every JS peer, so we reject it too.
 */
final class RustHeaderForm {
    private RustHeaderForm() {}

    static String canonical(JsonValue.Obj h) {
        StringBuilder sb = new StringBuilder(256).append('{');
        JsonValue createdAt = h.get("createdAt");
        if (createdAt != null) {
            if (!(createdAt instanceof JsonValue.Str) && !(createdAt instanceof JsonValue.Null)) {
                throw invalid("createdAt that is a string or null", createdAt.toString());
            }
            sb.append("\"createdAt\":");
            write(sb, createdAt);
            sb.append(',');
        }
        JsonValue meta = h.get("meta");
        sb.append("\"meta\":");
        write(sb, meta == null ? JsonValue.NULL : meta);
        sb.append(",\"ruleset\":");
        writeRuleset(sb, Ruleset.fromJson(h.get("ruleset")));
        if (!(h.get("type") instanceof JsonValue.Str type)) throw invalid("string type", String.valueOf(h.get("type")));
        sb.append(",\"type\":");
        write(sb, type);
        JsonValue u = h.get("uniqueness");
        if (u == null) throw invalid("header with a uniqueness field", "missing field `uniqueness`");
        checkUniqueness(u);
        sb.append(",\"uniqueness\":");
        write(sb, u);
        return sb.append('}').toString();
    }

    private static void writeRuleset(StringBuilder sb, Ruleset r) {
        if (r instanceof Ruleset.Group g) {
            sb.append("{\"initialAdmin\":").append(JsonStrings.quote(g.initialAdmin())).append(",\"type\":\"group\"}");
        } else if (r instanceof Ruleset.OwnedByGroup o) {
            sb.append("{\"group\":").append(JsonStrings.quote(o.group().value()));
            if (o.restrictDeletion()) sb.append(",\"restrictDeletion\":true");
            sb.append(",\"type\":\"ownedByGroup\"}");
        } else {
            sb.append("{\"type\":\"unsafeAllowAll\"}");
        }
    }

    private static void checkUniqueness(JsonValue u) {
        if (u instanceof JsonValue.Str || u instanceof JsonValue.Bool || u instanceof JsonValue.Null) return;
        if (u instanceof JsonValue.Num n && isRustInteger(n.value())) return;
        if (u instanceof JsonValue.Obj o && o.fields().values().stream().allMatch(v -> v instanceof JsonValue.Str)) return;
        throw invalid("uniqueness that is a string, boolean, i64 integer, null or object of strings",
                "data did not match any variant of untagged enum Uniqueness: " + u);
    }

    /** Whether serde parses the JS text of this number as an i64/u64 integer. */
    private static boolean isRustInteger(double d) {
        String js = JsNumber.toString(d);
        if (!js.matches("-?\\d+")) return false;
        BigDecimal v = new BigDecimal(js);
        return v.compareTo(new BigDecimal(Long.MIN_VALUE)) >= 0
                && v.compareTo(new BigDecimal("18446744073709551615")) <= 0;
    }

    private static void write(StringBuilder sb, JsonValue v) {
        if (v instanceof JsonValue.Str s) {
            if (JsonStrings.hasLoneSurrogate(s.value())) throw invalid("valid Unicode text", "a lone surrogate (unexpected end of hex escape)");
            JsonStrings.appendQuoted(sb, s.value());
        } else if (v instanceof JsonValue.Num n) {
            writeNumber(sb, n.value());
        } else if (v instanceof JsonValue.Obj o) {
            List<String> keys = new ArrayList<>(o.fields().keySet());
            keys.sort(RustHeaderForm::compareCodePoints);
            sb.append('{');
            boolean first = true;
            for (String k : keys) {
                JsonValue val = o.get(k);
                if (val instanceof JsonValue.Undefined) continue;
                if (!first) sb.append(',');
                first = false;
                if (JsonStrings.hasLoneSurrogate(k)) throw invalid("valid Unicode keys", "a lone surrogate");
                JsonStrings.appendQuoted(sb, k);
                sb.append(':');
                write(sb, val);
            }
            sb.append('}');
        } else if (v instanceof JsonValue.Arr a) {
            sb.append('[');
            for (int i = 0; i < a.size(); i++) {
                if (i > 0) sb.append(',');
                write(sb, a.get(i));
            }
            sb.append(']');
        } else if (v instanceof JsonValue.Bool b) {
            sb.append(b.value());
        } else {
            sb.append("null");
        }
    }

    /** serde_json: integers as parsed; other numbers as f64 through ryu's pretty format. */
    private static void writeNumber(StringBuilder sb, double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            sb.append("null");
            return;
        }
        if (isRustInteger(d)) {
            sb.append(JsNumber.toString(d));
            return;
        }
        if (d < 0) {
            sb.append('-');
            d = -d;
        }
        // Shortest digits are the same for ryu and V8; only the layout differs.
        BigDecimal shortest = new BigDecimal(JsNumber.toString(d)).stripTrailingZeros();
        String digits = shortest.unscaledValue().toString();
        int length = digits.length();
        int k = -shortest.scale();
        int kk = length + k;
        if (0 <= k && kk <= 16) {
            sb.append(digits);
            for (int i = 0; i < k; i++) sb.append('0');
            sb.append(".0");
        } else if (0 < kk && kk <= 16) {
            sb.append(digits, 0, kk).append('.').append(digits, kk, length);
        } else if (-5 < kk && kk <= 0) {
            sb.append("0.");
            for (int i = 0; i < -kk; i++) sb.append('0');
            sb.append(digits);
        } else {
            sb.append(digits.charAt(0));
            if (length > 1) sb.append('.').append(digits, 1, length);
            sb.append('e').append(kk - 1);
        }
    }

    private static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) return Integer.compare(ca, cb);
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    private static InvalidHeaderException invalid(String expected, String found) {
        return new InvalidHeaderException(expected, "Invalid header JSON: " + found);
    }

}
