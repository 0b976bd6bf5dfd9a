package io.cojson.client.internal;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.node.LocalNode;
import io.cojson.core.values.Subscription;
import io.cojson.core.values.CoList;
import io.cojson.core.values.CoMap;
import io.cojson.core.values.CoValue;
import io.cojson.core.values.CojsonNode;
import io.cojson.core.values.internal.TypedNodes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A subscription to a value and to the values it references (CoMap field values and CoList items
 * that are CoValue IDs), {@code depth} references deep. Each change of any of them re-walks the
 * references on the listener executor (watching values newly referenced, loading those not here,
 * dropping those no longer reachable), then calls the listener. The sync thread only queues.
 */
public final class DeepSubscription implements Subscription {
    private final CojsonNode typed;
    private final LocalNode node;
    private final RawCoID root;
    private final int depth;
    private final Function<RawCoID, CompletableFuture<?>> loader;
    private final Runnable trigger;
    private final Map<RawCoID, io.cojson.core.node.Subscription> watched = new HashMap<>();
    private final Set<RawCoID> requested = new LinkedHashSet<>();
    private boolean closed;

    /**
     * @param listener called (on the listener executor) after each change
     * @param loader   loads a referenced value that is not here (failures are ignored: it stays unwatched content-wise)
     */
    public DeepSubscription(CojsonNode typed, RawCoID root, int depth, Listeners listeners, Runnable listener,
            Function<RawCoID, CompletableFuture<?>> loader) {
        this.typed = typed;
        this.node = TypedNodes.localNode(typed);
        this.root = root;
        this.depth = depth;
        this.loader = loader;
        this.trigger = listeners.coalescing(() -> {
            if (refresh()) listener.run();
        });
        listeners.run(this::refresh);
    }

    /** Re-walks the references and adjusts what is watched; false once closed. Listener executor. */
    private synchronized boolean refresh() {
        if (closed) return false;
        Set<RawCoID> reachable = new LinkedHashSet<>();
        List<RawCoID> level = List.of(root);
        for (int d = 0; d <= depth && !level.isEmpty(); d++) {
            List<RawCoID> next = new ArrayList<>();
            for (RawCoID id : level) {
                if (!reachable.add(id)) continue;
                if (d < depth) next.addAll(references(id));
            }
            level = next;
        }
        for (RawCoID id : reachable) {
            if (!watched.containsKey(id)) watched.put(id, node.subscribe(id, x -> trigger.run()));
            if (!available(id) && requested.add(id)) loader.apply(id); // its arrival is a change of a watched value
        }
        watched.entrySet().removeIf(e -> {
            if (reachable.contains(e.getKey())) return false;
            e.getValue().close();
            return true;
        });
        return true;
    }

    /** The CoValue IDs among {@code id}'s map values or list items; none when it is not here or of another type. */
    private List<RawCoID> references(RawCoID id) {
        List<RawCoID> out = new ArrayList<>();
        try {
            if (!available(id)) return out;
            CoValue v = typed.load(id);
            List<JsonValue> values = v instanceof CoMap m ? new ArrayList<>(m.toJson().fields().values())
                    : v instanceof CoList l ? l.items() : List.of();
            for (JsonValue j : values) {
                if (j instanceof JsonValue.Str s && RawCoID.isValid(s.value())) out.add(new RawCoID(s.value()));
            }
        } catch (RuntimeException e) {
            // not readable here (no header yet, no access): nothing to follow
        }
        return out;
    }

    private boolean available(RawCoID id) {
        return node.locked(() -> node.get(id) != null && node.get(id).header() != null);
    }

    @Override
    public synchronized void close() {
        closed = true;
        watched.values().forEach(io.cojson.core.node.Subscription::close);
        watched.clear();
    }
}
