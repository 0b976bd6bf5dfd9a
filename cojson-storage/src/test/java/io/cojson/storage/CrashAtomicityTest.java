package io.cojson.storage;

import static io.cojson.storage.TestSupport.CRYPTO;
import static io.cojson.storage.TestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import io.cojson.core.knownstate.KnownState;
import io.cojson.core.node.Accounts;
import io.cojson.core.node.ContentPiece;
import io.cojson.core.node.GroupOperations;
import io.cojson.core.node.LocalNode;
import io.cojson.storage.engine.IntegrityCheck;
import io.cojson.storage.engine.IntegrityReport;
import io.cojson.storage.engine.LoadReport;
import io.cojson.storage.engine.MapDbStorage;
import io.cojson.storage.engine.NodePersistence;
import io.cojson.storage.engine.SessionReplacement;
import io.cojson.storage.engine.internal.NodeContent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RL-11 and RS-4 in a real process: a kill inside a storage unit (the recovery unit, the erase,
 * a multi-session store) leaves the CoValue exactly as before or exactly as after.
 */
class CrashAtomicityTest {
    @TempDir
    Path tmp;

    /** Runs a child; with a pause fault, SIGKILLs it once paused. Returns the exit code. */
    private int child(Map<String, String> faults, String... args) throws Exception {
        Path faultsDir = tmp.resolve("faults");
        Files.createDirectories(faultsDir);
        Process p = TestSupport.startChild(CrashChild.class, List.of("-Dcojson.faults.dir=" + faultsDir), faults, args);
        CountDownLatch paused = new CountDownLatch(1);
        StringBuilder err = new StringBuilder();
        TestSupport.pump(p.getInputStream(), line -> {});
        TestSupport.pump(p.getErrorStream(), line -> {
            if (line.startsWith("COJSON_FAULT") && line.endsWith("paused")) paused.countDown();
            synchronized (err) {
                err.append(line).append('\n');
            }
        });
        if (faults.getOrDefault("COJSON_FAULTS", "").contains("pause")) {
            if (!paused.await(60, TimeUnit.SECONDS)) fail("never paused: " + err);
            p.destroyForcibly();
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("child hung: " + err);
        }
        return p.exitValue();
    }

    private record State(KnownState known, int journal, String view) {}

    private static State state(Path dir, RawCoID id) {
        try (MapDbStorage s = MapDbStorage.open(dir)) {
            IntegrityReport r = IntegrityCheck.run(s, CRYPTO);
            assertTrue(r.ok(), r.problems().toString());
            LocalNode fresh = TestSupport.agentNode();
            LoadReport loaded = new io.cojson.storage.engine.internal.NodeLoader(fresh, s).load(id).report();
            assertTrue(loaded.clean(), loaded.toString());
            return new State(s.knownState(id), s.journal(id).size(), TestSupport.view(fresh, id));
        }
    }

    private Path unitFile(Fork f) throws Exception {
        SessionReplacement r = f.replacement(1);
        List<JsonValue> server = new ArrayList<>();
        for (ContentPiece.SessionPiece p : r.serverVersion()) server.add(new ContentPiece(f.id, null, List.of(p)).toContentMessage());
        JsonValue.Obj unit = JsonValue.obj("server", new JsonValue.Arr(server),
                "conflict", new ContentPiece(f.id, null, List.of(r.conflict())).toContentMessage(),
                "journal", io.cojson.core.json.Json.parse(r.journal().toJson()));
        Path file = tmp.resolve("unit-" + f.id.value() + ".json");
        Files.writeString(file, JsonWriter.stringify(unit));
        return file;
    }

