package io.cojson.storage.engine.internal;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.knownstate.KnownState;
import io.cojson.core.node.ContentPiece;
import io.cojson.core.node.ContentPiece.SessionPiece;
import io.cojson.core.session.Transaction;
import io.cojson.storage.engine.ReplaceResult;
import io.cojson.storage.ReplacementConflictException;
import io.cojson.storage.engine.StoreResult;
import io.cojson.storage.engine.SessionReplacement;
import io.cojson.storage.engine.internal.Records.SessionRow;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The write algorithms, each applied inside one open storage transaction: the reference's store
 * (sync-protocol.md §11), the recovery unit (recovery.md §5.4), marking and erasing deletions.
 */
final class Units {
    /** The reference's {@code MAX_RECOMMENDED_TX_SIZE}: a checkpoint signature once this much accumulated. */
    static final int CHECKPOINT_BYTES = 102_400;

    private final Engine engine;
    private final Tables t;

    Units(Engine engine, Tables tables) {
        this.engine = engine;
        this.t = tables;
    }

    Object apply(Op op, Txn txn) {
        if (op instanceof Op.Store s) return store(s, txn);
        if (op instanceof Op.Replace r) return replace(r.replacement(), r.newEpoch(), txn);
        if (op instanceof Op.MarkDeleted m) return markDeleted(m.id(), txn);
        return erase(((Op.Erase) op).id(), txn);
    }

    private KnownState current(Txn txn, RawCoID id) {
        KnownState k = txn.knownAfter.get(id);
        return k != null ? k : engine.knownState(id);
    }

    private StoreResult store(Op.Store op, Txn txn) {
        Set<SessionID> fenced = new HashSet<>();
        Set<SessionID> skipped = new HashSet<>();
        boolean[] gap = new boolean[1];
        boolean changed = storePiece(op.piece(), op.epochs(), txn, fenced, skipped, gap);
        RawCoID id = op.id();
        if (gap[0] && op.correction() != null) {
            gap[0] = false;
            for (ContentPiece p : op.correction().contentSince(current(txn, id))) {
                if (!p.id().equals(id)) throw new IllegalArgumentException("correction for " + id + " returned content of " + p.id());
                changed |= storePiece(p, Map.of(), txn, fenced, skipped, gap);
            }
        }
        StoreResult.Status status = gap[0] ? StoreResult.Status.NEEDS_CORRECTION
                : changed ? StoreResult.Status.STORED : StoreResult.Status.UNCHANGED;
        return new StoreResult(id, status, current(txn, id), fenced, skipped);
    }

    private boolean storePiece(ContentPiece piece, Map<SessionID, Long> epochs, Txn txn, Set<SessionID> fenced,
            Set<SessionID> skipped, boolean[] gap) {
        RawCoID id = piece.id();
        KnownState known = current(txn, id);
        boolean changed = false;
        if (!known.header()) {
            if (piece.header() == null) {
                gap[0] = true;
                return false;
            }
            t.putHeader(txn, id, piece.header());
            known = known.withHeader(true);
            changed = true;
        }
        boolean deleted = t.deletedStatus(id) != null;
        for (SessionPiece sp : piece.sessions()) {
            SessionID s = sp.sessionID();
            if (deleted && !s.isDeleteSession()) {
                skipped.add(s);
                continue;
            }
            Long epoch = epochs.containsKey(s) ? epochs.get(s) : engine.chainEpoch(id, s);
            if (epoch < engine.storedEpoch(txn, id, s)) {
                fenced.add(s);
                continue;
            }
            SessionRow row = t.session(id, s);
            int lastIdx = row == null ? 0 : row.lastIdx();
            if (lastIdx < sp.after()) {
                gap[0] = true;
                continue;
            }
            int skip = lastIdx - sp.after();
            if (skip >= sp.transactions().size()) continue;
            List<Transaction> fresh = sp.transactions().subList(skip, sp.transactions().size());
            appendRun(txn, id, s, row, fresh, sp.lastSignature());
            known = known.withSession(s, lastIdx + fresh.size());
            changed = true;
        }
        txn.knownAfter.put(id, known);
        return changed;
    }

    /** Appends {@code fresh} after {@code row}'s transactions with the reference's checkpoint rule. */
    private void appendRun(Txn txn, RawCoID id, SessionID s, SessionRow row, List<Transaction> fresh, String lastSignature) {
        int lastIdx = row == null ? 0 : row.lastIdx();
        long rowId = row != null ? row.rowId() : engine.nextRowId(txn);
        t.putRun(txn, rowId, lastIdx, fresh);
        int size = 0;
        for (Transaction tx : fresh) size += tx.jsLength(); // the reference's storage counts JS lengths (§9.5)
        int newLast = lastIdx + fresh.size();
        int bytes = row == null ? 0 : row.bytesSinceLastSignature();
        if (bytes + size > CHECKPOINT_BYTES) {
            t.putSignature(txn, rowId, newLast - 1, lastSignature);
            bytes = 0;
        } else {
            bytes += size;
        }
        t.putSession(txn, id, s, new SessionRow(rowId, newLast, lastSignature, bytes));
    }

