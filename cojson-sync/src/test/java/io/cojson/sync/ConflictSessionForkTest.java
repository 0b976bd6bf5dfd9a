package io.cojson.sync;

import static io.cojson.sync.ForkedSession.set;
import static io.cojson.sync.SyncTestKit.await;
import static io.cojson.sync.SyncTestKit.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.covalue.CoValueCore;
import io.cojson.core.ids.SessionID;
import io.cojson.core.node.ContentPiece;
import io.cojson.core.node.ContentPiece.SessionPiece;
import io.cojson.core.node.LocalNode;
import io.cojson.core.session.AddResult;
import io.cojson.core.session.SessionLog;
import io.cojson.core.session.Transaction;
import io.cojson.storage.engine.RecoveryJournalEntry;
import io.cojson.storage.engine.MapDbStorage;
import io.cojson.storage.engine.NodePersistence;
import io.cojson.sync.recovery.ConflictRecord;
import io.cojson.sync.recovery.RecoveryCoordinator;
import io.cojson.sync.recovery.RecoveryState;
import io.cojson.sync.recovery.SessionRegistry;
import io.cojson.sync.storage.CoValueSyncStorage;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * recovery.md §5.8: a conflict session S! that forks itself (two installations writing the same
 * S!, e.g. from a shared storage copy) is not recovered into S!!: its divergent tail is re-signed
 * into a brand-new active session of this installation, S! takes the server's version, and
 * nothing either side wrote is lost.
 */
class ConflictSessionForkTest {
    @TempDir
    Path dir;
    private final ForkedSession f = new ForkedSession();
    private final SessionID s = f.alice.sessionID();
    private final SessionID c = s.conflictSession();
    private MapDbStorage disk;
    private CoValueSyncStorage syncStorage;
    private SyncManager sync;
    private RecoveryCoordinator rc;

    @AfterEach
    void close() {
        if (rc != null) rc.close();
        if (sync != null) sync.close();
        if (syncStorage != null) syncStorage.close();
        if (disk != null) disk.close();
    }

    /** One signed transaction setting {@code key} in S! of the map, imported into {@code node}. */
    private void writeInConflictSession(LocalNode node, String key, String value) {
        SessionPiece piece = node.locked(() -> {
            CoValueCore core = node.require(f.map);
            SessionLog existing = core.sessions().get(c);
            SessionLog log = existing == null ? new SessionLog(node.crypto(), c, node.agentID().signer()) : existing.copy();
            int base = log.size();
            node.appendSigned(log, "[{\"op\":\"set\",\"key\":\"" + key + "\",\"value\":\"" + value + "\"}]", System.currentTimeMillis(), null);
            return new SessionPiece(c, base, List.copyOf(log.transactions().subList(base, log.size())), log.lastSignature().value());
        });
        for (AddResult r : node.importContent(new ContentPiece(f.map, null, List.of(piece)))) assertTrue(r.isAdded(), r.toString());
    }

    private List<Transaction> log(LocalNode node, SessionID session) {
        return node.locked(() -> {
            SessionLog l = node.require(f.map).sessions().get(session);
            return l == null ? List.<Transaction>of() : List.copyOf(l.transactions());
        });
    }

    /** The second installation on its own disk (S its own session), syncing, with recovery; the server a raw peer. */
    private RawPeer installed(LocalNode restarted) {
        disk = MapDbStorage.open(dir);
        try (NodePersistence p = NodePersistence.attach(restarted, disk)) {
            get(p.persistedAll());
        }
        disk.recordOwnSession(s);
        syncStorage = CoValueSyncStorage.of(disk);
        sync = SyncManager.create(restarted, SyncOptions.defaults().withStorage(syncStorage));
        rc = RecoveryCoordinator.install(sync, SessionRegistry.of(disk), disk, RecoveryCoordinator.Options.defaults());
        return RawPeer.attach(sync, "server", PeerRole.SERVER);
    }

