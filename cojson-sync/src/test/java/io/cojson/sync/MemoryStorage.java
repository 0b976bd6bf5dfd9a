package io.cojson.sync;

import io.cojson.core.header.CoValueHeader;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.knownstate.KnownState;
import io.cojson.core.node.ContentPiece;
import io.cojson.core.session.Transaction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link SyncStorage} in memory, asynchronous like the MapDB one: every call completes on a
 * storage thread. It keeps each stored piece's end signature, so loads return verifiable pieces.
 */
final class MemoryStorage implements SyncStorage {
    private static final class Session {
        final List<Transaction> txs = new ArrayList<>();
        final TreeMap<Integer, String> signatureAt = new TreeMap<>(); // index of a piece's last tx → its signature
    }

    private static final class Stored {
        CoValueHeader header;
        final Map<SessionID, Session> sessions = new LinkedHashMap<>();
    }

    private final Map<RawCoID, Stored> data;
    private final java.util.concurrent.Executor thread;
    final AtomicInteger stores = new AtomicInteger();

    MemoryStorage() {
        this(new HashMap<>(), Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "memory-storage");
            t.setDaemon(true);
            return t;
        }));
    }

    private MemoryStorage(Map<RawCoID, Stored> data, java.util.concurrent.Executor thread) {
        this.data = data;
        this.thread = thread;
    }

    /**
     * The same stored data, reached through {@code exec} (a deterministic run's process: a call
     * whose task never runs because the process died is a write that never committed).
     */
    MemoryStorage on(java.util.concurrent.Executor exec) {
        return new MemoryStorage(data, exec);
    }

    /** What is committed: every stored value's pieces, as {@link #load} returns them (synchronously). */
    List<ContentPiece> committed(RawCoID id) {
        synchronized (data) {
            return pieces(id);
        }
    }

    @Override
    public CompletableFuture<List<ContentPiece>> load(RawCoID id) {
        return CompletableFuture.supplyAsync(() -> {
            synchronized (data) {
                return pieces(id);
            }
        }, thread);
    }

    private List<ContentPiece> pieces(RawCoID id) { // data's lock held
        Stored s = data.get(id);
        List<ContentPiece> out = new ArrayList<>();
        if (s == null) return out;
        out.add(new ContentPiece(id, s.header, List.of()));
        s.sessions.forEach((sid, session) -> {
            int from = 0;
            for (Map.Entry<Integer, String> e : session.signatureAt.entrySet()) {
                out.add(new ContentPiece(id, null, List.of(new ContentPiece.SessionPiece(sid, from,
                        List.copyOf(session.txs.subList(from, e.getKey() + 1)), e.getValue()))));
                from = e.getKey() + 1;
            }
        });
        return out;
    }

    @Override
    public CompletableFuture<KnownState> store(ContentPiece piece) {
        return CompletableFuture.supplyAsync(() -> {
            synchronized (data) {
                stores.incrementAndGet();
                Stored s = data.computeIfAbsent(piece.id(), k -> new Stored());
                if (s.header == null) s.header = piece.header();
                for (ContentPiece.SessionPiece p : piece.sessions()) {
                    Session session = s.sessions.computeIfAbsent(p.sessionID(), k -> new Session());
                    int have = session.txs.size();
                    if (p.after() > have) continue; // a gap: the caller sees it in the returned state
                    int end = p.after() + p.transactions().size();
                    if (end <= have) continue;
                    session.txs.addAll(p.transactions().subList(have - p.after(), p.transactions().size()));
                    session.signatureAt.put(end - 1, p.lastSignature());
                }
                return state(piece.id(), s);
            }
        }, thread);
    }

    private static KnownState state(RawCoID id, Stored s) {
        Map<SessionID, Integer> m = new LinkedHashMap<>();
        s.sessions.forEach((sid, session) -> {
            if (!session.txs.isEmpty()) m.put(sid, session.txs.size());
        });
        return new KnownState(id, s.header != null, m);
    }

    KnownState knownState(RawCoID id) {
        synchronized (data) {
            Stored s = data.get(id);
            return s == null ? null : state(id, s);
        }
    }
}
