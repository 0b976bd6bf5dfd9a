package io.cojson.core.json;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

/** Test helpers for JavaScript property order (covalues.md §4.3). */
final class JsOrder {
    private JsOrder() {}

    static boolean hasArrayIndexKey(JsonValue v) {
        if (v instanceof JsonValue.Obj o) {
            for (Map.Entry<String, JsonValue> e : o.fields().entrySet()) {
                if (JsKeys.isArrayIndex(e.getKey()) || hasArrayIndexKey(e.getValue())) return true;
            }
        } else if (v instanceof JsonValue.Arr a) {
            for (JsonValue item : a.items()) {
                if (hasArrayIndexKey(item)) return true;
            }
        }
        return false;
    }

    /**
     * {@code v} was parsed from text whose keys were sorted by UTF-16 code units: in JS property order
     * its array-index keys come first in ascending numeric order, then the other keys, still sorted.
     */
    static void assertSortedTextInJsOrder(JsonValue v) {
        if (v instanceof JsonValue.Obj o) {
            String prev = null;
            for (Map.Entry<String, JsonValue> e : o.fields().entrySet()) {
                String k = e.getKey();
                if (prev != null) {
                    boolean pi = JsKeys.isArrayIndex(prev);
                    boolean ki = JsKeys.isArrayIndex(k);
                    boolean inOrder = pi && ki ? Long.parseLong(prev) < Long.parseLong(k) : pi || (!ki && prev.compareTo(k) < 0);
                    assertTrue(inOrder, "keys out of JS order: " + prev + " / " + k);
                }
                prev = k;
                assertSortedTextInJsOrder(e.getValue());
            }
        } else if (v instanceof JsonValue.Arr a) {
            a.items().forEach(JsOrder::assertSortedTextInJsOrder);
        }
    }
}