    @Test
    @DisplayName("§5.8 a SignatureMismatch on S!: the divergent S! tail goes into a new random session of ours (registered, journaled, recorded), S! becomes the server's, every edit stays")
    void aForkedConflictSessionIsResignedIntoANewSession() throws Exception {
        set(f.alice, f.map, "title", "Task");
        writeInConflictSession(f.alice, "kept", "shared");
        LocalNode restarted = f.restart(); // the second installation, from a copy of the first one's data
        writeInConflictSession(f.alice, "theirs", "server"); // what the server holds of S!
        writeInConflictSession(restarted, "mine", "local"); // S! forks at index 1

        RawPeer server = installed(restarted);
        List<SessionPiece> version = f.alice.locked(() -> MismatchReports.wholeSession(f.alice.require(f.map).sessions().get(c)));
        server.send(SyncMessage.SignatureMismatch.of(f.map, c, version, "test"));

        await("recovery of S! DONE", () -> rc.status(f.map, c).state() == RecoveryState.DONE);
        assertEquals(log(f.alice, c), log(restarted, c), "S! is the server's version");
        SessionID fresh = restarted.locked(() -> {
            SessionID found = null;
            for (SessionID x : restarted.require(f.map).sessions().keySet()) {
                assertFalse(x.value().endsWith("!!"), "never a conflict session of a conflict session: " + x);
                if (!x.equals(s) && !x.equals(c)) found = x;
            }
            return found;
        });
        assertNotNull(fresh, "a new session holds the divergent tail");
        assertFalse(fresh.isConflictSession());
        assertEquals(s.author(), fresh.author(), "a session of the same account");
        assertTrue(disk.ownSessions().contains(fresh), "recorded as this installation's session");
        assertEquals(1, log(restarted, fresh).size());
        assertTrue(((Transaction.Trusting) log(restarted, fresh).get(0)).changes().contains("\"mine\""));
        String json = SyncTestKit.mapJson(restarted, f.map);
        for (String field : List.of("\"title\":\"Task\"", "\"kept\":\"shared\"", "\"theirs\":\"server\"", "\"mine\":\"local\"")) {
            assertTrue(json.contains(field), field + " in " + json);
        }

        assertEquals(2, disk.knownState(f.map).count(c), "storage holds the server's S!");
        assertEquals(1, disk.knownState(f.map).count(fresh), "and the new session, in the same unit");
        List<RecoveryJournalEntry> journal = disk.journal(f.map);
        assertEquals(1, journal.size());
        assertEquals(c, journal.get(0).session());
        assertEquals(fresh, journal.get(0).conflictSession());
        assertEquals(journal.get(0), RecoveryJournalEntry.fromJson(journal.get(0).toJson()), "the journal keeps where the tail went");
        ConflictRecord record = rc.conflicts().all().get(0);
        assertEquals(c, record.session());
        assertEquals(fresh, record.conflictSession(), "reported: the record names the new session");

        await("the new session goes to the server", () -> {
            SyncMessage m = server.next();
            return m instanceof SyncMessage.Content content && content.impliedKnownState().count(fresh) == 1;
        });
    }

    @Test
    @DisplayName("§5.8 a longer S! from the server that does not verify against ours (no SignatureMismatch message: T2) is recovered the same way, not left stuck")
    void aLongerForkedConflictSessionSentByTheServerIsRecoveredToo() throws Exception {
        set(f.alice, f.map, "title", "Task");
        writeInConflictSession(f.alice, "kept", "shared");
        LocalNode restarted = f.restart();
        writeInConflictSession(f.alice, "theirs", "server");
        writeInConflictSession(f.alice, "more", "server"); // the server's S! is longer: 3
        writeInConflictSession(restarted, "mine", "local"); // ours: 2, forked at index 1

        RawPeer server = installed(restarted);
        // what the server sends a peer it believes holds our 2 transactions of S!: the third, which does not verify here
        io.cojson.core.knownstate.KnownState ours = SyncTestKit.known(restarted, f.map);
        for (SyncMessage.Content m : ForkedSession.contentSince(f.alice, f.map, ours)) server.send(m);
        // the verification fetch: a load that leaves S! out; the server answers with all of its S!
        await("the client fetches the server's S!", () -> server.next() instanceof SyncMessage.Load l
                && l.knownState().id().equals(f.map) && l.knownState().count(c) == 0);
        for (SyncMessage.Content m : ForkedSession.contentSince(f.alice, f.map, null)) server.send(m);

        await("recovery of S! DONE", () -> rc.status(f.map, c).state() == RecoveryState.DONE);
        assertEquals(log(f.alice, c), log(restarted, c), "S! is the server's version");
        String json = SyncTestKit.mapJson(restarted, f.map);
        for (String field : List.of("\"kept\":\"shared\"", "\"theirs\":\"server\"", "\"more\":\"server\"", "\"mine\":\"local\"")) {
            assertTrue(json.contains(field), field + " in " + json);
        }
        assertEquals(c, rc.conflicts().all().get(0).session());
        assertFalse(rc.conflicts().all().get(0).conflictSession().isConflictSession(), "re-signed into a new active session");
    }
}
