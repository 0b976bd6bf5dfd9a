package io.cojson.storage.engine;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.internal.Compat;
import io.cojson.core.node.ContentPiece;
import io.cojson.storage.StorageLockedException;
import io.cojson.storage.engine.internal.Engine;
import io.cojson.storage.engine.internal.Op;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The synchronous MapDB storage: every write is one storage transaction run inline on the calling
 * thread (serialized with other writers), so the returned future is already complete — successfully
 * only after the commit. The recovery unit runs inline too, so the caller can swap memory right
 * after it returns (recovery.md §5.4, sync storage path).
 */
public final class MapDbStorage extends BaseMapDbStorage {

    private MapDbStorage(Engine engine, StorageOptions options) {
        super(engine, options);
    }

    /** Opens (creating if needed) the store in {@code dir}; fails with {@link StorageLockedException} if another writer has it. */
    public static MapDbStorage open(Path dir) {
        return open(dir, StorageOptions.defaults());
    }

    public static MapDbStorage open(Path dir, StorageOptions options) {
        return new MapDbStorage(Engine.open(dir, options.syncOnCommit()), options);
    }

    @SuppressWarnings("unchecked")
    private <T> CompletableFuture<T> run(Op op) {
        try {
            return CompletableFuture.completedFuture((T) engine.commit(List.of(op)).get(0));
        } catch (RuntimeException e) {
            engine.failWaiters(op.id(), e);
            return Compat.failedFuture(e);
        }
    }

    @Override
    public CompletableFuture<StoreResult> store(ContentPiece piece, Correction correction) {
        return run(new Op.Store(piece, epochsOf(piece), correction));
    }

    @Override
    public CompletableFuture<ReplaceResult> replaceSession(SessionReplacement r) {
        return run(new Op.Replace(r, engine.chainEpoch(r.id(), r.session()) + 1));
    }

    @Override
    public CompletableFuture<Void> markDeleted(RawCoID id) {
        return run(new Op.MarkDeleted(id));
    }

    @Override
    public CompletableFuture<Integer> eraseDeleted() {
        int n = 0;
        try {
            for (RawCoID id : engine.deletedPendingErase()) {
                if ((Boolean) engine.commit(List.of(new Op.Erase(id))).get(0)) n++;
            }
        } catch (RuntimeException e) {
            return Compat.failedFuture(e);
        }
        return CompletableFuture.completedFuture(n);
    }

    @Override
    public CompletableFuture<Void> flush() {
        return CompletableFuture.completedFuture(null);
    }

    /** Nothing is ever queued: closing releases the files and the lock at once. */
    @Override
    public CloseReport close(Duration budget) {
        engine.close();
        return new CloseReport(0, 0, Set.of());
    }
}
