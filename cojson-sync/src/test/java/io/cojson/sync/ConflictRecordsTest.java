package io.cojson.sync;

import static io.cojson.sync.ForkedSession.set;
import static io.cojson.sync.SyncTestKit.await;
import static io.cojson.sync.SyncTestKit.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.ids.SessionID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import io.cojson.core.node.LocalNode;
import io.cojson.core.node.Subscription;
import io.cojson.storage.engine.MapDbStorage;
import io.cojson.storage.engine.NodePersistence;
import io.cojson.sync.recovery.ConflictRecord;
import io.cojson.sync.recovery.ConflictRecords;
import io.cojson.sync.recovery.ConflictResolver;
import io.cojson.sync.recovery.ConflictStatus;
import io.cojson.sync.recovery.RecoveryCoordinator;
import io.cojson.sync.recovery.RecoveryState;
import io.cojson.sync.storage.CoValueSyncStorage;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Conflicts as the application sees them (recovery.md §11) after a real in-process recovery of a
 * forked CoMap session: alice's disk had {title}, the server got {title, status}, the restarted
 * node wrote {assignee, archived} into the same session; recovery moves those two into S!.
 */
class ConflictRecordsTest {
    @TempDir
    Path dir;
    private final ForkedSession f = new ForkedSession();
    private final SessionID s = f.alice.sessionID();
    private LocalNode restarted;
    private MapDbStorage disk;
    private CoValueSyncStorage syncStorage;
    private SyncManager sync;
    private RecoveryCoordinator rc;
    private final List<ConflictRecord> nodeWide = new CopyOnWriteArrayList<>();
    private final List<ConflictRecord> perValue = new CopyOnWriteArrayList<>();
    private Subscription nodeToken;

    @BeforeEach
    void forkAndRecover() {
        set(f.alice, f.map, "title", "Task");
        set(f.alice, f.map, "assignee", "carol");
        restarted = f.restart();
        disk = MapDbStorage.open(dir);
        try (NodePersistence p = NodePersistence.attach(restarted, disk)) {
            get(p.persistedAll());
        }
        set(f.alice, f.map, "status", "review"); // what the server holds
        syncStorage = CoValueSyncStorage.of(disk);
        sync = SyncManager.create(restarted, SyncOptions.defaults().withStorage(syncStorage));
        rc = RecoveryCoordinator.install(sync, disk);
        nodeToken = rc.conflicts().onRecord(nodeWide::add, false);
        rc.conflicts().onRecord(f.map, perValue::add, false);
        set(restarted, f.map, "assignee", "bob");
        set(restarted, f.map, "archived", "false");
        get(sync.flush());
        RawPeer server = RawPeer.attach(sync, "server", PeerRole.SERVER);
        server.send(SyncMessage.SignatureMismatch.of(f.map, s,
                f.alice.locked(() -> MismatchReports.wholeSession(f.alice.require(f.map).sessions().get(s))), "test"));
        await("recovered", () -> rc.status(f.map, s).state() == RecoveryState.DONE);
    }

    @AfterEach
    void close() {
        rc.close();
        sync.close();
        syncStorage.close();
        if (disk != null) disk.close();
    }

    @Test
    void recoveryWritesOneRecordWithEveryField() {
        List<ConflictRecord> all = rc.conflicts().all();
        assertEquals(1, all.size());
        ConflictRecord r = all.get(0);
        assertEquals(f.map, r.coValueId());
        assertEquals(s, r.session());
        assertEquals(s.conflictSession(), r.conflictSession());
        assertEquals(1, r.round());
        assertEquals("server-error", r.trigger());
        assertEquals("server", r.sourcePeer());
        assertEquals(2, r.commonPrefix());
        assertEquals(3, r.serverLength());
        assertEquals(2, r.divergent());
        assertEquals(0, r.conflictFrom());
        assertEquals(2, r.conflictTo());
        assertEquals(ConflictStatus.PRESERVED, r.status());
        assertTrue(r.detectedAt() > 0 && r.committedAt() >= r.detectedAt(), r.toJson());
        assertEquals(List.of(r), nodeWide, "the node listener fired exactly once");
        assertEquals(List.of(r), perValue, "the value listener fired exactly once");
        assertEquals(List.of(r), rc.conflicts().forValue(f.map));
        assertTrue(rc.conflicts().forValue(f.group).isEmpty());
        assertEquals(r, rc.conflicts().byId(r.recordId()).orElseThrow());
        assertEquals(r, ConflictRecord.fromJson(r.toJson()));
    }

