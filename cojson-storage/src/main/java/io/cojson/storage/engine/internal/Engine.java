package io.cojson.storage.engine.internal;

import io.cojson.core.header.CoValueHeader;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.internal.Compat;
import io.cojson.core.knownstate.KnownState;
import io.cojson.storage.engine.RecoveryJournalEntry;
import io.cojson.storage.StorageClosedException;
import io.cojson.storage.StorageCorruptedException;
import io.cojson.storage.StorageException;
import io.cojson.storage.StorageIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.mapdb.DBException;

/**
 * One open store: runs storage transactions (each a MapDB commit), keeps the caches of what is
 * committed (known states, chain epochs) and answers reads. Thread-safe: transactions are
 * serialized by a write lock that reads share; operations that rewrite a CoValue's rows also take
 * that CoValue's stripe lock, which a streaming load holds for its whole duration.
 */
public final class Engine {
    private static final int STRIPES = 64;

    private final StoreFiles files;
    private final Tables tables;
    private final Units units;
    private final ReentrantReadWriteLock rw = new ReentrantReadWriteLock();
    private final ReentrantReadWriteLock[] stripes = new ReentrantReadWriteLock[STRIPES];
    private final ConcurrentHashMap<RawCoID, KnownState> known = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Long> storedEpochs = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Long> memEpochs = new ConcurrentHashMap<>();
    private final Waiters waiters = new Waiters();
    private long nextRowId;
    private volatile boolean closed;
    private volatile Throwable broken;

    private final DurabilityWindowFile window;
    /** Whether the previous process recorded its durability windows (recovery.md §13). */
    private boolean previousWindowsKnown;

    private Engine(StoreFiles files) {
        this.files = files;
        this.window = new DurabilityWindowFile(files.dir);
        this.tables = new Tables(files.db, files.dataFile);
        this.units = new Units(this, tables);
        for (int i = 0; i < STRIPES; i++) stripes[i] = new ReentrantReadWriteLock();
    }

    /** Opens (or creates) the store in {@code dir}, taking its lock. */
    public static Engine open(Path dir, boolean syncOnCommit) {
        StoreFiles files = StoreFiles.open(dir, syncOnCommit);
        try {
            Engine e = new Engine(files);
            e.init();
            e.takeWindowLeftOver();
            return e;
        } catch (RuntimeException | AssertionError ex) {
            files.close(!files.uncleanShutdown); // a failed open leaves the unclean-shutdown flag as it found it
            if (ex instanceof StorageException se) throw se;
            throw new StorageCorruptedException(files.dataFile, "cannot read the store's tables: " + ex, ex);
        }
    }

    private void init() {
        Long format = tables.metaLong("format");
        if (format == null) {
            if (tables.coValueCount() > 0 || tables.allSessions().iterator().hasNext()) {
                throw new StorageCorruptedException(files.dataFile, "data without a format marker", null);
            }
            Txn txn = new Txn(false);
            tables.putMeta(txn, "format", Tables.FORMAT);
            tables.putMeta(txn, "nextSessionRow", 1);
            files.db.commit();
        } else if (format != Tables.FORMAT) {
            throw new StorageCorruptedException(files.dataFile, "unknown format " + format, null);
        }
        files.markCreated();
        reloadRowCounter();
        storedEpochs.putAll(tables.allEpochs());
        memEpochs.putAll(storedEpochs);
    }

    /**
     * What the previous process's durability window named at its end becomes at risk if that
     * process did not close the store: its content reached a peer and maybe not this disk.
     */
    private void takeWindowLeftOver() {
        DurabilityWindowFile.Left left = window.takeLeftOver();
        previousWindowsKnown = left.tracked();
        if (files.uncleanShutdown && !left.entries().isEmpty()) files.writeAtRisk(left.entries());
    }

    private void reloadRowCounter() {
        Long next = tables.metaLong("nextSessionRow");
        if (next == null) throw new StorageCorruptedException(files.dataFile, "missing session row counter", null);
        nextRowId = next;
    }

    public Path dir() {
        return files.dir;
    }

    public Path dataFile() {
        return files.dataFile;
    }

    // ---- transactions ----

