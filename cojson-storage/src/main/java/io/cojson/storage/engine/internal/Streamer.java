package io.cojson.storage.engine.internal;

import io.cojson.core.header.CoValueHeader;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.node.ContentPiece;
import io.cojson.core.node.ContentPiece.SessionPiece;
import io.cojson.core.session.CanonicalSlices;
import io.cojson.core.session.Transaction;
import io.cojson.storage.engine.LoadResult;
import io.cojson.storage.StorageCorruptedException;
import io.cojson.storage.engine.internal.Records.SessionRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Streams a stored CoValue as verifiable pieces (sync-protocol.md §11, load algorithm): each
 * session's signature list is its checkpoint rows plus the last signature; round k carries every
 * session's k-th signed range. Rows are read range by range (never the whole CoValue at once) and
 * a piece is emitted once it holds about {@link #PIECE_BYTES}. The CoValue's stripe read lock is
 * held throughout, so a recovery unit or an erase of it lands before or after, never in between.
 */
public final class Streamer {
    static final int PIECE_BYTES = 100_000;

    private final Engine engine;

    public Streamer(Engine engine) {
        this.engine = engine;
    }

    private record Range(int from, int to, String signature) {} // [from, to] inclusive

    private record Plan(SessionID session, long rowId, List<Range> ranges) {}

    public LoadResult load(RawCoID id, Consumer<ContentPiece> onPiece) {
        var stripe = engine.stripeOf(id).readLock();
        stripe.lock();
        try {
            return stream(id, onPiece);
        } finally {
            stripe.unlock();
        }
    }

    private LoadResult stream(RawCoID id, Consumer<ContentPiece> onPiece) {
        Tables t = engine.tables();
        List<LoadResult.Quarantined> quarantined = new ArrayList<>();
        List<Plan> plans = new ArrayList<>();
        CoValueHeader header = engine.reading(() -> {
            CoValueHeader h = t.header(id);
            if (h == null) return null;
            boolean deleted = t.deletedStatus(id) != null;
            for (Map.Entry<SessionID, SessionRow> e : t.sessionsOf(id)) {
                SessionRow row = e.getValue();
                if ((deleted && !e.getKey().isDeleteSession()) || row.lastIdx() == 0) continue;
                try {
                    plans.add(new Plan(e.getKey(), row.rowId(), ranges(t, e.getKey(), row)));
                } catch (StorageCorruptedException ex) {
                    quarantined.add(new LoadResult.Quarantined(e.getKey(), ex.getMessage()));
                }
            }
            return h;
        });
        if (header == null) return LoadResult.notFound(id);
        int pieces = 0;
        long txCount = 0;
        List<SessionPiece> current = new ArrayList<>();
        int currentBytes = 0;
        boolean first = true;
        int rounds = 0;
        for (Plan p : plans) rounds = Math.max(rounds, p.ranges.size());
        for (int k = 0; k < rounds; k++) {
            for (Plan p : plans) {
                if (k >= p.ranges.size() || isQuarantined(quarantined, p.session)) continue;
                Range r = p.ranges.get(k);
                CanonicalSlices.Run run;
                try {
                    run = engine.reading(() -> read(t, p, r));
                } catch (StorageCorruptedException ex) {
                    quarantined.add(new LoadResult.Quarantined(p.session, ex.getMessage()));
                    continue;
                }
                List<Transaction> txs = run.transactions();
                current.add(new SessionPiece(p.session, r.from, txs, r.signature, run.canonical()));
                txCount += txs.size();
                for (int i = 0; i < txs.size(); i++) currentBytes += run.canonical().checkpointSize(i, txs.get(i));
                if (currentBytes >= PIECE_BYTES) {
                    emit(onPiece, new ContentPiece(id, first ? header : null, current), first);
                    first = false;
                    pieces++;
                    current = new ArrayList<>();
                    currentBytes = 0;
                }
            }
        }
        if (first || !current.isEmpty()) {
            emit(onPiece, new ContentPiece(id, first ? header : null, current), first);
            pieces++;
        }
        return new LoadResult(id, true, pieces, txCount, quarantined);
    }

    private static boolean isQuarantined(List<LoadResult.Quarantined> q, SessionID s) {
        for (LoadResult.Quarantined x : q) if (x.session().equals(s)) return true;
        return false;
    }

    private static void emit(Consumer<ContentPiece> onPiece, ContentPiece piece, boolean first) {
        if (first) FaultPoints.hit(FaultPoints.LOAD_AFTER_READ);
        onPiece.accept(piece);
        FaultPoints.hit(FaultPoints.STREAM_AFTER_CHUNK);
    }

    /** The signed ranges of a session: checkpoint rows, then the last signature if it ends later. */
    private static List<Range> ranges(Tables t, SessionID s, SessionRow row) {
        List<Range> out = new ArrayList<>();
        int from = 0;
        for (Map.Entry<Integer, String> sig : t.signatures(row.rowId())) {
            int idx = sig.getKey();
            if (idx < from || idx >= row.lastIdx()) {
                throw t.damaged("signatureAfter of " + s + " at " + idx + " outside 0.." + (row.lastIdx() - 1), null);
            }
            out.add(new Range(from, idx, sig.getValue()));
            from = idx + 1;
        }
        if (from < row.lastIdx()) out.add(new Range(from, row.lastIdx() - 1, row.lastSignature()));
        return out;
    }

    /**
     * The transactions [from, to] of a session; every index must be present exactly once. With
     * where their canonical JSON is in the stored texts (one text: the runs' texts joined).
     */
    private static CanonicalSlices.Run read(Tables t, Plan p, Range r) {
        int count = r.to - r.from + 1;
        List<Transaction> out = new ArrayList<>(count);
        int[] starts = new int[count];
        int[] ends = new int[count];
        List<Map.Entry<Integer, CanonicalSlices.Run>> runs = t.canonicalRuns(p.rowId, r.from, r.to + 1);
        StringBuilder joined = runs.size() > 1 ? new StringBuilder() : null;
        String text = null;
        for (Map.Entry<Integer, CanonicalSlices.Run> run : runs) {
            int start = run.getKey();
            List<Transaction> txs = run.getValue().transactions();
            CanonicalSlices slices = run.getValue().canonical();
            int offset = 0;
            if (joined != null) {
                offset = joined.length();
                joined.append(slices.text());
            } else {
                text = slices.text();
            }
            for (int j = 0; j < txs.size(); j++) {
                int idx = start + j;
                if (idx < r.from || idx > r.to) continue;
                int i = out.size();
                if (idx != r.from + i) {
                    throw t.damaged("transactions of " + p.session + ": expected index " + (r.from + i) + ", found " + idx, null);
                }
                out.add(txs.get(j));
                int s = slices.starts()[j];
                starts[i] = s < 0 ? -1 : s + offset;
                ends[i] = s < 0 ? -1 : slices.ends()[j] + offset;
            }
        }
        if (out.size() != count) {
            throw t.damaged("transactions of " + p.session + ": " + count + " expected in " + r.from + ".."
                    + r.to + ", " + out.size() + " stored", null);
        }
        return new CanonicalSlices.Run(out, new CanonicalSlices(joined != null ? joined.toString() : text, starts, ends));
    }
}
