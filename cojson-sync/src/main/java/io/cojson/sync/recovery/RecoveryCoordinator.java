package io.cojson.sync.recovery;

import io.cojson.core.covalue.CoValueCore;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.knownstate.KnownState;
import io.cojson.core.node.ContentPiece;
import io.cojson.core.node.ContentPiece.SessionPiece;
import io.cojson.core.node.LocalNode;
import io.cojson.core.node.Subscription;
import io.cojson.core.session.AddResult;
import io.cojson.core.session.Transaction;
import io.cojson.storage.engine.ReplaceResult;
import io.cojson.storage.engine.CoValueStorage;
import io.cojson.sync.PeerState;
import io.cojson.sync.SyncManager;
import io.cojson.sync.SyncMessage;
import io.cojson.sync.recovery.RecoveryPlans.Plan;
import io.cojson.sync.recovery.RecoveryPlans.PlanFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client side of crash recovery for trigger T1 (recovery.md §4.2–§5): one per node. A
 * {@code SignatureMismatch} from a server peer is confirmed as a fork of one of this
 * installation's sessions (§4.3), then recovered: the divergent local tail is re-written into the
 * conflict session S! (§5.3), storage replaces S with the server version and appends S! in one
 * recovery unit (§5.4), memory swaps after that commit (§5.5), and S! goes to every peer while
 * every server peer's state of S is set to the server's length (§5.6).
 *
 * <p>All recoveries run on one worker thread of their own, so every step for a CoValue is
 * serialized; a trigger for a (CoValue, session) already waiting replaces its server version
 * instead of starting a second run (single flight), and one that arrives after the running attempt
 * read its version makes the job run once more when it ends (never dropped); waiting runs start dependencies
 * first (a group before the values it owns). A run that fails for a transient reason (storage)
 * is retried with exponential backoff, a bounded number of times; a server version that does not
 * verify is rejected without retry until the next report. The node keeps working meanwhile.
 */
