package io.cojson.core.node;

import io.cojson.core.covalue.CoValueCore;
import io.cojson.core.ids.RawCoID;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A node's change listeners. Listeners never run while the node's lock is held: a change made
 * inside a locked section (e.g. {@link LocalNode#locked}) is remembered and announced when the
 * outermost section ends, so a listener may block or call into the node from any thread.
 */
final class Listeners {
    private final LocalNode node;
    private final Object lock;
    private final Map<RawCoID, List<Consumer<RawCoID>>> byId = new HashMap<>();
    private final List<Consumer<RawCoID>> global = new CopyOnWriteArrayList<>();
    private final Set<RawCoID> deferred = new LinkedHashSet<>(); // guarded by lock

    Listeners(LocalNode node, Object lock) {
        this.node = node;
        this.lock = lock;
    }

    Subscription subscribe(RawCoID id, Consumer<RawCoID> listener) {
        // The registered entry checks its own flag, so that no callback starts once close()
        // returned, even for a change whose listeners were collected just before (RL-18).
        java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
        Consumer<RawCoID> entry = x -> {
            if (!closed.get()) listener.accept(x);
        };
        synchronized (lock) {
            byId.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(entry);
        }
        return () -> {
            synchronized (lock) {
                if (!closed.compareAndSet(false, true)) return;
                List<Consumer<RawCoID>> l = byId.get(id);
                if (l != null) {
                    l.remove(entry);
                    if (l.isEmpty()) byId.remove(id); // nothing left behind for an ID nobody watches
                }
            }
        };
    }

    /** Live per-CoValue subscriptions, and how many CoValues they watch. */
    int[] counts() {
        synchronized (lock) {
            int n = 0;
            for (List<Consumer<RawCoID>> l : byId.values()) n += l.size();
            return new int[] {n, byId.size()};
        }
    }

    Subscription subscribeAll(Consumer<RawCoID> listener) {
        global.add(listener);
        return () -> global.remove(listener);
    }

    /** Announces a change of {@code id} now, or when the calling thread leaves the node's lock. */
    void changed(RawCoID id) {
        if (Thread.holdsLock(lock)) {
            deferred.add(id);
            return;
        }
        announce(id);
    }

    /** Announces deferred changes once no lock is held any more (a no-op inside a locked section). */
    void flush() {
        if (Thread.holdsLock(lock)) return;
        List<RawCoID> ids;
        synchronized (lock) {
            if (deferred.isEmpty()) return;
            ids = new ArrayList<>(deferred);
            deferred.clear();
        }
        for (RawCoID id : ids) announce(id);
    }

    private void announce(RawCoID changed) {
        List<Consumer<RawCoID>> toCall = null;
        List<RawCoID> ids = null;
        synchronized (lock) {
            for (Map.Entry<RawCoID, List<Consumer<RawCoID>>> e : byId.entrySet()) {
                if (e.getValue().isEmpty()) continue;
                CoValueCore c = node.get(e.getKey());
                if (e.getKey().equals(changed) || (c != null && dependsOn(c, changed, new HashSet<>()))) {
                    if (toCall == null) {
                        toCall = new ArrayList<>();
                        ids = new ArrayList<>();
                    }
                    for (Consumer<RawCoID> l : e.getValue()) {
                        toCall.add(l);
                        ids.add(e.getKey());
                    }
                }
            }
        }
        if (toCall != null) for (int i = 0; i < toCall.size(); i++) toCall.get(i).accept(ids.get(i));
        for (Consumer<RawCoID> l : global) l.accept(changed);
    }

    private boolean dependsOn(CoValueCore c, RawCoID target, Set<RawCoID> seen) {
        if (!seen.add(c.id())) return false;
        for (RawCoID d : c.dependencies()) {
            if (d.equals(target)) return true;
            CoValueCore dc = node.get(d);
            if (dc != null && dependsOn(dc, target, seen)) return true;
        }
        return false;
    }
}
