package io.cojson.storage.engine;

import io.cojson.core.header.CoValueHeader;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.knownstate.KnownState;
import io.cojson.core.node.ContentPiece;
import io.cojson.storage.StorageException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Durable storage of CoValues (sync-protocol.md §11): headers, per-session transactions, the last
 * and the checkpoint signatures, deletion tombstones and the recovery journal, in one directory.
 *
 * <p>Every write is one atomic unit (reliability.md RL-11) and returns a future that completes only
 * after the commit containing it — or exceptionally with a {@link StorageException}, in which case
 * nothing of it is stored. {@link MapDbStorage} runs each unit inline on the calling thread (its
 * futures are complete on return); {@link AsyncMapDbStorage} runs them in order on one writer thread
 * behind a bounded queue.
 *
 * <p>Storage never verifies signatures: it is handed verified content and hands back what it
 * stored, which the receiving node verifies again on import.
 */
public interface CoValueStorage extends AutoCloseable {

    /** The store's directory. */
    Path directory();

    /**
     * Stores a content piece: the header if new, and per session the transactions beyond what is
     * stored. A piece that assumes more than is stored completes with
     * {@link StoreResult.Status#NEEDS_CORRECTION} (what fits is stored).
     */
    CompletableFuture<StoreResult> store(ContentPiece piece);

    /** As {@link #store(ContentPiece)}; what storage lacks is asked from {@code correction} and stored in the same unit. */
    CompletableFuture<StoreResult> store(ContentPiece piece, Correction correction);

    /** Runs a recovery unit (recovery.md §5.4), ordered after everything enqueued before it. */
    CompletableFuture<ReplaceResult> replaceSession(SessionReplacement replacement);

    /** Records that the node validated a delete of {@code id}: from now on only its tombstone is stored and served. */
    CompletableFuture<Void> markDeleted(RawCoID id);

    /** Erases everything but the header and the delete sessions of every deleted CoValue, one unit each; completes with how many. */
    CompletableFuture<Integer> eraseDeleted();

    /** Completes when everything enqueued before it has been committed (or failed). */
    CompletableFuture<Void> flush();

    /**
     * Completes when storage holds at least {@code target} (header, and per session at least that
     * many transactions); fails if the store closes first or a write for that CoValue fails.
     */
    CompletableFuture<KnownState> whenStored(KnownState target);

    /**
     * Streams a stored CoValue on the calling thread: pieces end at stored signatures, the first
     * carries the header, each session's ranges arrive in order, a piece holds roughly 100 KB at
     * most (more only when one signed range is larger). A deleted CoValue is served as its
     * tombstone (header and delete sessions). Damaged sessions are left out and listed in the
     * result. {@code onPiece} must not wait for this storage's writes to complete.
     */
    LoadResult load(RawCoID id, Consumer<ContentPiece> onPiece);

    /** What storage holds of {@code id} (committed state; {@link KnownState#empty} when absent). */
    KnownState knownState(RawCoID id);

    /** The stored header, if the CoValue is stored. */
    Optional<CoValueHeader> header(RawCoID id);

    /** Stored CoValue IDs in a stable order (by ID), for paging through large stores. */
    List<RawCoID> coValueIDs(int offset, int limit);

    int coValueCount();

    boolean isDeleted(RawCoID id);

    /** The whole recovery journal (every CoValue), by CoValue, session and round. */
    List<RecoveryJournalEntry> journal();

    /** The recovery journal of a CoValue, by session and round. */
    List<RecoveryJournalEntry> journal(RawCoID id);

    /** The in-memory chain epoch of a session: stamped on every write of it when the write is created. */
    long chainEpoch(RawCoID id, SessionID session);

    /** Moves the in-memory chain epoch forward at the memory swap after a recovery unit (never backwards). */
    void advanceChainEpoch(RawCoID id, SessionID session, long epoch);