public final class RecoveryCoordinator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RecoveryCoordinator.class);
    static final String TRIGGER_SERVER_ERROR = "server-error";
    /** Fault points of the recovery steps (reliability.md §2.1; the kill points of recovery.md §9). */
    public static final String DETECTED = "recovery.detected";
    public static final String BEFORE_UNIT = "recovery.beforeUnit";
    public static final String AFTER_UNIT_COMMIT = "recovery.afterUnitCommit";
    public static final String AFTER_SWAP = "recovery.afterSwap";
    public static final String AFTER_PROPAGATE = "recovery.afterPropagate";

    /**
     * @param maxAttempts    runs per trigger before a transient failure stays FAILED
     * @param firstBackoff   wait before the first retry; doubled for each further one
     * @param storageTimeout how long one recovery unit may take to commit
     * @param batchWindow    how long a first trigger waits for others, so that values detected
     *                       together recover dependencies first (§5.1)
     * @param worker         where recovery runs, one task at a time (null: a daemon thread of its own,
     *                       ended by {@link #close()}); tests pass a stepped scheduler on a virtual
     *                       clock for deterministic runs (reliability.md §2.3). The caller owns it.
     */
    /**
     * A caller's worker that runs sync work on the same single thread (a deterministic test run):
     * where recovery waits for a sync step it runs due tasks instead, one at a time, so it never
     * blocks on work queued behind itself.
     */
    public interface SteppedWorker extends ScheduledExecutorService {
        /** Runs the next task that is due now, if any; false when none is. */
        boolean runOneDueTask();
    }

    public record Options(int maxAttempts, Duration firstBackoff, Duration storageTimeout, Duration batchWindow,
                          ScheduledExecutorService worker) {
        public Options(int maxAttempts, Duration firstBackoff, Duration storageTimeout, Duration batchWindow) {
            this(maxAttempts, firstBackoff, storageTimeout, batchWindow, null);
        }

        public static Options defaults() {
            return new Options(5, Duration.ofMillis(200), Duration.ofSeconds(30), Duration.ofMillis(20));
        }

        public Options withBatchWindow(Duration d) {
            return new Options(maxAttempts, firstBackoff, storageTimeout, d, worker);
        }

        public Options withWorker(ScheduledExecutorService w) {
            return new Options(maxAttempts, firstBackoff, storageTimeout, batchWindow, w);
        }
    }

    /**
     * Counters (recovery.md §15); {@code triggersByKind} by trigger (server-error, local-verification,
     * ack-shortfall, startup-check), {@code failedByReason} by reason (storage, invalid-version, plan, unexpected).
     */
    public record Stats(long triggers, long merged, long committed, long failed, long rejectedVersions, long notOwned,
            long noFork, long preservedTransactions, Map<String, Long> triggersByKind, Map<String, Long> failedByReason) {
        public Stats {
            triggersByKind = Map.copyOf(triggersByKind);
            failedByReason = Map.copyOf(failedByReason);
        }
    }

    record Key(RawCoID id, SessionID session) {}

    /** One pending or running recovery; {@link #version} is the newest report's. */
    static final class Job {
        final Key key;
        ServerVersion version;
        SyncMessage.SignatureMismatch report;
        String trigger; // §4.2: which of T1–T4 (the newest), for the journal and the record
        String peer; // for the conflict record (§11)
        final long detectedAt = System.currentTimeMillis();
        /** Where the divergent tail goes: S!, or for a forked S! a new session of ours, fixed for the job (§5.8). */
        SessionID target;
        int attempt;
        boolean running;
        /** The running attempt read {@link #report}: a report arriving now is for a run of its own. */
        boolean taken;
        /** A report arrived after the running attempt took its own: the job runs again with it. */
        boolean again;

        Job(Key key, SyncMessage.SignatureMismatch report) {
            this.key = key;
            this.report = report;
        }
    }

    private final SyncManager sync;
    private final LocalNode node;
    private final SessionRegistry registry;
    private final CoValueStorage storage;
    private final Options options;
    private final ScheduledExecutorService worker;
    private final boolean ownWorker;
    private final Subscription trigger;
    private final ClientTriggers clientTriggers;
    private final DiscardedEdits discarded;
    private final ConflictRecords conflicts;
    private final RecoveryPlans plans;
    /** Pending and running jobs, in arrival order; guarded by itself. */
    private final Map<Key, Job> jobs = new LinkedHashMap<>();
    private final Map<Key, RecoveryStatus> statuses = new ConcurrentHashMap<>();
    private final List<Consumer<RecoveryStatus>> listeners = new CopyOnWriteArrayList<>();
    private final Map<Key, Integer> memoryRounds = new ConcurrentHashMap<>();
    private final AtomicLong triggers = new AtomicLong();
    private final AtomicLong merged = new AtomicLong();
    private final AtomicLong committed = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong notOwned = new AtomicLong();
    private final AtomicLong noFork = new AtomicLong();
    private final AtomicLong preserved = new AtomicLong();
    private final Map<String, AtomicLong> byTrigger = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> byReason = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private RecoveryCoordinator(SyncManager sync, SessionRegistry registry, CoValueStorage storage, Options options) {
        this.sync = sync;
        this.node = sync.node();
        this.registry = registry;
        this.storage = storage;
        this.options = options;
        this.conflicts = storage == null ? ConflictRecords.inMemory() : ConflictRecords.of(storage);
        this.plans = new RecoveryPlans(node, registry, storage);
        this.ownWorker = options.worker() == null;
        this.worker = !ownWorker ? options.worker() : Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cojson-recovery");
            t.setDaemon(true);
            return t;
        });
        SessionID current = node.sessionID();
        registry.record(current); // before this session is used for anything that could fork
        if (node.accountID() != null) registry.record(current.withAuthor(node.agentID().value())); // edits of the account itself
        this.trigger = sync.onSignatureMismatch((from, m) -> submit(from, m, TRIGGER_SERVER_ERROR));
        this.clientTriggers = new ClientTriggers(sync, registry, storage, worker, this::submit);
        listeners.add(clientTriggers::statusChanged);
        sync.setRecoveryHooks(clientTriggers);
        this.discarded = DiscardedEdits.install(sync, registry, storage);
        if (storage != null) worker.execute(() -> { // rounds whose record a kill lost (§11 records survive restarts)
            try {
                conflicts.reconcile(storage.journal());
            } catch (RuntimeException e) {
                LOG.warn("conflict records not reconciled with the recovery journal: {}", e.toString());
            }
        });
    }

    /**
     * Installs recovery on {@code sync}'s node. {@code storage} is the node's storage (the one its
     * {@code SyncStorage} writes to), or null for a node that keeps everything in memory; the
     * recovery then runs in memory only (§5.1).
     */
    public static RecoveryCoordinator install(SyncManager sync, SessionRegistry registry, CoValueStorage storage, Options options) {
        return new RecoveryCoordinator(Objects.requireNonNull(sync), Objects.requireNonNull(registry), storage,
                Objects.requireNonNull(options));
    }

    /** {@link #install} with the registry kept by {@code storage} (in memory without storage) and default options. */
    public static RecoveryCoordinator install(SyncManager sync, CoValueStorage storage) {
        return install(sync, storage == null ? SessionRegistry.inMemory() : SessionRegistry.of(storage), storage, Options.defaults());
    }

    /** The latest state of recovery for {@code id}'s {@code session} ({@link RecoveryState#IDLE} if none ran). */
    public RecoveryStatus status(RawCoID id, SessionID session) {
        RecoveryStatus s = statuses.get(new Key(id, session));
        return s != null ? s : new RecoveryStatus(id, session, RecoveryState.IDLE, null, -1, 0, 0, 0, null);
    }

    /** The latest status of every (CoValue, session) this coordinator has seen a trigger for. */
    public List<RecoveryStatus> statuses() {
        return List.copyOf(statuses.values());
    }

    /** Calls {@code listener} (on the recovery thread; it must not block) at every state change. */
    public Subscription onStatus(Consumer<RecoveryStatus> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** The conflict records of this node's recoveries (§11), persisted with the storage when there is one. */
    public ConflictRecords conflicts() {
        return conflicts;
    }

    /**
     * Treats {@code session} as at risk (recovery.md §13, T4): before anything of it is pushed to a
     * server, each value with content in it is compared with the server's version, so that a fork
     * of equal length (case C) is found too. Storage-backed nodes get this from the at-risk markers
     * and the unclean-shutdown flag; call it for a node whose history may have been rolled back
     * another way (a restored backup, an in-memory restart). No effect with
     * {@code cojson.verifyBeforePush=false}.
     */
    public void verifyBeforePush(SessionID session) {
        clientTriggers.verifyBeforePush(Objects.requireNonNull(session));
    }

    /**
     * How many recoveries and client-side checks (T2–T4) are under way or waiting: 0 once every
     * trigger seen so far has ended (a session held back from servers is pushed again then).
     */
    public int pending() {
        synchronized (jobs) {
            return jobs.size() + clientTriggers.pending();
        }
    }

    /** Edits a deletion discarded (recovery.md §5.3: {@code DISCARDED_DELETED} records), persisted with the storage. */
    public DiscardedEdits discardedEdits() {
        return discarded;
    }

    public Stats stats() {
        Map<String, Long> kinds = new java.util.TreeMap<>();
        byTrigger.forEach((k, v) -> kinds.put(k, v.get()));
        Map<String, Long> reasons = new java.util.TreeMap<>();
        byReason.forEach((k, v) -> reasons.put(k, v.get()));
        return new Stats(triggers.get(), merged.get(), committed.get(), failed.get(), rejected.get(), notOwned.get(),
                noFork.get(), preserved.get(), kinds, reasons);
    }

    /** Stops listening for triggers; a running step finishes, waiting ones are dropped (they re-trigger on the next sync). */
    @Override
    public void close() {
        closed = true;
        trigger.close();
        sync.setRecoveryHooks(io.cojson.sync.RecoveryHooks.NONE);
        discarded.close();
        if (!ownWorker) return; // the caller's: its remaining tasks see closed and do nothing
        worker.shutdown();
        try {
            if (!worker.awaitTermination(options.storageTimeout().toMillis(), TimeUnit.MILLISECONDS)) worker.shutdownNow();
        } catch (InterruptedException e) {
            worker.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    // ---- triggers ----

    /**
     * A server's version of one session (T1: its {@code SignatureMismatch}; T2–T4: a verification
     * fetch): record the job (merging into a waiting or running one) and hand it to the worker.
     */
    private void submit(PeerState from, SyncMessage.SignatureMismatch m, String triggerName) {
        if (closed) return;
        triggers.incrementAndGet();
        byTrigger.computeIfAbsent(triggerName, k -> new AtomicLong()).incrementAndGet();
        Key key = new Key(m.id(), m.sessionID());
        boolean schedule;
        synchronized (jobs) {
            Job j = jobs.get(key);
            if (j != null) {
                j.report = m; // the newest version wins; one run handles both
                j.trigger = triggerName;
                // Too late for a running attempt that took its report already: it would end and drop
                // this one (a lost trigger leaves its session held or unrecovered), so the job runs again.
                if (j.running && j.taken) j.again = true;
                else merged.incrementAndGet();
                schedule = false;
            } else {
                jobs.put(key, j = new Job(key, m));
                j.trigger = triggerName;
                schedule = true;
            }
            j.peer = from.id();
        }
        LOG.info("recovery trigger {} for {} session {} from {}", triggerName, m.id(), m.sessionID(), from.id());
        if (schedule) worker.schedule(this::runNext, options.batchWindow().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Runs the next waiting job whose dependencies have no waiting job of their own. */
    private void runNext() {
        if (closed) return;
        Job job;
        synchronized (jobs) {
            job = pickDependencyFirst();
            if (job == null) return;
            job.running = true;
        }
        boolean retry = false;
        try {
            retry = run(job);
        } catch (RuntimeException e) {
            LOG.error("recovery of {} session {} failed unexpectedly", job.key.id(), job.key.session(), e);
            publish(job, RecoveryState.FAILED, null, -1, 0, 0, "unexpected: " + e);
            failed.incrementAndGet();
            failedBecause("unexpected");
        }
        synchronized (jobs) {
            job.running = false;
            job.taken = false;
            if (job.again && !closed) { // a newer report: a fresh run with fresh attempts
                job.again = false;
                job.attempt = 0;
                worker.execute(this::runNext);
                return;
            }
            if (retry && !closed && job.attempt < options.maxAttempts()) {
                long delay = options.firstBackoff().toMillis() << Math.min(job.attempt - 1, 16);
                worker.schedule(this::runNext, delay, TimeUnit.MILLISECONDS);
                return;
            }
            jobs.remove(job.key);
            if (!jobs.isEmpty()) worker.execute(this::runNext);
        }
    }

    private Job pickDependencyFirst() {
        List<Job> waiting = new ArrayList<>();
        for (Job j : jobs.values()) if (!j.running) waiting.add(j);
        for (Job j : waiting) {
            CoValueCore core = node.get(j.key.id());
            boolean blocked = false;
            if (core != null) {
                java.util.Set<RawCoID> deps = node.locked(core::dependencies);
                for (Job other : waiting) if (other != j && deps.contains(other.key.id())) blocked = true;
            }
            if (!blocked) return j;
        }
        return waiting.isEmpty() ? null : waiting.get(0); // a dependency cycle: any order
    }

    // ---- the procedure ----

    /**
     * One run; returns whether a transient failure asks for a retry. The session is quarantined
     * (nothing of it sent) from the ownership check until the swap lifts it, or until this run
     * ends without one.
     */
    private boolean run(Job job) {
        try {
            return runQuarantined(job);
        } finally {
            sync.quarantine(job.key.id(), job.key.session(), false); // after a swap sessionRecovered lifted it already
        }
    }

    private boolean runQuarantined(Job job) {
        SyncMessage.SignatureMismatch report;
        synchronized (jobs) {
            report = job.report;
            job.taken = true;
            job.attempt++;
        }
        Key key = job.key;
        fault(DETECTED);
        publish(job, RecoveryState.VERIFYING, null, -1, 0, 0, null);
        java.util.Set<SessionID> own = registry.ownSessions();
        if (!ForkConfirmation.recoverable(key.session(), own) && !ForkConfirmation.ownConflictSession(key.session(), own)) {
            notOwned.incrementAndGet();
            LOG.info("SignatureMismatch for {} session {}: not a session of this installation, nothing rewritten", key.id(), key.session());
            publish(job, RecoveryState.IDLE, null, -1, 0, 0, "not owned by this installation");
            return false;
        }
        sync.quarantine(key.id(), key.session(), true);
        ServerVersion version;
        try {
            version = ServerVersion.of(report);
            version.verify(node.crypto(), node.agentID().signer());
        } catch (ServerVersion.InvalidServerVersion e) {
            rejected.incrementAndGet();
            failed.incrementAndGet();
            failedBecause("invalid-version");
            LOG.warn("server version of {} session {} rejected: {}", key.id(), key.session(), e.getMessage());
            publish(job, RecoveryState.FAILED, null, -1, 0, 0, "invalid server version: " + e.getMessage());
            return false;
        }
        job.version = version;
        publish(job, RecoveryState.PLANNING, null, -1, 0, 0, null);
        Plan plan;
        try {
            plan = node.locked(() -> plans.plan(job, version));
        } catch (PlanFailure e) {
            failed.incrementAndGet();
            failedBecause("plan");
            publish(job, RecoveryState.FAILED, null, -1, 0, 0, e.getMessage());
            return false;
        }
        if (plan.comparison().outcome() != ForkConfirmation.Outcome.FORK) return noFork(job, plan, version);
        return recover(job, plan, version);
    }

    /** §4.3 step 3: no fork. A longer server version is applied as ordinary content; either way sync resumes at the server's length. */
    private boolean noFork(Job job, Plan plan, ServerVersion version) {
        noFork.incrementAndGet();
        ForkConfirmation.Comparison c = plan.comparison();
        if (c.outcome() == ForkConfirmation.Outcome.LOCAL_IS_PREFIX) {
            List<Transaction> extra = version.transactions().subList(c.localLength(), c.serverLength());
            List<AddResult> r = node.importContent(new ContentPiece(job.key.id(), null,
                    List.of(new SessionPiece(job.key.session(), c.localLength(), extra, version.lastSignature()))));
            if (r.isEmpty() || !r.get(0).isAdded()) LOG.warn("server's extra transactions of {} not applied: {}", job.key, r);
        }
        join(sync.sessionRecovered(job.key.id(), job.key.session(), c.serverLength(), null));
        publish(job, RecoveryState.DONE, c.outcome(), c.commonPrefix(), 0, 0, null);
        LOG.info("no fork of {} session {}: {} (P={}, local {}, server {})", job.key.id(), job.key.session(), c.outcome(),
                c.commonPrefix(), c.localLength(), c.serverLength());
        return false;
    }

    private boolean recover(Job job, Plan plan, ServerVersion version) {
        Key key = job.key;
        ForkConfirmation.Comparison c = plan.comparison();
        int round = 0;
        KnownState stored = null;
        long epoch = -1;
        publish(job, RecoveryState.COMMITTING, c.outcome(), c.commonPrefix(), 0, 0, null);
        try {
            if (storage != null) {
                round = plans.roundFor(key, plan, version);
                fault(BEFORE_UNIT);
                ReplaceResult r = join(plans.commit(job, plan, version, round));
                fault(AFTER_UNIT_COMMIT);
                stored = r.stored();
                epoch = r.epoch();
            } else {
                round = memoryRounds.merge(key, 1, Integer::sum);
            }
        } catch (RuntimeException e) {
            failed.incrementAndGet();
            failedBecause("storage");
            LOG.warn("recovery unit for {} session {} failed (attempt {}): {}", key.id(), key.session(), job.attempt, e.toString());
            publish(job, RecoveryState.FAILED, c.outcome(), c.commonPrefix(), 0, round, "storage: " + e);
            return true;
        }
        publish(job, RecoveryState.SWAPPING, c.outcome(), c.commonPrefix(), 0, round, null);
        int finalRound = round;
        KnownState[] storedBox = {stored};
        long[] epochBox = {epoch};
        // Under the lock: the tail may have grown since the plan (§5.2). Then one more unit with
        // the longer tail (its S! prefix is byte-identical, so the unit skips it) before the swap.
        Plan finalPlan = node.locked(() -> {
            Plan now = plans.plan(job, version);
            if (now.comparison().outcome() != ForkConfirmation.Outcome.FORK) return null;
            if (now.localLength() != plan.localLength() && storage != null) {
                ReplaceResult r = join(plans.commit(job, now, version, finalRound));
                storedBox[0] = r.stored();
                epochBox[0] = r.epoch();
            }
            AddResult swapped = node.swapRecoveredSession(key.id(), key.session(), version.transactions(), version.lastSignature(),
                    now.conflict());
            if (!swapped.isAdded()) throw new IllegalStateException("memory swap refused verified content: " + swapped);
            if (storage != null && epochBox[0] >= 0) storage.advanceChainEpoch(key.id(), key.session(), epochBox[0]);
            return now;
        });
        if (finalPlan == null) return noFork(job, node.locked(() -> plans.plan(job, version)), version);
        fault(AFTER_SWAP);
        try { // the recovery stands without its record; the next start rebuilds it from the journal
            conflicts.add(ConflictRecords.committed(key.id(), key.session(), plans.target(job), round, job.trigger, job.peer, job.detectedAt,
                    c.commonPrefix(), version.length(), finalPlan.localLength() - c.commonPrefix(), finalPlan.conflict(), finalPlan.deleted()));
        } catch (RuntimeException e) {
            LOG.warn("conflict record of {} session {} round {} not written: {}", key.id(), key.session(), round, e.toString());
        }
        int written = finalPlan.conflict() == null ? 0 : finalPlan.conflict().transactions().size();
        preserved.addAndGet(written);
        committed.incrementAndGet();
        publish(job, RecoveryState.PROPAGATING, c.outcome(), c.commonPrefix(), written, round, null);
        LOG.info("recovered {} session {}: round {}, P={}, local {}, server {}, {} divergent transactions into {}{}", key.id(),
                key.session(), round, c.commonPrefix(), finalPlan.localLength(), version.length(), written,
                plans.target(job), finalPlan.deleted() ? " (deleted: discarded)" : "");
        join(sync.sessionRecovered(key.id(), key.session(), version.length(), storedBox[0], c.commonPrefix()));
        fault(AFTER_PROPAGATE);
        publish(job, RecoveryState.DONE, c.outcome(), c.commonPrefix(), written, round, null);
        return false;
    }

    private void failedBecause(String reason) {
        byReason.computeIfAbsent(reason, k -> new AtomicLong()).incrementAndGet();
    }

    private static void fault(String point) {
        if (io.cojson.storage.Faults.active()) io.cojson.storage.Faults.hit(point);
    }

    private <T> T join(java.util.concurrent.CompletableFuture<T> f) {
        if (worker instanceof SteppedWorker stepped) { // one thread for everything: run what completes f instead of waiting
            for (int i = 0; i < 1_000_000 && !f.isDone(); i++) if (!stepped.runOneDueTask()) break;
            if (!f.isDone()) throw new IllegalStateException("a stepped worker ran out of tasks before the awaited step completed");
        }
        try {
            return f.get(options.storageTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("timed out after " + options.storageTimeout(), e);
        }
    }

    private void publish(Job job, RecoveryState state, ForkConfirmation.Outcome outcome, int p, int written, int round, String reason) {
        RecoveryStatus s = new RecoveryStatus(job.key.id(), job.key.session(), state, outcome, p, written, round, job.attempt, reason);
        statuses.put(job.key, s);
        for (Consumer<RecoveryStatus> l : listeners) {
            try {
                l.accept(s);
            } catch (RuntimeException e) {
                LOG.error("recovery status listener failed", e);
            }
        }
    }
}
