package io.cojson.sync;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.knownstate.KnownState;
import io.cojson.core.node.ContentPiece;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What the sync protocol needs from persistent storage (the reference's {@code StorageAPI},
 * sync-protocol §11, reduced to loading and storing). Implementations may complete the futures on
 * any thread. Only verified content is handed to {@link #store}; storage need not verify again.
 */
public interface SyncStorage {

    /**
     * Everything stored of {@code id} as pieces in order (the first with the header, sessions cut
     * at checkpoint signatures), or an empty list when it is not stored.
     */
    CompletableFuture<List<ContentPiece>> load(RawCoID id);

    /**
     * Persists a verified piece and completes after the commit with what storage then holds of the
     * CoValue. A session piece that starts beyond the stored count (a gap) is not stored; the
     * returned state shows it and the caller sends what is missing.
     */
    CompletableFuture<KnownState> store(ContentPiece piece);

    /**
     * The node validated a delete of {@code id} (covalues.md §8.7): storage may keep only its
     * tombstone from now on. Called after the delete session was handed to {@link #store}.
     */
    default CompletableFuture<Void> deleted(RawCoID id) {
        return CompletableFuture.completedFuture(null);
    }

    /**
     * Whether this storage keeps the durability-window marker of recovery.md §13; then the sync
     * layer calls the two methods below. Storage that does not answers false and never hears of it.
     */
    default boolean tracksDurabilityWindow() {
        return false;
    }

    /** Names {@code coValueID sessionID} entries as sent to a peer before their store committed; before the send. */
    default void markDurabilityWindow(java.util.Set<String> entries) {
    }

    /** Everything named so far has been committed. */
    default void clearDurabilityWindow() {
    }
}