    @Test
    void acknowledgeIsPersistedAndSurvivesReopening() {
        ConflictRecord r = rc.conflicts().all().get(0);
        nodeToken.close();
        List<ConflictRecord> replayed = new CopyOnWriteArrayList<>();
        rc.conflicts().onRecord(f.map, replayed::add, true);
        ConflictRecord acked = new ConflictResolver(restarted, rc.conflicts()).acknowledge(r);
        assertEquals(ConflictStatus.ACKNOWLEDGED, acked.status());
        assertEquals(List.of(r), nodeWide, "a closed token gets nothing more");
        assertEquals(List.of(r, acked), perValue);
        assertEquals(List.of(r, acked), replayed, "replay first, then the status change");
        assertEquals("{\"title\":\"Task\",\"assignee\":\"bob\",\"status\":\"review\",\"archived\":\"false\"}",
                SyncTestKit.mapJson(restarted, f.map), "acknowledging changes no content");

        rc.close();
        sync.close();
        syncStorage.close();
        disk.close();
        disk = MapDbStorage.open(dir);
        List<ConflictRecord> reread = ConflictRecords.of(disk).all();
        assertEquals(List.of(acked), reread);
        assertThrows(IllegalArgumentException.class, () -> ConflictRecords.of(disk).setStatus("nope", ConflictStatus.ACKNOWLEDGED, null));
    }

    @Test
    void aRecordLostBetweenTheUnitCommitAndItsWriteIsRebuiltFromTheJournalAtTheNextStart() {
        ConflictRecord written = rc.conflicts().all().get(0);
        disk.writeConflictRecords(List.of()); // what a kill right after the recovery unit's commit leaves
        rc.close();
        sync.close();
        syncStorage.close();
        disk.close();
        disk = MapDbStorage.open(dir);
        syncStorage = CoValueSyncStorage.of(disk);
        sync = SyncManager.create(f.restart(), SyncOptions.defaults().withStorage(syncStorage));
        rc = RecoveryCoordinator.install(sync, disk);
        await("reconciled", () -> rc.conflicts().all().size() == 1);
        ConflictRecord r = rc.conflicts().all().get(0);
        assertEquals(written.recordId(), r.recordId());
        assertEquals(ConflictStatus.PRESERVED, r.status());
        assertNull(r.sourcePeer(), "the journal does not know the peer");
        assertEquals(List.of(written.commonPrefix(), written.serverLength(), written.divergent(), written.conflictFrom(), written.conflictTo()),
                List.of(r.commonPrefix(), r.serverLength(), r.divergent(), r.conflictFrom(), r.conflictTo()));
        RecoveryCoordinator again = RecoveryCoordinator.install(sync, disk);
        again.close();
        assertEquals(1, ConflictRecords.of(disk).all().size(), "reconciling twice adds nothing");
    }

    /** The README's example, as written there (an app that asks the user, then prefers the server for maps). */
    private static Subscription readmeExample(RecoveryCoordinator recovery, LocalNode node, List<String> shown) {
        ConflictResolver resolver = new ConflictResolver(node, recovery.conflicts());
        return recovery.conflicts().onRecord(record -> {
            if (record.status() != ConflictStatus.PRESERVED) return; // only new rounds
            JsonValue before = ConflictResolver.jsonWithoutConflicts(node, record.coValueId());
            shown.add(record.divergent() + " offline edits kept; without them: " + JsonWriter.stringify(before));
            resolver.preferServer(record); // or resolver.acknowledge(record), or edit and resolver.markResolved(record)
        }, true); // replay records of earlier runs too
    }

    @Test
    void theReadmeExampleRunsAgainstARealRecovery() {
        List<String> shown = new CopyOnWriteArrayList<>();
        try (Subscription token = readmeExample(rc, restarted, shown)) {
            assertEquals(List.of("2 offline edits kept; without them: {\"title\":\"Task\",\"assignee\":\"carol\",\"status\":\"review\"}"), shown);
        }
        assertEquals(ConflictStatus.RESOLVED_SERVER, rc.conflicts().all().get(0).status());
        assertEquals("{\"title\":\"Task\",\"assignee\":\"carol\",\"status\":\"review\"}", SyncTestKit.mapJson(restarted, f.map));
    }

    @Test
    void inspectionDecodesEachKeyOfTheRound() {
        ConflictRecord r = rc.conflicts().all().get(0);
        assertEquals("{\"type\":\"comap\",\"keys\":[{\"key\":\"assignee\",\"fromConflict\":\"bob\",\"withoutConflict\":\"carol\",\"current\":\"bob\"},"
                + "{\"key\":\"archived\",\"fromConflict\":\"false\",\"withoutConflict\":null,\"current\":\"false\"}]}",
                JsonWriter.stringify(io.cojson.sync.recovery.ConflictInspection.inspect(restarted, r)));
    }

    @Test
    void viewWithoutConflictsLeavesOutTheConflictSession() {
        assertEquals("{\"title\":\"Task\",\"assignee\":\"carol\",\"status\":\"review\"}",
                JsonWriter.stringify(ConflictResolver.jsonWithoutConflicts(restarted, f.map)));
        assertEquals("{\"title\":\"Task\",\"assignee\":\"bob\",\"status\":\"review\",\"archived\":\"false\"}",
                SyncTestKit.mapJson(restarted, f.map), "normal reads still show the merged state");
    }