    @Test
    @DisplayName("RL-11 Every multi-step storage change is one atomic unit: the recovery unit halted or SIGKILLed at storage.replace.mid is exactly before or after (child JVM)")
    void RL11_theRecoveryUnitIsAllOrNothingAcrossKills() throws Exception {
        Fork f = Fork.task();
        Path dir = tmp.resolve("replace");
        try (MapDbStorage s = MapDbStorage.open(dir)) {
            SessionReplacementTest.storeAll(s, f.localContent());
        }
        Path unit = unitFile(f);
        State before = state(dir, f.id);
        assertEquals(137, child(Map.of("COJSON_FAULTS", "storage.replace.mid=halt"), "replace", dir.toString(), unit.toString()));
        assertEquals(before, state(dir, f.id), "halt inside the unit");
        assertEquals(137, child(Map.of("COJSON_FAULTS", "storage.replace.mid=pause"), "replace", dir.toString(), unit.toString()));
        assertEquals(before, state(dir, f.id), "RS-4: SIGKILL before the unit committed");
        assertEquals(137, child(Map.of("COJSON_FAULTS", "storage.tx.afterCommit=pause"), "replace", dir.toString(), unit.toString()));
        State after = state(dir, f.id);
        assertEquals(SessionReplacementTest.REPAIRED, after.view());
        assertEquals(1, after.journal());
        assertEquals(0, child(Map.of(), "replace", dir.toString(), unit.toString()));
        assertEquals(after, state(dir, f.id), "re-running the committed unit changes nothing");
    }

    @Test
    @DisplayName("RL-11 Every multi-step storage change is one atomic unit: erase-keeping-tombstone (storage.erase.mid) and a multi-session store (storage.tx.mid) halted in a child JVM")
    void RL11_eraseAndMultiSessionStoresAreAllOrNothing() throws Exception {
        LocalNode alice = Accounts.create(CRYPTO, "Alice");
        RawCoID group = GroupOperations.createGroup(alice, null);
        RawCoID map = Accounts.createOwned(alice, "comap", group, JsonValue.NULL);
        TestSupport.set(alice, map, "title", "Task");
        Path dir = tmp.resolve("erase");
        try (MapDbStorage s = MapDbStorage.open(dir); NodePersistence p = NodePersistence.attach(alice, s)) {
            await(p.persistedAll());
            alice.deleteCoValue(map);
            await(p.persisted(map));
            p.close();
        }
        State before = state(dir, map);
        assertEquals(137, child(Map.of("COJSON_FAULTS", "storage.erase.mid=halt"), "erase", dir.toString()));
        try (MapDbStorage s = MapDbStorage.open(dir)) {
            assertTrue(s.verifyIntegrity().ok());
            assertTrue(s.coValueIDs(0, 100).contains(map));
        }
        assertEquals(before, state(dir, map));
        assertEquals(0, child(Map.of(), "erase", dir.toString()));
        State erased = state(dir, map);
        assertTrue(erased.known().sessions().keySet().stream().allMatch(io.cojson.core.ids.SessionID::isDeleteSession));

        LocalNode a = TestSupport.agentNode();
        LocalNode b = TestSupport.agentNode();
        RawCoID shared = TestSupport.newValue(a, "comap");
        TestSupport.set(a, shared, "from", "a");
        TestSupport.importAll(b, a.exportContent(shared));
        TestSupport.set(b, shared, "also", "b");
        ContentPiece both = NodeContent.since(b, shared, KnownState.empty(shared).withHeader(true)).get(0);
        assertEquals(2, both.sessions().size());
        Path storeDir = tmp.resolve("multi");
        try (MapDbStorage s = MapDbStorage.open(storeDir)) {
            await(s.store(new ContentPiece(shared, a.get(shared).header(), List.of())));
        }
        Path pieceFile = tmp.resolve("piece.json");
        Files.writeString(pieceFile, JsonWriter.stringify(both.toContentMessage()));
        assertEquals(137, child(Map.of("COJSON_FAULTS", "storage.tx.mid=halt"), "store", storeDir.toString(), pieceFile.toString()));
        try (MapDbStorage s = MapDbStorage.open(storeDir)) {
            assertEquals(Map.of(), s.knownState(shared).sessions(), "no session of the half-written message is visible");
        }
        assertEquals(0, child(Map.of(), "store", storeDir.toString(), pieceFile.toString()));
        try (MapDbStorage s = MapDbStorage.open(storeDir)) {
            assertEquals(b.get(shared).knownState(), s.knownState(shared));
        }
    }
}
