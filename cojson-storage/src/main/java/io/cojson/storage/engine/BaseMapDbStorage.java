package io.cojson.storage.engine;

import io.cojson.core.header.CoValueHeader;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.internal.Compat;
import io.cojson.core.knownstate.KnownState;
import io.cojson.core.node.ContentPiece;
import io.cojson.storage.engine.internal.Engine;
import io.cojson.storage.engine.internal.Integrity;
import io.cojson.storage.engine.internal.Streamer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** The reads shared by the synchronous and the asynchronous MapDB storage. */
abstract class BaseMapDbStorage implements CoValueStorage {
    final Engine engine;
    final StorageOptions options;
    private final Streamer streamer;

    BaseMapDbStorage(Engine engine, StorageOptions options) {
        this.engine = engine;
        this.options = options;
        this.streamer = new Streamer(engine);
    }

    @Override
    public Path directory() {
        return engine.dir();
    }

    /** The chain epochs of the piece's sessions now (stamped on a write when it is created). */
    Map<SessionID, Long> epochsOf(ContentPiece piece) {
        Map<SessionID, Long> m = new LinkedHashMap<>();
        for (ContentPiece.SessionPiece s : piece.sessions()) m.put(s.sessionID(), engine.chainEpoch(piece.id(), s.sessionID()));
        return m;
    }

    @Override
    public CompletableFuture<StoreResult> store(ContentPiece piece) {
        return store(piece, null);
    }

    @Override
    public CompletableFuture<KnownState> whenStored(KnownState target) {
        return engine.whenStored(target);
    }

    @Override
    public LoadResult load(RawCoID id, Consumer<ContentPiece> onPiece) {
        return streamer.load(id, onPiece);
    }

    @Override
    public KnownState knownState(RawCoID id) {
        return engine.knownState(id);
    }

    @Override
    public Optional<CoValueHeader> header(RawCoID id) {
        return Optional.ofNullable(engine.header(id));
    }

    @Override
    public List<RawCoID> coValueIDs(int offset, int limit) {
        return engine.coValueIDs(offset, limit);
    }

    @Override
    public int coValueCount() {
        return engine.coValueCount();
    }

    @Override
    public boolean isDeleted(RawCoID id) {
        return engine.isDeleted(id);
    }

    @Override
    public List<RecoveryJournalEntry> journal(RawCoID id) {
        return engine.journal(id);
    }

    @Override
    public List<RecoveryJournalEntry> journal() {
        return engine.journal();
    }

    @Override
    public long chainEpoch(RawCoID id, SessionID session) {
        return engine.chainEpoch(id, session);
    }

    @Override
    public void advanceChainEpoch(RawCoID id, SessionID session, long epoch) {
        engine.advanceChainEpoch(id, session, epoch);
    }

    @Override
    public boolean previousShutdownUnclean() {
        return engine.uncleanShutdown();
    }

    @Override
    public Set<String> atRiskSessions() {
        return engine.atRisk();
    }

    @Override
    public void markAtRisk(Set<String> entries) {
        engine.writeAtRisk(entries);
    }

    @Override
    public void clearAtRisk() {
        engine.clearAtRisk();
    }

    @Override
    public void removeAtRisk(Set<String> entries) {
        engine.removeAtRisk(entries);
    }

    @Override
    public boolean previousWindowsKnown() {
        return engine.previousWindowsKnown();
    }

    @Override
    public void trackDurabilityWindow() {
        engine.trackDurabilityWindow();
    }

    @Override
    public boolean tracksDurabilityWindow() {
        return engine.tracksDurabilityWindow();
    }

    @Override
    public void markDurabilityWindow(Set<String> entries) {
        engine.markDurabilityWindow(entries);
    }

    @Override
    public void clearDurabilityWindow() {
        engine.clearDurabilityWindow();
    }

    @Override
    public Set<SessionID> ownSessions() {
        Set<SessionID> out = new java.util.LinkedHashSet<>();
        for (String s : engine.ownSessions()) if (!Compat.isBlank(s)) out.add(new SessionID(s));
        return out;
    }

    @Override
    public java.util.List<String> discardedDeleted() {
        return java.util.List.copyOf(engine.discardedRecords());
    }

    @Override
    public void recordDiscardedDeleted(String record) {
        if (Compat.isBlank(record) || record.contains("\n")) throw new IllegalArgumentException("a record is one non-empty line");
        engine.recordDiscarded(record);
    }

    @Override
    public java.util.Map<String, Integer> serverAcknowledged() {
        return engine.acknowledged();
    }

    @Override
    public void recordServerAcknowledged(java.util.Map<String, Integer> acknowledged) {
        for (String k : acknowledged.keySet()) {
            if (Compat.isBlank(k) || k.contains("\n") || k.indexOf(' ') <= 0) throw new IllegalArgumentException("not a \"coValueID sessionID\" key: " + k);
        }
        engine.recordAcknowledged(acknowledged);
    }

    @Override
    public void recordOwnSession(SessionID session) {
        engine.recordOwnSessions(Set.of(session.value()));
    }

    @Override
    public List<String> conflictRecords() {
        return engine.conflictRecords();
    }

    @Override
    public void writeConflictRecords(List<String> records) {
        engine.writeConflictRecords(records);
    }

    @Override
    public IntegrityReport verifyIntegrity() {
        return Integrity.check(engine);
    }

    @Override
    public void close() {
        close(options.closeBudget());
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + engine.dir() + "]";
    }
}
