package io.cojson.storage;

import static io.cojson.storage.TestSupport.CRYPTO;
import static io.cojson.storage.TestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.groups.Roles;
import io.cojson.core.ids.AgentSecret;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.json.Json;
import io.cojson.core.json.JsonValue;
import io.cojson.core.node.Accounts;
import io.cojson.core.node.ContentPiece;
import io.cojson.core.node.GroupOperations;
import io.cojson.core.node.LocalNode;
import io.cojson.storage.engine.AsyncMapDbStorage;
import io.cojson.storage.engine.IntegrityCheck;
import io.cojson.storage.engine.LoadReport;
import io.cojson.storage.engine.MapDbStorage;
import io.cojson.storage.engine.NodePersistence;
import io.cojson.storage.engine.SessionReplacement;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A LocalNode with storage: offline work survives restarts and loads back verified. */
class NodePersistenceTest {
    @TempDir
    Path tmp;

    /**
     * The views as JSON values: object key order is not compared, because a reloaded map lists its
     * keys in the order of one processing pass (trusting before private, covalues.md §3.3) while the
     * writer's view has them in the order of its writes, as in the reference.
     */
    private static Map<RawCoID, JsonValue> views(LocalNode node, List<RawCoID> ids) {
        Map<RawCoID, JsonValue> m = new LinkedHashMap<>();
        for (RawCoID id : ids) m.put(id, Json.parse(TestSupport.view(node, id)));
        return m;
    }

    @Test
    void valuesCreatedOfflineSurviveARestartAndLoadBackVerified() {
        AgentSecret secret = CRYPTO.newRandomAgentSecret();
        LocalNode alice = Accounts.create(CRYPTO, secret, "Alice");
        LocalNode bob = Accounts.create(CRYPTO, "Bob");
        Path dir = tmp.resolve("alice");
        RawCoID group;
        RawCoID map;
        RawCoID list;
        List<RawCoID> ids;
        try (AsyncMapDbStorage s = AsyncMapDbStorage.open(dir); NodePersistence p = NodePersistence.attach(alice, s)) {
            for (RawCoID id : bob.ids()) TestSupport.importAll(alice, bob.exportContent(id));
            group = GroupOperations.createGroup(alice, null);
            GroupOperations.addMember(alice, group, bob.accountID().value(), Roles.WRITER);
            map = Accounts.createOwned(alice, "comap", group, JsonValue.NULL);
            TestSupport.set(alice, map, "title", JsonValue.of("offline"), true);
            TestSupport.set(alice, map, "count", JsonValue.of(3), false);
            list = Accounts.createOwned(alice, "colist", group, JsonValue.NULL);
            TestSupport.append(alice, list, true, "milk", "eggs");
            TestSupport.append(alice, list, false, "bread");
            await(p.persisted(list)); // the handle of the last write
            await(p.persistedAll());
            ids = alice.ids();
        }
        Map<RawCoID, JsonValue> before = views(alice, ids);
        assertTrue(before.get(map).toString().contains("offline") && before.get(list).toString().contains("milk"), before.toString());

        LocalNode again;
        try (AsyncMapDbStorage s = AsyncMapDbStorage.open(dir); NodePersistence p = NodePersistence.attach(
                again = LocalNode.forAccount(CRYPTO, alice.accountID(), secret, null), s)) {
            LoadReport report = p.loadAll();
            assertTrue(report.clean(), report.toString());
            Accounts.checkLogin(again);
            assertEquals(before, views(again, ids));
            for (RawCoID id : ids) assertEquals(alice.get(id).knownState(), again.get(id).knownState());
            assertNotEquals(alice.sessionID(), again.sessionID());
            TestSupport.set(again, map, "after", JsonValue.of("restart"), true);
            await(p.persisted(map));
        }
        LocalNode third = LocalNode.forAccount(CRYPTO, alice.accountID(), secret, null);
        try (MapDbStorage s = MapDbStorage.open(dir); NodePersistence p = NodePersistence.attach(third, s)) {
            LoadReport report = p.load(map); // on demand: with its group and accounts
            assertTrue(report.clean(), report.toString());
            assertEquals(TestSupport.view(again, map), TestSupport.view(third, map));
            assertTrue(TestSupport.view(third, map).contains("restart"));
            assertTrue(IntegrityCheck.run(s, CRYPTO).ok());
        }
    }

