package io.cojson.storage.engine.internal;

import io.cojson.core.header.CoValueHeader;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.json.Json;
import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import io.cojson.core.session.Transaction;
import io.cojson.core.node.ContentMessages;
import io.cojson.core.session.CanonicalSlices;
import io.cojson.core.session.TransactionCodec;
import io.cojson.storage.StorageCorruptedException;
import io.cojson.storage.StorageException;
import io.cojson.storage.engine.internal.Records.Damaged;
import io.cojson.storage.engine.internal.Records.SessionRow;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.function.Supplier;
import org.mapdb.BTreeMap;
import org.mapdb.DB;
import org.mapdb.Serializer;

/**
 * The MapDB maps, in the reference's data model (sync-protocol.md §11): {@code coValues} (ID →
 * header JSON), {@code sessions} ("coID sessionID" → row ID, stored count, last signature, bytes
 * since the last checkpoint), {@code transactions} ((row ID, first index) → a run of consecutive
 * transactions as a JSON array; every stored signature ends a run), {@code signatureAfter} ((row ID,
 * index) → checkpoint signature), plus {@code deleted}, {@code epochs}, {@code journal} and
 * {@code meta}. Every value is sealed with a checksum; every read failure becomes a
 * {@link StorageCorruptedException} naming the file.
 */
final class Tables {
    static final long FORMAT = 1;

    /** Rows cached by key (all writes go through here, under the store's write lock); bounded. */
    private static final int SESSION_CACHE_LIMIT = 100_000;

    final Path file;
    private final java.util.concurrent.ConcurrentHashMap<String, SessionRow> sessionCache = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.ConcurrentHashMap<RawCoID, Integer> deletedCache = new java.util.concurrent.ConcurrentHashMap<>();
    private final BTreeMap<String, byte[]> coValues;
    private final BTreeMap<String, byte[]> sessions;
    final BTreeMap<Long, byte[]> runs;
    final BTreeMap<Long, byte[]> sigs;
    private final BTreeMap<String, byte[]> deleted;
    private final BTreeMap<String, byte[]> epochs;
    private final BTreeMap<String, byte[]> journal;
    private final BTreeMap<String, byte[]> meta;

    Tables(DB db, Path file) {
        this.file = file;
        coValues = db.treeMap("coValues", Serializer.STRING, Serializer.BYTE_ARRAY).createOrOpen();
        sessions = db.treeMap("sessions", Serializer.STRING, Serializer.BYTE_ARRAY).createOrOpen();
        runs = db.treeMap("transactions", Serializer.LONG, Serializer.BYTE_ARRAY).valuesOutsideNodesEnable().createOrOpen();
        sigs = db.treeMap("signatureAfter", Serializer.LONG, Serializer.BYTE_ARRAY).createOrOpen();
        deleted = db.treeMap("deletedCoValues", Serializer.STRING, Serializer.BYTE_ARRAY).createOrOpen();
        epochs = db.treeMap("chainEpochs", Serializer.STRING, Serializer.BYTE_ARRAY).createOrOpen();
        journal = db.treeMap("recoveryJournal", Serializer.STRING, Serializer.BYTE_ARRAY).valuesOutsideNodesEnable().createOrOpen();
        meta = db.treeMap("meta", Serializer.STRING, Serializer.BYTE_ARRAY).createOrOpen();
    }

    static String sessionKey(RawCoID id, SessionID s) {
        return id.value() + " " + s.value();
    }

    static long rowKey(long rowId, int idx) {
        return (rowId << 32) | (idx & 0xffffffffL);
    }

    StorageCorruptedException damaged(String what, Throwable cause) {
        return new StorageCorruptedException(file, what, cause);
    }

    <T> T read(String what, Supplier<T> action) {
        try {
            return action.get();
        } catch (StorageException e) {
            throw e;
        } catch (RuntimeException | AssertionError | OutOfMemoryError e) { // a damaged length field can ask for any size
            throw damaged("cannot read " + what + ": " + e, e);
        }
    }

