package io.cojson.sync;

import io.cojson.core.covalue.CoValueCore;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.internal.Compat;
import io.cojson.core.knownstate.KnownState;
import io.cojson.core.node.GroupMigrations;
import io.cojson.core.node.LocalNode;
import io.cojson.core.json.JsonValue;
import io.cojson.core.node.Subscription;
import io.cojson.storage.Faults;
import io.cojson.sync.internal.Dependencies;
import io.cojson.sync.internal.support.SerialExecutor;
import io.cojson.sync.transport.MessageChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Syncs one {@link LocalNode} with its peers using the cojson 0.20.19 protocol
 * (sync-protocol.md): handles {@code load}, {@code known}, {@code content} and {@code done} from
 * each peer, sends local changes, answers loads, and loads missing CoValues on demand. Transports
 * plug in as {@link MessageChannel}s; storage as a {@link SyncStorage}.
 *
 * <p>All protocol work runs on one serial executor, so decisions about a peer or a CoValue never
 * race; the public methods may be called from any thread and their futures complete off that
 * executor. That executor takes the node's lock to read and import: never block on a sync future
 * inside {@link LocalNode#locked}.
 */
public final class SyncManager implements AutoCloseable {
    private static final Runnable NOTHING = () -> {};

    private static final Logger LOG = LoggerFactory.getLogger(SyncManager.class);
    /** Process-wide, for managers without a scheduler of their own; its thread ends when idle. */
    private static final ScheduledExecutorService SHARED_TIMER = SerialExecutor.idleEndingScheduler(1, "cojson-sync-timer");

    private final SyncContext ctx;
    private final Incoming incoming;
    private final ExecutorService ownThread;
    private final Subscription nodeListener;
    private volatile boolean closed;

    private SyncManager(LocalNode node, SyncOptions options) {
        ownThread = options.executor() == null ? Executors.newSingleThreadExecutor(SerialExecutor.daemonThreads("cojson-sync")) : null;
        SerialExecutor exec = new SerialExecutor(ownThread != null ? ownThread : options.executor());
        ctx = new SyncContext(node, options, exec, options.scheduler() != null ? options.scheduler() : SHARED_TIMER);
        incoming = new Incoming(ctx);
        ctx.out = new Outgoing(ctx);
        ctx.loads = new Loads(ctx);
        ctx.content = new ContentHandler(ctx);
        ctx.waiters = new SyncWaiters(ctx);
        ctx.reconciliation = new Reconciliation(ctx);
        ctx.mismatches = new MismatchReports(ctx, System::nanoTime);
        ctx.fetches = new VerificationFetches(ctx);
        nodeListener = node.subscribeAll(id -> {
            if (!SyncContext.isImporting() && !closed) ctx.out.localChange(id); // received content is forwarded by its handler
        });
    }

    public static SyncManager create(LocalNode node) {
        return create(node, SyncOptions.defaults());
    }

    public static SyncManager create(LocalNode node, SyncOptions options) {
        return new SyncManager(Objects.requireNonNull(node), Objects.requireNonNull(options));
    }

    public LocalNode node() {
        return ctx.node;
    }

    /** {@link #addPeer(String, PeerRole, MessageChannel, boolean)}; server peers are persistent. */
    public PeerState addPeer(String id, PeerRole role, MessageChannel channel) {
        return addPeer(id, role, channel, role == PeerRole.SERVER);
    }

    /**
     * Starts syncing with a peer over {@code channel}. A peer with the same id is replaced (a
     * reconnection). Towards a server this node announces everything it holds with {@code load}
     * messages, dependencies first (§8.1), and re-sends loads still waiting for an answer.
     */
    public PeerState addPeer(String id, PeerRole role, MessageChannel channel, boolean persistent) {
        PeerState p = new PeerState(id, role, persistent, channel);
        if (closed) {
            p.markClosed();
            channel.close();
            return p;
        }
        ctx.exec.execute(() -> {
            if (closed) {
                p.markClosed();
                channel.close();
                return;
            }
            PeerState old = ctx.putPeer(p);
            if (old != null) {
                old.markClosed();
                old.channel().close();
                peerClosed(old);
            }
            if (role == PeerRole.SERVER) announceEverything(p);
            ctx.loads.onPeerAdded(p);
            ctx.waiters.onPeerAdded(p);
        });
        // Set here, not in the task above: setting it delivers what the transport held so far on this
        // thread, and a delivery may wait for the incoming limit, which only the sync thread frees
        // (RL-17: on the sync thread itself that wait never ended). Each delivery only queues a task,
        // behind the task above.
        // A server protects itself from its clients. Not with a caller's executor: a test may step
        // it on the very thread that delivers, which must then never wait for it.
        boolean serving = role == PeerRole.CLIENT && ownThread != null;
        int limit = serving ? ctx.options.incomingQueueLimit() : 0;
        channel.setListener(new MessageChannel.Listener() {
            @Override
            public void onMessage(String json) {
                onMessage(json, null);
            }

            @Override
            public void onMessage(String json, JsonValue parsed) {
                onMessage(json, parsed, NOTHING);
            }

            @Override
            public void onMessage(String json, JsonValue parsed, Runnable handled) {
                p.enterIncoming(ctx.exec.inExecutor() ? 0 : limit); // waiting on the sync thread would wait for itself
                Runnable task = () -> {
                    boolean owned = false;
                    try {
                        owned = incoming.received(p, json, parsed, handled);
                    } finally {
                        p.leaveIncoming();
                        if (!owned) handled.run(); // the text is no longer needed: the transport's budget gets it back
                    }
                };
                // A server's transport thread handles a client's message itself when the sync thread is
                // idle: two thread hand-offs less per message, and it reads that client no further
                // meanwhile (W7: 8% less server CPU). A client keeps the hand-off: its reader decodes the
                // next frame while the sync thread imports (without it, one W5 A/B was faster and one
                // equal: kept as it was). A caller's executor keeps every task: a test may step it.
                if (serving) ctx.exec.executeHere(task);
                else ctx.exec.execute(task);
            }

            @Override
            public void onClosed(String reason) {
                ctx.exec.execute(() -> {
                    p.markClosed();
                    ctx.removePeer(p);
                    peerClosed(p);
                });
            }
        });
        return p;
    }

    /**
     * Whether a session of {@code id} is under recovery or held back until checked: a server's equal
     * count then proves nothing (a fork of the same length), so {@code waitForSync} waits.
     */
    boolean holdsSyncOf(RawCoID id) {
        return ctx.waiters.held(id);
    }

    public Optional<PeerState> peer(String id) {
        return Optional.ofNullable(ctx.peer(id));
    }

    public List<PeerState> peers() {
        return ctx.peers();
    }

    /**
     * The CoValue, loading it from storage or the server peers if needed: completes with it once
     * it is available (a stream fully received), or empty once every peer answered without it, or
     * after {@link SyncOptions#loadTimeout()}.
     */
    public CompletableFuture<Optional<CoValueCore>> load(RawCoID id) {
        if (closed) return Compat.failedFuture(closedException());
        CompletableFuture<Boolean> r = new CompletableFuture<>();
        ctx.exec.execute(() -> ctx.loads.request(id, null, false).whenComplete((v, e) -> r.complete(v != null && v)));
        return r.thenApplyAsync(found -> {
            if (found) migrateGroups(id);
            return Optional.ofNullable(found ? ctx.node.get(id) : null);
        }, ForkJoinPool.commonPool());
    }

    /**
     * The reference migrates a group when its content is first built on a node, once the group is
     * completely downloaded (covalues.md §6.6): a loaded group, or the group owning a loaded value.
     * A failing migration never fails the load.
     */
    private void migrateGroups(RawCoID id) {
        try {
            RawCoID group = ctx.node.locked(() -> {
                CoValueCore core = ctx.node.get(id);
                if (core == null) return null;
                if (core.header().ruleset() instanceof io.cojson.core.header.Ruleset.OwnedByGroup o) return o.group();
                return core.isGroupOrAccount() ? id : null;
            });
            if (group != null && ctx.node.get(group) != null) GroupMigrations.run(ctx.node, group);
        } catch (RuntimeException e) {
            LOG.warn("group migration after loading {} failed", id, e);
        }
    }

    /**
     * The import path for exported content (a bundle, reliability.md RL-04/RL-05): each CoValue is
     * first brought in from storage when it is stored but not in memory, so that the import merges
     * with what is stored instead of shadowing it; then each piece is verified and added, stored and
     * sent to the peers like a local change, so live subscribers see it at once. Importing the same
     * bundle again changes nothing. Give a bundle's pieces dependencies first (accounts, groups);
     * completes with the results per piece, in order. Prefer this to {@link LocalNode#importContent}
     * on a node with storage: that one does not consult storage.
     */
    public CompletableFuture<List<List<io.cojson.core.session.AddResult>>> importContent(
            List<io.cojson.core.node.ContentPiece> pieces) {
        if (closed) return Compat.failedFuture(closedException());
        List<io.cojson.core.node.ContentPiece> copy = List.copyOf(pieces);
        List<List<io.cojson.core.session.AddResult>> results = new ArrayList<>();
        CompletableFuture<List<List<io.cojson.core.session.AddResult>>> r = new CompletableFuture<>();
        ctx.exec.execute(() -> {
            CompletableFuture<?> chain = CompletableFuture.completedFuture(null);
            for (io.cojson.core.node.ContentPiece piece : copy) {
                chain = chain.thenCompose(x -> ctx.loads.fromStorage(piece.id())) // runs on the sync executor
                        .thenRunAsync(() -> {
                            RawCoID id = piece.id();
                            boolean live = ctx.node.locked(() -> ctx.node.get(id) != null && !ctx.node.get(id).isDeleted());
                            results.add(ctx.node.importContent(piece));
                            // a deletion learned from a bundle reports discarded edits as one that arrived by sync (§5.3)
                            if (live && ctx.node.locked(() -> ctx.node.require(id).isDeleted())) ctx.deletionLearned(id);
                        }, ctx.exec);
            }
            chain.whenComplete((x, e) -> {
                if (e != null) r.completeExceptionally(e);
                else r.complete(List.copyOf(results));
            });
        });
        return r.thenApplyAsync(x -> x, ForkJoinPool.commonPool());
    }

    /** Fault point of {@link #unload}: the value is about to be removed from memory. */
    public static final String GC_BEFORE_UNMOUNT = "gc.beforeUnmount";

    /**
     * Unloads {@code id} from memory once storage has committed all of it (the garbage
     * collector's step, reliability.md RL-07). It runs on the sync executor, so a message, load or
     * import for {@code id} either completes before the unload or comes after it and reads the
     * value back from storage: nothing is dropped. Completes with whether it was unloaded (false:
     * no storage, not loaded, still streaming, not all committed yet, an account or group, or a
     * dependency of another loaded value). Fault point {@code gc.beforeUnmount} before the removal.
     */
    public CompletableFuture<Boolean> unload(RawCoID id) {
        if (closed) return Compat.failedFuture(closedException());
        CompletableFuture<Boolean> r = new CompletableFuture<>();
        ctx.exec.execute(() -> {
            try {
                KnownState inMemory = ctx.knownState(id);
                if (ctx.options.storage() == null || inMemory == null || ctx.loads.streamingTarget(id) != null
                        || !ctx.out.durableState(inMemory).equals(inMemory)) {
                    r.complete(false);
                    return;
                }
                Faults.hit(GC_BEFORE_UNMOUNT);
                r.complete(ctx.node.unload(id));
            } catch (RuntimeException e) {
                r.completeExceptionally(e);
            }
        });
        return r.thenApplyAsync(x -> x, ForkJoinPool.commonPool());
    }

    /** How long {@link #load(RawCoID, boolean)} waits before its one retry (the reference's RETRY_DELAY). */
    public static final Duration LOAD_RETRY_DELAY = Duration.ofSeconds(3);

    /**
     * {@link #load(RawCoID)}; with {@code retryOnce}, as the reference's {@code LocalNode.load} does by
     * default: a CoValue no peer had is asked for once more after {@link #LOAD_RETRY_DELAY} (it may
     * still be on its way), or returned as soon as it arrives meanwhile.
     */
    public CompletableFuture<Optional<CoValueCore>> load(RawCoID id, boolean retryOnce) {
        if (!retryOnce) return load(id);
        return load(id).thenCompose(first -> {
            if (first.isPresent() || closed) return CompletableFuture.completedFuture(first);
            CompletableFuture<Void> pause = new CompletableFuture<>();
            Subscription arrived = ctx.node.subscribe(id, x -> pause.complete(null));
            ScheduledFuture<?> timer = ctx.scheduler.schedule(() -> pause.complete(null), LOAD_RETRY_DELAY.toMillis(), TimeUnit.MILLISECONDS);
            if (ctx.available(id)) pause.complete(null); // arrived between the answer and the subscription
            return pause.thenCompose(v -> {
                arrived.close();
                timer.cancel(false);
                return load(id);
            });
        });
    }

    /**
     * Completes once peer {@code peerId} confirmed holding everything this node has of {@code id}
     * now (header and every session); fails if a non-persistent peer closes first. A persistent peer
     * that is reconnecting (closed, not yet added again under the same id) is waited for; a peer
     * never added fails at once ({@code "no peer …"}). Prefer {@link #waitForSync(RawCoID, String,
     * Duration)}, which also waits for a first connection and says what it waited for on timeout.
     */
    public CompletableFuture<Void> waitForSync(RawCoID id, String peerId) {
        return waitForSync(id, peerId, null);
    }

    /**
     * {@link #waitForSync(RawCoID, String)} bounded by {@code timeout}: a peer not added yet (a
     * {@code ReconnectingClient} still connecting) is waited for too, and a wait that runs out
     * fails with a {@link TimeoutException} naming the value, the peer, its address and the time.
     */
    public CompletableFuture<Void> waitForSync(RawCoID id, String peerId, Duration timeout) {
        if (closed) return Compat.failedFuture(closedException());
        CompletableFuture<Void> f = new CompletableFuture<>();
        ctx.exec.execute(() -> {
            ctx.out.flush(); // local writes made before this call belong to what must be confirmed
            PeerState p = ctx.peer(peerId);
            if (p == null && (timeout != null || ctx.wasPersistentPeer(peerId))) {
                ctx.waiters.addForAbsent(id, peerId, f); // confirmed once it is (back) in place
            } else if (p == null) {
                f.completeExceptionally(new IllegalArgumentException("no peer " + peerId));
            } else {
                ctx.waiters.add(id, p, f);
            }
        });
        if (timeout != null) {
            ScheduledFuture<?> timer = ctx.scheduler.schedule(() -> ctx.exec.execute(() -> {
                if (!f.isDone()) f.completeExceptionally(new TimeoutException(describeWait(id, peerId, timeout)));
            }), timeout.toMillis(), TimeUnit.MILLISECONDS);
            f.whenComplete((v, e) -> timer.cancel(false));
        }
        return f.thenApplyAsync(v -> v, ForkJoinPool.commonPool());
    }

    /** What a timed-out {@link #waitForSync} waited for (sync executor). */
    private String describeWait(RawCoID id, String peerId, Duration timeout) {
        PeerState p = ctx.peer(peerId);
        String state = p != null ? "peer '" + peerId + "' at " + p.channel().describe() + " has not confirmed it"
                : ctx.wasPersistentPeer(peerId) ? "peer '" + peerId + "' is disconnected (reconnecting)"
                : "no peer '" + peerId + "' was connected";
        return "waited " + timeout.toMillis() + " ms for peer '" + peerId + "' to confirm " + id.value() + ": " + state;
    }

    /**
     * {@link #waitForSync(RawCoID, String)} for every server peer present when the sync executor
     * takes this call (so peers added just before it are included).
     */
    public CompletableFuture<Void> waitForSync(RawCoID id) {
        if (closed) return Compat.failedFuture(closedException());
        CompletableFuture<List<String>> servers = new CompletableFuture<>();
        ctx.exec.execute(() -> servers.complete(
                ctx.peers().stream().filter(p -> p.role() == PeerRole.SERVER).map(PeerState::id)
                        .collect(java.util.stream.Collectors.toList())));
        return servers.thenCompose(ids -> CompletableFuture.allOf(
                ids.stream().map(peer -> waitForSync(id, peer)).toArray(CompletableFuture<?>[]::new)));
    }

    /** Sends collected local changes now instead of after {@link SyncOptions#localBatchDelay()}. */
    public CompletableFuture<Void> flush() {
        if (closed) return Compat.failedFuture(closedException());
        CompletableFuture<Void> f = new CompletableFuture<>();
        ctx.exec.execute(() -> {
            ctx.out.flush();
            f.complete(null);
        });
        return f.thenApplyAsync(v -> v, ForkJoinPool.commonPool());
    }

    /** Calls {@code listener} (on the sync executor) for every error a peer or storage caused. */
    public Subscription onError(Consumer<SyncError> listener) {
        ctx.errorListeners.add(listener);
        return () -> ctx.errorListeners.remove(listener);
    }

    /**
     * Calls {@code listener} (on the sync executor; it must not block) with every non-correction
     * known state a server peer sends: what that server confirms it holds.
     */
    public Subscription onServerAcknowledged(BiConsumer<RawCoID, KnownState> listener) {
        ctx.ackListeners.add(listener);
        return () -> ctx.ackListeners.remove(listener);
    }

    /**
     * Calls {@code listener} (on the sync executor, so it must not block) when received content
     * deletes a CoValue this node held undeleted, with what server peers had confirmed holding of
     * it until then: local transactions beyond that were never acknowledged and are now discarded
     * (recovery.md §5.3, the {@code DISCARDED_DELETED} record of §11).
     */
    public Subscription onDeletionLearned(BiConsumer<RawCoID, KnownState> listener) {
        ctx.deletionListeners.add(listener);
        return () -> ctx.deletionListeners.remove(listener);
    }

    /**
     * Calls {@code listener} (on the sync executor, so it must not block) for every
     * {@code SignatureMismatch} report a server peer sends: the server's whole version of one of
     * this node's sessions that it could not verify against its own (recovery.md §4.2 trigger T1).
     * Reports from client peers are dropped as invalid. Without a listener a report is only logged.
     */
    public Subscription onSignatureMismatch(BiConsumer<PeerState, SyncMessage.SignatureMismatch> listener) {
        ctx.mismatches.listeners.add(listener);
        return () -> ctx.mismatches.listeners.remove(listener);
    }

    /**
     * For the recovery coordinator, after it swapped in the server's version of {@code session}
     * (recovery.md §5.6): storage holds {@code stored} (null without storage), every server peer
     * holds exactly {@code serverLength} transactions of the session, and what this node has
     * beyond that (the conflict session) goes out to every peer. Completes once sent.
     */
    public CompletableFuture<Void> sessionRecovered(RawCoID id, io.cojson.core.ids.SessionID session, int serverLength,
            KnownState stored) {
        return sessionRecovered(id, session, serverLength, stored, -1);
    }

    /**
     * {@link #sessionRecovered(RawCoID, io.cojson.core.ids.SessionID, int, KnownState)} after a fork
     * at {@code commonPrefix} (negative: none): a client peer of this node that holds more than
     * {@code commonPrefix} transactions of the session may hold the stale fork, so it is sent the
     * server version as a {@code SignatureMismatch} (§5.6; a Java peer applies the non-owner rule
     * of §6, a JS 0.20.19 peer ignores it).
     */
    public CompletableFuture<Void> sessionRecovered(RawCoID id, io.cojson.core.ids.SessionID session, int serverLength,
            KnownState stored, int commonPrefix) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        ctx.exec.execute(() -> {
            quarantine(id, session, false);
            if (stored != null) ctx.out.storageReplaced(stored);
            List<io.cojson.core.node.ContentPiece.SessionPiece> version = null;
            for (PeerState p : ctx.openPeers()) {
                KnownState theirs = p.knownState(id);
                if (p.role() == PeerRole.SERVER && theirs != null) {
                    p.setKnownState(theirs.withSession(session, serverLength));
                    // The server counts what we pushed of the stale version as ours: told nothing, it
                    // never sends us what it holds of the session beyond its version (a second process
                    // writing the session: the model's fork source). A correction resets its view.
                    KnownState ours = ctx.knownState(id);
                    if (ours != null) p.send(SyncMessage.Known.correction(ours));
                }
                if (p.role() == PeerRole.CLIENT && commonPrefix >= 0 && theirs != null && theirs.count(session) > commonPrefix) {
                    if (version == null) {
                        version = ctx.node.locked(() -> {
                            CoValueCore core = ctx.node.get(id);
                            var log = core == null ? null : core.sessions().get(session);
                            return log == null || log.size() == 0 ? List.<io.cojson.core.node.ContentPiece.SessionPiece>of()
                                    : MismatchReports.wholeSession(log);
                        });
                    }
                    if (!version.isEmpty()) {
                        p.send(SyncMessage.SignatureMismatch.of(id, session, version,
                                "this session was recovered; the server's version replaces any copy forked after " + commonPrefix));
                    }
                }
            }
            ctx.waiters.sessionReplaced(id, session, serverLength);
            ctx.out.forward(id);
            // What the session held back from storage while quarantined (e.g. the server's extra
            // transactions a no-fork check applied) goes to storage now, like any change.
            if (ctx.options.storage() != null) ctx.out.persist(id);
            f.complete(null);
        });
        return f;
    }

    /**
     * For the recovery coordinator (recovery.md §5.2): while {@code on}, nothing of {@code session}
     * of {@code id} is sent to any peer; other sessions and values sync normally. Lifted by
     * {@link #sessionRecovered} or by calling this with {@code false} (a failed recovery).
     */
    public void quarantine(RawCoID id, io.cojson.core.ids.SessionID session, boolean on) {
        if (on) {
            ctx.quarantined.computeIfAbsent(id, k -> java.util.concurrent.ConcurrentHashMap.newKeySet()).add(session);
        } else {
            ctx.quarantined.computeIfPresent(id, (k, set) -> {
                set.remove(session);
                return set.isEmpty() ? null : set;
            });
            ctx.exec.execute(() -> ctx.waiters.recheck(id)); // waits the quarantine kept open
        }
    }

    /**
     * Sends every peer what it lacks of {@code id} now (subscribed peers the delta, server peers
     * a load): for recovery, after it stopped holding a session back (recovery.md §4.2 T4).
     */
    public void push(RawCoID id) {
        ctx.exec.execute(() -> {
            ctx.out.forward(id);
            ctx.waiters.recheck(id); // waits that a hold kept open may be confirmed already
            if (ctx.options.storage() != null) ctx.out.persist(id);
        });
    }

    /**
     * The durability window of recovery.md §13 for a node whose writes reach {@code storage}
     * another way than this manager (through {@code NodePersistence}, as {@code CojsonClient} and
     * the client command do): own content sent to a peer before {@code storage} committed it is
     * named in its marker, cleared once storage caught up. After a crash only what the marker
     * named is at risk. Call before adding peers. Storage given in {@link SyncOptions#withStorage}
     * is tracked without this call.
     */
    public void trackDurabilityWindow(io.cojson.storage.engine.CoValueStorage storage) {
        Objects.requireNonNull(storage, "storage");
        ctx.exec.execute(() -> ctx.out.trackWindowOf(storage));
    }

    /** Installs crash recovery's triggers T2–T4 (recovery.md §4.2); {@link RecoveryHooks#NONE} removes them. */
    public void setRecoveryHooks(RecoveryHooks hooks) {
        ctx.hooks = Objects.requireNonNull(hooks, "hooks");
    }

    /**
     * The verification fetch (recovery.md §4.2): asks {@code server} for its whole version of
     * {@code session} of {@code id} and completes with it as a report (pieces from index 0; empty
     * when the server holds none of it). Content of the session from that peer goes to the fetch,
     * not the node, until it ends: at {@code minLength} transactions (0: unknown), or {@code quiet}
     * after the server's last answer, or failed after {@code timeout}.
     */
    public CompletableFuture<SyncMessage.SignatureMismatch> fetchServerVersion(PeerState server, RawCoID id,
            io.cojson.core.ids.SessionID session, int minLength, Duration quiet, Duration timeout) {
        if (server.role() != PeerRole.SERVER) throw new IllegalArgumentException(server.id() + " is not a server peer");
        CompletableFuture<SyncMessage.SignatureMismatch> f = new CompletableFuture<>();
        ctx.exec.execute(() -> ctx.fetches.start(server, id, session, minLength, quiet, timeout).whenComplete((v, e) -> {
            if (e != null) f.completeExceptionally(e);
            else f.complete(v);
        }));
        return f;
    }

    /**
     * Closes the connection to {@code peer} so that its reconnecting client opens a fresh one: a
     * 0.20.19 server that marked a value errored for a connection ignores it there for good
     * (recovery.md §4.2, T3).
     */
    public void reconnect(PeerState peer) {
        ctx.exec.execute(() -> {
            if (!peer.isClosed()) peer.channel().close();
        });
    }

    /** Counters of verification fetches: started, completed, failed (recovery.md §15). */
    public VerificationFetchStats fetchStats() {
        return new VerificationFetchStats(ctx.fetches.started.get(), ctx.fetches.completed.get(), ctx.fetches.failed.get());
    }

    /** Counters of detected, reported, suppressed and received signature mismatches (recovery.md §15). */
    public SignatureMismatchStats signatureMismatchStats() {
        return ctx.mismatches.stats();
    }

    /** Closes every peer's channel and stops syncing; pending loads complete, waits fail. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        nodeListener.close();
        CompletableFuture<Void> done = new CompletableFuture<>();
        ctx.exec.execute(() -> {
            ctx.out.flush();
            ctx.fetches.closeAll();
            for (PeerState p : ctx.peers()) {
                p.markClosed();
                p.channel().close();
                ctx.removePeer(p);
            }
            ctx.loads.closeAll();
            ctx.waiters.closeAll();
            done.complete(null);
        });
        if (ownThread != null) {
            done.whenComplete((v, e) -> ownThread.shutdown());
        }
    }

    private static IllegalStateException closedException() {
        return new IllegalStateException("sync manager closed");
    }

    // ---- peers (sync executor) ----

    /** §8.1: a {@code load} with our state for every CoValue in memory, dependencies first. */
    private void announceEverything(PeerState p) {
        for (RawCoID id : dependencyOrder()) {
            if (p.knownState(id) == null) p.setKnownState(KnownState.empty(id)); // subscribes it
            ctx.out.sendLoad(p, id);
        }
    }

    private List<RawCoID> dependencyOrder() {
        return ctx.node.locked(() -> {
            Set<RawCoID> ordered = new LinkedHashSet<>();
            Set<RawCoID> visiting = new HashSet<>();
            for (RawCoID id : ctx.node.ids()) visit(id, ordered, visiting);
            return new ArrayList<>(ordered);
        });
    }

    private void visit(RawCoID id, Set<RawCoID> ordered, Set<RawCoID> visiting) {
        CoValueCore core = ctx.node.get(id);
        if (core == null || ordered.contains(id) || !visiting.add(id)) return;
        for (RawCoID dep : Dependencies.of(core)) visit(dep, ordered, visiting);
        ordered.add(id);
    }

    private void peerClosed(PeerState p) {
        ctx.mismatches.peerClosed(p);
        ctx.fetches.peerClosed(p);
        ctx.loads.onPeerClosed(p);
        ctx.waiters.onPeerClosed(p);
        ctx.reconciliation.onPeerClosed(p);
    }
}
