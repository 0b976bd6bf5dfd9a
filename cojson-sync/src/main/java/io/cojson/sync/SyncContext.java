package io.cojson.sync;

import io.cojson.core.covalue.CoValueCore;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.knownstate.KnownState;
import io.cojson.core.node.LocalNode;
import io.cojson.core.session.VerificationFailure;
import io.cojson.sync.internal.support.LogText;
import io.cojson.sync.internal.Gates;
import io.cojson.sync.internal.support.SerialExecutor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * State shared by the parts of one {@link SyncManager}. Everything mutable here is touched only
 * on {@link #exec}, except the peer list snapshot and the error listeners.
 */
final class SyncContext {
    private static final Logger LOG = LoggerFactory.getLogger(SyncManager.class);
    /** The completion of the message being dispatched (sync executor only); null outside a dispatch. */
    private Runnable currentHandled;
    private boolean handledTaken;

    /** Sets the completion of the message about to be dispatched; {@link #endDispatch} ends it. */
    void beginDispatch(Runnable handled) {
        currentHandled = handled;
        handledTaken = false;
    }

    /** Whether a handler took the message's completion over ({@link #takeHandled}). */
    boolean endDispatch() {
        boolean taken = handledTaken;
        currentHandled = null;
        handledTaken = false;
        return taken;
    }

    /**
     * Takes over the completion of the message being dispatched: content that waits (for its
     * dependencies) keeps counting against the transport's incoming budget until it is processed or
     * dropped. Runs at most once; never null (outside a dispatch: nothing to give back).
     */
    Runnable takeHandled() {
        Runnable r = currentHandled;
        handledTaken = true;
        if (r == null) return () -> {};
        java.util.concurrent.atomic.AtomicBoolean once = new java.util.concurrent.atomic.AtomicBoolean();
        return () -> {
            if (once.compareAndSet(false, true)) r.run();
        };
    }

    /** Longest message kept in a {@link SyncError} (it may quote what a peer sent). */
    static final int MAX_ERROR_MESSAGE_CHARS = 1_000;
    /** Set while this manager imports received content, so its change listener can tell local writes apart. */
    private static final ThreadLocal<Boolean> IMPORTING = ThreadLocal.withInitial(() -> false);

    final LocalNode node;
    final SyncOptions options;
    final SerialExecutor exec;
    final ScheduledExecutorService scheduler;
    final Gates gates;
    private final Map<String, PeerState> peers = new LinkedHashMap<>();
    private volatile List<PeerState> peerSnapshot = List.of();
    final List<Consumer<SyncError>> errorListeners = new CopyOnWriteArrayList<>();
    /** Told when received content deletes a CoValue this node held undeleted (recovery.md §5.3 discarded edits). */
    final List<java.util.function.BiConsumer<RawCoID, KnownState>> deletionListeners = new CopyOnWriteArrayList<>();
    /** Told what a server peer confirmed holding of a CoValue (non-correction {@code known}). */
    final List<java.util.function.BiConsumer<RawCoID, KnownState>> ackListeners = new CopyOnWriteArrayList<>();
    /** Sessions under recovery, per CoValue: nothing of them is sent (recovery.md §5.2). */
    final Map<RawCoID, java.util.Set<SessionID>> quarantined = new java.util.concurrent.ConcurrentHashMap<>();

    Outgoing out;
    Loads loads;
    ContentHandler content;
    SyncWaiters waiters;
    Reconciliation reconciliation;
    MismatchReports mismatches;
    VerificationFetches fetches;
    /** Crash recovery's triggers T2–T4 (recovery.md §4.2); {@link RecoveryHooks#NONE} without recovery. */
    volatile RecoveryHooks hooks = RecoveryHooks.NONE;

    SyncContext(LocalNode node, SyncOptions options, SerialExecutor exec, ScheduledExecutorService scheduler) {
        this.node = node;
        this.options = options;
        this.exec = exec;
        this.scheduler = scheduler;
        this.gates = new Gates(exec);
    }

    // ---- peers ----

    /** Ids of persistent peers ever added: a wait on one survives the gaps between its connections. */
    private final java.util.Set<String> persistentIds = java.util.concurrent.ConcurrentHashMap.newKeySet();

    boolean wasPersistentPeer(String id) {
        return persistentIds.contains(id);
    }

    PeerState putPeer(PeerState p) {
        if (p.isPersistent()) persistentIds.add(p.id());
        PeerState old = peers.put(p.id(), p);
        peerSnapshot = List.copyOf(peers.values());
        return old;
    }

    void removePeer(PeerState p) {
        if (peers.get(p.id()) == p) {
            peers.remove(p.id());
            peerSnapshot = List.copyOf(peers.values());
        }
    }

    /** All registered peers (any thread). */
    List<PeerState> peers() {
        return peerSnapshot;
    }

    List<PeerState> openPeers() {
        List<PeerState> out = new ArrayList<>();
        for (PeerState p : peerSnapshot) if (!p.isClosed()) out.add(p);
        return out;
    }

    PeerState peer(String id) {
        for (PeerState p : peerSnapshot) if (p.id().equals(id)) return p;
        return null;
    }

    // ---- the node ----

    boolean available(RawCoID id) {
        return node.get(id) != null;
    }

    /** This node's known state of {@code id}, or null when it does not have it. */
    KnownState knownState(RawCoID id) {
        return node.locked(() -> {
            CoValueCore c = node.get(id);
            return c == null ? null : c.knownState();
        });
    }

    /**
     * Received content just deleted {@code id}: tells the listeners what server peers had confirmed
     * of it before (acknowledgements that arrive after the deletion do not count, recovery.md §5.3).
     */
    void deletionLearned(RawCoID id) {
        if (deletionListeners.isEmpty()) return;
        KnownState acked = KnownState.empty(id);
        for (PeerState p : peerSnapshot) {
            KnownState ks = p.role() == PeerRole.SERVER ? p.knownState(id) : null;
            if (ks != null) acked = acked.combine(ks);
        }
        for (var l : deletionListeners) {
            try {
                l.accept(id, acked);
            } catch (RuntimeException e) {
                LOG.warn("deletion listener failed for {}: {}", id, e.toString());
            }
        }
    }

    <T> T importing(Supplier<T> action) {
        IMPORTING.set(true);
        try {
            return action.get();
        } finally {
            IMPORTING.set(false);
        }
    }

    static boolean isImporting() {
        return IMPORTING.get();
    }

    /** Whether {@code have} covers {@code target}: header and every session counter. */
    static boolean covers(KnownState have, KnownState target) {
        if (have == null || (target.header() && !have.header())) return false;
        for (Map.Entry<SessionID, Integer> e : target.sessions().entrySet()) {
            if (have.count(e.getKey()) < e.getValue()) return false;
        }
        return true;
    }

    // ---- errors ----

    void error(PeerState from, RawCoID id, SyncError.Kind kind, String message) {
        report(from, new SyncError(from == null ? SyncError.STORAGE : from.id(), id, null, kind, null, message));
    }

    void rejected(PeerState from, RawCoID id, VerificationFailure f) {
        report(from, new SyncError(from == null ? SyncError.STORAGE : from.id(), id, f.sessionID(),
                SyncError.Kind.REJECTED_SESSION, f, f.kind() + ": " + f.message()));
    }

    private void report(PeerState from, SyncError raw) {
        // The message quotes what the peer sent: kept bounded in memory (100 per peer), escaped in the log.
        SyncError e = new SyncError(raw.peerId(), raw.id(), raw.session(), raw.kind(), raw.failure(),
                LogText.clip(raw.message(), MAX_ERROR_MESSAGE_CHARS));
        LOG.warn("{} from {}: {}{}{}", e.kind(), e.peerId(), e.id() == null ? "" : LogText.safe(e.id()) + " ",
                e.session() == null ? "" : "session " + LogText.safe(e.session()) + " ", LogText.safe(e.message(), 500));
        if (from != null) from.recordError(e, options.stickyErrors());
        for (Consumer<SyncError> l : errorListeners) {
            try {
                l.accept(e);
            } catch (RuntimeException ex) {
                LOG.error("sync error listener failed", ex);
            }
        }
    }
}
