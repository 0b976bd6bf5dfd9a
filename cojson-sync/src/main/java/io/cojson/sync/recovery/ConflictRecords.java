package io.cojson.sync.recovery;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.internal.Compat;
import io.cojson.core.node.Subscription;
import io.cojson.storage.engine.CoValueStorage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The conflict records of a node (recovery.md §11): kept by its storage (a file beside the
 * database, rewritten atomically at each change, so they survive restarts) or, without storage,
 * in memory. Listing node-wide and per CoValue, lookup by ID, and listeners that fire once per
 * new record or status change. Several instances over one storage see each other's writes.
 */
public final class ConflictRecords {
    private static final Logger LOG = LoggerFactory.getLogger(ConflictRecords.class);

    /** Where the records live: a whole-list read and an atomic whole-list replace. */
    private interface Backend {
        List<String> read();

        void write(List<String> lines);
    }

    private record Listener(RawCoID only, Consumer<ConflictRecord> action) {}

    private final Backend backend;
    private final Object lock;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    private ConflictRecords(Backend backend, Object lock) {
        this.backend = backend;
        this.lock = lock;
    }

    /** Records that live as long as the process (a node without storage). */
    public static ConflictRecords inMemory() {
        List<String> lines = new ArrayList<>();
        return new ConflictRecords(new Backend() {
            @Override
            public List<String> read() {
                return List.copyOf(lines);
            }

            @Override
            public void write(List<String> l) {
                lines.clear();
                lines.addAll(l);
            }
        }, new Object());
    }

    /** Records kept by {@code storage}; instances over the same storage share its lock. */
    public static ConflictRecords of(CoValueStorage storage) {
        Objects.requireNonNull(storage, "storage");
        return new ConflictRecords(new Backend() {
            @Override
            public List<String> read() {
                return storage.conflictRecords();
            }

            @Override
            public void write(List<String> l) {
                storage.writeConflictRecords(l);
            }
        }, storage);
    }

    /**
     * The record of a recovery that just committed (PRESERVED, or DISCARDED_DELETED for a deleted
     * value); {@code target} is where the tail went (S!, or a new session for a forked S!, §5.8).
     */
    static ConflictRecord committed(RawCoID id, io.cojson.core.ids.SessionID session, io.cojson.core.ids.SessionID target, int round, String trigger, String peer,
            long detectedAt, int commonPrefix, int serverLength, int divergent,
            io.cojson.core.node.ContentPiece.SessionPiece conflict, boolean deleted) {
        int from = conflict == null ? 0 : conflict.after();
        int to = conflict == null ? 0 : conflict.after() + conflict.transactions().size();
        long now = System.currentTimeMillis();
        return new ConflictRecord(ConflictRecord.idOf(id, session, round), id, session, target, round, trigger,
                peer, detectedAt, now, commonPrefix, serverLength, divergent, from, to,
                deleted ? ConflictStatus.DISCARDED_DELETED : ConflictStatus.PRESERVED, null, now);
    }

    /**
     * Adds a record for every committed journal round that has none: a process killed between
     * the recovery unit's commit and the record's write finds its record at the next start
     * (source peer unknown; detection and commit time are the journal's).
     */
    public int reconcile(List<io.cojson.storage.engine.RecoveryJournalEntry> journal) {
        int added = 0;
        for (io.cojson.storage.engine.RecoveryJournalEntry e : journal) {
            String id = ConflictRecord.idOf(e.id(), e.session(), e.round());
            if (byId(id).isPresent()) continue;
            int divergent = e.localTailTo() - e.localTailFrom();
            boolean discarded = e.conflictTo() == e.conflictFrom() && divergent > 0; // a deleted value writes no S!
            add(new ConflictRecord(id, e.id(), e.session(), e.conflictSession(), e.round(), e.trigger(), null, e.time(),
                    e.time(), e.commonPrefix(), e.serverLength(), divergent, e.conflictFrom(), e.conflictTo(),
                    discarded ? ConflictStatus.DISCARDED_DELETED : ConflictStatus.PRESERVED, null, e.time()));
            added++;
        }
        return added;
    }

    /** Every record, oldest first. */
    public List<ConflictRecord> all() {
        synchronized (lock) {
            List<ConflictRecord> out = new ArrayList<>();
            for (String line : backend.read()) {
                if (Compat.isBlank(line)) continue;
                try {
                    out.add(ConflictRecord.fromJson(line));
                } catch (RuntimeException e) {
                    LOG.warn("unreadable conflict record skipped: {}", e.toString());
                }
            }
            return out;
        }
    }

    /** The records of one CoValue, oldest first. */
    public List<ConflictRecord> forValue(RawCoID id) {
        List<ConflictRecord> out = new ArrayList<>();
        for (ConflictRecord r : all()) if (r.coValueId().equals(id)) out.add(r);
        return out;
    }

    public Optional<ConflictRecord> byId(String recordId) {
        for (ConflictRecord r : all()) if (r.recordId().equals(recordId)) return Optional.of(r);
        return Optional.empty();
    }

    /**
     * Adds {@code record} unless one with its ID exists (a recovery re-run after a crash repeats
     * its round: the first record, and whatever the app did with it, stays). Returns the stored one.
     */
    public ConflictRecord add(ConflictRecord record) {
        ConflictRecord stored;
        synchronized (lock) {
            List<ConflictRecord> now = all();
            for (ConflictRecord r : now) if (r.recordId().equals(record.recordId())) return r;
            now.add(record);
            save(now);
            stored = record;
        }
        notify(stored);
        return stored;
    }

    /** Changes the status of a record (persisted before it returns); throws if there is no such record. */
    public ConflictRecord setStatus(String recordId, ConflictStatus status, String reason) {
        ConflictRecord changed = null;
        synchronized (lock) {
            List<ConflictRecord> now = all();
            for (int i = 0; i < now.size(); i++) {
                if (!now.get(i).recordId().equals(recordId)) continue;
                if (now.get(i).status() == status && Objects.equals(now.get(i).reason(), reason)) return now.get(i);
                changed = now.get(i).withStatus(status, reason, System.currentTimeMillis());
                now.set(i, changed);
            }
            if (changed == null) throw new IllegalArgumentException("no conflict record " + recordId);
            save(now);
        }
        notify(changed);
        return changed;
    }

    /** Calls {@code listener} once per new record or status change; with {@code replay}, first for every record already there. */
    public Subscription onRecord(Consumer<ConflictRecord> listener, boolean replay) {
        return register(new Listener(null, listener), replay ? all() : List.of());
    }

    /** {@link #onRecord} for the records of one CoValue only. */
    public Subscription onRecord(RawCoID id, Consumer<ConflictRecord> listener, boolean replay) {
        return register(new Listener(Objects.requireNonNull(id), listener), replay ? forValue(id) : List.of());
    }

    private Subscription register(Listener l, List<ConflictRecord> replay) {
        for (ConflictRecord r : replay) call(l, r);
        listeners.add(l);
        return () -> listeners.remove(l);
    }

    private void save(List<ConflictRecord> records) {
        List<String> lines = new ArrayList<>(records.size());
        for (ConflictRecord r : records) lines.add(r.toJson());
        backend.write(lines);
    }

    private void notify(ConflictRecord r) {
        for (Listener l : listeners) if (l.only() == null || l.only().equals(r.coValueId())) call(l, r);
    }

    private static void call(Listener l, ConflictRecord r) {
        try {
            l.action().accept(r);
        } catch (RuntimeException e) {
            LOG.error("conflict record listener failed", e);
        }
    }
}
