package io.cojson.core.values;

import io.cojson.core.content.CoListContent;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.json.JsonValue;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A collaborative list. Positions are resolved against the current view and the insertion is
 * written in the same atomic step, anchored on the neighbouring item (not on the index), so
 * concurrent edits merge as in the reference.
 */
public final class CoList extends CoValue {
    CoList(CojsonNode node, RawCoID id, boolean privateWrites) {
        super(node, id, privateWrites);
    }

    /** This list, writing trusting (unencrypted) transactions. */
    public CoList trusting() {
        return new CoList(node, id, false);
    }

    public int size() {
        return read(CoListContent.class, CoListContent::size);
    }

    /** @throws IndexOutOfBoundsException unless {@code 0 <= index < size()} */
    public JsonValue get(int index) {
        return read(CoListContent.class, l -> {
            Objects.checkIndex(index, l.size());
            return l.get(index);
        });
    }

    public List<JsonValue> items() {
        return read(CoListContent.class, CoListContent::items);
    }

    public JsonValue.Arr toJson() {
        return read(CoListContent.class, CoListContent::toJson);
    }

    /** Who inserted the item at {@code index}, when. */
    public Edit editAt(int index) {
        return read(CoListContent.class, l -> {
            Objects.checkIndex(index, l.size());
            CoListContent.Edit e = l.editAt(index);
            return e == null ? null : new Edit(e.by(), e.tx(), e.at(), e.value());
        });
    }

    /** Appends at the end. */
    public CoList append(JsonValue value) {
        edit(CoListContent.class, l -> l.appendChanges(List.of(value), null));
        return this;
    }

    public CoList append(String value) {
        return append(JsonValue.of(value));
    }

    /** Inserts right after the item at {@code afterIndex} (the reference's {@code append(item, after)}). */
    public CoList append(JsonValue value, int afterIndex) {
        edit(CoListContent.class, l -> {
            Objects.checkIndex(afterIndex, Math.max(l.size(), 1));
            return l.appendChanges(List.of(value), afterIndex);
        });
        return this;
    }

    /** Appends all values at the end, in one transaction. */
    public CoList appendAll(List<JsonValue> values) {
        if (!values.isEmpty()) edit(CoListContent.class, l -> l.appendChanges(values, null));
        return this;
    }

    /** Inserts at the start. */
    public CoList prepend(JsonValue value) {
        return prepend(value, 0);
    }

    /**
     * The reference's {@code prepend(item, before)}: inserts before the item at {@code beforeIndex}
     * ({@code size()} means at the end), ahead of anything prepended to that item earlier. Use
     * {@link #insert} to put a value at an exact index.
     */
    public CoList prepend(JsonValue value, int beforeIndex) {
        edit(CoListContent.class, l -> {
            Objects.checkIndex(beforeIndex, l.size() + 1);
            return l.prependChanges(value, beforeIndex);
        });
        return this;
    }

    /** Inserts so that the value ends up at {@code index} ({@code 0 <= index <= size()}), like {@link List#add(int, Object)}. */
    public CoList insert(int index, JsonValue value) {
        edit(CoListContent.class, l -> {
            Objects.checkIndex(index, l.size() + 1);
            return index == 0 ? l.prependChanges(value, 0) : l.appendChanges(List.of(value), index - 1);
        });
        return this;
    }

    public CoList delete(int index) {
        edit(CoListContent.class, l -> {
            Objects.checkIndex(index, l.size());
            return l.deleteChange(index);
        });
        return this;
    }

    /** Replaces the item at {@code index} (an insertion after it and its deletion, in one transaction). */
    public CoList replace(int index, JsonValue value) {
        edit(CoListContent.class, l -> {
            Objects.checkIndex(index, l.size());
            return l.replaceChanges(index, value);
        });
        return this;
    }

    /** Calls {@code listener} after every change of this list, or of the groups it depends on. */
    public Subscription subscribe(Consumer<CoList> listener) {
        return listen(() -> listener.accept(this));
    }
}
