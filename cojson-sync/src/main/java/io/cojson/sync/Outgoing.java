package io.cojson.sync;

import io.cojson.core.covalue.CoValueCore;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.knownstate.KnownState;
import io.cojson.core.node.ContentPiece;
import io.cojson.storage.Faults;
import io.cojson.sync.internal.ContentProducer;
import io.cojson.sync.internal.Dependencies;
import io.cojson.sync.transport.FaultPoints;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * What this node sends: content a peer lacks (dependencies first for client peers, §4), known
 * replies, forwarding after changes, the coalescing of local write bursts (§8.3), and writing
 * verified content to storage. Runs on the sync executor except {@link #localChange}.
 */
final class Outgoing {
    private final SyncContext ctx;
    private final Set<RawCoID> dirty = new LinkedHashSet<>(); // guarded by itself; first-change order
    private boolean timerArmed; // guarded by dirty; only the timer's callback clears it
    private long burstStart; // guarded by dirty: first change since the last flush
    private boolean pendingChanges; // guarded by dirty: local changes since the last flush
    private boolean pieceFlushQueued; // guarded by dirty
    /** Per locally written CoValue: its {@link CoValueCore#localCheckpoints()} when last seen. */
    private final Map<RawCoID, Long> checkpointsSeen = new HashMap<>(); // guarded by dirty
    private volatile long lastLocalChange;
    /** A burst of local writes is sent at the latest this long after it started. */
    static final long MAX_BATCH_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** Per CoValue: what storage holds once the stores handed to it commit (null: re-store everything). */
    private final Map<RawCoID, KnownState> storageOptimistic = new HashMap<>();
    /** Per CoValue: what storage confirmed after a commit. */
    private final Map<RawCoID, KnownState> storageConfirmed = new HashMap<>();
    /** Per CoValue: completes when every store handed to storage so far has committed. */
    private final Map<RawCoID, CompletableFuture<Void>> storing = new HashMap<>();
    private final Map<RawCoID, Integer> inFlight = new HashMap<>();
    private final Set<RawCoID> regapped = new HashSet<>();
    /** CoValues whose delete storage has been told of. */
    private final Set<RawCoID> tombstoned = new HashSet<>();

    /** Null when nothing unstored can go out to peers or storage cannot track it (recovery.md §13). */
    private DurabilityWindow window;
    /** With {@link #trackWindowOf}: the storage NodePersistence writes, asked what it committed. */
    private io.cojson.storage.engine.CoValueStorage windowStorage;
    private boolean windowRecheckScheduled;
    /** With persist-before-send through NodePersistence: values with content held back until storage commits it. */
    private final Set<RawCoID> heldForStorage = new HashSet<>();

    Outgoing(SyncContext ctx) {
        this.ctx = ctx;
        this.window = DurabilityWindow.of(ctx.options, ctx.node);
    }

    private record Snapshot(Set<RawCoID> deps, ContentProducer.Pieces pieces) {}

    /**
     * Sends {@code peer} what it lacks of {@code id} according to its optimistic state. Returns
     * whether content went out; with {@code forceKnown} a {@code known} reply is sent otherwise.
     */
    boolean sendNewContent(PeerState peer, RawCoID id, boolean forceKnown) {
        return send(peer, id, forceKnown, new HashSet<>());
    }

    private boolean send(PeerState peer, RawCoID id, boolean forceKnown, Set<RawCoID> seen) {
        if (!seen.add(id) || peer.isClosed() || (ctx.options.stickyErrors() && peer.hasErrored(id))) return false;
        KnownState streaming = ctx.loads.streamingTarget(id);
        Set<SessionID> hold = held(peer, id);
        Snapshot snap = ctx.node.locked(() -> {
            CoValueCore core = ctx.node.get(id);
            if (core == null) return null;
            // Client peers get what this value depends on first; server peers ask for it themselves.
            Set<RawCoID> deps = peer.role() == PeerRole.CLIENT ? Dependencies.of(core) : Set.of();
            return new Snapshot(deps, ContentProducer.newContentSince(core, peer.optimisticKnownState(id), streaming,
                    withHeld(id, sendable(id), hold)));
        });
        if (snap == null) return false;
        for (RawCoID dep : snap.deps()) send(peer, dep, false, seen);
        boolean sent = sendPieces(peer, snap.pieces(), true);
        if (!sent && (forceKnown || !peer.told(id))) peer.send(new SyncMessage.Known(replyState(peer, id, true)));
        peer.markTold(id);
        return sent;
    }

    /**
     * With {@code handUnstored}, own content that storage has not confirmed and was not handed
     * (written before sync started, say) goes to storage after the send, whose answer closes the
     * durability window; the local batch hands its writes itself, after the send (as the reference).
     */
    private boolean sendPieces(PeerState peer, ContentProducer.Pieces pieces, boolean handUnstored) {
        RawCoID unconfirmed = null;
        for (SyncMessage.Content m : pieces.toMessages()) {
            KnownState implied = m.impliedKnownState();
            if (window != null && window.beforeSend(implied, this::confirmedStored)) unconfirmed = implied.id();
            peer.send(m);
            peer.combineOptimistic(implied);
        }
        if (unconfirmed != null && windowStorage != null) {
            scheduleWindowRecheck();
        } else if (handUnstored && unconfirmed != null && !inFlight.containsKey(unconfirmed)) {
            persist(unconfirmed);
        }
        return !pieces.isEmpty();
    }

    /**
     * This node's state of {@code id} for a reply: with what an ongoing stream will bring if
     * {@code withStreaming}; for a deleted value merged with the peer's sessions, so that it stops
     * resending what the tombstone ignores (§8.7); empty when this node does not have it.
     */
    KnownState replyState(PeerState peer, RawCoID id, boolean withStreaming) {
        KnownState streaming = withStreaming ? ctx.loads.streamingTarget(id) : null;
        return ctx.node.locked(() -> {
            CoValueCore core = ctx.node.get(id);
            if (core == null) return KnownState.empty(id);
            KnownState ks = streaming == null ? core.knownState() : core.knownState().combine(streaming);
            KnownState theirs = peer.knownState(id);
            return core.isDeleted() && theirs != null ? ks.combine(theirs) : ks;
        });
    }

    /** Asks a server peer for {@code id} with our state; it answers with content or known. */
    void sendLoad(PeerState peer, RawCoID id) {
        peer.send(new SyncMessage.Load(replyState(peer, id, true)));
        peer.markTold(id);
        peer.loadSent(id);
    }

    /**
     * After content for {@code id} arrived: every subscribed peer gets the delta; an unsubscribed
     * server peer gets a {@code load}, which subscribes it (§5.4 step 10).
     */
    void forward(RawCoID id) {
        for (PeerState p : ctx.openPeers()) {
            if (ctx.options.stickyErrors() && p.hasErrored(id)) continue;
            if (p.isSubscribed(id)) {
                sendNewContent(p, id, false);
            } else if (p.role() == PeerRole.SERVER && !p.awaitsLoad(id)) {
                sendLoad(p, id);
            }
        }
    }

    // ---- local writes ----

    /**
     * Called by the node's listener on the writing thread. The burst is sent once writes paused
     * for {@link SyncOptions#localBatchDelay()}, at the latest {@link #MAX_BATCH_WAIT_NANOS} after
     * its first write, and at once whenever a local write completed a content piece (its
     * signature is an in-between checkpoint, about every 100 kB of a session): a tight write loop
     * streams as one content message per piece (the reference batches one microtask and cuts the
     * same pieces), while a single edit waits only the short delay.
     */
    void localChange(RawCoID id) {
        long now = System.nanoTime();
        lastLocalChange = now;
        CoValueCore core = ctx.node.get(id);
        long checkpoints = core == null ? 0 : core.localCheckpoints();
        boolean flushNow = false;
        boolean arm = false;
        synchronized (dirty) {
            dirty.add(id);
            if (!pendingChanges) {
                pendingChanges = true;
                burstStart = now;
            }
            Long seen = checkpointsSeen.put(id, checkpoints);
            boolean pieceComplete = seen != null && checkpoints > seen;
            if (pieceComplete && !pieceFlushQueued) {
                pieceFlushQueued = true;
                flushNow = true;
            } else if (!timerArmed) {
                timerArmed = true;
                arm = true;
            }
        }
        if (flushNow) {
            ctx.exec.execute(this::flush);
            return;
        }
        if (!arm) return;
        Duration delay = ctx.options.localBatchDelay();
        if (delay.isZero()) {
            ctx.exec.execute(() -> {
                synchronized (dirty) {
                    timerArmed = false;
                }
                flush();
            });
        } else {
            schedule(delay.toNanos());
        }
    }

    private void schedule(long nanos) {
        ctx.scheduler.schedule(() -> {
            long now = System.nanoTime();
            long quietUntil = lastLocalChange + ctx.options.localBatchDelay().toNanos();
            synchronized (dirty) {
                if (dirty.isEmpty()) { // a flush took everything; the next change arms a new timer
                    timerArmed = false;
                    return;
                }
                if (now < quietUntil && now - burstStart < MAX_BATCH_WAIT_NANOS) {
                    schedule(quietUntil - now); // still writing: wait for the pause
                    return;
                }
                timerArmed = false;
            }
            ctx.exec.execute(this::flush);
        }, nanos, TimeUnit.NANOSECONDS);
    }

    /** Whether local changes of {@code id} wait for the next flush. */
    boolean hasPendingLocal(RawCoID id) {
        synchronized (dirty) {
            return dirty.contains(id);
        }
    }

    /** Whether this node has content of {@code id} beyond what {@code peer} is assumed to hold. */
    boolean hasUnsentContent(PeerState peer, RawCoID id) {
        KnownState theirs = peer.optimisticKnownState(id);
        return ctx.node.locked(() -> {
            CoValueCore core = ctx.node.get(id);
            return core != null && !SyncContext.covers(theirs, core.knownState());
        });
    }

    /** Sends every collected local change now, in the order the CoValues first changed. */
    void flush() {
        List<RawCoID> ids;
        synchronized (dirty) {
            if (dirty.isEmpty()) return;
            ids = new ArrayList<>(dirty);
            dirty.clear();
            pendingChanges = false;
            pieceFlushQueued = false;
        }
        for (RawCoID id : ids) {
            for (PeerState p : ctx.openPeers()) {
                // Server peers get every local change; client peers only what they subscribed to (§8.3).
                if (p.role() == PeerRole.SERVER || p.isSubscribed(id)) pushLocal(p, id);
            }
            if (Faults.active()) Faults.hit(FaultPoints.SYNC_LOCAL_BATCH_AFTER_SEND_BEFORE_STORE_COMMIT);
            persist(id);
        }
    }

    /** Local changes as content, without the dependency push and without counting as telling our state. */
    private void pushLocal(PeerState peer, RawCoID id) {
        if (ctx.options.stickyErrors() && peer.hasErrored(id)) return;
        Set<SessionID> hold = held(peer, id);
        ContentProducer.Pieces pieces = ctx.node.locked(() -> {
            CoValueCore core = ctx.node.get(id);
            return core == null ? null
                    : ContentProducer.newContentSince(core, peer.optimisticKnownState(id), null, withHeld(id, sendable(id), hold));
        });
        if (pieces != null) sendPieces(peer, pieces, false);
    }

    /** Sessions of {@code id} not to push to {@code peer} until recovery verified them (T4, recovery.md §4.2). */
    private Set<SessionID> held(PeerState peer, RawCoID id) {
        if (peer.role() != PeerRole.SERVER || ctx.hooks == RecoveryHooks.NONE) return Set.of();
        Set<SessionID> hold = ctx.hooks.holdBeforePush(peer, id);
        // A private transaction may use a read key that only a held session of the owning group
        // reveals: pushed alone, and that tail lost in a crash, it could never be read by anyone
        // (found by the model-based property). The value's same sessions wait with the group's.
        RawCoID group = ctx.node.locked(() -> {
            CoValueCore core = ctx.node.get(id);
            return core != null && core.header().ruleset() instanceof io.cojson.core.header.Ruleset.OwnedByGroup o ? o.group() : null;
        });
        if (group == null) return hold;
        Set<SessionID> groupHold = ctx.hooks.holdBeforePush(peer, group);
        if (groupHold.isEmpty()) return hold;
        Set<SessionID> all = new java.util.HashSet<>(hold);
        all.addAll(groupHold);
        // A delete is judged against the group's admins: sent while the group's session (its admin
        // role, for a group made here) is held, the server refuses it as NotAdmin for good (found by
        // the model's delete action). It waits for the group too.
        ctx.node.locked(() -> {
            CoValueCore core = ctx.node.get(id);
            if (core != null) for (SessionID s : core.sessions().keySet()) if (s.isDeleteSession()) all.add(s);
            return null;
        });
        return all;
    }

    /** {@code cap} without the {@code held} sessions (node lock held). */
    private KnownState withHeld(RawCoID id, KnownState cap, Set<SessionID> held) {
        if (held.isEmpty()) return cap;
        if (cap == null) {
            CoValueCore core = ctx.node.get(id);
            if (core == null) return null;
            cap = core.knownState();
        }
        for (SessionID s : held) cap = cap.withSession(s, 0);
        return cap;
    }

    /**
     * With {@link SyncOptions#persistBeforeSend}: what storage has committed of {@code id}, the
     * most that may go out (recovery.md §13); null (no limit) otherwise.
     */
    private KnownState sendable(RawCoID id) {
        KnownState cap = null;
        if (ctx.options.persistBeforeSend() && ctx.options.storage() != null) {
            KnownState committed = storageConfirmed.get(id);
            cap = committed != null ? committed : KnownState.empty(id);
        } else if (ctx.options.persistBeforeSend() && windowStorage != null) {
            // Writes reach storage through NodePersistence: its committed state is the cap, and
            // what it holds back goes out once a re-check sees the commit.
            cap = windowStorage.knownState(id);
            CoValueCore core = ctx.node.get(id);
            if (core != null && !SyncContext.covers(cap, core.knownState())) {
                heldForStorage.add(id);
                scheduleWindowRecheck();
            }
        }
        return quarantineCap(id, cap);
    }

    /**
     * {@code cap} lowered so that no session under recovery goes anywhere, peers or storage, until
     * the swap (recovery.md §5.2; its tail reaches storage through S! in the recovery unit). Call
     * with the node's lock held.
     */
    private KnownState quarantineCap(RawCoID id, KnownState cap) {
        java.util.Set<SessionID> held = ctx.quarantined.get(id);
        if (held == null || held.isEmpty()) return cap;
        if (cap == null) {
            CoValueCore core = ctx.node.get(id);
            if (core == null) return null;
            cap = core.knownState();
        }
        for (SessionID s : held) cap = cap.withSession(s, 0);
        return cap;
    }

    private KnownState confirmedStored(RawCoID id) {
        return windowStorage != null ? windowStorage.knownState(id) : storageConfirmed.get(id);
    }

    /**
     * The durability window (recovery.md §13) for a node whose writes reach {@code storage} through
     * NodePersistence rather than this manager: what storage committed is read from it, and the
     * open window is re-checked every 100 ms until storage caught up. Sync executor.
     */
    void trackWindowOf(io.cojson.storage.engine.CoValueStorage storage) {
        if (window != null || (ctx.options.persistBeforeSend() && ctx.options.storage() != null)) return;
        window = DurabilityWindow.external(storage, ctx.node);
        windowStorage = storage;
    }

    private void scheduleWindowRecheck() {
        if (windowRecheckScheduled) return;
        windowRecheckScheduled = true;
        ctx.scheduler.schedule(() -> ctx.exec.execute(this::recheckWindow), 100, TimeUnit.MILLISECONDS);
    }

    private void recheckWindow() {
        windowRecheckScheduled = false;
        List<RawCoID> committed = new ArrayList<>();
        try {
            for (RawCoID id : window.openValues()) window.stored(windowStorage.knownState(id));
            for (RawCoID id : heldForStorage) {
                KnownState have = windowStorage.knownState(id);
                CoValueCore core = ctx.node.locked(() -> ctx.node.get(id));
                if (core == null || SyncContext.covers(have, ctx.node.locked(core::knownState))) committed.add(id);
            }
        } catch (RuntimeException e) { // storage closed: the marker stays for the next start to judge
            return;
        }
        for (RawCoID id : committed) {
            heldForStorage.remove(id);
            releaseCommitted(id); // re-holds whatever is still not stored
        }
        if (!window.openValues().isEmpty() || !heldForStorage.isEmpty()) scheduleWindowRecheck();
    }

    /** After a commit with {@link SyncOptions#persistBeforeSend}: what was held back may go out now. */
    private void releaseCommitted(RawCoID id) {
        for (PeerState p : ctx.openPeers()) {
            if (ctx.options.stickyErrors() && p.hasErrored(id)) continue;
            if (p.role() == PeerRole.SERVER) {
                pushLocal(p, id);
            } else if (p.isSubscribed(id)) {
                sendNewContent(p, id, false);
            }
        }
    }

    // ---- storage ----

    /** Storage already holds {@code ks} of {@code id} (it was just loaded from there). */
    void storageHas(KnownState ks) {
        storageOptimistic.merge(ks.id(), ks, KnownState::combine);
        KnownState confirmed = storageConfirmed.merge(ks.id(), ks, KnownState::combine);
        if (window != null) window.stored(confirmed);
    }

    /** A recovery unit replaced a session in storage: storage holds exactly {@code ks} now (set, not merged: O7). */
    void storageReplaced(KnownState ks) {
        storageOptimistic.put(ks.id(), ks);
        storageConfirmed.put(ks.id(), ks);
        if (window != null) window.replaced(ks);
    }

    /**
     * Hands storage what it lacks of {@code id}; the result completes once everything handed to
     * storage for it so far has committed (at once without storage).
     */
    CompletableFuture<Void> persist(RawCoID id) {
        SyncStorage storage = ctx.options.storage();
        if (storage == null) return CompletableFuture.completedFuture(null);
        KnownState stored = storageOptimistic.get(id);
        boolean[] deleted = new boolean[1];
        ContentProducer.Pieces pieces = ctx.node.locked(() -> {
            CoValueCore core = ctx.node.get(id);
            if (core == null) return null;
            deleted[0] = core.isDeleted();
            return ContentProducer.newContentSince(core, stored, null, quarantineCap(id, null));
        });
        CompletableFuture<Void> all = storing.getOrDefault(id, CompletableFuture.completedFuture(null));
        if (pieces == null || pieces.isEmpty()) return all;
        for (ContentPiece piece : pieces.pieces()) {
            storageOptimistic.merge(id, ContentProducer.impliedKnownState(piece), KnownState::combine);
            inFlight.merge(id, 1, Integer::sum);
            CompletableFuture<Void> one = new CompletableFuture<>();
            storage.store(piece).whenCompleteAsync((ks, err) -> stored(id, ks, err, one), ctx.exec);
            all = all.thenCombine(one, (a, b) -> null);
        }
        // Storage is ordered: the mark lands after the delete session it follows from (§8.7).
        if (deleted[0] && tombstoned.add(id)) all = all.thenCombine(storage.deleted(id), (a, b) -> null);
        CompletableFuture<Void> mine = all;
        storing.put(id, mine);
        mine.whenCompleteAsync((v, e) -> storing.remove(id, mine), ctx.exec);
        return mine;
    }

    private void stored(RawCoID id, KnownState ks, Throwable err, CompletableFuture<Void> done) {
        boolean last = inFlight.merge(id, -1, Integer::sum) == 0;
        if (last) inFlight.remove(id);
        if (err != null) {
            io.cojson.storage.FatalErrors.report(err); // storage ran out of memory: not a retryable failure
            storageOptimistic.remove(id); // unknown what committed: the next change re-stores from scratch
            ctx.error(null, id, SyncError.Kind.STORAGE_FAILURE, "store failed: " + err);
            done.completeExceptionally(err);
            return;
        }
        KnownState confirmed = storageConfirmed.merge(id, ks, KnownState::combine);
        if (window != null) window.stored(confirmed);
        if (ctx.options.persistBeforeSend()) releaseCommitted(id);
        KnownState handed = storageOptimistic.get(id);
        if (last && handed != null && !SyncContext.covers(ks, handed)) {
            // Storage reported a gap (it lacks a prefix we assumed): resend from what it has, once.
            storageOptimistic.put(id, ks);
            if (regapped.add(id)) {
                persist(id).whenComplete((v, e) -> regapped.remove(id));
            } else {
                ctx.error(null, id, SyncError.Kind.STORAGE_FAILURE, "storage keeps reporting a gap at " + ks.sessions());
            }
        }
        done.complete(null);
    }

    /** What is both in memory and durably stored: the state a server may acknowledge (RL-21). */
    KnownState durableState(KnownState inMemory) {
        if (ctx.options.storage() == null) return inMemory;
        KnownState stored = storageConfirmed.get(inMemory.id());
        if (stored == null) return KnownState.empty(inMemory.id());
        Map<SessionID, Integer> m = new LinkedHashMap<>();
        inMemory.sessions().forEach((s, n) -> {
            int both = Math.min(n, stored.count(s));
            if (both > 0) m.put(s, both);
        });
        return new KnownState(inMemory.id(), inMemory.header() && stored.header(), m);
    }
}
