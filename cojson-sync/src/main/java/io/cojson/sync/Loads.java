package io.cojson.sync;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.knownstate.KnownState;
import io.cojson.core.node.ContentPiece;
import io.cojson.sync.internal.ContentProducer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Bringing CoValues this node lacks into memory (§8.2): storage first, then the server peers
 * (plus, for the dependencies of a client's content, that client). A request completes with
 * {@code true} once the CoValue is available and no longer streaming, or {@code false} once every
 * asked peer answered without it, closed (non-persistent peers), or the timeout passed.
 * Also tracks the {@code expectContentUntil} targets of ongoing streams. Sync executor only.
 */
final class Loads {
    private final SyncContext ctx;
    private final Map<RawCoID, Request> pending = new HashMap<>();
    private final Map<RawCoID, KnownState> streaming = new HashMap<>();
    private final Map<RawCoID, CompletableFuture<Boolean>> storageLoads = new HashMap<>();

    private final class Request {
        final RawCoID id;
        final CompletableFuture<Boolean> result = new CompletableFuture<>();
        /** Peers asked, by identity: a reconnected persistent peer is a new PeerState and is asked again. */
        final Map<PeerState, Boolean> asked = new java.util.IdentityHashMap<>();
        boolean peersAsked;
        /** Requesters that must be asked too, joined while storage was still reading. */
        final List<PeerState> askAfterStorage = new ArrayList<>();
        ScheduledFuture<?> timeout;

        Request(RawCoID id) {
            this.id = id;
        }
    }

    Loads(SyncContext ctx) {
        this.ctx = ctx;
    }

    // ---- streaming (expectContentUntil) ----

    void expectContent(KnownState target) {
        streaming.merge(target.id(), target, KnownState::combine);
    }

    /** The counters a stream still has to deliver, or null when {@code id} is not streaming. */
    KnownState streamingTarget(RawCoID id) {
        KnownState target = streaming.get(id);
        if (target == null) return null;
        if (SyncContext.covers(ctx.knownState(id), target)) {
            streaming.remove(id);
            return null;
        }
        return target;
    }

    // ---- storage ----

    /**
     * Loads {@code id} from storage unless it is in memory; the stored pieces go through normal
     * content handling (dependencies included). Concurrent callers share one read. Completes with
     * false when storage was asked and the read failed (a later request reads again), else true.
     */
    CompletableFuture<Boolean> fromStorage(RawCoID id) {
        SyncStorage storage = ctx.options.storage();
        if (storage == null || ctx.available(id)) return CompletableFuture.completedFuture(true);
        CompletableFuture<Boolean> inFlight = storageLoads.get(id);
        if (inFlight != null) return inFlight;
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        storageLoads.put(id, done);
        storage.load(id).whenCompleteAsync((pieces, err) -> {
            if (err != null || pieces == null) {
                ctx.error(null, id, SyncError.Kind.STORAGE_FAILURE, "load failed: " + err);
                finishStorageLoad(id, done, false);
                return;
            }
            // Re-check: a peer may have provided the value while storage was reading (RL-19).
            CompletionStage<?> chain = CompletableFuture.completedFuture(null);
            for (ContentPiece piece : pieces) {
                ctx.out.storageHas(ContentProducer.impliedKnownState(piece));
                chain = chain.thenCompose(x -> orDone(ctx.content.handleFromStorage(piece)));
            }
            chain.whenComplete((x, e) -> finishStorageLoad(id, done, true));
        }, ctx.exec);
        return done;
    }

    private void finishStorageLoad(RawCoID id, CompletableFuture<Boolean> done, boolean answered) {
        storageLoads.remove(id);
        done.complete(answered);
    }

    private static CompletionStage<?> orDone(CompletionStage<?> stage) {
        return stage == null ? CompletableFuture.completedFuture(null) : stage;
    }

    // ---- requests ----

    /**
     * Makes {@code id} available if anyone has it: storage, then the server peers. {@code requester}
     * is the peer whose message needs it (null for the application): with {@code askRequester}
     * (dependencies of its content, which it must have) it is asked too, whatever its role;
     * otherwise (it asked us with a load) it is left out.
     */
    CompletableFuture<Boolean> request(RawCoID id, PeerState requester, boolean askRequester) {
        return request(id, requester, askRequester, false);
    }

    /** {@link #request}; {@code storageRead}: the caller has just read storage, which answered without it. */
    CompletableFuture<Boolean> request(RawCoID id, PeerState requester, boolean askRequester, boolean storageRead) {
        if (ctx.available(id) && streamingTarget(id) == null) return CompletableFuture.completedFuture(true);
        Request r = pending.get(id);
        if (r == null) {
            Request created = new Request(id);
            pending.put(id, created);
            r = created;
            if (storageRead) {
                afterStorage(created, requester, askRequester);
            } else {
                fromStorage(id).thenRun(() -> afterStorage(created, requester, askRequester));
            }
        } else if (askRequester && requester != null && !requester.isClosed()) {
            // A second caller whose peer must have it (a dependency of its content): the first caller
            // may not ask that peer (a load from it), so the request must not end before it answered.
            if (r.peersAsked) {
                ask(r, requester);
            } else {
                r.askAfterStorage.add(requester);
            }
        }
        return r.result;
    }

    /** Completes when each of {@code ids} is available or known to be unavailable. */
    CompletableFuture<Void> requestAll(Collection<RawCoID> ids, PeerState requester) {
        List<CompletableFuture<Boolean>> all = new ArrayList<>();
        for (RawCoID id : ids) all.add(request(id, requester, true));
        return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0]));
    }

    private void afterStorage(Request r, PeerState requester, boolean askRequester) {
        if (pending.get(r.id) != r) return;
        if (ctx.available(r.id) && streamingTarget(r.id) == null) {
            finish(r, true);
            return;
        }
        r.peersAsked = true;
        if (ctx.available(r.id)) { // still streaming: the rest is on its way, just bound the wait
            armTimeout(r);
            return;
        }
        for (PeerState p : ctx.openPeers()) {
            if (p.role() == PeerRole.SERVER && (p != requester || askRequester)) ask(r, p);
        }
        if (askRequester && requester != null && !requester.isClosed()) ask(r, requester);
        for (PeerState p : r.askAfterStorage) if (!p.isClosed()) ask(r, p);
        armTimeout(r);
        checkExhausted(r);
    }

    private void ask(Request r, PeerState p) {
        if (r.asked.containsKey(p)) return;
        r.asked.put(p, false);
        ctx.out.sendLoad(p, r.id);
    }

    private void armTimeout(Request r) {
        if (r.timeout != null) r.timeout.cancel(false);
        long ms = ctx.options.loadTimeout().toMillis();
        r.timeout = ctx.scheduler.schedule(() -> ctx.exec.execute(() -> {
            if (pending.get(r.id) == r) finish(r, ctx.available(r.id));
        }), ms, TimeUnit.MILLISECONDS);
    }

    private void checkExhausted(Request r) {
        if (!r.peersAsked || pending.get(r.id) != r) return;
        for (Map.Entry<PeerState, Boolean> e : r.asked.entrySet()) {
            if (!e.getValue() && !(e.getKey().isClosed() && !e.getKey().isPersistent())) return;
        }
        finish(r, ctx.available(r.id));
    }

    private void finish(Request r, boolean available) {
        pending.remove(r.id);
        if (r.timeout != null) r.timeout.cancel(false);
        r.result.complete(available);
    }

    // ---- events ----

    /** {@code peer} answered with a known state; if it did not bring the value, it does not have it. */
    void onKnown(PeerState peer, KnownState ks) {
        peer.answeredLoad(ks.id());
        Request r = pending.get(ks.id());
        if (r == null || !r.asked.containsKey(peer)) return;
        if (!ctx.available(ks.id()) || !ks.header()) r.asked.put(peer, true);
        if (ctx.available(ks.id()) && streamingTarget(ks.id()) == null) {
            finish(r, true);
        } else {
            checkExhausted(r);
        }
    }

    /** Content for {@code id} was handled: refresh the timeout, complete once nothing more is expected. */
    void onContent(PeerState from, RawCoID id) {
        if (from != null) from.answeredLoad(id);
        Request r = pending.get(id);
        if (r == null) return;
        if (ctx.available(id) && streamingTarget(id) == null) {
            finish(r, true);
        } else if (r.peersAsked) {
            armTimeout(r);
        }
    }

    void onPeerAdded(PeerState p) {
        if (p.role() != PeerRole.SERVER) return;
        for (Request r : List.copyOf(pending.values())) if (r.peersAsked) ask(r, p);
    }

    void onPeerClosed(PeerState p) {
        for (Request r : List.copyOf(pending.values())) if (r.asked.containsKey(p)) checkExhausted(r);
    }

    void closeAll() {
        for (Request r : List.copyOf(pending.values())) finish(r, ctx.available(r.id));
    }
}
