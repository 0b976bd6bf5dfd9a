package io.cojson.storage.engine;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.internal.Compat;
import io.cojson.core.knownstate.KnownState;
import io.cojson.core.node.ContentPiece;
import io.cojson.core.node.LocalNode;
import io.cojson.core.node.Subscription;
import io.cojson.storage.SessionReplacedException;
import io.cojson.storage.StorageException;
import io.cojson.storage.engine.internal.NodeContent;
import io.cojson.storage.engine.internal.NodeLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Connects a {@link LocalNode} to a {@link CoValueStorage}: every change of the node is persisted
 * (the listener only marks the CoValue dirty; a worker thread sends storage what the node has
 * beyond what was already handed to it), and stored CoValues load back into the node verified.
 *
 * <p>{@link #persisted} is the persistence handle of a write: it completes once storage holds
 * everything the node had of the CoValue when it was called.
 */
public final class NodePersistence implements AutoCloseable {
    private final LocalNode node;
    private final CoValueStorage storage;
    private final Subscription subscription;
    private final Set<RawCoID> dirtySet = ConcurrentHashMap.newKeySet();
    private final LinkedBlockingQueue<RawCoID> dirty = new LinkedBlockingQueue<>();
    /** Per CoValue: what has been handed to storage (committed or queued). */
    private final Map<RawCoID, KnownState> handedOver = new ConcurrentHashMap<>();
    /** CoValues whose session storage is replacing (recovery.md §5.4): their stored lengths say nothing until {@link #resync}. */
    private final Map<RawCoID, CompletableFuture<Void>> replacing = new ConcurrentHashMap<>();
    private final Thread worker;
    private volatile boolean closing;

    private NodePersistence(LocalNode node, CoValueStorage storage) {
        this.node = node;
        this.storage = storage;
        this.subscription = node.subscribeAll(this::markDirty);
        this.worker = new Thread(this::run, "cojson-persist-" + storage.directory().getFileName());
        worker.setDaemon(true);
        worker.start();
        for (RawCoID id : node.ids()) markDirty(id);
    }

    /** Starts persisting {@code node}'s changes (and everything it already holds) into {@code storage}. */
    public static NodePersistence attach(LocalNode node, CoValueStorage storage) {
        return new NodePersistence(node, storage);
    }

    public LocalNode node() {
        return node;
    }

    public CoValueStorage storage() {
        return storage;
    }

    /** Loads a stored CoValue with its dependencies into the node (each piece verified on import). */
    public LoadReport load(RawCoID id) {
        return new NodeLoader(node, storage).load(id).report();
    }

    /** Loads every stored CoValue into the node. */
    public LoadReport loadAll() {
        return new NodeLoader(node, storage).loadAll().report();
    }

    /** Completes once storage holds everything the node has of {@code id} now. */
    public CompletableFuture<KnownState> persisted(RawCoID id) {
        CompletableFuture<Void> pending = replacing.get(id);
        if (pending != null) return pending.thenCompose(v -> persisted(id)); // the target is known once memory has the swap
        KnownState target = NodeContent.knownState(node, id);
        if (target == null) return Compat.failedFuture(new IllegalArgumentException("CoValue " + id + " is not loaded on this node"));
        markDirty(id);
        CompletableFuture<KnownState> stored = Compat.exceptionallyCompose(storage.whenStored(target), e -> {
            // memory still had the divergent tail when the target was taken: ask again after the swap
            CompletableFuture<Void> swap = replacing.get(id);
            return unwrap(e) instanceof SessionReplacedException && swap != null ? swap.thenCompose(v -> persisted(id))
                    : Compat.failedFuture(e);
        });
        if (!NodeContent.isDeleted(node, id)) return stored;
        return stored.thenCompose(k -> storage.markDeleted(id).thenApply(v -> k)); // the tombstone mark is part of it
    }

    /** Completes once storage holds everything the node has now. */
    public CompletableFuture<Void> persistedAll() {
        List<CompletableFuture<KnownState>> all = new ArrayList<>();
        for (RawCoID id : node.ids()) all.add(persisted(id));
        return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0]));
    }

    /**
     * Forgets what was handed to storage for {@code id} and persists it again from what storage
     * holds: after a crash recovery replaced a session in storage and memory (recovery.md §5.4,
     * §5.5), the session's old length no longer tells what is stored.
     */
    public void resync(RawCoID id) {
        handedOver.remove(id);
        markDirty(id);
        CompletableFuture<Void> pending = replacing.remove(id);
        if (pending != null) pending.complete(null);
    }

    /**
     * A recovery is about to replace a session of {@code id} in storage and then in memory: until
     * {@link #resync}, {@link #persisted} waits for the swap instead of taking a target from the
     * divergent tail that storage no longer holds and never will.
     */
    public void replacing(RawCoID id) {
        replacing.computeIfAbsent(id, k -> new CompletableFuture<>());
    }

    private static Throwable unwrap(Throwable e) {
        while (e instanceof java.util.concurrent.CompletionException && e.getCause() != null) e = e.getCause();
        return e;
    }

    private void markDirty(RawCoID id) {
        if (dirtySet.add(id)) dirty.add(id);
    }

    private void run() {
        while (true) {
            RawCoID id;
            try {
                id = dirty.poll(20, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                continue;
            }
            if (id == null) {
                if (closing) return;
                continue;
            }
            dirtySet.remove(id);
            try {
                persist(id);
            } catch (StorageException e) {
                handedOver.remove(id); // the next change starts again from what storage holds
            }
        }
    }

    private void persist(RawCoID id) {
        KnownState base = handedOver.computeIfAbsent(id, storage::knownState);
        List<ContentPiece> pieces = NodeContent.since(node, id, base);
        KnownState next = base;
        for (ContentPiece p : pieces) {
            if (p.header() != null) next = next.withHeader(true);
            for (ContentPiece.SessionPiece s : p.sessions()) next = next.withSession(s.sessionID(), s.after() + s.transactions().size());
        }
        handedOver.put(id, next); // before storing: a synchronous store may complete (and reset it) at once
        for (ContentPiece p : pieces) {
            storage.store(p).whenComplete((r, ex) -> {
                if (ex != null) {
                    handedOver.remove(id);
                } else if (r.status() == StoreResult.Status.NEEDS_CORRECTION || !r.fenced().isEmpty()) {
                    handedOver.remove(id); // recompute from what storage holds and send again
                    markDirty(id);
                }
            });
        }
        if (NodeContent.isDeleted(node, id) && !storage.isDeleted(id)) storage.markDeleted(id);
    }

    /** Stops listening, hands storage whatever is still dirty and waits until it is committed. Does not close the storage. */
    @Override
    public void close() {
        subscription.close();
        closing = true;
        try {
            worker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (RawCoID left; (left = dirty.poll()) != null;) persist(left);
        storage.flush().join();
    }
}