    private ReplaceResult replace(SessionReplacement r, long newEpoch, Txn txn) {
        RawCoID id = r.id();
        SessionID s = r.session();
        if (!t.hasCoValue(id)) throw new ReplacementConflictException(engine.dir(), id, s, "the CoValue is not stored");
        boolean deleted = t.deletedStatus(id) != null;
        int written = 0;
        int already = 0;
        if (!deleted && r.conflict() != null) {
            SessionPiece c = r.conflict();
            SessionRow crow = t.session(id, c.sessionID());
            int n = crow == null ? 0 : crow.lastIdx();
            if (c.after() > n) {
                throw new ReplacementConflictException(engine.dir(), id, s, "conflict session holds " + n
                        + " transactions, the unit's start at " + c.after());
            }
            already = Math.min(n - c.after(), c.transactions().size());
            if (already > 0) checkSame(id, s, crow, c, already);
            if (already < c.transactions().size()) {
                appendRun(txn, id, c.sessionID(), crow, c.transactions().subList(already, c.transactions().size()), c.lastSignature());
                written = c.transactions().size() - already;
            }
        }
        FaultPoints.hit(FaultPoints.REPLACE_MID);
        SessionRow old = t.session(id, s);
        if (old != null) t.clearRows(txn, old.rowId());
        if (!deleted && !r.serverVersion().isEmpty()) {
            long rowId = old != null ? old.rowId() : engine.nextRowId(txn);
            List<SessionPiece> pieces = r.serverVersion();
            int lastBytes = 0;
            for (int i = 0; i < pieces.size(); i++) {
                SessionPiece p = pieces.get(i);
                t.putRun(txn, rowId, p.after(), p.transactions());
                if (i < pieces.size() - 1) {
                    t.putSignature(txn, rowId, p.after() + p.transactions().size() - 1, p.lastSignature());
                } else {
                    for (Transaction tx : p.transactions()) lastBytes += tx.jsLength();
                }
            }
            t.putSession(txn, id, s, new SessionRow(rowId, r.serverLength(), pieces.get(pieces.size() - 1).lastSignature(), lastBytes));
        } else if (old != null) {
            t.removeSession(txn, id, s);
        }
        if (deleted) eraseRows(txn, id, false);
        String epochKey = Tables.sessionKey(id, s);
        long epoch = Math.max(newEpoch, engine.storedEpoch(txn, id, s));
        t.putEpoch(txn, epochKey, epoch);
        txn.epochsAfter.put(epochKey, epoch);
        t.putJournal(txn, Tables.journalKey(id, s, r.journal().round()), r.journal().withStatus(io.cojson.storage.engine.RecoveryJournalEntry.COMMITTED).toJson());
        KnownState after = engine.knownFromRows(id);
        txn.knownAfter.put(id, after);
        return new ReplaceResult(id, s, after, epoch, written, already, deleted);
    }

    /** The conflict session's stored transactions at [after, after+count) must equal the unit's (idempotent re-run). */
    private void checkSame(RawCoID id, SessionID s, SessionRow crow, SessionPiece c, int count) {
        int from = c.after();
        for (Map.Entry<Integer, List<Transaction>> run : t.runs(crow.rowId(), from, from + count)) {
            for (int j = 0; j < run.getValue().size(); j++) {
                int idx = run.getKey() + j;
                if (idx < from || idx >= from + count) continue;
                String stored = run.getValue().get(j).canonicalJson();
                if (!stored.equals(c.transactions().get(idx - from).canonicalJson())) {
                    throw new ReplacementConflictException(engine.dir(), id, s, "conflict session already holds a different transaction at " + idx);
                }
            }
        }
    }

    private Void markDeleted(RawCoID id, Txn txn) {
        if (t.deletedStatus(id) == null) {
            t.putDeleted(txn, id, 0);
            txn.knownAfter.put(id, engine.knownFromRows(id));
        }
        return null;
    }

    private Boolean erase(RawCoID id, Txn txn) {
        Integer status = t.deletedStatus(id);
        if (status == null || status == 1) return false;
        eraseRows(txn, id, true);
        t.putDeleted(txn, id, 1);
        txn.knownAfter.put(id, engine.knownFromRows(id));
        return true;
    }

    /** Removes every non-delete session of {@code id} (rows, runs, signatures). */
    private void eraseRows(Txn txn, RawCoID id, boolean faultPoint) {
        boolean first = true;
        for (Map.Entry<SessionID, SessionRow> e : t.sessionsOf(id)) {
            if (e.getKey().isDeleteSession()) continue;
            t.clearRows(txn, e.getValue().rowId());
            t.removeSession(txn, id, e.getKey());
            if (first && faultPoint) FaultPoints.hit(FaultPoints.ERASE_MID);
            first = false;
        }
        if (first && faultPoint) FaultPoints.hit(FaultPoints.ERASE_MID);
    }
}
