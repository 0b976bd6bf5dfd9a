package io.cojson.sync;

import static io.cojson.sync.SyncTestKit.CRYPTO;
import static io.cojson.sync.SyncTestKit.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.json.Json;
import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import io.cojson.core.node.LocalNode;
import io.cojson.core.session.SessionLog;
import io.cojson.core.session.Transaction;
import io.cojson.storage.MapDbStorage;
import io.cojson.storage.NodePersistence;
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
        // One crash, then every run in a universe of its own: a copy of alice's disk and of the server's.
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