    /**
     * Applies {@code ops} in one storage transaction and commits; returns one result per op. On any
     * failure everything is rolled back and the failure is rethrown as a {@link StorageException}.
     */
    public List<Object> commit(List<Op> ops) {
        Set<Integer> stripeIdx = new TreeSet<>();
        for (Op op : ops) if (op.exclusive()) stripeIdx.add(stripe(op.id()));
        for (int i : stripeIdx) stripes[i].writeLock().lock();
        rw.writeLock().lock();
        Txn txn = new Txn(true);
        try {
            checkUsable();
            FaultPoints.hit(FaultPoints.TX_BEGIN);
            List<Object> results = new ArrayList<>(ops.size());
            for (Op op : ops) results.add(units.apply(op, txn));
            if (txn.wroteAny()) {
                FaultPoints.hit(FaultPoints.TX_BEFORE_COMMIT);
                commitFiles();
            }
            txn.committed = true;
            known.putAll(txn.knownAfter); // set, not merged (O7)
            storedEpochs.putAll(txn.epochsAfter);
            for (Op op : ops) {
                if (op instanceof Op.Replace r) {
                    var unit = r.replacement();
                    int prefix = unit.journal().commonPrefix();
                    waiters.failReplaced(unit.id(), unit.session(), prefix,
                            new io.cojson.storage.SessionReplacedException(files.dir, unit.id(), unit.session(), prefix));
                }
            }
            if (txn.wroteAny()) FaultPoints.hit(FaultPoints.TX_AFTER_COMMIT);
            return results;
        } catch (Throwable t) {
            rollback(txn);
            throw translate(t);
        } finally {
            rw.writeLock().unlock();
            for (int i : stripeIdx) stripes[i].writeLock().unlock();
            waiters.check(txn.knownAfter.keySet(), this::knownState);
        }
    }

    /**
     * MapDB's commit; if it fails part-way, MapDB's memory no longer matches the files (the journal
     * does: reopening completes or drops the commit), so the store refuses further work.
     */
    private void commitFiles() {
        try {
            files.db.commit();
        } catch (RuntimeException | Error e) {
            broken = e;
            throw new StorageIOException(files.dataFile, "commit failed; reopen the store to recover it from its journal", e);
        }
    }

    private void checkUsable() {
        if (closed) throw new StorageClosedException(files.dir, "storage is closed", null);
        if (broken != null) throw new StorageIOException(files.dataFile, "an earlier commit failed; reopen the store", broken);
    }

    private void rollback(Txn txn) {
        if (txn.committed) return; // a failure after the commit (fault point) leaves the commit in place
        txn.knownAfter.clear();
        txn.epochsAfter.clear();
        if (closed || broken != null || files.db.isClosed()) return;
        try {
            tables.dropCaches();
            files.discardUncommitted();
            files.db.rollback();
            reloadRowCounter();
        } catch (RuntimeException e) {
            // the next transaction reports the broken store
        }
    }

    private RuntimeException translate(Throwable t) {
        if (t instanceof StorageException s) return s;
        if (t instanceof DBException.VolumeIOError || t instanceof DBException.VolumeClosed) {
            return new StorageIOException(files.dataFile, "MapDB I/O failed: " + t, t);
        }
        if (t instanceof Error e && !(t instanceof AssertionError)) throw e;
        if (t instanceof IllegalArgumentException i) return i;
        return new StorageException("storage transaction failed: " + t, files.dataFile, t);
    }

    /** Runs waiter completions on {@code executor} instead of the committing thread. */
    public void completeWaitersOn(java.util.concurrent.Executor executor) {
        waiters.completeOn(executor);
    }

    /** Test support: replaces one stored transaction in place (re-sealed), bypassing every check. */
    public boolean rewriteTransaction(RawCoID id, SessionID s, int index, io.cojson.core.session.Transaction replacement) {
        rw.writeLock().lock();
        try {
            Records.SessionRow row = tables.session(id, s);
            if (row == null || index >= row.lastIdx()) return false;
            for (Map.Entry<Integer, List<io.cojson.core.session.Transaction>> run : tables.runs(row.rowId(), index, index + 1)) {
                int at = index - run.getKey();
                if (at < 0 || at >= run.getValue().size()) continue;
                List<io.cojson.core.session.Transaction> txs = new ArrayList<>(run.getValue());
                txs.set(at, replacement);
                tables.putRun(new Txn(false), row.rowId(), run.getKey(), txs);
                files.db.commit();
                return true;
            }
            return false;
        } finally {
            rw.writeLock().unlock();
        }
    }

    /** Fails waiters on {@code id}: a write of it failed for good. */
    public void failWaiters(RawCoID id, Throwable cause) {
        waiters.fail(id, cause);
    }

    long nextRowId(Txn txn) {
        long id = nextRowId++;
        tables.putMeta(txn, "nextSessionRow", nextRowId);
        return id;
    }

    // ---- epochs ----

    long storedEpoch(Txn txn, RawCoID id, SessionID s) {
        String k = Tables.sessionKey(id, s);
        Long e = txn.epochsAfter.get(k);
        if (e == null) e = storedEpochs.get(k);
        return e == null ? 0 : e;
    }

    public long chainEpoch(RawCoID id, SessionID s) {
        return memEpochs.getOrDefault(Tables.sessionKey(id, s), 0L);
    }

    public void advanceChainEpoch(RawCoID id, SessionID s, long epoch) {
        memEpochs.merge(Tables.sessionKey(id, s), epoch, Math::max);
    }

    // ---- reads ----

    ReentrantReadWriteLock stripeOf(RawCoID id) {
        return stripes[stripe(id)];
    }