    @Test
    void preferServerWritesCompensatingTransactionsForTheMap() {
        ConflictRecord r = rc.conflicts().all().get(0);
        ConflictResolver.Outcome out = new ConflictResolver(restarted, rc.conflicts()).preferServer(r);
        assertEquals(1, out.written());
        assertTrue(out.notReverted().isEmpty(), out.notReverted().toString());
        assertEquals(ConflictStatus.RESOLVED_SERVER, out.record().status());
        assertNull(out.record().reason());
        assertEquals("{\"title\":\"Task\",\"assignee\":\"carol\",\"status\":\"review\"}", SyncTestKit.mapJson(restarted, f.map));
        assertEquals(2, restarted.locked(() -> restarted.require(f.map).sessions().get(s.conflictSession()).size()),
                "S! is never rewritten: the compensation is a new transaction");
        assertEquals(ConflictStatus.RESOLVED_SERVER, ConflictRecords.of(disk).all().get(0).status());
    }

    @Test
    @org.junit.jupiter.api.DisplayName("RA-12 Conflict API: one record (2 divergent, keys decoded); prefer server compensates and bob sees it; "
            + "the status survives a restart; replaying the trigger creates no new record")
    void RA12_conflictApiEndToEnd() {
        List<ConflictRecord> records = rc.conflicts().all();
        assertEquals(1, records.size());
        ConflictRecord r = records.get(0);
        assertEquals(2, r.divergent());
        JsonValue.Obj inspected = (JsonValue.Obj) io.cojson.sync.recovery.ConflictInspection.inspect(restarted, r);
        List<String> keys = ((JsonValue.Arr) inspected.get("keys")).items().stream()
                .map(k -> ((JsonValue.Str) ((JsonValue.Obj) k).get("key")).value()).toList();
        assertEquals(List.of("assignee", "archived"), keys);

        // bob, a reader of the map's group, follows alice live (her node is his server here).
        LocalNode bob = io.cojson.core.node.Accounts.create(SyncTestKit.CRYPTO, "Bob");
        for (var id : bob.ids()) for (var piece : bob.exportContent(id)) restarted.importContent(piece);
        io.cojson.core.node.GroupOperations.addMember(restarted, f.group, bob.accountID().value(), io.cojson.core.groups.Roles.READER);
        SyncManager bobSync = SyncManager.create(bob);
        try {
            SyncTestKit.connect(bobSync, sync);
            get(bobSync.load(f.map));
            await("bob sees the merged state", () -> "{\"title\":\"Task\",\"assignee\":\"bob\",\"status\":\"review\",\"archived\":\"false\"}"
                    .equals(SyncTestKit.mapJson(bob, f.map)));
            ConflictResolver.Outcome out = new ConflictResolver(restarted, rc.conflicts()).preferServer(r);
            assertEquals(ConflictStatus.RESOLVED_SERVER, out.record().status());
            String serverValues = "{\"title\":\"Task\",\"assignee\":\"carol\",\"status\":\"review\"}";
            assertEquals(serverValues, SyncTestKit.mapJson(restarted, f.map), "assignee back to carol, archived removed");
            await("bob sees the compensation", () -> serverValues.equals(SyncTestKit.mapJson(bob, f.map)));
        } finally {
            bobSync.close();
        }

        // Restart: the record and its status come back from storage; the same report again is no new round.
        rc.close();
        sync.close();
        syncStorage.close();
        disk.close();
        disk = MapDbStorage.open(dir);
        assertEquals(ConflictStatus.RESOLVED_SERVER, ConflictRecords.of(disk).all().get(0).status());
        syncStorage = CoValueSyncStorage.of(disk);
        sync = SyncManager.create(restarted, SyncOptions.defaults().withStorage(syncStorage));
        rc = RecoveryCoordinator.install(sync, disk);
        RawPeer server = RawPeer.attach(sync, "server", PeerRole.SERVER);
        server.send(SyncMessage.SignatureMismatch.of(f.map, s,
                f.alice.locked(() -> MismatchReports.wholeSession(f.alice.require(f.map).sessions().get(s))), "test"));
        await("the replayed report handled", () -> rc.status(f.map, s).state() == RecoveryState.DONE);
        assertTrue(rc.status(f.map, s).outcome() != io.cojson.sync.recovery.ForkConfirmation.Outcome.FORK, rc.status(f.map, s).toString());
        assertEquals(1, rc.conflicts().all().size(), "no new record");
        assertEquals(ConflictStatus.RESOLVED_SERVER, rc.conflicts().all().get(0).status());
        assertEquals(1, disk.journal(f.map).size(), "no new journal round");
    }
}
