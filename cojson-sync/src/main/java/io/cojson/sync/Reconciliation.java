package io.cojson.sync;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.knownstate.KnownState;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Server side of storage reconciliation (§5.6): for each {@code [id, shortHash(sessions)]} of a
 * client's batch, ask with {@code load} for what differs, and acknowledge the batch once every such
 * CoValue was answered. This node never starts a reconciliation itself. Sync executor only.
 */
final class Reconciliation {
    private final SyncContext ctx;
    /** Per peer: batch id → CoValues still to be answered. */
    private final Map<PeerState, Map<String, Set<RawCoID>>> open = new IdentityHashMap<>();

    Reconciliation(SyncContext ctx) {
        this.ctx = ctx;
    }

    void handle(PeerState peer, SyncMessage.Reconcile batch) {
        Set<RawCoID> asked = new HashSet<>();
        CompletableFuture<?> all = CompletableFuture.completedFuture(null);
        for (SyncMessage.ReconcileEntry e : batch.values()) {
            all = all.thenCompose(x -> ctx.loads.fromStorage(e.id())).thenRun(() -> {
                KnownState ours = ctx.knownState(e.id());
                if (ours != null && sessionsHash(ours).equals(e.sessionsHash())) return;
                peer.send(new SyncMessage.Load(ours != null ? ours : KnownState.empty(e.id())));
                asked.add(e.id());
            });
        }
        all.thenRun(() -> {
            if (asked.isEmpty()) {
                peer.send(new SyncMessage.ReconcileAck(batch.batchId()));
            } else {
                open.computeIfAbsent(peer, p -> new LinkedHashMap<>()).put(batch.batchId(), asked);
            }
        });
    }

    /** {@code peer} sent known or content for {@code id}: acknowledge batches it completes. */
    void answered(PeerState peer, RawCoID id) {
        Map<String, Set<RawCoID>> batches = open.get(peer);
        if (batches == null) return;
        for (Map.Entry<String, Set<RawCoID>> b : List.copyOf(batches.entrySet())) {
            if (b.getValue().remove(id) && b.getValue().isEmpty()) {
                batches.remove(b.getKey());
                peer.send(new SyncMessage.ReconcileAck(b.getKey()));
            }
        }
        if (batches.isEmpty()) open.remove(peer);
    }

    void onPeerClosed(PeerState peer) {
        open.remove(peer);
    }

    private String sessionsHash(KnownState ks) {
        LinkedHashMap<String, JsonValue> m = new LinkedHashMap<>();
        ks.sessions().forEach((s, n) -> m.put(s.value(), JsonValue.of(n)));
        return ctx.node.crypto().shortHash(new JsonValue.Obj(m)).value();
    }
}
