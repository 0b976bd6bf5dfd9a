package io.cojson.core.json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JavaScript property order (covalues.md §4.3): an ordinary object lists its keys that are
 * canonical array indices ({@code "0"}, {@code "2"}, {@code "10"}, … up to 2^32 − 2, no leading
 * zero, no sign) first, in ascending numeric order, then every other key in insertion order. This
 * is what {@code Object.keys} and {@code JSON.stringify} show, also for objects made by
 * {@code JSON.parse}, whatever the order in the text.
 */
public final class JsKeys {
    private static final long MAX_ARRAY_INDEX = 4294967294L;

    private JsKeys() {}

    /** Canonical array index: "0" or digits without a leading zero, value at most 2^32 − 2. */
    public static boolean isArrayIndex(String key) {
        int n = key.length();
        if (n == 0 || n > 10) return false;
        char first = key.charAt(0);
        if (first < '0' || first > '9') return false;
        if (first == '0') return n == 1;
        for (int i = 1; i < n; i++) {
            char c = key.charAt(i);
            if (c < '0' || c > '9') return false;
        }
        return Long.parseLong(key) <= MAX_ARRAY_INDEX;
    }

    /** Whether any key of {@code fields} is a canonical array index (so JS would list it first). */
    public static boolean anyArrayIndex(Map<String, ?> fields) {
        for (String k : fields.keySet()) {
            if (isArrayIndex(k)) return true;
        }
        return false;
    }

    /** A copy of {@code fields} in JS property order (insertion order when no key is an array index). */
    public static <V> LinkedHashMap<String, V> ordered(Map<String, V> fields) {
        List<String> indices = null;
        for (String k : fields.keySet()) {
            if (isArrayIndex(k)) {
                if (indices == null) indices = new ArrayList<>();
                indices.add(k);
            }
        }
        if (indices == null) return new LinkedHashMap<>(fields);
        indices.sort((a, b) -> Long.compare(Long.parseLong(a), Long.parseLong(b)));
        LinkedHashMap<String, V> out = new LinkedHashMap<>(Math.max(16, fields.size() * 4 / 3 + 1));
        for (String k : indices) out.put(k, fields.get(k));
        for (Map.Entry<String, V> e : fields.entrySet()) {
            if (!isArrayIndex(e.getKey())) out.put(e.getKey(), e.getValue());
        }
        return out;
    }
}
