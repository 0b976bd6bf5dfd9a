package io.cojson.sync;

import static io.cojson.sync.SyncTestKit.CRYPTO;
import static io.cojson.sync.SyncTestKit.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.json.Json;
import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import io.cojson.core.knownstate.KnownState;
import io.cojson.core.node.LocalNode;
import io.cojson.core.session.SessionLog;
import io.cojson.core.session.Transaction;
import io.cojson.storage.engine.MapDbStorage;
import io.cojson.storage.engine.NodePersistence;
import io.cojson.sync.recovery.RecoveryCoordinator;
import io.cojson.sync.storage.CoValueSyncStorage;
import io.cojson.sync.transport.WebSocketClientChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * recovery.md RA-3 / reliability.md RL-22: alice's recovering process (a child JVM) is halted at
 * each kill point of §9 that the inline storage path has (K1 detected, before the unit, K4 unit
 * committed, K5 swapped, K6 propagated); a restart from the same storage, reconnecting, ends in the
 * state of an uninterrupted run, with a byte-identical S! in every run (every run starts from a copy
 * of the same disk: the post-crash edits were made and stored before).
 */
class RecoveryKillPointsTest {
    @TempDir
    Path dir;

    private record Outcome(List<String> conflict, String conflictSignature, List<String> s, String view) {}

    @Test
    @DisplayName("RL-22 / RA-3 Crash during recovery at each kill point (child JVM halted): same final state and byte-identical S! as an uninterrupted run")
    void RL22_RA3_crashDuringRecoveryAtEachKillPoint() throws Exception {
        Base b = base();
        CrashHarness.Alice a = b.alice();
        io.cojson.core.ids.AgentSecret secret = b.secret();
        Path base = b.dir();
        Map<String, Outcome> outcomes = new LinkedHashMap<>();
        for (String point : List.of(RecoveryCoordinator.DETECTED, RecoveryCoordinator.BEFORE_UNIT,
                RecoveryCoordinator.AFTER_UNIT_COMMIT, RecoveryCoordinator.AFTER_SWAP, RecoveryCoordinator.AFTER_PROPAGATE, "none")) {
            Path run = copy(base, dir.resolve("alice-" + point));
            try (CrashHarness h = new CrashHarness(copy(dir.resolve("server-base"), dir.resolve("server-" + point)), secret)) {
                if (!point.equals("none")) {
                    Process child = h.start(AliceRecoverChild.class, Map.of("COJSON_FAULTS", point + "=halt"), run.toString(),
                            secret.value(), a.account().value(), a.session().value(), h.ws.url(), a.map().value());
                    assertTrue(child.waitFor(60, TimeUnit.SECONDS), point + ": the child never stopped");
                    assertEquals(137, child.exitValue(), point + ": halted at the kill point");
                }
                Outcome o = restartAndConverge(h, a, run);
                assertEquals(o.conflictSignature(), h.serverNode.locked(() ->
                        h.serverNode.require(a.map()).sessions().get(a.session().conflictSession()).lastSignature().value()),
                        point + ": the server holds alice's S!");
                outcomes.put(point, o);
            }
        }

        Outcome reference = outcomes.get("none");
        assertEquals(2, reference.conflict().size());
        assertEquals(3, reference.s().size());
        assertEquals("{archived=\"false\", assignee=\"bob\", priority=\"high\", status=\"review\", title=\"Task\"}", reference.view());
        for (Map.Entry<String, Outcome> e : outcomes.entrySet()) {
            assertEquals(reference, e.getValue(), "run halted at " + e.getKey() + " ends elsewhere");
        }
    }

    private record Base(CrashHarness.Alice alice, io.cojson.core.ids.AgentSecret secret, Path dir) {}

    /** One crash, then every run in a universe of its own: a copy of alice's disk and of the server's. */
    private Base base() throws Exception {
        CrashHarness.Alice a;
        io.cojson.core.ids.AgentSecret secret;
        Path base = dir.resolve("alice-base");
        try (CrashHarness h = new CrashHarness(dir.resolve("server-base"))) {
            a = h.crashAfterServerAck(base);
            secret = h.secret;
        }
        // The restarted alice edits twice and stores it, offline: the same local tail for every run.
        try (MapDbStorage disk = MapDbStorage.open(base)) {
            LocalNode alice = LocalNode.forAccount(CRYPTO, a.account(), secret, a.session());
            AliceRecoverChild.load(alice, disk);
            try (NodePersistence p = NodePersistence.attach(alice, disk)) {
                SyncTestKit.set(alice, a.map(), "assignee", JsonValue.of("bob"));
                SyncTestKit.set(alice, a.map(), "archived", JsonValue.of("false"));
                SyncTestKit.get(p.persistedAll());
            }
        }
        return new Base(a, secret, base);
    }