    @Test
    void everyChangeIsPersistedIncludingImportedContentAndDeletion() {
        LocalNode alice = Accounts.create(CRYPTO, "Alice");
        LocalNode other = TestSupport.agentNode();
        RawCoID shared = TestSupport.newValue(other, "comap");
        TestSupport.set(other, shared, "from", "other");
        Path dir = tmp.resolve("changes");
        RawCoID group = GroupOperations.createGroup(alice, null);
        RawCoID doomed = Accounts.createOwned(alice, "comap", group, JsonValue.NULL);
        try (MapDbStorage s = MapDbStorage.open(dir); NodePersistence p = NodePersistence.attach(alice, s)) {
            for (ContentPiece piece : other.exportContent(shared)) alice.importContent(piece); // arrives "from a peer"
            TestSupport.set(alice, shared, "from", "alice");
            TestSupport.set(alice, doomed, "x", "y");
            alice.deleteCoValue(doomed);
            await(p.persistedAll());
            p.close();
            assertEquals(alice.get(shared).knownState(), s.knownState(shared));
            assertTrue(s.isDeleted(doomed));
            assertEquals(alice.get(doomed).knownState(), s.knownState(doomed));
        }
    }

    /**
     * A persistence handle asked for while a recovery replaces a session (recovery.md §5.4): storage
     * already holds the server's shorter version, memory still the divergent tail. The handle must
     * wait for the swap and then complete, not wait for a length storage will never hold again.
     */
    @Test
    void aHandleTakenDuringASessionReplacementCompletesAfterTheSwap() {
        Fork f = Fork.task();
        LocalNode node = LocalNode.forAgent(CRYPTO, f.alice);
        TestSupport.importAll(node, f.localContent());
        try (MapDbStorage s = MapDbStorage.open(tmp.resolve("replace")); NodePersistence p = NodePersistence.attach(node, s)) {
            await(p.persistedAll());
            p.replacing(f.id);
            var before = p.persisted(f.id);
            SessionReplacement unit = f.replacement(1);
            await(s.replaceSession(unit));
            var handle = p.persisted(f.id); // storage has S, memory the longer divergent S
            assertTrue(!handle.isDone() && !before.isDone(), "memory has not swapped yet");
            assertTrue(node.swapRecoveredSession(f.id, f.s, f.server.transactions(), f.server.lastSignature().value(), unit.conflict())
                    .isAdded());
            p.resync(f.id);
            var stored = await(handle);
            assertEquals(stored, await(before));
            assertEquals(f.server.size(), stored.count(f.s));
            assertEquals(f.conflict.size(), stored.count(f.s.conflictSession()));
            assertEquals(SessionReplacementTest.REPAIRED, TestSupport.view(TestSupport.reload(s, f.id), f.id));
        }
    }

    /**
     * A load hashes stored runs as they are on disk when they are canonical ASCII (runs written in
     * several batches, joined per piece), and re-serializes the others (non-ASCII): every piece
     * still verifies on a fresh node, with the same view.
     */
    @Test
    void storedRunsAreHashedFromTheirTextAndStillVerify() {
        LocalNode alice = Accounts.create(CRYPTO, "Alice");
        RawCoID group = GroupOperations.createGroup(alice, null);
        RawCoID map = Accounts.createOwned(alice, "comap", group, JsonValue.NULL);
        try (MapDbStorage s = MapDbStorage.open(tmp.resolve("runs")); NodePersistence p = NodePersistence.attach(alice, s)) {
            for (int i = 0; i < 6; i++) {
                TestSupport.set(alice, map, "k" + i, JsonValue.of(i % 3 == 1 ? "caf\u00e9 " + i : "a\"b\\c " + i), false);
                TestSupport.set(alice, map, "n" + i, JsonValue.of(i), false);
                await(p.persistedAll()); // a run per batch
            }
            p.close();
            List<ContentPiece> pieces = new java.util.ArrayList<>();
            assertTrue(s.load(map, pieces::add).found());
            int sliced = 0;
            int reserialized = 0;
            int nonAscii = 0;
            for (ContentPiece piece : pieces) {
                for (ContentPiece.SessionPiece sp : piece.sessions()) {
                    io.cojson.core.session.CanonicalSlices cs = sp.canonical();
                    for (int i = 0; i < sp.transactions().size(); i++) {
                        String canonical = sp.transactions().get(i).canonicalJson();
                        if (cs.starts()[i] >= 0) {
                            sliced++;
                            assertEquals(canonical, cs.text().substring(cs.starts()[i], cs.ends()[i]));
                            assertTrue(canonical.chars().allMatch(ch -> ch < 0x80), canonical);
                        } else {
                            reserialized++;
                        }
                        if (canonical.chars().anyMatch(ch -> ch >= 0x80)) nonAscii++;
                    }
                }
            }
            assertEquals(12, sliced + reserialized);
            // a run with a non-ASCII value is read the general way (the batch's other set may share it)
            assertEquals(2, nonAscii);
            assertTrue(reserialized >= 2 && reserialized <= 4 && sliced >= 8, sliced + " sliced, " + reserialized + " not");
            LocalNode fresh = TestSupport.agentNode();
            for (RawCoID id : List.of(alice.accountID(), group)) {
                s.load(id, piece -> TestSupport.importAll(fresh, List.of(piece)));
            }
            TestSupport.importAll(fresh, pieces);
            assertEquals(TestSupport.view(alice, map), TestSupport.view(fresh, map));
        }
    }
}