    private static int stripe(RawCoID id) {
        return Math.floorMod(id.hashCode(), STRIPES);
    }

    <T> T reading(java.util.function.Supplier<T> action) {
        rw.readLock().lock();
        try {
            checkUsable();
            return action.get();
        } finally {
            rw.readLock().unlock();
        }
    }

    Tables tables() {
        return tables;
    }

    /** Committed known state of {@code id}, cached. */
    public KnownState knownState(RawCoID id) {
        KnownState k = known.get(id);
        if (k != null) return k;
        return reading(() -> known.computeIfAbsent(id, this::knownFromRows));
    }

    /** Known state computed from the rows as this thread sees them (inside a transaction: including its writes). */
    KnownState knownFromRows(RawCoID id) {
        if (!tables.hasCoValue(id)) return KnownState.empty(id);
        boolean deleted = tables.deletedStatus(id) != null;
        LinkedHashMap<SessionID, Integer> m = new LinkedHashMap<>();
        for (Map.Entry<SessionID, Records.SessionRow> e : tables.sessionsOf(id)) {
            if (!deleted || e.getKey().isDeleteSession()) m.put(e.getKey(), e.getValue().lastIdx());
        }
        return new KnownState(id, true, m);
    }

    public CoValueHeader header(RawCoID id) {
        return reading(() -> tables.header(id));
    }

    public List<RawCoID> coValueIDs(int offset, int limit) {
        return reading(() -> tables.coValueIDs(offset, limit));
    }

    public int coValueCount() {
        return reading(tables::coValueCount);
    }

    public boolean isDeleted(RawCoID id) {
        return reading(() -> tables.deletedStatus(id) != null);
    }

    public List<RawCoID> deletedPendingErase() {
        return reading(tables::deletedPendingErase);
    }

    public List<RecoveryJournalEntry> journal() {
        return reading(() -> {
            List<RecoveryJournalEntry> out = new ArrayList<>();
            for (String json : tables.journalAll()) {
                try {
                    out.add(RecoveryJournalEntry.fromJson(json));
                } catch (RuntimeException e) {
                    throw tables.damaged("a recoveryJournal entry does not parse", e);
                }
            }
            return out;
        });
    }

    public List<RecoveryJournalEntry> journal(RawCoID id) {
        return reading(() -> {
            List<RecoveryJournalEntry> out = new ArrayList<>();
            for (String json : tables.journalOf(id)) {
                try {
                    out.add(RecoveryJournalEntry.fromJson(json));
                } catch (RuntimeException e) {
                    throw tables.damaged("recoveryJournal entry of " + id + " does not parse", e);
                }
            }
            return out;
        });
    }

    public java.util.concurrent.CompletableFuture<KnownState> whenStored(KnownState target) {
        if (closed) return Compat.failedFuture(new StorageClosedException(files.dir, "storage is closed", null));
        return waiters.register(target, this::knownState);
    }

    /** Whether the previous process that had this store open ended without closing it (recovery.md §13). */
    public boolean uncleanShutdown() {
        return files.uncleanShutdown;
    }

    public Set<String> atRisk() {
        return files.atRisk();
    }

    public void writeAtRisk(Set<String> sessions) {
        files.writeAtRisk(sessions);
    }

    public void clearAtRisk() {
        files.clearAtRisk();
    }

    public void removeAtRisk(Set<String> entries) {
        files.removeAtRisk(entries);
    }

    public boolean previousWindowsKnown() {
        return previousWindowsKnown;
    }

    public void trackDurabilityWindow() {
        window.track();
    }

    public boolean tracksDurabilityWindow() {
        return window.tracking();
    }

    public void markDurabilityWindow(Set<String> entries) {
        window.mark(entries);
    }

    public void clearDurabilityWindow() {
        window.clear();
    }

    public Set<String> ownSessions() {
        return files.ownSessions();
    }

    public Set<String> discardedRecords() {
        return files.discarded();
    }

    public java.util.Map<String, Integer> acknowledged() {
        return files.acknowledged();
    }

    public void recordAcknowledged(java.util.Map<String, Integer> more) {
        files.recordAcknowledged(more);
    }

    public void recordDiscarded(String record) {
        files.recordDiscarded(Set.of(record));
    }

    public void recordOwnSessions(Set<String> sessions) {
        files.recordOwnSessions(sessions);
    }

    public List<String> conflictRecords() {
        return files.conflictRecords();
    }

    public void writeConflictRecords(List<String> records) {
        files.writeConflictRecords(records);
    }

    public boolean isClosed() {
        return closed;
    }

    /** Closes the files; waits for a running transaction or load to finish first. */
    public void close() {
        rw.writeLock().lock();
        try {
            if (closed) return;
            closed = true;
            window.closeClean();
            files.close();
        } finally {
            rw.writeLock().unlock();
            waiters.failAll(new StorageClosedException(files.dir, "storage closed before the content was stored", null));
        }
    }
}
