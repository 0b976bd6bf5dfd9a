package io.cojson.core.json;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small immutable JSON value model with JavaScript semantics: numbers are IEEE-754 doubles,
 * object keys follow JavaScript property order (array-index keys first, ascending, then insertion
 * order; see {@link JsKeys}), and {@link Undefined} models a JS {@code undefined} (an absent
 * value), which writers drop from objects and print as {@code null} in arrays.
 */
public sealed interface JsonValue
        permits JsonValue.Null, JsonValue.Bool, JsonValue.Num, JsonValue.Str, JsonValue.Arr, JsonValue.Obj,
                JsonValue.Undefined {

    Null NULL = new Null();
    Bool TRUE = new Bool(true);
    Bool FALSE = new Bool(false);
    Undefined UNDEFINED = new Undefined();

    record Null() implements JsonValue {
        @Override
        public String toString() {
            return "null";
        }
    }

    record Undefined() implements JsonValue {
        @Override
        public String toString() {
            return "undefined";
        }
    }

    record Bool(boolean value) implements JsonValue {
        @Override
        public String toString() {
            return Boolean.toString(value);
        }
    }

    /** A JS number. {@code -0.0}, NaN and the infinities are representable and print like JS. */
    record Num(double value) implements JsonValue {
        /** True when the value is an integer that a double represents exactly (|v| ≤ 2^53). */
        public boolean isSafeInteger() {
            return value == Math.rint(value) && Math.abs(value) <= 9007199254740992.0;
        }

        public long longValue() {
            return (long) value;
        }

        @Override
        public boolean equals(Object o) {
            // JS equality for numbers, except NaN equals NaN so values can be compared in tests.
            return o instanceof Num n && (n.value == value || (Double.isNaN(value) && Double.isNaN(n.value)));
        }

        @Override
        public int hashCode() {
            return value == 0 ? 0 : Double.hashCode(value);
        }

        @Override
        public String toString() {
            return JsNumber.toString(value);
        }
    }

    record Str(String value) implements JsonValue {
        public Str {
            if (value == null) throw new NullPointerException("value");
        }

        // Written out (same values as the generated ones): a record's generated equals/hashCode are
        // linked through method-handle chains on first use, which costs a cold JVM milliseconds.
        @Override
        public boolean equals(Object o) {
            return this == o || (o instanceof Str other && value.equals(other.value));
        }

        @Override
        public int hashCode() {
            return value.hashCode();
        }

        @Override
        public String toString() {
            return JsonWriter.stringify(this);
        }
    }

    record Arr(List<JsonValue> items) implements JsonValue {
        public Arr {
            items = List.copyOf(items);
        }

        public JsonValue get(int i) {
            return items.get(i);
        }

        public int size() {
            return items.size();
        }

        @Override
        public String toString() {
            return JsonWriter.stringify(this);
        }
    }

    /**
     * An object whose key order is JavaScript's property order (what {@code JSON.stringify} prints):
     * keys that are canonical array indices first, ascending, then the others in insertion order.
     * So {@code {"b":1,"2":2}} holds, and prints as, {@code {"2":2,"b":1}}, as a JS object would.
     */
    record Obj(Map<String, JsonValue> fields) implements JsonValue {
        public Obj {
            // Array-index keys move first (a reordered copy, rare). Otherwise the parser's small maps
            // (immutable) and maps from freshFields() are adopted as they are; any other map is copied.
            if (fields instanceof SmallFields small ? small.anyArrayIndex() : JsKeys.anyArrayIndex(fields)) {
                fields = Collections.unmodifiableMap(JsKeys.ordered(fields));
            } else if (!(fields instanceof SmallFields)) {
                fields = Collections.unmodifiableMap(fields instanceof FreshFields ? fields : new LinkedHashMap<>(fields));
            }
        }

        /**
         * An empty insertion-ordered map that {@code new Obj(map)} adopts without copying (parsers
         * and serializers build many small objects). The caller must not change it afterwards.
         */
        public static LinkedHashMap<String, JsonValue> freshFields() {
            return new FreshFields();
        }

        /**
         * Builds an object field by field, as {@code JSON.parse} does: a repeated key keeps its first
         * position and takes the last value. Small objects are stored compactly. Use once.
         */
        public static final class Builder {
            private final SmallFields.Builder fields = new SmallFields.Builder();

            public Builder put(String key, JsonValue value) {
                fields.put(java.util.Objects.requireNonNull(key, "key"), java.util.Objects.requireNonNull(value, "value"));
                return this;
            }

            public Obj build() {
                return new Obj(fields.build());
            }
        }

        /** See {@link #freshFields()}. */
        public static LinkedHashMap<String, JsonValue> freshFields(int expected) {
            return new FreshFields(expected);
        }

        @SuppressWarnings("serial")
        private static final class FreshFields extends LinkedHashMap<String, JsonValue> {
            FreshFields() {}

            FreshFields(int expected) {
                super(Math.max(4, (int) (expected / 0.75f) + 1));
            }
        }

        /** The field's value, or {@code null} (Java null) when the key is absent. */
        public JsonValue get(String key) {
            return fields.get(key);
        }

        public boolean has(String key) {
            return fields.containsKey(key);
        }

        @Override
        public String toString() {
            return JsonWriter.stringify(this);
        }
    }

    /**
     * Whether {@code Json.parse(JsonWriter.stringify(v))} equals {@code v} exactly: no
     * {@code undefined} anywhere, and every number finite and not {@code -0} (which print as
     * {@code null} and {@code 0}).
     */
    static boolean roundTripsExactly(JsonValue v) {
        if (v instanceof Num n) {
            double d = n.value();
            return !Double.isNaN(d) && !Double.isInfinite(d) && (d != 0 || Double.doubleToRawLongBits(d) == 0);
        }
        if (v instanceof Arr a) {
            for (JsonValue x : a.items()) if (!roundTripsExactly(x)) return false;
            return true;
        }
        if (v instanceof Obj o) {
            for (JsonValue x : o.fields().values()) if (!roundTripsExactly(x)) return false;
            return true;
        }
        return !(v instanceof Undefined);
    }

    static Str of(String s) {
        return new Str(s);
    }

    static Num of(double d) {
        return new Num(d);
    }

    static Num of(long l) {
        return new Num((double) l);
    }

    static Bool of(boolean b) {
        return b ? TRUE : FALSE;
    }

    static Arr arr(JsonValue... items) {
        return new Arr(List.of(items));
    }

    /** Builds an object from alternating keys and values, in that order (array-index keys first, see {@link Obj}). */
    static Obj obj(Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) throw new IllegalArgumentException("odd number of arguments");
        int n = keysAndValues.length / 2;
        if (n <= SmallFields.MAX) {
            // compact fields (a third of a LinkedHashMap's memory; writes build one object per change)
            // unless a key repeats or a value is null, which the map below handles as it always has
            String[] keys = new String[n];
            JsonValue[] values = new JsonValue[n];
            boolean plain = true;
            for (int i = 0; i < n && plain; i++) {
                keys[i] = (String) keysAndValues[2 * i];
                values[i] = (JsonValue) keysAndValues[2 * i + 1];
                plain = keys[i] != null && values[i] != null;
                for (int j = 0; j < i && plain; j++) plain = !keys[j].equals(keys[i]);
            }
            if (plain) return new Obj(SmallFields.of(keys, values));
        }
        LinkedHashMap<String, JsonValue> m = Obj.freshFields(n);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], (JsonValue) keysAndValues[i + 1]);
        }
        return new Obj(m);
    }
}