    private byte[] open(String table, byte[] key, String keyText, byte[] record) {
        try {
            return Records.open(key, record);
        } catch (Damaged d) {
            throw damaged(table + " record " + keyText + ": " + d.getMessage(), null);
        }
    }

    /** {@code Records.text(open(...))}, decoded straight from the record (no copy of the payload). */
    private String openText(String table, byte[] key, String keyText, byte[] record) {
        try {
            return Records.openText(key, record);
        } catch (Damaged d) {
            throw damaged(table + " record " + keyText + ": " + d.getMessage(), null);
        }
    }

    // ---- meta ----

    Long metaLong(String key) {
        byte[] r = read("meta " + key, () -> meta.get(key));
        if (r == null) return null;
        try {
            return Records.longOf(open("meta", Records.keyBytes(key), key, r));
        } catch (Damaged d) {
            throw damaged("meta " + key + ": " + d.getMessage(), null);
        }
    }

    void putMeta(Txn txn, String key, long v) {
        txn.wrote();
        meta.put(key, Records.seal(Records.keyBytes(key), Records.longPayload(v)));
    }

    // ---- coValues ----

    CoValueHeader header(RawCoID id) {
        byte[] r = read("coValues " + id, () -> coValues.get(id.value()));
        if (r == null) return null;
        String text = openText("coValues", Records.keyBytes(id.value()), id.value(), r);
        try {
            return new CoValueHeader((JsonValue.Obj) Json.parse(text));
        } catch (RuntimeException e) {
            throw damaged("coValues record " + id + ": header does not parse", e);
        }
    }

    boolean hasCoValue(RawCoID id) {
        return read("coValues " + id, () -> coValues.containsKey(id.value()));
    }

    void putHeader(Txn txn, RawCoID id, CoValueHeader header) {
        txn.wrote();
        coValues.put(id.value(), Records.seal(Records.keyBytes(id.value()), Records.utf8(JsonWriter.stringify(header.json()))));
    }

    List<RawCoID> coValueIDs(int offset, int limit) {
        return read("coValues keys", () -> {
            List<RawCoID> out = new ArrayList<>(Math.min(limit, 1024));
            int i = 0;
            for (String k : coValues.keySet()) {
                if (i++ < offset) continue;
                if (out.size() >= limit) break;
                out.add(new RawCoID(k));
            }
            return out;
        });
    }

    int coValueCount() {
        return read("coValues size", coValues::size);
    }

    Iterable<Map.Entry<String, byte[]>> allCoValues() {
        return coValues.entrySet();
    }

    // ---- sessions ----

    SessionRow session(RawCoID id, SessionID s) {
        String key = sessionKey(id, s);
        SessionRow cached = sessionCache.get(key);
        if (cached != null) return cached;
        byte[] r = read("sessions " + key, () -> sessions.get(key));
        if (r == null) return null;
        SessionRow row = decodeSession(key, r);
        cacheSession(key, row);
        return row;
    }

    private void cacheSession(String key, SessionRow row) {
        if (sessionCache.size() >= SESSION_CACHE_LIMIT) sessionCache.clear();
        sessionCache.put(key, row);
    }

    /** Forgets cached rows: after a rollback they may hold uncommitted values. */
    void dropCaches() {
        sessionCache.clear();
        deletedCache.clear();
    }

    SessionRow decodeSession(String key, byte[] r) {
        try {
            return SessionRow.decode(open("sessions", Records.keyBytes(key), key, r));
        } catch (Damaged d) {
            throw damaged("sessions record " + key + ": " + d.getMessage(), null);
        }
    }

    /** The CoValue's sessions in insertion order (row ID). */
    List<Map.Entry<SessionID, SessionRow>> sessionsOf(RawCoID id) {
        return read("sessions of " + id, () -> {
            NavigableMap<String, byte[]> range = sessions.subMap(id.value() + " ", true, id.value() + "!", false);
            List<Map.Entry<SessionID, SessionRow>> out = new ArrayList<>();
            for (Map.Entry<String, byte[]> e : range.entrySet()) {
                SessionID s = new SessionID(e.getKey().substring(id.value().length() + 1));
                out.add(Map.entry(s, decodeSession(e.getKey(), e.getValue())));
            }
            out.sort(Comparator.comparingLong(e -> e.getValue().rowId()));
            return out;
        });
    }

