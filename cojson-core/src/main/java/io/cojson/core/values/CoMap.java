package io.cojson.core.values;

import io.cojson.core.content.CoMapContent;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A collaborative map from string keys to JSON values: the latest write of a key wins. Each
 * {@code set}/{@code delete} is one signed transaction, as in the reference.
 */
public final class CoMap extends CoValue {
    CoMap(CojsonNode node, RawCoID id, boolean privateWrites) {
        super(node, id, privateWrites);
    }

    /** This map, writing trusting (unencrypted) transactions. */
    public CoMap trusting() {
        return new CoMap(node, id, false);
    }

    /** The current value, or {@code null} when the key is absent or deleted. */
    public JsonValue get(String key) {
        return read(CoMapContent.class, m -> m.get(key));
    }

    /** The current value if it is a string, else {@code null}. */
    public String getString(String key) {
        return get(key) instanceof JsonValue.Str s ? s.value() : null;
    }

    /** Present keys, in JavaScript property order (what the reference's {@code keys()} gives). */
    public List<String> keys() {
        return read(CoMapContent.class, CoMapContent::keys);
    }

    // Made when the class loads: the first toJson() of a process (often a timed cold read) need
    // not bootstrap a method reference.
    private static final java.util.function.Function<CoMapContent, JsonValue.Obj> TO_JSON = CoMapContent::toJson;

    /** The reference's {@code toJSON()}: present keys with their values. */
    public JsonValue.Obj toJson() {
        return read(CoMapContent.class, TO_JSON);
    }

    /** Who last set or deleted {@code key}, when, and the value (null for a delete); null if never edited. */
    public Edit lastEditAt(String key) {
        return read(CoMapContent.class, m -> {
            CoMapContent.Edit e = m.lastEditAt(key);
            return e == null ? null : new Edit(e.by(), e.tx(), e.at(), e.value());
        });
    }

    /** The map as it was at {@code epochMillis} (edits made at or before it). */
    public JsonValue.Obj atTime(long epochMillis) {
        return read(CoMapContent.class, m -> m.atTime(epochMillis).toJson());
    }

    public CoMap set(String key, JsonValue value) {
        Objects.requireNonNull(value, "value (use JsonValue.NULL for null)");
        write(List.of(CoMapContent.setChange(key, value)));
        return this;
    }

    public CoMap set(String key, String value) {
        return set(key, JsonValue.of(Objects.requireNonNull(value, "value")));
    }

    public CoMap set(String key, long value) {
        return set(key, JsonValue.of(value));
    }

    public CoMap set(String key, double value) {
        return set(key, JsonValue.of(value));
    }

    public CoMap set(String key, boolean value) {
        return set(key, JsonValue.of(value));
    }

    /** Stores a reference to another CoValue: its ID, as the reference does. */
    public CoMap set(String key, CoValue ref) {
        return set(key, JsonValue.of(ref.id().value()));
    }

    /** Sets every entry in one transaction (the reference's {@code assign}), in the map's iteration order. */
    public CoMap setAll(Map<String, JsonValue> entries) {
        List<JsonValue> changes = new ArrayList<>(entries.size());
        entries.forEach((k, v) -> changes.add(CoMapContent.setChange(k, Objects.requireNonNull(v, k))));
        if (!changes.isEmpty()) write(changes);
        return this;
    }

    public CoMap delete(String key) {
        write(List.of(CoMapContent.delChange(key)));
        return this;
    }

    /** Calls {@code listener} after every change of this map, or of the groups it depends on. */
    public Subscription subscribe(Consumer<CoMap> listener) {
        return listen(() -> listener.accept(this));
    }
}
