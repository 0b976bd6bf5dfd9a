package io.cojson.storage.engine;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.node.ContentPiece;
import io.cojson.storage.StorageLockedException;
import io.cojson.storage.engine.internal.Engine;
import io.cojson.storage.engine.internal.Op;
import io.cojson.storage.engine.internal.WriteQueue;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The asynchronous MapDB storage: writes from any thread go through one bounded FIFO queue
 * (back-pressure: writers block when it is full, see {@link StorageOptions#enqueueTimeout()}) and
 * are applied in order by a single writer thread. Each write's future completes only after the
 * commit containing it. A recovery unit is queued like any write (recovery.md §5.4 O1–O8): it runs
 * after everything enqueued before it, in a commit of its own, and writes of the replaced session
 * created before the memory swap are fenced by their chain epoch. Loads and other reads run on the
 * caller's thread, concurrently with the writer.
 */
public final class AsyncMapDbStorage extends BaseMapDbStorage {
    private final WriteQueue queue;

    private AsyncMapDbStorage(Engine engine, StorageOptions options) {
        super(engine, options);
        this.queue = new WriteQueue(engine, options.queueCapacity(), options.maxBatch(), options.enqueueTimeout());
    }

    /** Opens (creating if needed) the store in {@code dir}; fails with {@link StorageLockedException} if another writer has it. */
    public static AsyncMapDbStorage open(Path dir) {
        return open(dir, StorageOptions.defaults());
    }

    public static AsyncMapDbStorage open(Path dir, StorageOptions options) {
        return new AsyncMapDbStorage(Engine.open(dir, options.syncOnCommit()), options);
    }

    @Override
    public CompletableFuture<StoreResult> store(ContentPiece piece, Correction correction) {
        return queue.submit(new Op.Store(piece, epochsOf(piece), correction));
    }

    /** Enqueues the unit; its epoch is the session's in-memory chain epoch plus one, fixed now. */
    @Override
    public CompletableFuture<ReplaceResult> replaceSession(SessionReplacement r) {
        return queue.submit(new Op.Replace(r, engine.chainEpoch(r.id(), r.session()) + 1));
    }

    @Override
    public CompletableFuture<Void> markDeleted(RawCoID id) {
        return queue.submit(new Op.MarkDeleted(id));
    }

    @Override
    public CompletableFuture<Integer> eraseDeleted() {
        return queue.eraseAll();
    }

    @Override
    public CompletableFuture<Void> flush() {
        return queue.flush();
    }

    @Override
    public CloseReport close(Duration budget) {
        return queue.close(budget);
    }
}
