package io.cojson.sync;

import io.cojson.core.covalue.CoValueCore;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.node.LocalNode;
import io.cojson.core.node.Subscription;
import io.cojson.core.session.SessionLog;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A device's listener on the model's value ({@link LocalNode#subscribe}), as an app holds one
 * (reliability.md §4, RL-18 as a property). The listener notes the version it sees: every
 * session's length and last signature of the value and of everything it depends on (its group),
 * as the node holds them when the callback runs. Safety: no callback sees the version the
 * previous one saw, or the one at subscribing (a change announced twice, or nothing announced),
 * none comes after the subscription was closed. Liveness after heal: the last callback saw the version the node holds (no change
 * left unannounced). A subscription lives as long as its device's incarnation; the app subscribes
 * again when it restarts.
 */
final class ModelSubscriptions {
    private final RawCoID id;
    private final String device;
    private LocalNode node;
    private Subscription subscription;
    /** The node's own registration (closed without breaking a rule when the device dies). */
    private Subscription registration;
    private String lastSeen;
    private String atSubscribe;
    /** Whether the app wants the listener: it subscribes again after a restart. */
    private boolean wanted;
    /** A broken rule, seen by a callback (on the scheduler's thread) and reported by the next {@link #check}. */
    private final Deque<String> violations = new ArrayDeque<>();
    /** What this device's listener did in the schedule (the summary adds them up). */
    long subscribes;
    long unsubscribes;
    long events;

    ModelSubscriptions(RawCoID id, String device) {
        this.id = id;
        this.device = device;
    }

    boolean subscribed() {
        return subscription != null;
    }

    /** Subscribes on {@code n} (this incarnation's node). */
    void subscribe(LocalNode n) {
        if (subscription != null) return;
        wanted = true;
        node = n;
        atSubscribe = version(n, id);
        lastSeen = null;
        boolean[] closed = {false};
        Subscription s = n.subscribe(id, x -> seen(n, closed[0]));
        registration = s;
        subscription = () -> {
            closed[0] = true; // from here on, any callback of this subscription breaks the rule
            s.close();
        };
        subscribes++;
    }

    void unsubscribe() {
        if (subscription == null) return;
        wanted = false;
        subscription.close();
        subscription = null;
        unsubscribes++;
    }

    /** The device died: its listener dies with it (a zombie task's callbacks are unseen). */
    void died() {
        if (subscription == null) return;
        registration.close();
        subscription = null;
        node = null;
    }

    /** The device restarted on {@code n}: the app subscribes again if it was subscribed. */
    void restarted(LocalNode n) {
        if (wanted) subscribe(n);
    }

    private void seen(LocalNode n, boolean closed) {
        events++;
        if (closed) {
            violations.add(device + "'s listener was called after it unsubscribed");
            return;
        }
        if (n != node) return; // an earlier incarnation's
        String v = version(n, id);
        // nothing changed since the last callback (or since it subscribed): a change told twice
        if (v.equals(lastSeen != null ? lastSeen : atSubscribe)) violations.add(device + "'s listener was called again without a change: " + v);
        lastSeen = v;
    }

    /** Safety: throws on the first broken rule since the last check. */
    void check(java.util.function.Supplier<String> describe) {
        if (!violations.isEmpty()) throw new AssertionError(violations.peekFirst() + "\n" + describe.get());
    }

    /** Liveness after heal: a live listener was told of the version its node now holds. */
    void checkLive(java.util.function.Supplier<String> describe) {
        check(describe);
        if (subscription == null) return;
        String now = version(node, id);
        String told = lastSeen != null ? lastSeen : atSubscribe;
        if (!now.equals(told)) {
            throw new AssertionError(device + "'s listener was not told of the last change: it saw " + told + ", the node holds " + now
                    + "\n" + describe.get());
        }
    }

    /** The value's and its dependencies' sessions: length and last signature each. */
    static String version(LocalNode n, RawCoID id) {
        return n.locked(() -> {
            Map<String, String> out = new TreeMap<>();
            Set<RawCoID> seen = new HashSet<>();
            Deque<RawCoID> todo = new ArrayDeque<>();
            todo.add(id);
            while (!todo.isEmpty()) {
                RawCoID v = todo.poll();
                if (!seen.add(v)) continue;
                CoValueCore core = n.get(v);
                if (core == null) {
                    out.put(v.value(), "absent");
                    continue;
                }
                for (Map.Entry<SessionID, SessionLog> e : core.sessions().entrySet()) {
                    SessionLog log = e.getValue();
                    out.put(v.value() + "/" + e.getKey().value(), log.size() + ":" + (log.size() == 0 ? "" : log.lastSignature().value()));
                }
                todo.addAll(core.dependencies());
            }
            return out.toString();
        });
    }
}
