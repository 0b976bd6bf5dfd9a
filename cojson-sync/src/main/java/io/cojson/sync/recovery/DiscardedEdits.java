package io.cojson.sync.recovery;

import io.cojson.core.covalue.CoValueCore;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.knownstate.KnownState;
import io.cojson.core.node.LocalNode;
import io.cojson.core.session.SessionLog;
import io.cojson.core.session.Transaction;
import io.cojson.core.node.Subscription;
import io.cojson.storage.engine.CoValueStorage;
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
 * <p>"Acknowledged" is what a server peer confirmed holding. With storage, the confirmations are
 * kept beside the database (written at most once a second and at close), so edits a previous
 * process made offline are reported too; a confirmation lost to a crash only makes more edits
 * count as discarded, never fewer. For a (CoValue, session) with no confirmation on record (no
 * storage, or written by a process without recovery), what the node held when this was installed
 * counts as acknowledged: a process cannot know what a server confirmed before it started.
 */
public final class DiscardedEdits implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DiscardedEdits.class);
    private static final long PERSIST_DELAY_MS = 1000;

    private final LocalNode node;
    private final SessionRegistry registry;
    /**
     * This installation's sessions when installed (the registry then holds every one this process
     * may write with): read once, since server acknowledgements arrive on the sync executor and a
     * storage-backed registry reads a file.
     */
    private final java.util.Set<SessionID> own;
    private final CoValueStorage storage;
    /** Per CoValue and own session: acknowledged by a server (with storage: also in earlier processes). */
    private final Map<RawCoID, Map<SessionID, Integer>> acknowledged = new HashMap<>();
    /** Acknowledgements not yet written to storage ("coValueID sessionID" → count). */
    private final Map<String, Integer> unsaved = new HashMap<>();
    private final Map<String, DiscardedDeletedRecord> memory = new LinkedHashMap<>();
    private final Subscription subscription;
    private final Subscription acks;
    private final java.util.concurrent.ScheduledExecutorService writer;
    private boolean writeScheduled; // guarded by unsaved

    private DiscardedEdits(SyncManager sync, SessionRegistry registry, CoValueStorage storage) {
        this.node = sync.node();
        this.registry = registry;
        this.storage = storage;
        registry.record(node.sessionID()); // the session this process writes with is ours (as the coordinator records it)
        this.own = java.util.Set.copyOf(registry.ownSessions());
        if (storage != null) {
            for (var e : storage.serverAcknowledged().entrySet()) {
                String[] k = e.getKey().split(" ", 2);
                try {
                    acknowledged.computeIfAbsent(RawCoID.parse(k[0]), x -> new HashMap<>()).merge(SessionID.parse(k[1]), e.getValue(), Math::max);
                } catch (RuntimeException ex) {
                    LOG.warn("server acknowledgement entry ignored: {}", ex.getMessage());
                }
            }
            writer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "cojson-acknowledgements");
                t.setDaemon(true);
                return t;
            });
        } else {
            writer = null;
        }
        // A (CoValue, session) no server acknowledgement was ever recorded for (no storage, or
        // written by a process without recovery): what the node holds now counts as acknowledged.
        node.locked(() -> {
            for (RawCoID id : node.ids()) {
                CoValueCore core = node.get(id);
                if (core == null) continue;
                for (var e : core.sessions().entrySet()) {
                    if (!own.contains(e.getKey())) continue;
                    acknowledged.computeIfAbsent(id, x -> new HashMap<>()).putIfAbsent(e.getKey(), e.getValue().size());
                }
            }
            return null;
        });
        this.acks = sync.onServerAcknowledged(this::acknowledgedByServer);
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
        return readFrom(storage);
    }

    /** The records kept by {@code storage}, without a node (a client that is offline or not logged in). */
    public static List<DiscardedDeletedRecord> readFrom(CoValueStorage storage) {
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

    /** A server confirmed {@code ks}: remember it for this installation's sessions (sync executor). */
    private void acknowledgedByServer(RawCoID id, KnownState ks) {
        // A tombstone's known state echoes the sender's sessions ("stop syncing"): no acknowledgement.
        for (SessionID s : ks.sessions().keySet()) if (s.isDeleteSession()) return;
        List<String> grown = new ArrayList<>();
        synchronized (acknowledged) {
            for (var e : ks.sessions().entrySet()) {
                SessionID s = e.getKey();
                if (s.isDeleteSession() || !own.contains(s)) continue;
                Map<SessionID, Integer> m = acknowledged.computeIfAbsent(id, x -> new HashMap<>());
                Integer old = m.get(s);
                if (old == null || old < e.getValue()) {
                    m.put(s, e.getValue());
                    grown.add(id.value() + " " + s.value() + " " + e.getValue());
                }
            }
        }
        if (grown.isEmpty() || writer == null) return;
        synchronized (unsaved) {
            for (String g : grown) {
                int sp = g.lastIndexOf(' ');
                unsaved.merge(g.substring(0, sp), Integer.parseInt(g.substring(sp + 1)), Math::max);
            }
            if (writeScheduled) return;
            writeScheduled = true;
        }
        try {
            writer.schedule(this::save, PERSIST_DELAY_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing: close() saves what is left
        }
    }

    private void save() {
        Map<String, Integer> batch;
        synchronized (unsaved) {
            batch = new HashMap<>(unsaved);
            unsaved.clear();
            writeScheduled = false;
        }
        if (batch.isEmpty()) return;
        try {
            storage.recordServerAcknowledged(batch);
        } catch (RuntimeException e) { // its edits count as unacknowledged: more is reported, nothing lost
            LOG.warn("server acknowledgements not recorded: {}", e.toString());
        }
    }

    private void deleted(RawCoID id, KnownState acked) {
        List<DiscardedDeletedRecord> found = node.locked(() -> {
            List<DiscardedDeletedRecord> out = new ArrayList<>();
            CoValueCore core = node.get(id);
            if (core == null) return out;
            Map<SessionID, Integer> base;
            synchronized (acknowledged) {
                base = new HashMap<>(acknowledged.getOrDefault(id, Map.of()));
            }
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
        acks.close();
        if (writer != null) {
            writer.shutdownNow();
            try {
                save();
            } catch (RuntimeException e) {
                LOG.warn("server acknowledgements not recorded at close: {}", e.toString());
            }
        }
    }
}