    /**
     * Whether the process that had this store open before this one ended without closing it (killed,
     * crashed, power loss): local writes it had sent to peers may be missing here, so its session is
     * at risk of forking if reused (recovery.md §13). Fixed when the store opens.
     */
    boolean previousShutdownUnclean();

    /**
     * Sessions whose queued writes were dropped by an earlier close that ran out of time (as
     * {@code coValueID sessionID}); they may have lost a tail that peers already have.
     */
    Set<String> atRiskSessions();

    /**
     * Adds at-risk entries ({@code coValueID sessionID}, or {@code * sessionID} for every CoValue):
     * kept until {@link #clearAtRisk()}, so a session the node stopped using after an unclean
     * shutdown is not taken up again by a later, clean run (recovery.md §13).
     */
    void markAtRisk(Set<String> entries);

    /** Forgets the at-risk sessions once the node has dealt with them. */
    void clearAtRisk();

    /** Forgets some at-risk entries (their CoValue was verified against a server since, recovery.md §4.2 T4). */
    void removeAtRisk(Set<String> entries);

    /**
     * After an unclean shutdown: whether the previous process recorded its durability windows
     * ({@link #trackDurabilityWindow}). Then {@link #atRiskSessions()} already names every
     * {@code coValueID sessionID} whose content went to a peer before it was stored, and a session
     * it does not name lost nothing a peer has; otherwise every session of that process is at risk.
     */
    boolean previousWindowsKnown();

    /**
     * The durability window of recovery.md §13: from this call on, the sync layer names (with
     * {@link #markDurabilityWindow}) each local {@code coValueID sessionID} it sends before storage
     * committed it, and clears the window once storage caught up. Cheap: a small file beside the
     * database, plain appends outside the write queue. An unclean shutdown turns what it names into
     * at-risk entries at the next open.
     */
    void trackDurabilityWindow();

    /** Whether {@link #trackDurabilityWindow} was called on this open store. */
    boolean tracksDurabilityWindow();

    /** Names {@code coValueID sessionID} entries as sent to a peer and not yet committed here; before the send. */
    void markDurabilityWindow(Set<String> entries);

    /** Everything named so far has been committed: the window is closed. */
    void clearDurabilityWindow();

    /**
     * The session registry (recovery.md §4.3): the session IDs this installation has written with,
     * current and previous. Kept in a small file beside the database, outside the write queue.
     */
    Set<SessionID> ownSessions();

    /** Adds {@code session} to the session registry; durable when this returns (before the session writes anything). */
    void recordOwnSession(SessionID session);

    /**
     * The conflict records of recovery.md §11, as opaque single-line texts (the sync layer owns
     * their format), in a small file beside the database, outside the write queue.
     */
    List<String> conflictRecords();

    /** Replaces every conflict record; durable when this returns (a crash leaves the old or the new list). */
    void writeConflictRecords(List<String> records);

    /**
     * The records of edits discarded because their CoValue was deleted (recovery.md §11
     * {@code DISCARDED_DELETED}), in the order written. Opaque one-line texts (the sync layer's
     * JSON); kept in a small file beside the database like the session registry.
     */
    List<String> discardedDeleted();

    /** Adds a record (an exact repeat is kept once); durable when this returns. */
    void recordDiscardedDeleted(String record);

    /**
     * How many transactions of each own session a server acknowledged, per CoValue, as this
     * installation recorded them ({@code "coValueID sessionID"} → count): what a deletion learned
     * later does not discard silently (recovery.md §5.3). Kept in a small file beside the database.
     */
    Map<String, Integer> serverAcknowledged();

    /** Merges acknowledgements (the maximum per key wins); durable when this returns. */
    void recordServerAcknowledged(Map<String, Integer> acknowledged);

    /** Checks every record's checksum and that sessions, transactions and signatures agree. */
    IntegrityReport verifyIntegrity();

    /** Closes within {@link StorageOptions#closeBudget()}, flushing queued writes first. */
    @Override
    void close();

    /** Closes within {@code budget}: queued writes are committed until it runs out, the rest fail. */
    CloseReport close(Duration budget);
}
