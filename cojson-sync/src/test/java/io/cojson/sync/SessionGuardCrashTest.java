package io.cojson.sync;

import static io.cojson.sync.SyncTestKit.CRYPTO;
import static io.cojson.sync.SyncTestKit.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.node.LocalNode;
import io.cojson.storage.engine.MapDbStorage;
import io.cojson.storage.engine.NodePersistence;
import io.cojson.sync.recovery.RecoveryCoordinator;
import io.cojson.sync.recovery.SessionGuard;
import io.cojson.sync.recovery.SessionRegistry;
import io.cojson.sync.transport.WebSocketClientChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * recovery.md §13 and reliability.md RL-09: after an unclean shutdown the node does not append to
 * its at-risk session. Alice's first process ({@link AliceCrashChild}, child JVM) is SIGKILLed after
 * the server stored {@code status=review} but before her MapDB did — the situation that forks with
 * session reuse (RI-3 of {@link RecoveryCrashTest}).
 */
class SessionGuardCrashTest {
    @TempDir
    Path dir;
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        System.clearProperty(RecoverySwitches.SESSION_REUSE_GUARD);
        Collections.reverse(cleanup);
        for (AutoCloseable c : cleanup) c.close();
    }

    @Test
    @DisplayName("RL-09 §13 after a real crash alice writes in a new session (recorded as hers, the old one too): the lost tail arrives as an ordinary extension, no fork, no recovery; with cojson.sessionReuseGuard=false the old session is kept")
    void RL09_newSessionAfterUncleanShutdown() throws Exception {
        CrashHarness h = new CrashHarness(dir.resolve("server"));
        cleanup.add(h);
        Path aliceDir = dir.resolve("alice");
        CrashHarness.Alice a = h.crashAfterServerAck(aliceDir);
        SessionID s = a.session();
        RawCoID map = a.map();

        MapDbStorage crashed = MapDbStorage.open(aliceDir);
        cleanup.add(crashed::close);
        assertTrue(crashed.previousShutdownUnclean(), "the SIGKILLed process never closed alice's storage");
        assertEquals(2, crashed.knownState(map).count(s), "her storage lost status=review");
        assertTrue(crashed.previousWindowsKnown(), "the crashed process tracked its durability window");
        assertTrue(crashed.atRiskSessions().contains(map.value() + " " + s.value()),
                "the window named the map's session, whose status=review went out unstored: " + crashed.atRiskSessions());
        SessionRegistry registry = SessionRegistry.of(crashed);

        System.setProperty(RecoverySwitches.SESSION_REUSE_GUARD, "false"); // what crash tests use to produce forks
        SessionGuard.Choice reused = SessionGuard.choose(crashed, registry, CRYPTO, a.account(), s);
        assertEquals(s, reused.session());
        assertFalse(reused.fresh());
        System.clearProperty(RecoverySwitches.SESSION_REUSE_GUARD);

        SessionGuard.Choice choice = SessionGuard.choose(crashed, registry, CRYPTO, a.account(), s);
        assertTrue(choice.fresh(), choice.toString());
        assertNotEquals(s, choice.session());
        assertEquals(a.account().value(), choice.session().author(), "a session of the same account");
        assertTrue(crashed.ownSessions().containsAll(Set.of(s, choice.session())), "both sessions stay this installation's");
        crashed.close(); // a clean close: a later run that asks for the old session again still does not get it
        MapDbStorage disk = MapDbStorage.open(aliceDir);
        cleanup.add(disk::close);
        assertFalse(disk.previousShutdownUnclean());
        SessionGuard.Choice later = SessionGuard.choose(disk, SessionRegistry.of(disk), CRYPTO, a.account(), s);
        assertTrue(later.fresh(), later.toString());
        assertEquals("marked at risk", later.reason());

        LocalNode alice = LocalNode.forAccount(CRYPTO, a.account(), h.secret, choice.session());
        RestartedClient restartedClient = RestartedClient.on(alice, disk, cleanup::add);
        SyncManager sync = restartedClient.sync();
        RecoveryCoordinator rc = restartedClient.rc();
        SyncTestKit.set(alice, map, "assignee", JsonValue.of("bob"));
        SyncTestKit.set(alice, map, "archived", JsonValue.of("false"));
        sync.addPeer("server", PeerRole.SERVER, WebSocketClientChannel.connect(h.ws.url()));

        await("status=review reaches alice as an extension of her old session", () -> SyncTestKit.known(alice, map).count(s) == 3);
        await("the server has the new session's two edits", () -> SyncTestKit.known(h.serverNode, map).count(choice.session()) == 2);
        await("alice's storage has the old session's tail", () -> disk.knownState(map).count(s) == 3);
        String json = SyncTestKit.mapJson(alice, map);
        for (String field : List.of("\"title\"", "\"priority\"", "\"status\":\"review\"", "\"assignee\":\"bob\"", "\"archived\":\"false\"")) {
            assertTrue(json.contains(field), field + " in " + json);
        }
        assertEquals(3, SyncTestKit.known(h.serverNode, map).count(s), "the server's S unchanged");
        assertEquals(0, SyncTestKit.known(h.serverNode, map).count(s.conflictSession()), "no conflict session: nothing forked");
        assertNoRecoveryRound(rc);
        assertTrue(disk.journal(map).isEmpty(), "no recovery unit");
        await("T4 verified the map's old session: its at-risk entry is gone",
                () -> !disk.atRiskSessions().contains(map.value() + " " + s.value()));
    }

    @Test
    @DisplayName("RL-24 §13 after a real crash with the durability window closed (everything sent was stored) alice keeps her session: no new session, nothing at risk, and her next edit extends it")
    void RL24_crashWithTheWindowClosedKeepsTheSession() throws Exception {
        CrashHarness h = new CrashHarness(dir.resolve("server"));
        cleanup.add(h);
        Path aliceDir = dir.resolve("alice");
        CrashHarness.Alice a = h.crashWhileIdle(aliceDir);
        SessionID s = a.session();
        MapDbStorage disk = MapDbStorage.open(aliceDir);
        cleanup.add(disk::close);
        assertTrue(disk.previousShutdownUnclean(), "the SIGKILLed process never closed alice's storage");
        assertTrue(disk.previousWindowsKnown());
        assertEquals(java.util.Set.of(), disk.atRiskSessions(), "nothing went out unstored");
        assertEquals(2, disk.knownState(a.map()).count(s));
        SessionGuard.Choice choice = SessionGuard.choose(disk, SessionRegistry.of(disk), CRYPTO, a.account(), s);
        assertEquals(s, choice.session(), choice.toString());
        assertFalse(choice.fresh());

        LocalNode alice = LocalNode.forAccount(CRYPTO, a.account(), h.secret, s);
        RestartedClient restartedClient = RestartedClient.on(alice, disk, cleanup::add);
        SyncTestKit.set(alice, a.map(), "status", JsonValue.of("review"));
        restartedClient.sync().addPeer("server", PeerRole.SERVER, WebSocketClientChannel.connect(h.ws.url()));
        await("the server has the third edit of the same session", () -> SyncTestKit.known(h.serverNode, a.map()).count(s) == 3);
        assertEquals(0, SyncTestKit.known(h.serverNode, a.map()).count(s.conflictSession()), "no fork");
        assertNoRecoveryRound(restartedClient.rc());
    }

    private static void copyTree(Path from, Path to) throws java.io.IOException {
        try (var paths = java.nio.file.Files.walk(from)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (java.nio.file.Files.isDirectory(p)) java.nio.file.Files.createDirectories(target);
                else java.nio.file.Files.copy(p, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    @Test
    @DisplayName("RL-09 Storage restored from an older copy while stopped: the copy (taken while alice ran) opens as an unclean shutdown, she writes due=friday in a new session and ends with all 6 values, no fork, no recovery")
    void RL09_storageRestoredFromAnOlderCopy() throws Exception {
        CrashHarness h = new CrashHarness(dir.resolve("server"));
        cleanup.add(h);
        ForkedSession f = new ForkedSession();
        SessionID s = f.alice.sessionID();
        Path aliceDir = dir.resolve("alice");
        Path backup = dir.resolve("backup");
        MapDbStorage disk = MapDbStorage.open(aliceDir);
        NodePersistence p = NodePersistence.attach(f.alice, disk);
        SyncManager first = SyncManager.create(f.alice, SyncOptions.defaults());
        first.addPeer("server", PeerRole.SERVER, WebSocketClientChannel.connect(h.ws.url()));
        for (String[] kv : List.of(new String[] {"title", "Task"}, new String[] {"priority", "high"}, new String[] {"status", "review"})) {
            ForkedSession.set(f.alice, f.map, kv[0], kv[1]);
        }
        SyncTestKit.get(p.persistedAll());
        SyncTestKit.get(first.waitForSync(f.map, "server").orTimeout(20, java.util.concurrent.TimeUnit.SECONDS));
        copyTree(aliceDir, backup); // a backup of the running app's directory
        ForkedSession.set(f.alice, f.map, "assignee", "bob");
        ForkedSession.set(f.alice, f.map, "archived", "false");
        SyncTestKit.get(p.persistedAll());
        SyncTestKit.get(first.waitForSync(f.map, "server").orTimeout(20, java.util.concurrent.TimeUnit.SECONDS));
        first.close();
        p.close();
        disk.close(); // a clean stop
        try (var old = java.nio.file.Files.walk(aliceDir)) {
            old.sorted(java.util.Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
        }
        copyTree(backup, aliceDir); // restored while stopped

        MapDbStorage restored = MapDbStorage.open(aliceDir);
        cleanup.add(restored::close);
        assertTrue(restored.previousShutdownUnclean(), "a copy of an open store is not a cleanly closed one");
        assertEquals(3, restored.knownState(f.map).count(s));
        SessionGuard.Choice choice = SessionGuard.choose(restored, SessionRegistry.of(restored), CRYPTO, f.alice.accountID(), s);
        assertTrue(choice.fresh(), choice.toString());
        LocalNode alice = LocalNode.forAccount(CRYPTO, f.alice.accountID(), f.secret, choice.session());
        RestartedClient restartedClient = RestartedClient.on(alice, restored, cleanup::add);
        SyncManager sync = restartedClient.sync();
        RecoveryCoordinator rc = restartedClient.rc();
        ForkedSession.set(alice, f.map, "due", "friday");
        sync.addPeer("server", PeerRole.SERVER, WebSocketClientChannel.connect(h.ws.url()));

        await("the two later edits reach alice as an extension of S", () -> SyncTestKit.known(alice, f.map).count(s) == 5);
        await("the server has due=friday in the new session", () -> SyncTestKit.known(h.serverNode, f.map).count(choice.session()) == 1);
        String json = SyncTestKit.mapJson(alice, f.map);
        for (String field : List.of("\"title\":\"Task\"", "\"priority\":\"high\"", "\"status\":\"review\"", "\"assignee\":\"bob\"",
                "\"archived\":\"false\"", "\"due\":\"friday\"")) {
            assertTrue(json.contains(field), field + " in " + json);
        }
        assertEquals(5, SyncTestKit.known(h.serverNode, f.map).count(s), "the server's S unchanged");
        assertEquals(0, SyncTestKit.known(h.serverNode, f.map).count(s.conflictSession()), "no fork");
        assertNoRecoveryRound(rc);
    }

    /** T4 verified the old session's values before pushing (recovery.md §13: it "still runs for the old session"); none forked. */
    private static void assertNoRecoveryRound(RecoveryCoordinator rc) {
        await("every check ended", () -> rc.statuses().stream().allMatch(st -> st.state() == io.cojson.sync.recovery.RecoveryState.DONE
                || st.state() == io.cojson.sync.recovery.RecoveryState.FAILED || st.state() == io.cojson.sync.recovery.RecoveryState.IDLE));
        for (io.cojson.sync.recovery.RecoveryStatus st : rc.statuses()) {
            assertEquals(io.cojson.sync.recovery.RecoveryState.DONE, st.state(), st.toString());
            assertTrue(st.outcome() != io.cojson.sync.recovery.ForkConfirmation.Outcome.FORK && st.round() == 0, "no recovery round: " + st);
        }
        assertEquals(List.of(), rc.conflicts().all(), "no conflict record");
    }
}