    @Test
    @DisplayName("RS-4 No resurrection after an unfinished replacement: the recovery unit enqueued on the async storage queue, the process SIGKILLed inside it (child JVM); storage shows exactly the pre-recovery state, and after a restart and reconnect the repaired state with one copy of every divergent edit, as an uninterrupted run")
    void RS4_noResurrectionAfterAnUnfinishedReplacement() throws Exception {
        Base b = base();
        CrashHarness.Alice a = b.alice();
        Outcome reference;
        try (CrashHarness h = new CrashHarness(copy(dir.resolve("server-base"), dir.resolve("server-reference")), b.secret())) {
            reference = restartAndConverge(h, a, copy(b.dir(), dir.resolve("alice-reference")));
        }
        Path run = copy(b.dir(), dir.resolve("alice-rs4"));
        KnownState before;
        try (MapDbStorage disk = MapDbStorage.open(run)) {
            before = disk.knownState(a.map());
        }
        try (CrashHarness h = new CrashHarness(copy(dir.resolve("server-base"), dir.resolve("server-rs4")), b.secret())) {
            Process child = h.start(AliceRecoverChild.class, Map.of("COJSON_FAULTS", "storage.replace.mid=pause"), run.toString(),
                    b.secret().value(), a.account().value(), a.session().value(), h.ws.url(), a.map().value(), "async");
            java.util.concurrent.CountDownLatch paused = new java.util.concurrent.CountDownLatch(1);
            List<String> err = java.util.Collections.synchronizedList(new ArrayList<>());
            CrashHarness.pump(child.getInputStream(), line -> {});
            CrashHarness.pump(child.getErrorStream(), line -> {
                err.add(line);
                if (line.equals("COJSON_FAULT storage.replace.mid paused")) paused.countDown();
            });
            assertTrue(paused.await(60, TimeUnit.SECONDS), "the queued recovery unit never started: " + err);
            child.destroyForcibly(); // SIGKILL inside the unit, before its commit
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            assertEquals(137, child.exitValue());
            try (MapDbStorage disk = MapDbStorage.open(run)) {
                assertEquals(before, disk.knownState(a.map()), "exactly the pre-recovery state");
                assertTrue(disk.journal(a.map()).isEmpty(), "no journal entry of an uncommitted unit");
            }
            assertEquals(reference, restartAndConverge(h, a, run), "the repaired state, every divergent edit once");
        }
    }

    private static Path copy(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (!f.getFileName().toString().equals("cojson.lock")) Files.copy(f, to.resolve(f.getFileName()));
            }
        }
        return to;
    }

    /** Restarts alice in this JVM from {@code dir}, reconnects, and waits until she and the server agree. */
    private static Outcome restartAndConverge(CrashHarness h, CrashHarness.Alice a, Path dir) throws Exception {
        try (MapDbStorage disk = MapDbStorage.open(dir); CoValueSyncStorage storage = CoValueSyncStorage.of(disk)) {
            LocalNode alice = LocalNode.forAccount(CRYPTO, a.account(), h.secret, a.session());
            AliceRecoverChild.load(alice, disk);
            SyncManager sync = SyncManager.create(alice, SyncOptions.defaults().withStorage(storage));
            RecoveryCoordinator rc = RecoveryCoordinator.install(sync, disk);
            try {
                sync.addPeer("server", PeerRole.SERVER, WebSocketClientChannel.connect(h.ws.url()));
                String where = dir.getFileName().toString();
                try {
                    converge(h, a, alice, disk);
                } catch (AssertionError e) {
                    throw new AssertionError(where + ": alice " + SyncTestKit.known(alice, a.map()) + " server "
                            + SyncTestKit.known(h.serverNode, a.map()) + " disk " + disk.knownState(a.map()) + " recovery "
                            + rc.status(a.map(), a.session()), e);
                }
                assertEquals(1, disk.journal(a.map()).size(), "one journal round whatever the kill point");
                return alice.locked(() -> {
                    var core = alice.require(a.map());
                    SessionLog c = core.sessions().get(a.session().conflictSession());
                    List<String> conflict = new ArrayList<>();
                    for (Transaction t : c.transactions()) conflict.add(t.canonicalJson());
                    List<String> s = new ArrayList<>();
                    for (Transaction t : core.sessions().get(a.session()).transactions()) s.add(t.canonicalJson());
                    TreeMap<String, String> view = new TreeMap<>();
                    ((JsonValue.Obj) Json.parse(SyncTestKit.mapJson(alice, a.map()))).fields()
                            .forEach((k, v) -> view.put(k, JsonWriter.stringify(v)));
                    return new Outcome(conflict, c.lastSignature().value(), s, view.toString());
                });
            } finally {
                rc.close();
                sync.close();
            }
        }
    }

    private static void converge(CrashHarness h, CrashHarness.Alice a, LocalNode alice, MapDbStorage disk) {
        await("alice converged with the server", () -> {
            var mine = SyncTestKit.known(alice, a.map());
            var theirs = SyncTestKit.known(h.serverNode, a.map());
            return mine.count(a.session().conflictSession()) == 2 && mine.count(a.session()) == 3
                    && theirs.count(a.session().conflictSession()) == 2 && disk.knownState(a.map()).equals(mine);
        });
    }
}
