package io.cojson.client.internal;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.node.LocalNode;
import io.cojson.core.values.CojsonNode;
import io.cojson.core.values.internal.TypedNodes;
import io.cojson.storage.engine.CoValueStorage;
import io.cojson.storage.engine.NodePersistence;
import io.cojson.sync.SyncManager;
import io.cojson.sync.SyncOptions;
import io.cojson.sync.recovery.ConflictRecords;
import io.cojson.sync.recovery.RecoveryCoordinator;
import io.cojson.sync.recovery.SessionRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The logged-in account of a client and what runs for it: the node, its persistence into the
 * client's storage (null in memory), the sync manager with one {@link ServerLink} per server
 * (none without servers) and the recovery coordinator. {@link #close} stops them in order.
 */
public final class ActiveAccount {
    private static final Logger LOG = LoggerFactory.getLogger(ActiveAccount.class);
    public final LocalNode node;
    public final CojsonNode typed;
    public final NodePersistence persistence;
    public final SyncManager sync;
    private volatile RecoveryCoordinator recovery;
    /** The server connections; replaced by unstarted ones on {@link #disconnect()} (same URLs and peer IDs). */
    private volatile List<ServerLink> links;
    private volatile boolean online;
    private final CoValueStorage storage;
    private volatile ConnectionTracker tracker;

    private ActiveAccount(LocalNode node, NodePersistence persistence, CoValueStorage storage, SyncManager sync,
            RecoveryCoordinator recovery, List<ServerLink> links, ConnectionTracker tracker) {
        this.node = node;
        this.typed = TypedNodes.of(node);
        this.persistence = persistence;
        this.storage = storage;
        this.sync = sync;
        this.recovery = recovery;
        this.links = links;
        this.tracker = tracker;
    }

    /**
     * Starts syncing {@code node} (already persisted through {@code persistence} when there is
     * storage): a sync manager on the client's timer, the recovery coordinator wired to the
     * persistence as the sample client does, then one connection per URL.
     */
    public static ActiveAccount start(LocalNode node, NodePersistence persistence, CoValueStorage storage, List<String> urls,
            ScheduledExecutorService timer, ConnectionTracker tracker) {
        return start(node, persistence, storage, urls, timer, tracker, true);
    }

    /** {@link #start}; without {@code withRecovery} for an account only uploaded, beside the client's own (one coordinator per storage). */
    public static ActiveAccount start(LocalNode node, NodePersistence persistence, CoValueStorage storage, List<String> urls,
            ScheduledExecutorService timer, ConnectionTracker tracker, boolean withRecovery) {
        if (urls.isEmpty()) {
            // no recovery without a server (only a server reports forks); keep the session this installation's for later runs
            if (storage != null) recordOwnSession(node, storage);
            return new ActiveAccount(node, persistence, storage, null, null, List.of(), tracker);
        }
        SyncManager sync = SyncManager.create(node, SyncOptions.defaults().withScheduler(timer));
        if (storage != null) sync.trackDurabilityWindow(storage); // recovery.md §13: writes reach storage via NodePersistence
        sync.onError(e -> LOG.info("sync error: {}", e));
        List<ServerLink> links = new ArrayList<>();
        for (int i = 0; i < urls.size(); i++) links.add(new ServerLink(urls.get(i), i == 0 ? "server" : "server-" + (i + 1), sync, tracker));
        ActiveAccount a = new ActiveAccount(node, persistence, storage, sync, null, List.copyOf(links), tracker);
        if (withRecovery) a.installRecovery();
        a.connect();
        return a;
    }

    /** The recovery coordinator, or null (no server, or not yet the client's account). */
    public RecoveryCoordinator recovery() {
        return recovery;
    }

    /** Installs crash recovery (one coordinator per storage: only for the client's account), wired to the persistence. */
    public synchronized void installRecovery() {
        if (recovery != null || sync == null) return;
        RecoveryCoordinator r = RecoveryCoordinator.install(sync, storage);
        if (persistence != null) { // the recovered session's stored length changed under NodePersistence
            r.onStatus(st -> {
                switch (st.state()) {
                    case COMMITTING -> persistence.replacing(st.id());
                    case PROPAGATING, DONE, FAILED -> persistence.resync(st.id()); // DONE too: a plan can end without a swap
                    default -> { }
                }
            });
        }
        recovery = r;
    }

    /** Makes this account, made ready beside the client's, the client's: its connections report to {@code main}, recovery starts. */
    public void adopt(ConnectionTracker main) {
        tracker = main;
        for (ServerLink l : links) l.retarget(main);
        installRecovery();
    }

    /** The client's storage (null in memory). */
    public CoValueStorage storage() {
        return storage;
    }

    public List<ServerLink> links() {
        return links;
    }

    /** Whether the connections run (started and not {@link #disconnect disconnected}). */
    public boolean online() {
        return online;
    }

    /** Starts the connections if they are stopped (idempotent); returns once each first channel is the sync manager's peer. */
    public synchronized void connect() {
        if (online || sync == null) return;
        online = true;
        for (ServerLink l : links) l.start();
    }

    /**
     * Stops the connections (the sync manager drops its server peers; local edits go on and wait in
     * the node and storage); {@link #connect()} starts new ones for the same servers.
     */
    public synchronized void disconnect() {
        if (!online) return;
        online = false;
        List<ServerLink> old = links;
        for (ServerLink l : old) l.close();
        links = old.stream().map(ServerLink::fresh).collect(java.util.stream.Collectors.toList());
        tracker.stopped(false);
    }

    private static void recordOwnSession(LocalNode node, CoValueStorage storage) {
        SessionRegistry registry = SessionRegistry.of(storage);
        registry.record(node.sessionID());
        if (node.accountID() != null) registry.record(node.sessionID().withAuthor(node.agentID().value()));
    }

    /** The conflict records: the coordinator's, else those kept by storage, else none (in memory, offline). */
    public ConflictRecords conflicts() {
        if (recovery != null) return recovery.conflicts();
        return storage != null ? ConflictRecords.of(storage) : ConflictRecords.inMemory();
    }

    /** Completes once every server confirmed holding what this node has of {@code id} now (at once without servers). */
    public CompletableFuture<Void> waitForSync(RawCoID id, Duration timeout) {
        if (sync == null) return CompletableFuture.completedFuture(null);
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (ServerLink l : this.links) all.add(sync.waitForSync(id, l.peerId(), timeout));
        return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0]));
    }

    /** {@link #waitForSync(RawCoID, Duration)} for every value the node holds. */
    public CompletableFuture<Void> waitForSyncAll(Duration timeout) {
        List<ServerLink> links = this.links;
        return waitForSyncAll(timeout, links);
    }

    private CompletableFuture<Void> waitForSyncAll(Duration timeout, List<ServerLink> to) {
        if (sync == null) return CompletableFuture.completedFuture(null);
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (RawCoID id : node.ids()) {
            for (ServerLink l : to) all.add(sync.waitForSync(id, l.peerId(), timeout));
        }
        return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0]));
    }

    /**
     * Stops everything of the account, in order, each step bounded: gives the servers connected now
     * {@code syncBudget} to receive what they lack (a server that is down is not waited for), stops
     * recovery, the connections and the sync manager, then hands storage what is pending and waits
     * for its commit. Returns whether everything had reached the servers: true without servers,
     * false when none was connected or one had not confirmed within the budget.
     */
    public boolean close(Duration syncBudget, java.util.function.Predicate<String> connected) {
        List<ServerLink> links = this.links;
        List<ServerLink> up = online ? links.stream().filter(l -> l.isOpen() || connected.test(l.url()))
                .collect(java.util.stream.Collectors.toList()) : List.of();
        boolean synced = sync == null;
        if (sync != null && !up.isEmpty()) {
            try { // a zero budget still counts what is confirmed already
                waitForSyncAll(syncBudget.plusMillis(100), up).get(syncBudget.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                synced = up.size() == links.size();
            } catch (Exception e) {
                LOG.info("closing before everything synced: {}", e.toString());
            }
        }
        if (recovery != null) Threads.bounded("cojson-client-close-recovery", Duration.ofSeconds(5), recovery::close);
        for (ServerLink l : links) l.close();
        if (sync != null) sync.close();
        if (persistence != null && !Threads.bounded("cojson-client-close-persistence", Duration.ofSeconds(10), persistence::close)) {
            LOG.warn("local storage did not commit the last changes within 10 s; closing it anyway");
        }
        return synced;
    }
}
