package io.cojson.sync;

import io.cojson.core.covalue.CoValueCore;
import io.cojson.core.header.CoValueHeader;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.knownstate.KnownState;
import io.cojson.core.node.ContentPiece;
import io.cojson.core.session.AddResult;
import io.cojson.core.session.VerificationFailure;
import io.cojson.storage.Faults;
import io.cojson.sync.internal.Dependencies;
import io.cojson.sync.internal.KeyDependencies;
import io.cojson.sync.transport.FaultPoints;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Received content (sync-protocol §5.4): wait for storage and for missing dependencies, verify
 * and apply each session on its own, acknowledge (or ask for a correction when a piece starts
 * beyond what this node has), store, and forward to the other peers. Invalid input is reported
 * as a {@link SyncError} and never stored. Sync executor only.
 */
final class ContentHandler {
    private final SyncContext ctx;
    /** CoValue → the dependencies its held-back content waits for. */
    private final Map<RawCoID, Set<RawCoID>> waiting = new HashMap<>();

    ContentHandler(SyncContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Content as parsed from a message or read from storage; malformed sessions already split off.
     * {@code done} gives the message's share of the incoming budget back (once processed or dropped).
     */
    private record Incoming(RawCoID id, CoValueHeader header, List<ContentPiece.SessionPiece> sessions,
            List<VerificationFailure> malformed, Map<SessionID, Integer> expectContentUntil, Runnable done) {}

    /** A content message from {@code from}; the returned stage (or null) holds the CoValue's gate. */
    CompletionStage<?> handle(PeerState from, SyncMessage.Content msg) {
        // Streams are only honoured from servers: clients cannot promise content (§5.4 step 1).
        Incoming in = parse(from.role() == PeerRole.CLIENT ? msg.withoutExpectContentUntil() : msg, ctx.takeHandled());
        if (!ctx.available(in.id()) && ctx.options.storage() != null) {
            CompletionStage<?> stage = ctx.loads.fromStorage(in.id()).thenCompose(x -> orDone(withDependencies(from, in)));
            stage.whenComplete((x, e) -> {
                if (e != null) in.done().run(); // not processed: nothing holds it any more
            });
            return stage;
        }
        return withDependencies(from, in);
    }

    /** A piece read from storage (inside the storage load of its CoValue). */
    CompletionStage<?> handleFromStorage(ContentPiece piece) {
        return withDependencies(null, new Incoming(piece.id(), piece.header(), piece.sessions(), List.of(), null, () -> {}));
    }

    private static Incoming parse(SyncMessage.Content msg, Runnable done) {
        List<ContentPiece.SessionPiece> ok = new ArrayList<>();
        List<VerificationFailure> bad = new ArrayList<>();
        for (SyncMessage.SessionEntry e : msg.sessions().values()) {
            try {
                ok.add(e.toSessionPiece());
            } catch (IllegalArgumentException ex) { // invalid session ID or malformed transaction
                bad.add(new VerificationFailure(e.sessionIDOrNull(), -1, null, null, e.lastSignature(),
                        VerificationFailure.Kind.MALFORMED_TRANSACTION, ex.getMessage()));
            }
        }
        return new Incoming(msg.id(), msg.header(), ok, bad, msg.expectContentUntil(), done);
    }

    private CompletionStage<?> withDependencies(PeerState from, Incoming in) {
        if (from != null && from.role() == PeerRole.CLIENT) return fromClient(from, in);
        Set<RawCoID> missing = missing(in);
        if (missing.isEmpty()) {
            process(from, in);
            return null;
        }
        // Held back until every dependency is available or known to be unavailable (§5.4 step 2).
        waiting.computeIfAbsent(in.id(), k -> new HashSet<>()).addAll(missing);
        CompletionStage<?> stage = ctx.loads.requestAll(missing, from).thenRun(() -> {
            waiting.remove(in.id());
            process(from, in);
        });
        stage.whenComplete((x, e) -> {
            if (e != null) in.done().run();
        });
        return stage;
    }

    /** What {@code in} waits for before it can be verified (empty: process it now). */
    private Set<RawCoID> missing(Incoming in) {
        CoValueCore existing = ctx.node.get(in.id());
        if (existing == null && in.header() == null) return new HashSet<>(); // nothing to verify against: answered by process
        CoValueHeader header = existing != null ? existing.header() : in.header();
        Set<RawCoID> missing = Dependencies.of(in.id(), header, in.sessions());
        missing.removeIf(d -> ctx.available(d) || waitsOn(d, in.id(), new HashSet<>())); // circular: do not wait
        return missing;
    }

    /**
     * A client's content that must wait for dependencies (issue 11 B.2) waits without holding its
     * CoValue's gate: a client that never answers the load of a made-up author must not hold the
     * value for the other peers until the load timeout. Its later content for the same value
     * waits behind it, so that one client's pieces still apply in order; at most
     * {@link #MAX_WAITING_PER_CLIENT} contents wait per client, more are dropped with an error.
     */
    private CompletionStage<?> fromClient(PeerState from, Incoming in) {
        HeldKey key = new HeldKey(from, in.id());
        CompletableFuture<Void> before = held.get(key);
        if (before == null && missing(in).isEmpty()) {
            process(from, in);
            return null;
        }
        int n = heldPerClient.getOrDefault(from, 0);
        if (n >= MAX_WAITING_PER_CLIENT) {
            ctx.error(from, in.id(), SyncError.Kind.DEPENDENCY_UNAVAILABLE,
                    "dropped: " + n + " contents of this client already wait for dependencies");
            in.done().run();
            return null;
        }
        heldPerClient.put(from, n + 1);
        CompletableFuture<Void> tail = new CompletableFuture<>();
        held.put(key, tail);
        CompletableFuture<Void> prior = before == null ? CompletableFuture.completedFuture(null) : before;
        // Its dependencies are asked for now, not once the contents before it are done: each waits one
        // load timeout at most, instead of one more for every content queued ahead of it.
        Set<RawCoID> missing = missing(in);
        CompletableFuture<Void> loaded = CompletableFuture.completedFuture(null);
        if (!missing.isEmpty()) {
            waiting.computeIfAbsent(in.id(), k -> new HashSet<>()).addAll(missing);
            // After the load timeout an author nobody supplied rejects its sessions (SIGNER_UNKNOWN).
            loaded = ctx.loads.requestAll(missing, from).toCompletableFuture().handle((x, e) -> null);
        }
        CompletableFuture.allOf(prior, loaded).whenComplete((x, e) -> {
            if (held.get(key) == tail) waiting.remove(in.id());
            heldPerClient.merge(from, -1, (a, b) -> a + b == 0 ? null : a + b);
            if (held.get(key) == tail) held.remove(key);
            try {
                if (!from.isClosed()) process(from, in);
            } finally {
                in.done().run(); // processed or given up: the text is no longer held
                tail.complete(null);
            }
        });
        return null;
    }

    /** Per client: contents waiting for dependencies, by the value they are about (in arrival order). */
    private record HeldKey(PeerState peer, RawCoID id) {}

    /** Most contents of one client that may wait for dependencies at a time. */
    static final int MAX_WAITING_PER_CLIENT = 32;
    private final Map<HeldKey, CompletableFuture<Void>> held = new HashMap<>();
    private final Map<PeerState, Integer> heldPerClient = new HashMap<>();

    /** Whether content of {@code id} is (transitively) held back waiting for {@code target}. */
    private boolean waitsOn(RawCoID id, RawCoID target, Set<RawCoID> seen) {
        Set<RawCoID> deps = waiting.get(id);
        if (deps == null || !seen.add(id)) return false;
        for (RawCoID d : deps) {
            if (d.equals(target) || waitsOn(d, target, seen)) return true;
        }
        return false;
    }

    private void process(PeerState from, Incoming in) {
        try {
            processNow(from, in);
        } finally {
            in.done().run();
        }
    }

    private void processNow(PeerState from, Incoming in) {
        RawCoID id = in.id();
        if (from != null) ctx.fetches.answered(from, id, null);
        for (VerificationFailure f : in.malformed()) ctx.rejected(from, id, f);
        CoValueCore core = ctx.node.get(id);
        if (core == null) {
            if (in.header() == null) {
                if (from == null) {
                    ctx.error(null, id, SyncError.Kind.INVALID_MESSAGE, "stored content without header for an unknown CoValue");
                } else {
                    from.send(SyncMessage.Known.correction(KnownState.empty(id))); // "send it again, with the header"
                }
                return;
            }
            try {
                in.header().validate(id, ctx.node.crypto());
            } catch (IllegalArgumentException e) {
                ctx.error(from, id, SyncError.Kind.INVALID_HEADER, e.getMessage()); // the reference drops it without reply
                return;
            }
        }
        if (in.expectContentUntil() != null) {
            KnownState target = new KnownState(id, true, in.expectContentUntil());
            ctx.loads.expectContent(target);
            if (from != null) from.combine(target.withHeader(false));
        }

        Imported result = importSessions(from, in, core);
        if (result == null) return;
        if (from != null) {
            from.combine(result.valid());
            reply(from, id, result.gap());
        }
        ctx.loads.onContent(from, id);
        ctx.out.forward(id);
    }

    private record Imported(KnownState valid, boolean gap) {}

    private Imported importSessions(PeerState from, Incoming in, CoValueCore core) {
        RawCoID id = in.id();
        KnownState before = ctx.knownState(id);
        boolean deleted = core != null && ctx.node.locked(core::isDeleted);
        List<ContentPiece.SessionPiece> fresh = new ArrayList<>();
        Set<RawCoID> askedGroups = new HashSet<>();
        Map<SessionID, Integer> valid = new LinkedHashMap<>();
        boolean gap = false;
        for (ContentPiece.SessionPiece s : in.sessions()) {
            if (from != null && ctx.fetches.intercept(from, id, s)) continue; // the server's version, for recovery (§4.2)
            if (deleted && !s.sessionID().isDeleteSession()) continue; // a tombstone ignores other sessions (§8.7)
            int ours = before == null ? 0 : before.count(s.sessionID());
            if (ours < s.after() && from != null && ctx.mismatches.ignoresContinuation(from, id, s.sessionID())) {
                continue; // the rest of a fork reported to this connection: no correction, so no loop (recovery.md §4.1)
            } else if (ours < s.after()) {
                gap = true; // it assumes transactions we lack: ask for a correction, apply nothing of it
            } else if (s.after() + s.transactions().size() <= ours) {
                valid.put(s.sessionID(), s.after() + s.transactions().size()); // a repeat: nothing new (RL-15)
            } else if (waitsForKey(from, id, core == null ? in.header() : core.header(), s, askedGroups)) {
                gap = true; // not acknowledged: sent again after the group content it was asked for
            } else {
                fresh.add(s);
            }
        }
        List<AddResult> results;
        try {
            results = ctx.importing(() -> ctx.node.importContent(new ContentPiece(id, core == null ? in.header() : null, fresh)));
        } catch (RuntimeException e) { // the node refused the piece as a whole (e.g. header): nothing applied
            ctx.error(from, id, SyncError.Kind.INVALID_MESSAGE, "import failed: " + e.getMessage());
            return null;
        }
        for (int i = 0; i < fresh.size(); i++) {
            ContentPiece.SessionPiece s = fresh.get(i);
            AddResult r = results.get(i);
            if (r instanceof AddResult.Rejected rej) {
                if (rej.failure().kind() == VerificationFailure.Kind.NOT_CONTIGUOUS) {
                    gap = true;
                } else if (rej.failure().kind() == VerificationFailure.Kind.SIGNATURE_MISMATCH && from != null
                        && from.role() == PeerRole.SERVER
                        && ctx.hooks.ownSessionRejected(from, id, s.sessionID(), s.after() + s.transactions().size())) {
                    // T2 (recovery.md §4.2): recovery fetches the server's version instead of erroring the value
                    ctx.mismatches.detectedFromServer();
                } else {
                    ctx.rejected(from, id, rej.failure());
                    // Only this kind is a fork; malformed input, unknown signers, rejected deletes
                    // etc. keep their own kind and are never reported as one (recovery.md §4.1 step 1).
                    if (rej.failure().kind() == VerificationFailure.Kind.SIGNATURE_MISMATCH) {
                        ctx.mismatches.detected(from, id, s.sessionID());
                    }
                    // The author's account may arrive later (RL-02): a correction makes the peer send
                    // the session again, and its dependencies are then requested from it first. So may
                    // the group content that makes a delete's author an admin (a group held as a bare
                    // header, its transactions behind the delete in the sender's queue or held back by
                    // another device's at-risk session): refused as NotAdmin for good, the deletion
                    // never converged (DeterministicRecoveryModelProperties, seed 77).
                    VerificationFailure.Kind kind = rej.failure().kind();
                    if ((kind == VerificationFailure.Kind.SIGNER_UNKNOWN || kind == VerificationFailure.Kind.DELETE_REJECTED)
                            && from != null && from.mayRetryTransient(id)) {
                        gap = true;
                    }
                }
            } else {
                valid.put(s.sessionID(), s.after() + s.transactions().size());
                if (from != null) ctx.mismatches.continued(from, id, s.sessionID());
            }
        }
        if (ctx.node.locked(() -> ctx.node.require(id).isDeleted())) {
            if (core != null && !deleted) ctx.deletionLearned(id); // before this import's acknowledgement counts
            // A deleted value answers "stop syncing": the sender may believe all it sent was taken (§8.7).
            for (ContentPiece.SessionPiece s : in.sessions()) valid.merge(s.sessionID(), s.after() + s.transactions().size(), Math::max);
        }
        return new Imported(new KnownState(id, in.header() != null, valid), gap);
    }

    /**
     * Whether a client's session piece must wait because a private transaction's key is not named
     * by the owning group yet ({@link KeyDependencies}): the group's content is asked for with a
     * {@code load} (sent before the correction, so the client answers it first), at most
     * {@link PeerState#MAX_TRANSIENT_RETRIES} times per value and connection; after that the piece
     * is applied, as the reference applies it.
     */
    private boolean waitsForKey(PeerState from, RawCoID id, CoValueHeader header, ContentPiece.SessionPiece s,
            Set<RawCoID> askedGroups) {
        if (from == null || from.role() != PeerRole.CLIENT || header == null) return false;
        RawCoID group = ctx.node.locked(() -> KeyDependencies.groupLackingKey(header, s, ctx.node));
        if (group == null || !from.mayRetryTransient(id)) return false;
        if (askedGroups.add(group)) ctx.out.sendLoad(from, group);
        return true;
    }

    /** A correction at once; an acknowledgement only for what is durably stored (RL-21). */
    private void reply(PeerState from, RawCoID id, boolean gap) {
        from.markTold(id);
        KnownState ours = ctx.out.replyState(from, id, false);
        if (gap) {
            from.send(SyncMessage.Known.correction(ours));
            ctx.out.persist(id);
        } else if (ctx.options.storage() == null) {
            from.send(new SyncMessage.Known(ours));
        } else {
            ctx.out.persist(id).whenCompleteAsync((v, err) -> {
                if (err != null) return;
                if (Faults.active() && from.role() == PeerRole.CLIENT) Faults.hit(FaultPoints.SERVER_BEFORE_ACK);
                from.send(new SyncMessage.Known(ctx.out.durableState(ours)));
            }, ctx.exec);
        }
    }

    static CompletionStage<?> orDone(CompletionStage<?> stage) {
        return stage == null ? CompletableFuture.completedFuture(null) : stage;
    }
}
