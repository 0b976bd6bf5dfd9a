package io.cojson.sync.storage;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.internal.Compat;
import io.cojson.core.knownstate.KnownState;
import io.cojson.core.node.ContentPiece;
import io.cojson.storage.engine.LoadResult;
import io.cojson.storage.StorageException;
import io.cojson.storage.engine.StoreResult;
import io.cojson.storage.engine.CoValueStorage;
import io.cojson.sync.SyncStorage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The sync protocol's {@link SyncStorage} on a {@link CoValueStorage} ({@code MapDbStorage} or
 * {@code AsyncMapDbStorage}). Stores complete after their commit, so a sync server that uses this
 * acknowledges only content that survives a crash (reliability.md RL-21). Reads run on a few
 * reader threads of their own (so one slow load never delays the others), never on the sync
 * executor. Closing this closes the readers, not the storage.
 */
public final class CoValueSyncStorage implements SyncStorage, AutoCloseable {
    /** Loads that may run at once (MapDB reads run concurrently). */
    static final int READERS = 4;
    private final CoValueStorage storage;
    private final ExecutorService reader;
    private final Consumer<LoadResult> onQuarantine;

    private CoValueSyncStorage(CoValueStorage storage, Consumer<LoadResult> onQuarantine) {
        this.storage = Objects.requireNonNull(storage, "storage");
        this.onQuarantine = onQuarantine;
        storage.trackDurabilityWindow(); // recovery.md §13: what goes out before its store commits is named
        // A few readers: one slow load (a big value streaming from a slow disk) never holds up the
        // loads of other values (reliability: no head-of-line blocking). Idle readers time out.
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        String name = "cojson-storage-reader-" + storage.directory().getFileName() + "-";
        java.util.concurrent.ThreadPoolExecutor pool = new java.util.concurrent.ThreadPoolExecutor(READERS, READERS, 30, TimeUnit.SECONDS,
                new java.util.concurrent.LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, name + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        this.reader = pool;
    }

    /** Wraps {@code storage}; the caller keeps owning (and closes) it. */
    public static CoValueSyncStorage of(CoValueStorage storage) {
        return new CoValueSyncStorage(storage, r -> {});
    }

    /**
     * As {@link #of}; {@code onQuarantine} hears of every load that left damaged sessions out
     * (reliability.md RL-23), so an operator can see them. They are refetched from peers.
     */
    public static CoValueSyncStorage of(CoValueStorage storage, Consumer<LoadResult> onQuarantine) {
        return new CoValueSyncStorage(storage, Objects.requireNonNull(onQuarantine, "onQuarantine"));
    }

    public CoValueStorage storage() {
        return storage;
    }

    @Override
    public boolean tracksDurabilityWindow() {
        return storage.tracksDurabilityWindow();
    }

    @Override
    public void markDurabilityWindow(java.util.Set<String> entries) {
        storage.markDurabilityWindow(entries);
    }

    @Override
    public void clearDurabilityWindow() {
        storage.clearDurabilityWindow();
    }

    @Override
    public CompletableFuture<List<ContentPiece>> load(RawCoID id) {
        try {
            return CompletableFuture.supplyAsync(() -> {
                List<ContentPiece> pieces = new ArrayList<>();
                LoadResult r = storage.load(id, pieces::add);
                if (!r.quarantined().isEmpty()) onQuarantine.accept(r);
                return pieces;
            }, reader);
        } catch (RejectedExecutionException e) {
            return Compat.failedFuture(new IllegalStateException("storage adapter is closed", e));
        }
    }

    @Override
    public CompletableFuture<KnownState> store(ContentPiece piece) {
        try {
            return storage.store(piece).thenApply(StoreResult::stored);
        } catch (StorageException | IllegalArgumentException e) { // refused before it was queued: nothing stored
            return Compat.failedFuture(e);
        }
    }

    @Override
    public CompletableFuture<Void> deleted(RawCoID id) {
        try {
            return storage.markDeleted(id);
        } catch (StorageException e) {
            return Compat.failedFuture(e);
        }
    }

    /** Completes when every store handed over so far has committed. */
    public CompletableFuture<Void> flush() {
        return storage.flush();
    }

    /** Stops the reader threads (waiting briefly for running loads); the storage stays open. */
    @Override
    public void close() {
        reader.shutdown();
        try {
            if (!reader.awaitTermination(10, TimeUnit.SECONDS)) reader.shutdownNow();
        } catch (InterruptedException e) {
            reader.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
