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
import io.cojson.storage.Faults;
import io.cojson.storage.engine.MapDbStorage;
import io.cojson.storage.engine.NodePersistence;
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
 * reliability.md RL-25 (seed 004): transport faults during a recovery never stall it and never run
 * it twice. Alice's session is forked as in recovery.md RI-3 (she lost status=review, then set
 * assignee=bob and archived=false); Java server on MapDB, real WebSockets, alice on MapDB.
 */
class RLRecoveryTransportTest {
    @TempDir
    Path tmp;
    private MapDbServerFixture h;

    @AfterEach
    void stop() throws Exception {
        Faults.configure(null);
        System.clearProperty(RecoverySwitches.VERIFY_BEFORE_PUSH);
        if (h != null) h.close();
    }

    private record Forked(ForkedSession f, SessionID s, MapDbStorage disk, LocalNode alice, RestartedClient client) {}

    /** RI-3's fork, alice restarted on her disk; {@code atRisk} marks S so that T4 verifies it before a push. */
    private Forked fork(boolean atRisk) throws Exception {
        h = new MapDbServerFixture(tmp.resolve("server"));
        ForkedSession f = new ForkedSession();
        SessionID s = f.alice.sessionID();
        SyncManager first = h.connected(f.alice, SyncOptions.defaults());
        set(f.alice, f.map, "title", "Task");
        set(f.alice, f.map, "priority", "high");
        get(first.waitForSync(f.map, "server").orTimeout(20, TimeUnit.SECONDS));
        LocalNode restarted = f.restart(); // her disk: title, priority
        set(f.alice, f.map, "status", "review");
        get(first.waitForSync(f.map, "server").orTimeout(20, TimeUnit.SECONDS));
        first.close();
        set(restarted, f.map, "assignee", "bob");
        set(restarted, f.map, "archived", "false"); // longer than the server's S: case A
        Path aliceDir = tmp.resolve("alice");
        try (MapDbStorage disk = MapDbStorage.open(aliceDir); NodePersistence p = NodePersistence.attach(restarted, disk)) {
            get(p.persistedAll());
            if (atRisk) disk.markAtRisk(Set.of(f.map.value() + " " + s.value()));
        }
        MapDbStorage disk = MapDbStorage.open(aliceDir);
        h.own(disk::close);
        LocalNode alice = LocalNode.forAccount(CRYPTO, f.alice.accountID(), f.secret, s);
        return new Forked(f, s, disk, alice, RestartedClient.on(alice, disk, h::own));
    }

    /** Recovery completed exactly once and the final state is RI-3's. */
    private void recoveredOnce(Forked x) {
        RecoveryCoordinator rc = x.client().rc();
        await("recovery DONE", () -> rc.status(x.f().map, x.s()).state() == RecoveryState.DONE);
        assertEquals(ForkConfirmation.Outcome.FORK, rc.status(x.f().map, x.s()).outcome());
        await("the server has S!", () -> known(h.serverNode, x.f().map).count(x.s().conflictSession()) == 2);
        await("alice's disk has S!", () -> x.disk().knownState(x.f().map).count(x.s().conflictSession()) == 2);
        String json = SyncTestKit.mapJson(x.alice(), x.f().map);
        for (String field : List.of("\"title\":\"Task\"", "\"priority\":\"high\"", "\"status\":\"review\"", "\"assignee\":\"bob\"",
                "\"archived\":\"false\"")) {
            assertTrue(json.contains(field), field + " in " + json);
        }
        assertEquals(3, known(h.serverNode, x.f().map).count(x.s()), "the server's S unchanged");
        assertEquals(1, x.disk().journal(x.f().map).size(), "one journal entry: " + x.disk().journal(x.f().map));
        assertEquals(1, rc.conflicts().all().size(), "one conflict record: " + rc.conflicts().all());
        assertEquals(1, rc.stats().committed(), rc.stats().toString());
        assertEquals(2, known(x.alice(), x.f().map).count(x.s().conflictSession()), "no duplicated conflict content");
    }

    @Test
    @DisplayName("RL-25 (a) T4 off, the server's first SignatureMismatch is dropped (transport.out.error=drop@1): the trigger is reported again on the next connection; recovery completes exactly once")
    void RL25a_droppedSignatureMismatchIsReportedAgain() throws Exception {
        System.setProperty(RecoverySwitches.VERIFY_BEFORE_PUSH, "false");
        Forked x = fork(false);
        Faults.configure("transport.out.error=drop@1");
        h.connect(x.client().sync());
        await("the server detected the fork", () -> h.server.signatureMismatchStats().detected() >= 1);
        Thread.sleep(300);
        if (x.client().rc().status(x.f().map, x.s()).state() != RecoveryState.DONE) h.connect(x.client().sync()); // the next connection
        recoveredOnce(x);
        assertTrue(h.server.signatureMismatchStats().sent() >= 2, "reported again after the drop: " + h.server.signatureMismatchStats());
    }

    @Test
    @DisplayName("RL-25 (b) the connection closes while the verification fetch is in flight: the fetch is retried on the next connection; recovery completes exactly once")
    void RL25b_connectionClosedDuringVerificationFetch() throws Exception {
        Forked x = fork(true);
        Faults.configure("transport.out.content=delay:1500"); // the server's answer to the fetch is slow
        h.connect(x.client().sync());
        await("the verification fetch started", () -> x.client().sync().fetchStats().started() >= 1);
        h.connect(x.client().sync()); // a new connection replaces the one the fetch went out on
        Faults.configure(null);
        recoveredOnce(x);
        VerificationFetchStats stats = x.client().sync().fetchStats();
        assertTrue(stats.started() >= 2, "the fetch went out again on the new connection: " + stats);
    }

    @Test
    @DisplayName("RL-25 (c) ten reconnects within one second during the recovery: single flight per (CoValue, session); recovery completes exactly once")
    void RL25c_tenReconnectsWithinOneSecond() throws Exception {
        Forked x = fork(true);
        for (int i = 0; i < 10; i++) {
            h.connect(x.client().sync());
            Thread.sleep(90);
        }
        recoveredOnce(x);
    }
}
