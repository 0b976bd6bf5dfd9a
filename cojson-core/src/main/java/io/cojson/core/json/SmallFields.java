package io.cojson.core.json;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The fields of a small parsed JSON object ({@link #MAX} at most): two arrays in insertion order
 * with a linear lookup. Parsed sync messages and exported content hold tens of thousands of tiny
 * objects (one per transaction); a LinkedHashMap behind an unmodifiable view costs about three
 * times the memory and allocation. Immutable.
 */
final class SmallFields extends AbstractMap<String, JsonValue> {
    /** Objects with more fields use a LinkedHashMap (lookups stay O(1)). */
    static final int MAX = 8;

    private final String[] keys;
    private final JsonValue[] values;
    /** The keys are known to hold no array index (a reader's fixed field names). */
    private final boolean noIndexKeys;

    private SmallFields(String[] keys, JsonValue[] values, boolean noIndexKeys) {
        this.keys = keys;
        this.values = values;
        this.noIndexKeys = noIndexKeys;
    }

    private SmallFields(String[] keys, JsonValue[] values) {
        this(keys, values, false);
    }

    /** Adopts the arrays (distinct keys, at most {@link #MAX}); the caller must not change them. */
    static SmallFields of(String[] keys, JsonValue[] values) {
        return new SmallFields(keys, values);
    }

    /**
     * The same for a reader's fixed field names, none of them an array index (not checked again
     * for every object built with them: see {@link #anyArrayIndex}).
     */
    static SmallFields ofFixedKeys(String[] keys, JsonValue[] values) {
        return new SmallFields(keys, values, true);
    }

    /** {@link JsKeys#anyArrayIndex} without an entry iterator (objects are built by the thousand). */
    boolean anyArrayIndex() {
        if (noIndexKeys) return false;
        for (String k : keys) {
            if (!k.isEmpty() && k.charAt(0) <= '9' && JsKeys.isArrayIndex(k)) return true;
        }
        return false;
    }

    @Override
    public int size() {
        return keys.length;
    }

    @Override
    public boolean isEmpty() {
        return keys.length == 0;
    }

    private int indexOf(Object key) {
        String[] ks = keys;
        // parsed keys are often the very literal a reader asks for (JsonCursor's key cache): an
        // identity pass first spares a String.equals call per field, costly in a cold JVM
        for (int i = 0; i < ks.length; i++) {
            if (ks[i] == key) return i;
        }
        for (int i = 0; i < ks.length; i++) {
            if (ks[i].equals(key)) return i;
        }
        return -1;
    }

    @Override
    public JsonValue get(Object key) {
        int i = indexOf(key);
        return i < 0 ? null : values[i];
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    @Override
    public void forEach(BiConsumer<? super String, ? super JsonValue> action) {
        for (int i = 0; i < keys.length; i++) action.accept(keys[i], values[i]);
    }

    @Override
    public Set<Map.Entry<String, JsonValue>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return keys.length;
            }

            @Override
            public Iterator<Map.Entry<String, JsonValue>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < keys.length;
                    }

                    @Override
                    public Map.Entry<String, JsonValue> next() {
                        if (next >= keys.length) throw new NoSuchElementException();
                        int i = next++;
                        return new AbstractMap.SimpleImmutableEntry<>(keys[i], values[i]);
                    }
                };
            }
        };
    }

    /**
     * Collects an object's fields in order as {@code JSON.parse} does (a repeated key keeps its
     * first position and takes the last value); small results become a {@link SmallFields}.
     */
    static final class Builder {
        private String[] keys = new String[4];
        private JsonValue[] values = new JsonValue[4];
        private int size;
        private LinkedHashMap<String, JsonValue> big;

        void put(String key, JsonValue value) {
            if (big != null) {
                big.put(key, value);
                return;
            }
            for (int i = 0; i < size; i++) {
                if (keys[i].equals(key)) {
                    values[i] = value;
                    return;
                }
            }
            if (size == MAX) {
                big = JsonValue.Obj.freshFields(MAX * 2);
                for (int i = 0; i < size; i++) big.put(keys[i], values[i]);
                big.put(key, value);
                return;
            }
            if (size == keys.length) {
                keys = Arrays.copyOf(keys, MAX);
                values = Arrays.copyOf(values, MAX);
            }
            keys[size] = key;
            values[size] = value;
            size++;
        }

        /** The fields, for {@code new JsonValue.Obj(...)} (which adopts both kinds without copying). */
        Map<String, JsonValue> build() {
            if (big != null) return big;
            if (size == keys.length) return new SmallFields(keys, values); // the builder is used once
            return new SmallFields(Arrays.copyOf(keys, size), Arrays.copyOf(values, size));
        }
    }
}
