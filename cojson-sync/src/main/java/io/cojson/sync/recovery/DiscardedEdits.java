package io.cojson.sync.recovery;

import io.cojson.core.covalue.CoValueCore;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.knownstate.KnownState;
import io.cojson.core.node.LocalNode;
import io.cojson.core.session.SessionLog;
import io.cojson.core.session.Transaction;
import io.cojson.storage.CoValueStorage;
import io.cojson.core.node.Subscription;
import io.cojson.sync.SyncManager;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the {@link DiscardedDeletedRecord}s of one node (recovery.md §5.3): when received content
 * deletes a CoValue, every transaction of this installation's sessions that no server had
 * acknowledged is discarded by the tombstone and recorded here (in storage beside the session
 * registry, or in memory without storage).
 *
 * <p>"Acknowledged" is what a server peer confirmed in this process, or — for transactions this
 * process did not write — what the node already held when this was installed: a process cannot
 * know what a server acknowledged before it started. So edits of earlier processes are reported
 * only if they are first loaded after installation (over-reporting, never silent loss of what this
 * process wrote).
 */
public final class DiscardedEdits implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DiscardedEdits.class);

    private final LocalNode node;
    private final SessionRegistry registry;
    private final CoValueStorage storage;
    /** Own-session lengths held at installation: written by an earlier process, treated as acknowledged. */
    private final Map<RawCoID, Map<SessionID, Integer>> baseline = new HashMap<>();
    private final Map<String, DiscardedDeletedRecord> memory = new LinkedHashMap<>();
    private final Subscription subscription;

    private DiscardedEdits(SyncManager sync, SessionRegistry registry, CoValueStorage storage) {
        this.node = sync.node();
        this.registry = registry;
        this.storage = storage;
        registry.record(node.sessionID()); // the session this process writes with is ours (as the coordinator records it)
        node.locked(() -> {
            for (RawCoID id : node.ids()) {
                CoValueCore core = node.get(id);
                if (core == null) continue;
                Map<SessionID, Integer> own = new HashMap<>();
                for (var e : core.sessions().entrySet()) if (registry.owns(e.getKey())) own.put(e.getKey(), e.getValue().size());
                if (!own.isEmpty()) baseline.put(id, own);
            }
            return null;
        });
        this.subscription = sync.onDeletionLearned(this::deleted);
    }

    /** Starts recording for {@code sync}'s node; {@code storage} null keeps records in memory only. */
    public static DiscardedEdits install(SyncManager sync, SessionRegistry registry, CoValueStorage storage) {
        return new DiscardedEdits(Objects.requireNonNull(sync), Objects.requireNonNull(registry), storage);
    }

    /** Every record, in the order found (from storage: also those of earlier processes). */
    public List<DiscardedDeletedRecord> records() {
        if (storage == null) {
            synchronized (memory) {
                return List.copyOf(memory.values());
            }
        }
        Map<String, DiscardedDeletedRecord> out = new LinkedHashMap<>();
        for (String line : storage.discardedDeleted()) {
            DiscardedDeletedRecord r = DiscardedDeletedRecord.fromJsonLine(line);
            out.putIfAbsent(r.id(), r);
        }
        return List.copyOf(out.values());
    }

    public List<DiscardedDeletedRecord> records(RawCoID id) {
        List<DiscardedDeletedRecord> out = new ArrayList<>();
        for (DiscardedDeletedRecord r : records()) if (r.coValue().equals(id)) out.add(r);
        return out;
    }

    private void deleted(RawCoID id, KnownState acked) {
        List<DiscardedDeletedRecord> found = node.locked(() -> {
            List<DiscardedDeletedRecord> out = new ArrayList<>();
            CoValueCore core = node.get(id);
            if (core == null) return out;
            Map<SessionID, Integer> base = baseline.getOrDefault(id, Map.of());
            for (Map.Entry<SessionID, SessionLog> e : core.sessions().entrySet()) {
                SessionID s = e.getKey();
                if (s.isDeleteSession() || !registry.owns(s)) continue;
                int from = Math.max(acked.count(s), base.getOrDefault(s, 0));
                List<Transaction> txs = e.getValue().transactions();
                if (from < txs.size()) out.add(new DiscardedDeletedRecord(id, s, from, txs.subList(from, txs.size()), System.currentTimeMillis()));
            }
            return out;
        });
        for (DiscardedDeletedRecord r : found) {
            if (storage != null) {
                storage.recordDiscardedDeleted(r.toJsonLine());
            } else {
                synchronized (memory) {
                    memory.putIfAbsent(r.id(), r);
                }
            }
            LOG.info("{} deleted: {} unacknowledged transactions of session {} ({}..{}) discarded, record {}", id,
                    r.transactions().size(), r.session(), r.from(), r.to(), r.id());
        }
    }

    @Override
    public void close() {
        subscription.close();
    }
}
