package io.cojson.sync;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.node.LocalNode;
import io.cojson.core.node.Subscription;
import io.cojson.sync.recovery.ConflictStatus;
import io.cojson.sync.recovery.RecoveryCoordinator;
import io.cojson.sync.recovery.SessionRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A device's edits that a deletion discarded (recovery.md §5.3, §11): when a deletion of the value
 * arrives (through sync or a recovery, not the device's own delete or an import), every
 * transaction of its own sessions that no server had acknowledged before must be reported, as a
 * {@code DISCARDED_DELETED} record: a {@link io.cojson.sync.recovery.DiscardedDeletedRecord}, or a
 * conflict record of a fork's recovery. The model follows, per incarnation, the lengths of its
 * own sessions until the node holds the value deleted and what servers acknowledged until then
 * ({@link SyncManager#onServerAcknowledged}, and the server peer's known state: what it sent is
 * what it holds; known states of a tombstone not counted). Without
 * storage, a restarted device counts what its disk held as acknowledged (it cannot know better,
 * DiscardedEdits' documented rule); its records die with it, so they are collected at each death.
 */
final class ModelDiscards {
    private final RawCoID id;
    private final String device;
    private final SessionRegistry registry;
    /** Own sessions' lengths at the last look while the value was not deleted; acknowledged counts until then. */
    private final Map<SessionID, Integer> held = new HashMap<>();
    private final Map<SessionID, Integer> acked = new HashMap<>();
    private boolean learned;
    /** Whether the deletion, when it comes, is this device's own (then nothing is expected). */
    boolean selfDeleted;
    /** "session#index" of the transactions that must be reported, and of those reported (over all incarnations). */
    final TreeSet<String> expected = new TreeSet<>();
    final TreeSet<String> reported = new TreeSet<>();
    private final List<Subscription> subscriptions = new ArrayList<>();
    long learnedCount;

    ModelDiscards(RawCoID id, String device, SessionRegistry registry) {
        this.id = id;
        this.device = device;
        this.registry = registry;
    }

    /** A new incarnation on {@code node}: what it holds now counts as acknowledged. */
    void attach(LocalNode node, SyncManager sync) {
        detach();
        held.clear();
        acked.clear();
        learned = isDeleted(node);
        look(node, sync);
        acked.putAll(held);
        subscriptions.add(node.subscribe(id, x -> look(node, sync)));
        subscriptions.add(sync.onServerAcknowledged((v, ks) -> {
            if (v.equals(id)) acknowledged(ks);
        }));
    }

    /** A server confirmed {@code ks}: counts for own sessions, unless the deletion is known or it is a tombstone's echo. */
    private void acknowledged(io.cojson.core.knownstate.KnownState ks) {
        if (learned || ks == null) return;
        for (SessionID s : ks.sessions().keySet()) if (s.isDeleteSession()) return;
        ks.sessions().forEach((s, n) -> {
            if (registry.owns(s)) acked.merge(s, n, Math::max);
        });
    }

    private void look(LocalNode node, SyncManager sync) {
        if (learned) return;
        // what the server sent of an own session (one an earlier incarnation wrote) it holds: acknowledged
        sync.peer("server").ifPresent(p -> acknowledged(p.knownState(id)));
        if (!isDeleted(node)) {
            node.locked(() -> {
                var core = node.get(id);
                if (core != null) core.sessions().forEach((s, log) -> {
                    if (registry.owns(s)) held.put(s, log.size());
                });
                return null;
            });
            return;
        }
        learned = true;
        if (selfDeleted) return;
        learnedCount++;
        held.forEach((s, n) -> {
            for (int i = acked.getOrDefault(s, 0); i < n; i++) expected.add(s.value() + "#" + i);
        });
    }

    /** Collects what {@code rc} reported (before its incarnation dies, and at the end). */
    void collect(RecoveryCoordinator rc) {
        for (var r : rc.discardedEdits().records(id)) {
            for (int i = r.from(); i < r.to(); i++) reported.add(r.session().value() + "#" + i);
        }
        for (var r : rc.conflicts().forValue(id)) {
            if (r.status() != ConflictStatus.DISCARDED_DELETED) continue;
            for (int i = r.commonPrefix(); i < r.commonPrefix() + r.divergent(); i++) reported.add(r.session().value() + "#" + i);
        }
    }

    void detach() {
        for (Subscription s : subscriptions) s.close();
        subscriptions.clear();
    }

    /** Liveness of a deleted schedule: every expected transaction was reported. */
    void check(java.util.function.Supplier<String> describe) {
        TreeSet<String> missing = new TreeSet<>(expected);
        missing.removeAll(reported);
        if (!missing.isEmpty()) {
            throw new AssertionError(device + "'s edits discarded by the deletion were not reported: " + missing + " (reported " + reported
                    + ")\n" + describe.get());
        }
    }

    private boolean isDeleted(LocalNode n) {
        return n.locked(() -> n.get(id) != null && n.require(id).isDeleted());
    }
}
