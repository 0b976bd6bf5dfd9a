package io.cojson.client.internal;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.node.LocalNode;
import io.cojson.core.values.CojsonNode;
import io.cojson.storage.CoValueStorage;
import io.cojson.storage.NodePersistence;
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
    public final RecoveryCoordinator recovery;
    public final List<ServerLink> links;
    private final CoValueStorage storage;

    private ActiveAccount(LocalNode node, NodePersistence persistence, CoValueStorage storage, SyncManager sync,
            RecoveryCoordinator recovery, List<ServerLink> links) {
        this.node = node;
        this.typed = CojsonNode.of(node);
        this.persistence = persistence;
        this.storage = storage;
        this.sync = sync;
        this.recovery = recovery;
        this.links = links;
    }

    /**
     * Starts syncing {@code node} (already persisted through {@code persistence} when there is
     * storage): a sync manager on the client's timer, the recovery coordinator wired to the
     * persistence as the sample client does, then one connection per URL.
     */
    public static ActiveAccount start(LocalNode node, NodePersistence persistence, CoValueStorage storage, List<String> urls,
            ScheduledExecutorService timer, ConnectionTracker tracker) {
        if (urls.isEmpty()) {
            // no recovery without a server (only a server reports forks); keep the session this installation's for later runs
            if (storage != null) recordOwnSession(node, storage);
            return new ActiveAccount(node, persistence, storage, null, null, List.of());
        }
        SyncManager sync = SyncManager.create(node, SyncOptions.defaults().withScheduler(timer));
        if (storage != null) sync.trackDurabilityWindow(storage); // recovery.md §13: writes reach storage via NodePersistence
        sync.onError(e -> LOG.info("sync error: {}", e));
        RecoveryCoordinator recovery = RecoveryCoordinator.install(sync, storage);
        if (persistence != null) { // the recovered session's stored length changed under NodePersistence
            recovery.onStatus(st -> {
                switch (st.state()) {
                    case COMMITTING -> persistence.replacing(st.id());
                    case PROPAGATING, DONE, FAILED -> persistence.resync(st.id()); // DONE too: a plan can end without a swap
                    default -> { }
                }
            });
        }
        List<ServerLink> links = new ArrayList<>();
        for (int i = 0; i < urls.size(); i++) links.add(new ServerLink(urls.get(i), i == 0 ? "server" : "server-" + (i + 1), sync, tracker));
        ActiveAccount a = new ActiveAccount(node, persistence, storage, sync, recovery, List.copyOf(links));
        for (ServerLink l : links) l.start();
        return a;
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
        for (ServerLink l : links) all.add(sync.waitForSync(id, l.peerId(), timeout));
        return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0]));
    }

    /** {@link #waitForSync(RawCoID, Duration)} for every value the node holds. */
    public CompletableFuture<Void> waitForSyncAll(Duration timeout) {
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
     * for its commit.
     */
    public void close(Duration syncBudget, java.util.function.Predicate<String> connected) {
        List<ServerLink> up = links.stream().filter(l -> connected.test(l.url()))
                .collect(java.util.stream.Collectors.toList());
        if (sync != null && !up.isEmpty() && !syncBudget.isZero()) {
            try {
                waitForSyncAll(syncBudget, up).get(syncBudget.toMillis() + 100, java.util.concurrent.TimeUnit.MILLISECONDS);
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
    }
}
