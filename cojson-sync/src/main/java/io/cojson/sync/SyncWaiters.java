package io.cojson.sync;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.knownstate.KnownState;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.ListIterator;
import java.util.concurrent.CompletableFuture;

/**
 * {@link SyncManager#waitForSync}: completes once a peer confirmed (load, known or content) that it
 * holds everything this node had of a CoValue when the wait started (§8.5). Waits on a persistent
 * peer survive its reconnection under the same id. Sync executor only.
 */
final class SyncWaiters {
    private record Waiter(RawCoID id, String peerId, KnownState target, CompletableFuture<Void> future) {}

    private final SyncContext ctx;
    private final List<Waiter> waiters = new ArrayList<>();

    SyncWaiters(SyncContext ctx) {
        this.ctx = ctx;
    }

    void add(RawCoID id, PeerState peer, CompletableFuture<Void> future) {
        KnownState target = ctx.knownState(id);
        if (target == null || (!held(id) && SyncContext.covers(peer.knownState(id), target))) {
            future.complete(null); // nothing here that the peer could lack
            return;
        }
        waiters.add(new Waiter(id, peer.id(), target, future));
    }

    /** A wait on a persistent peer that is reconnecting: checked when it is added again. */
    void addForAbsent(RawCoID id, String peerId, CompletableFuture<Void> future) {
        KnownState target = ctx.knownState(id);
        if (target == null) {
            future.complete(null);
            return;
        }
        waiters.add(new Waiter(id, peerId, target, future));
    }

    /** Re-checks the waits on {@code peer} for {@code id} (after it told us something about it). */
    void check(PeerState peer, RawCoID id) {
        for (Iterator<Waiter> it = waiters.iterator(); it.hasNext();) {
            Waiter w = it.next();
            if (w.future().isDone()) {
                it.remove();
            } else if (w.id().equals(id) && w.peerId().equals(peer.id()) && !held(id) && SyncContext.covers(peer.knownState(id), w.target())) {
                it.remove();
                w.future().complete(null);
            }
        }
    }

    /**
     * A recovery replaced {@code session} of {@code id} with the server's {@code length}
     * transactions (recovery.md §5.5): a wait that targeted the discarded longer version would
     * wait forever, so it now waits for what the node holds after the swap (its edits are in the
     * conflict session), then is checked against each peer at once.
     */
    void sessionReplaced(RawCoID id, io.cojson.core.ids.SessionID session, int length) {
        KnownState now = ctx.knownState(id);
        if (now == null) return;
        for (ListIterator<Waiter> it = waiters.listIterator(); it.hasNext();) {
            Waiter w = it.next();
            if (w.id().equals(id) && w.target().count(session) > length) it.set(new Waiter(id, w.peerId(), now, w.future()));
        }
        for (PeerState p : ctx.openPeers()) check(p, id);
    }

    /**
     * A session of {@code id} is under recovery or held back until checked (recovery.md §4.2,
     * §5.2): the peer's equal count may be of a different, forked version, so it confirms nothing.
     */
    boolean held(RawCoID id) {
        java.util.Set<io.cojson.core.ids.SessionID> q = ctx.quarantined.get(id);
        return (q != null && !q.isEmpty()) || ctx.hooks.holding(id);
    }

    /** Re-checks every wait on {@code id} (a hold on it ended). */
    void recheck(RawCoID id) {
        for (PeerState p : ctx.openPeers()) check(p, id);
    }

    void onPeerClosed(PeerState peer) {
        if (peer.isPersistent()) return; // it may come back under the same id and then confirm
        for (Iterator<Waiter> it = waiters.iterator(); it.hasNext();) {
            Waiter w = it.next();
            if (w.peerId().equals(peer.id()) && ctx.peer(peer.id()) == null) {
                it.remove();
                w.future().completeExceptionally(new IllegalStateException(peer + " closed before confirming " + w.id()));
            }
        }
    }

    void onPeerAdded(PeerState peer) {
        for (Waiter w : List.copyOf(waiters)) if (w.peerId().equals(peer.id())) check(peer, w.id());
    }

    void closeAll() {
        for (Waiter w : waiters) w.future().completeExceptionally(new IllegalStateException("sync manager closed"));
        waiters.clear();
    }
}
