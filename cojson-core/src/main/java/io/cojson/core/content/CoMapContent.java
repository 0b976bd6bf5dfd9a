package io.cojson.core.content;

import io.cojson.core.ids.SessionID;
import io.cojson.core.ids.TransactionID;
import io.cojson.core.json.JsKeys;
import io.cojson.core.json.JsonValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The materialized view of a CoMap (covalues.md §7): per key, the sorted history of its ops; the
 * key's current entry is the last one (last-writer-wins).
 *
 * <p>Fed incrementally with batches of valid, readable transactions in processing order. Key order
 * of {@link #keys()} and {@link #toJson()} is JavaScript property order (§4.3) over the keys in the
 * order they first received an op. Time-travel views ({@link #atTime}, {@link #atFrontier}) are
 * immutable snapshots that keep the full map's key order, as the reference's clones share its ops.
 * Not thread-safe.
 */
public final class CoMapContent {
    /** What {@link #lastEditAt} reports: the author, the transaction, its time and the set value (null for a delete). */
    public record Edit(String by, TransactionID tx, long at, JsonValue value) {}

    // LinkedHashMap: iteration order = first-op (insertion) order, the basis of the JS key order.
    private final LinkedHashMap<String, ArrayList<MapOp>> ops = new LinkedHashMap<>();
    private final boolean timeTravel;
    private List<String> jsOrder; // every key with history, JS property order; null = rebuild lazily
    private List<String> keysCache;
    private JsonValue.Obj jsonCache;

    public CoMapContent() {
        this(false);
    }

    private CoMapContent(boolean timeTravel) {
        this.timeTravel = timeTravel;
    }

    /**
     * Applies a batch: one op per well-formed change, appended to its key's list; then every list
     * that received an op sorting before its predecessor is stably re-sorted (§7.2). Lists appended
     * in order are already sorted, so the common case costs O(1) per change.
     */
    public void add(List<DecodedTx> batch) {
        if (timeTravel) throw new IllegalStateException("Cannot process transactions on a time travel view");
        Set<ArrayList<MapOp>> unsorted = null;
        boolean changed = false;
        for (DecodedTx tx : batch) {
            List<JsonValue> changes = tx.changes();
            for (int i = 0; i < changes.size(); i++) {
                JsonValue change = changes.get(i);
                String key = keyOf(change);
                if (key == null) continue;
                MapOp op = new MapOp(tx.txID(), tx.madeAt(), i, (JsonValue.Obj) change, tx.trusting());
                ArrayList<MapOp> list = ops.get(key);
                if (list == null) {
                    list = new ArrayList<>(4);
                    ops.put(key, list);
                    noteNewKey(key);
                } else if (MapOp.compare(list.get(list.size() - 1), op) > 0) {
                    if (unsorted == null) unsorted = Collections.newSetFromMap(new IdentityHashMap<>());
                    unsorted.add(list);
                }
                list.add(op);
                changed = true;
            }
        }
        // A stable sort of a list whose adjacent pairs are all in order is the identity (TimSort in
        // V8 and Java alike), so only the flagged lists need sorting to match the reference.
        if (unsorted != null) {
            for (ArrayList<MapOp> list : unsorted) list.sort(MapOp::compare);
        }
        if (changed) {
            keysCache = null;
            jsonCache = null;
        }
    }

    /** The current value, or {@code null} when the key is absent, deleted, or set without a value. */
    public JsonValue get(String key) {
        MapOp last = latest(key);
        return last == null ? null : last.value();
    }

    /** Keys whose latest op is not a delete, in JS property order (like the reference's {@code keys()}). */
    public List<String> keys() {
        if (keysCache == null) {
            List<String> out = new ArrayList<>();
            for (String k : jsOrder()) {
                if (!latest(k).isDelete()) out.add(k);
            }
            keysCache = Collections.unmodifiableList(out);
        }
        return keysCache;
    }

    /** {@code toJSON()}: the present keys with a value, in JS property order. */
    public JsonValue.Obj toJson() {
        if (jsonCache == null) {
            List<String> keys = keys();
            // adopted by Obj as it is (a plain LinkedHashMap would be copied once more)
            LinkedHashMap<String, JsonValue> fields = JsonValue.Obj.freshFields(keys.size());
            for (String k : keys) {
                JsonValue v = latest(k).value();
                if (v != null) fields.put(k, v);
            }
            jsonCache = new JsonValue.Obj(fields);
        }
        return jsonCache;
    }

    /** The key's sorted history (deletes included; in a time-travel view only the visible ops). */
    public List<MapOp> ops(String key) {
        ArrayList<MapOp> list = ops.get(key);
        return list == null ? List.of() : List.copyOf(list);
    }

    /** Every key that has any op, in JS property order (deleted keys included). */
    public List<String> keysWithHistory() {
        return Collections.unmodifiableList(jsOrder());
    }

    /** The key's latest op as an edit, or {@code null} when it has none. */
    public Edit lastEditAt(String key) {
        MapOp last = latest(key);
        if (last == null) return null;
        return new Edit(last.txID().sessionID().author(), last.txID(), last.madeAt(), last.value());
    }

    public boolean isTimeTravel() {
        return timeTravel;
    }

    /**
     * The view with only ops made at or before {@code t}. Unlike some other reference time
     * filters, the map's reads test {@code atTimeFilter !== undefined}, so {@code t == 0} filters
     * too (everything made after the epoch disappears).
     */
    public CoMapContent atTime(long t) {
        return filtered(op -> op.madeAt() <= t);
    }

    /** The view with only ops whose {@code txIndex < frontier[session]}; absent sessions are excluded. */
    public CoMapContent atFrontier(Map<SessionID, Integer> frontier) {
        Map<SessionID, Integer> f = Map.copyOf(frontier);
        return filtered(op -> {
            Integer count = f.get(op.txID().sessionID());
            return count != null && op.txID().txIndex() < count;
        });
    }

    // Filtering a sorted list keeps it sorted and its last kept entry is the reference's
    // findLast; copying in insertion order keeps the full map's key order.
    private CoMapContent filtered(Predicate<MapOp> keep) {
        CoMapContent view = new CoMapContent(true);
        for (Map.Entry<String, ArrayList<MapOp>> e : ops.entrySet()) {
            ArrayList<MapOp> kept = new ArrayList<>();
            for (MapOp op : e.getValue()) {
                if (keep.test(op)) kept.add(op);
            }
            if (!kept.isEmpty()) view.ops.put(e.getKey(), kept);
        }
        return view;
    }

    private MapOp latest(String key) {
        ArrayList<MapOp> list = ops.get(key);
        return list == null ? null : list.get(list.size() - 1);
    }

    private void noteNewKey(String key) {
        if (jsOrder == null) return;
        // An array-index key jumps ahead of string keys; rebuild instead of inserting.
        if (isArrayIndex(key)) jsOrder = null;
        else jsOrder.add(key);
    }

    private static final Comparator<String> BY_INDEX = Comparator.comparingLong(Long::parseLong);

    private List<String> jsOrder() {
        if (jsOrder == null) {
            List<String> indices = new ArrayList<>();
            List<String> others = new ArrayList<>();
            for (String k : ops.keySet()) (isArrayIndex(k) ? indices : others).add(k);
            if (indices.size() > 1) indices.sort(BY_INDEX);
            indices.addAll(others);
            jsOrder = indices;
        }
        return jsOrder;
    }

    /** Canonical array index (JS property order puts these keys first): see {@link JsKeys#isArrayIndex}. */
    static boolean isArrayIndex(String key) {
        return JsKeys.isArrayIndex(key);
    }

    /** The key of a well-formed map change ({@code op} "set"/"del", string {@code key}), else null. */
    static String keyOf(JsonValue change) {
        if (!(change instanceof JsonValue.Obj o)) return null;
        if (!(o.get("op") instanceof JsonValue.Str op) || !(op.value().equals("set") || op.value().equals("del"))) return null;
        return o.get("key") instanceof JsonValue.Str k ? k.value() : null;
    }

    /** An op in the fixture shape {@code {"txID":{"sessionID","txIndex"},"madeAt","changeIdx","change","trusting"}}. */
    public static JsonValue.Obj mapOpToJson(MapOp op) {
        return JsonValue.obj(
                "txID", op.txID().toJson(),
                "madeAt", JsonValue.of(op.madeAt()),
                "changeIdx", JsonValue.of(op.changeIdx()),
                "change", op.change(),
                "trusting", JsonValue.of(op.trusting()));
    }

    /** The change the reference writes for {@code set(key, value)}: {@code {"op":"set","key","value"}}. */
    public static JsonValue.Obj setChange(String key, JsonValue value) {
        return JsonValue.obj("op", JsonValue.of("set"), "key", JsonValue.of(key), "value", value);
    }

    /** The change the reference writes for {@code delete(key)}: {@code {"op":"del","key"}}. */
    public static JsonValue.Obj delChange(String key) {
        return JsonValue.obj("op", JsonValue.of("del"), "key", JsonValue.of(key));
    }
}