    void putSession(Txn txn, RawCoID id, SessionID s, SessionRow row) {
        txn.wrote();
        String key = sessionKey(id, s);
        sessions.put(key, Records.seal(Records.keyBytes(key), row.encode()));
        cacheSession(key, row);
    }

    void removeSession(Txn txn, RawCoID id, SessionID s) {
        txn.wrote();
        sessions.remove(sessionKey(id, s));
        sessionCache.remove(sessionKey(id, s));
    }

    Iterable<Map.Entry<String, byte[]>> allSessions() {
        return sessions.entrySet();
    }

    // ---- transactions (runs) and signatures ----

    void putRun(Txn txn, long rowId, int from, List<Transaction> txs) {
        txn.wrote();
        long k = rowKey(rowId, from);
        runs.put(k, Records.seal(Records.keyBytes(k), Records.utf8(TransactionCodec.toJsonArray(txs))));
    }

    /** Runs of a session overlapping [from, to), as (first index, transactions). */
    List<Map.Entry<Integer, List<Transaction>>> runs(long rowId, int from, int to) {
        List<Map.Entry<Integer, CanonicalSlices.Run>> runs = canonicalRuns(rowId, from, to);
        List<Map.Entry<Integer, List<Transaction>>> out = new ArrayList<>(runs.size());
        for (Map.Entry<Integer, CanonicalSlices.Run> e : runs) out.add(Map.entry(e.getKey(), e.getValue().transactions()));
        return out;
    }

    /**
     * The same runs with where each transaction's canonical JSON is in the stored text (stored runs
     * are written canonically: a load then hashes those bytes instead of re-serializing).
     */
    List<Map.Entry<Integer, CanonicalSlices.Run>> canonicalRuns(long rowId, int from, int to) {
        return read("transactions of session row " + rowId, () -> {
            List<Map.Entry<Integer, CanonicalSlices.Run>> out = new ArrayList<>();
            Long start = runs.floorKey(rowKey(rowId, from));
            if (start == null || (start >>> 32) != rowId) start = rowKey(rowId, from);
            for (Map.Entry<Long, byte[]> e : runs.subMap(start, true, rowKey(rowId, to), false).entrySet()) {
                out.add(Map.entry((int) (e.getKey() & 0xffffffffL), decodeRun(e.getKey(), e.getValue())));
            }
            return out;
        });
    }

    CanonicalSlices.Run decodeRun(long key, byte[] record) {
        String where = "transactions record (session row " + (key >>> 32) + ", index " + (key & 0xffffffffL) + ")";
        String text = openText("transactions", Records.keyBytes(key), where, record);
        CanonicalSlices.Run fast = ContentMessages.canonicalTransactionArray(text);
        if (fast != null) return fast;
        try {
            List<Transaction> txs = TransactionCodec.parseArray(text);
            int[] none = new int[txs.size()];
            java.util.Arrays.fill(none, -1);
            return new CanonicalSlices.Run(txs, new CanonicalSlices(text, none, none));
        } catch (RuntimeException e) {
            throw damaged(where + ": transactions do not parse", e);
        }
    }

    void putSignature(Txn txn, long rowId, int idx, String signature) {
        txn.wrote();
        long k = rowKey(rowId, idx);
        sigs.put(k, Records.seal(Records.keyBytes(k), Records.utf8(signature)));
    }

    /** Checkpoint signatures of a session by index. */
    List<Map.Entry<Integer, String>> signatures(long rowId) {
        return read("signatureAfter of session row " + rowId, () -> {
            List<Map.Entry<Integer, String>> out = new ArrayList<>();
            for (Map.Entry<Long, byte[]> e : sigs.subMap(rowKey(rowId, 0), true, rowKey(rowId + 1, 0), false).entrySet()) {
                String where = "signatureAfter record (session row " + rowId + ", index " + (e.getKey() & 0xffffffffL) + ")";
                out.add(Map.entry((int) (e.getKey() & 0xffffffffL), openText("signatureAfter", Records.keyBytes(e.getKey()), where, e.getValue())));
            }
            return out;
        });
    }

