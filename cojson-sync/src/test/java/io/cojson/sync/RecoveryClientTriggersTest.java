package io.cojson.sync;

import static io.cojson.sync.ForkedSession.set;
import static io.cojson.sync.SyncTestKit.CRYPTO;
import static io.cojson.sync.SyncTestKit.await;
import static io.cojson.sync.SyncTestKit.get;
import static io.cojson.sync.SyncTestKit.known;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.ids.SessionID;
import io.cojson.core.node.LocalNode;
import io.cojson.storage.engine.MapDbStorage;
import io.cojson.storage.engine.NodePersistence;
import io.cojson.sync.recovery.ConflictRecord;
import io.cojson.sync.recovery.ForkConfirmation;
import io.cojson.sync.recovery.RecoveryCoordinator;
import io.cojson.sync.recovery.RecoveryState;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client-side triggers of recovery.md §4.2 that need no {@code SignatureMismatch} from the
 * server: T2 (the server's content for an own session does not verify here) and T4 (an at-risk
 * session is verified before anything of it is pushed). Both go through the verification fetch.
 */
class RecoveryClientTriggersTest {
    @TempDir
    Path tmp;
    private MapDbServerFixture h;

    @AfterEach
    void stop() throws Exception {
        if (h != null) h.close();
    }

    private void synced(SyncManager m, ForkedSession f) {
        get(m.waitForSync(f.map, "server").orTimeout(20, TimeUnit.SECONDS));
    }

    /**
     * Alice's first process writes title and priority (her disk: the returned node), then
     * {@code lost} reaches the server only; the process ends.
     */
    private LocalNode crashAfterServerAck(ForkedSession f, String... lost) {
        SyncManager first = h.connected(f.alice, SyncOptions.defaults());
        set(f.alice, f.map, "title", "Task");
        set(f.alice, f.map, "priority", "high");
        synced(first, f);
        LocalNode restarted = f.restart();
        for (String kv : lost) set(f.alice, f.map, kv.split("=", 2)[0], kv.split("=", 2)[1]);
        synced(first, f);
        first.close();
        return restarted;
    }

    private static String fields(LocalNode n, ForkedSession f) {
        return SyncTestKit.mapJson(n, f.map);
    }

    @Test
    @DisplayName("RA-1 Case B with an unmodified server: alice lost two transactions and made one edit; recovery through T2")
    void RA1_caseBRecoversThroughT2() {
        h = new MapDbServerFixture(tmp.resolve("server"));
        ForkedSession f = new ForkedSession();
        SessionID s = f.alice.sessionID();
        LocalNode restarted = crashAfterServerAck(f, "status=review", "assignee=carol"); // her disk: title, priority

        SyncManager alice = h.client(restarted, SyncOptions.defaults());
        RecoveryCoordinator rc = RecoveryCoordinator.install(alice, null);
        h.own(rc::close);
        set(restarted, f.map, "archived", "false"); // shorter than the server's S: case B
        h.connect(alice);

        await("recovery DONE", () -> rc.status(f.map, s).state() == RecoveryState.DONE);
        assertEquals(ForkConfirmation.Outcome.FORK, rc.status(f.map, s).outcome());
        await("the server has S!", () -> known(h.serverNode, f.map).count(s.conflictSession()) == 1);
        String json = fields(restarted, f);
        for (String field : List.of("\"title\":\"Task\"", "\"priority\":\"high\"", "\"status\":\"review\"", "\"assignee\":\"carol\"",
                "\"archived\":\"false\"")) {
            assertTrue(json.contains(field), field + " in " + json);
        }
        assertEquals(4, known(h.serverNode, f.map).count(s), "the server's S unchanged");
        assertEquals(4, known(restarted, f.map).count(s), "alice's S is the server's");
        assertEquals(0, h.server.signatureMismatchStats().sent(), "the server never saw the fork");
        List<ConflictRecord> records = rc.conflicts().all();
        assertEquals(1, records.size(), records.toString());
        assertEquals("local-verification", records.get(0).trigger());
        assertEquals(1, records.get(0).divergent());
        assertTrue(alice.fetchStats().completed() >= 1, alice.fetchStats().toString());
        assertTrue(rc.stats().triggersByKind().getOrDefault("local-verification", 0L) >= 1, rc.stats().toString());
        assertEquals(0L, rc.stats().triggersByKind().getOrDefault("server-error", 0L));
        assertTrue(alice.signatureMismatchStats().detected() >= 1, "the rejected content is counted");
    }

    @Test
    @DisplayName("T4 verify before push: an at-risk session is fetched and recovered before any of it is pushed; the server never rejects a push")
    void T4_atRiskSessionIsVerifiedBeforePush() throws Exception {
        h = new MapDbServerFixture(tmp.resolve("server"));
        ForkedSession f = new ForkedSession();
        SessionID s = f.alice.sessionID();
        LocalNode restarted = crashAfterServerAck(f, "status=review");
        set(restarted, f.map, "assignee", "bob");
        set(restarted, f.map, "archived", "false"); // longer than the server's S: case A
        Path aliceDir = tmp.resolve("alice");
        try (MapDbStorage disk = MapDbStorage.open(aliceDir); NodePersistence p = NodePersistence.attach(restarted, disk)) {
            get(p.persistedAll());
            disk.markAtRisk(Set.of(f.map.value() + " " + s.value())); // what the durability-window marker names (§13)
        }

        MapDbStorage disk = MapDbStorage.open(aliceDir);
        h.own(disk::close);
        LocalNode alice = LocalNode.forAccount(CRYPTO, f.alice.accountID(), f.secret, s);
        RestartedClient client = RestartedClient.on(alice, disk, h::own);
        h.connect(client.sync());

        RecoveryCoordinator rc = client.rc();
        await("recovery DONE", () -> rc.status(f.map, s).state() == RecoveryState.DONE);
        assertEquals(ForkConfirmation.Outcome.FORK, rc.status(f.map, s).outcome());
        await("the server has S!", () -> known(h.serverNode, f.map).count(s.conflictSession()) == 2);
        String json = fields(alice, f);
        for (String field : List.of("\"status\":\"review\"", "\"assignee\":\"bob\"", "\"archived\":\"false\"")) {
            assertTrue(json.contains(field), field + " in " + json);
        }
        assertEquals(3, known(h.serverNode, f.map).count(s), "the server's S unchanged");
        assertEquals(0, h.server.signatureMismatchStats().detected(), "nothing of the fork was ever pushed");
        assertEquals("startup-check", rc.conflicts().all().get(0).trigger());
        assertEquals(1, rc.conflicts().all().size());
    }
}
