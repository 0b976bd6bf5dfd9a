package io.cojson.sync;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.knownstate.KnownState;
import io.cojson.storage.Faults;
import io.cojson.sync.internal.MessageCodec;
import io.cojson.sync.transport.FaultPoints;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/** A sync manager's incoming messages (sync executor): parsed, gated per CoValue and dispatched (sync-protocol.md §5). */
final class Incoming {
    private final SyncContext ctx;

    Incoming(SyncContext ctx) {
        this.ctx = ctx;
    }


    /**
     * Handles one message; true when its {@code handled} completion was handed on (it then runs once
     * the message was dispatched, or once content that waits for its dependencies is processed).
     */
    boolean received(PeerState peer, String json, JsonValue parsed, Runnable handled) {
        if (peer.isClosed()) return false; // replaced by a reconnection or closed: its late messages are dropped
        SyncMessage m;
        try {
            m = parsed != null ? MessageCodec.fromJson(parsed) : SyncMessage.parse(json);
        } catch (InvalidSyncMessageException e) {
            ctx.error(peer, null, SyncError.Kind.INVALID_MESSAGE, e.kind() + ": " + e.getMessage());
            return false;
        }
        peer.countReceived(m.action());
        if (m instanceof SyncMessage.Reconcile r) {
            ctx.reconciliation.handle(peer, r);
            return false;
        }
        if (m instanceof SyncMessage.ReconcileAck) return false; // this node never sends reconcile batches
        RawCoID id = m.coValueId();
        if (ctx.options.stickyErrors() && peer.hasErrored(id)) return false;
        if (Faults.active()) Faults.hit(FaultPoints.SYNC_INCOMING_BEFORE_HANDLE);
        ctx.gates.submit(id, () -> {
            // a message queued behind its CoValue's gate still holds its text: given back only now
            ctx.beginDispatch(handled);
            CompletionStage<?> stage;
            try {
                stage = dispatch(peer, m);
            } catch (RuntimeException | Error e) {
                ctx.endDispatch();
                handled.run();
                throw e;
            }
            if (!ctx.endDispatch()) {
                if (stage == null) handled.run();
                else stage.whenComplete((r, e) -> handled.run());
            }
            return stage;
        });
        return true;
    }

    private CompletionStage<?> dispatch(PeerState peer, SyncMessage m) {
        RawCoID id = m.coValueId();
        CompletionStage<?> stage = null;
        if (m instanceof SyncMessage.Load l) {
            stage = handleLoad(peer, l.knownState());
        } else if (m instanceof SyncMessage.Known k) {
            handleKnown(peer, k);
        } else if (m instanceof SyncMessage.Content c) {
            stage = ctx.content.handle(peer, c);
        } else if (m instanceof SyncMessage.SignatureMismatch e) {
            ctx.mismatches.received(peer, e);
            return null;
        } // done: accepted and ignored (§5.5)
        if (!(m instanceof SyncMessage.Done)) {
            Runnable after = () -> {
                ctx.reconciliation.answered(peer, id);
                ctx.waiters.check(peer, id);
            };
            if (stage == null) {
                after.run();
            } else {
                stage = stage.thenRun(after);
            }
        }
        return stage;
    }

    /** §5.1: the peer's state is exactly what it claims; send what it lacks or say what we have. */
    private CompletionStage<?> handleLoad(PeerState peer, KnownState claimed) {
        RawCoID id = claimed.id();
        peer.setKnownState(claimed);
        if (ctx.available(id)) {
            ctx.out.sendNewContent(peer, id, true);
            return null;
        }
        return ctx.loads.fromStorage(id).thenAccept(storageAnswered -> {
            if (ctx.available(id)) {
                ctx.out.sendNewContent(peer, id, true);
                return;
            }
            // Ask upstream without holding the gate: the answer may take until the load timeout.
            // Storage that just answered is not read again; a failed read is retried (RL-13 c).
            ctx.loads.request(id, peer, false, storageAnswered).thenRun(() -> {
                if (ctx.available(id)) {
                    ctx.out.sendNewContent(peer, id, false);
                } else {
                    peer.send(new SyncMessage.Known(KnownState.empty(id)));
                    peer.markTold(id);
                }
            });
        });
    }

    /** §5.2 / §5.3. */
    private void handleKnown(PeerState peer, SyncMessage.Known k) {
        KnownState ks = k.knownState();
        RawCoID id = ks.id();
        if (k.isCorrection()) {
            peer.setKnownState(ks); // drop our assumptions and resend from exactly there
        } else {
            shortfall(peer, ks);
            peer.combine(ks);
            ctx.loads.onKnown(peer, ks);
            ctx.fetches.answered(peer, id, ks);
            if (peer.role() == PeerRole.SERVER && !ctx.ackListeners.isEmpty()) {
                for (var l : ctx.ackListeners) l.accept(id, ks);
            }
        }
        // Local changes that wait for their batch (§8.3) go with it: a reply to each batch must
        // not send the writes made since one by one (a tight write loop would go out as many small
        // messages, one per round trip). A correction is answered at once, and so is a reply
        // that would carry no content (it may owe the peer a known).
        if (!k.isCorrection() && ctx.out.hasPendingLocal(id) && ctx.out.hasUnsentContent(peer, id)) return;
        if (ctx.available(id)) ctx.out.sendNewContent(peer, id, false);
    }

    /** T3 (recovery.md §4.2): a server acknowledging fewer transactions of a session than were pushed to it. */
    private void shortfall(PeerState peer, KnownState ks) {
        if (peer.role() != PeerRole.SERVER || ctx.hooks == RecoveryHooks.NONE) return;
        KnownState pushed = peer.optimisticKnownState(ks.id());
        if (pushed == null) return;
        for (Map.Entry<SessionID, Integer> e : pushed.sessions().entrySet()) {
            int acked = ks.count(e.getKey());
            if (acked < e.getValue()) ctx.hooks.acknowledgementShortfall(peer, ks.id(), e.getKey(), e.getValue(), acked);
        }
    }
}