    /** Removes every transaction run and checkpoint signature of a session row. */
    void clearRows(Txn txn, long rowId) {
        txn.wrote();
        runs.subMap(rowKey(rowId, 0), true, rowKey(rowId + 1, 0), false).clear();
        sigs.subMap(rowKey(rowId, 0), true, rowKey(rowId + 1, 0), false).clear();
    }

    // ---- deletion, epochs, journal ----

    /** Deletion status: null (not deleted), 0 (marked, not erased yet), 1 (erased). */
    Integer deletedStatus(RawCoID id) {
        Integer cached = deletedCache.get(id);
        if (cached != null) return cached < 0 ? null : cached;
        byte[] r = read("deletedCoValues " + id, () -> deleted.get(id.value()));
        Integer status = null;
        if (r != null) {
            byte[] p = open("deletedCoValues", Records.keyBytes(id.value()), id.value(), r);
            if (p.length != 1) throw damaged("deletedCoValues record " + id + ": bad status", null);
            status = (int) p[0];
        }
        if (deletedCache.size() >= SESSION_CACHE_LIMIT) deletedCache.clear();
        deletedCache.put(id, status == null ? -1 : status);
        return status;
    }

    void putDeleted(Txn txn, RawCoID id, int status) {
        txn.wrote();
        deleted.put(id.value(), Records.seal(Records.keyBytes(id.value()), new byte[] {(byte) status}));
        deletedCache.put(id, status);
    }

    List<RawCoID> deletedPendingErase() {
        return read("deletedCoValues", () -> {
            List<RawCoID> out = new ArrayList<>();
            for (Map.Entry<String, byte[]> e : deleted.entrySet()) {
                byte[] p = open("deletedCoValues", Records.keyBytes(e.getKey()), e.getKey(), e.getValue());
                if (p.length == 1 && p[0] == 0) out.add(new RawCoID(e.getKey()));
            }
            return out;
        });
    }

    Map<String, Long> allEpochs() {
        return read("chainEpochs", () -> {
            Map<String, Long> out = new java.util.HashMap<>();
            for (Map.Entry<String, byte[]> e : epochs.entrySet()) {
                try {
                    out.put(e.getKey(), Records.longOf(open("chainEpochs", Records.keyBytes(e.getKey()), e.getKey(), e.getValue())));
                } catch (Damaged d) {
                    throw damaged("chainEpochs record " + e.getKey() + ": " + d.getMessage(), null);
                }
            }
            return out;
        });
    }

    void putEpoch(Txn txn, String sessionKey, long epoch) {
        txn.wrote();
        epochs.put(sessionKey, Records.seal(Records.keyBytes(sessionKey), Records.longPayload(epoch)));
    }

    static String journalKey(RawCoID id, SessionID s, int round) {
        return sessionKey(id, s) + " " + String.format("%010d", round);
    }

    String journalEntry(String key) {
        byte[] r = read("recoveryJournal " + key, () -> journal.get(key));
        return r == null ? null : openText("recoveryJournal", Records.keyBytes(key), key, r);
    }

    void putJournal(Txn txn, String key, String json) {
        txn.wrote();
        journal.put(key, Records.seal(Records.keyBytes(key), Records.utf8(json)));
    }

    /** Every journal entry of every CoValue, in key order. */
    List<String> journalAll() {
        return read("recoveryJournal", () -> {
            List<String> out = new ArrayList<>();
            for (Map.Entry<String, byte[]> e : journal.entrySet()) {
                out.add(openText("recoveryJournal", Records.keyBytes(e.getKey()), e.getKey(), e.getValue()));
            }
            return out;
        });
    }

    List<String> journalOf(RawCoID id) {
        return read("recoveryJournal of " + id, () -> {
            List<String> out = new ArrayList<>();
            for (Map.Entry<String, byte[]> e : journal.subMap(id.value() + " ", true, id.value() + "!", false).entrySet()) {
                out.add(openText("recoveryJournal", Records.keyBytes(e.getKey()), e.getKey(), e.getValue()));
            }
            return out;
        });
    }
}
