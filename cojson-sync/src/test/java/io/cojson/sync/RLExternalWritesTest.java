package io.cojson.sync;

import static io.cojson.sync.SyncTestKit.CRYPTO;
import static io.cojson.sync.SyncTestKit.await;
import static io.cojson.sync.SyncTestKit.get;
import static io.cojson.sync.SyncTestKit.known;
import static io.cojson.sync.SyncTestKit.mapJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.json.Json;
import io.cojson.core.json.JsonValue;
import io.cojson.core.knownstate.KnownState;
import io.cojson.core.node.ContentPiece;
import io.cojson.core.node.LocalNode;
import io.cojson.core.session.AddResult;
import io.cojson.storage.Faults;
import io.cojson.storage.engine.MapDbStorage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * reliability.md RL-04, RL-05, RL-08 (seed 001): content written "around" a live value — an import
 * of an exported bundle — goes through a node, so live peers hear of it, nothing is overwritten,
 * a later load reads storage, and concurrent imports of one value give the union. Java server on
 * real MapDB files, clients over real WebSockets on 127.0.0.1.
 */
class RLExternalWritesTest {
    @TempDir
    Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        Faults.configure(null);
        for (int i = open.size() - 1; i >= 0; i--) open.get(i).close();
    }

    private MapDbServerFixture server(Path d) {
        MapDbServerFixture s = new MapDbServerFixture(d);
        open.add(s);
        return s;
    }

    /** A bundle: everything {@code node} holds of the account, the group and the map, dependencies first. */
    private static List<ContentPiece> bundle(ForkedSession f, LocalNode node) {
        List<ContentPiece> out = new ArrayList<>();
        for (RawCoID id : List.of(f.alice.accountID(), f.group, f.map)) out.addAll(node.exportContent(id));
        return out;
    }

    /**
     * The import tool: hands the pieces to the sync manager's import path, which feeds the node's
     * normal content handling after reading what storage has; true if anything was new.
     */
    private static boolean importInto(SyncManager m, List<ContentPiece> pieces) {
        RawCoID id = pieces.get(pieces.size() - 1).id();
        KnownState before = known(m.node(), id);
        for (List<AddResult> rs : get(m.importContent(pieces))) {
            for (AddResult r : rs) assertTrue(r.isAdded(), "bundle piece rejected: " + r);
        }
        return !known(m.node(), id).equals(before);
    }

    private static String field(LocalNode node, RawCoID map, String key) {
        String json = mapJson(node, map);
        if (json == null) return null;
        JsonValue v = ((JsonValue.Obj) Json.parse(json)).fields().get(key);
        return v == null ? null : ((JsonValue.Str) v).value();
    }

    private static Map<String, JsonValue> sorted(LocalNode node, RawCoID map) {
        String json = mapJson(node, map);
        return json == null ? null : new TreeMap<>(((JsonValue.Obj) Json.parse(json)).fields());
    }

    /** Another device of alice's account that holds nothing and loads {@code map} through {@code s}. */
    private static LocalNode freshLoader(MapDbServerFixture s, ForkedSession f) {
        LocalNode n = LocalNode.forAccount(CRYPTO, f.alice.accountID(), f.secret, null);
        SyncManager m = s.connected(n, SyncOptions.defaults());
        assertTrue(get(m.load(f.map)).isPresent(), "the fresh client loads the map");
        return n;
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms); // madeAt has millisecond resolution: keep the edits' order unambiguous
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    @DisplayName("RL-04 External write while peers have the value open converges live, without losing unsaved edits; the import is idempotent")
    void RL04_externalWriteWhileOpenConvergesLive() throws Exception {
        MapDbServerFixture s = server(dir.resolve("server"));
        ForkedSession f = new ForkedSession();
        ForkedSession.set(f.alice, f.map, "title", "Fix login bug");
        ForkedSession.set(f.alice, f.map, "status", "todo");
        SyncManager a = s.connected(f.alice, SyncOptions.defaults());
        get(a.waitForSync(f.map, "server"));
        LocalNode b = freshLoader(s, f); // client B has the task map open

        LocalNode other = f.secondSession(); // made the bundle beforehand, on another device
        ForkedSession.set(other, f.map, "title", "Fix login bug v2");
        ForkedSession.set(other, f.map, "status", "review");
        List<ContentPiece> bundle = bundle(f, other);
        pause(5);

        a.peer("server").orElseThrow().channel().close(); // A goes offline
        await("A is offline", () -> a.peers().isEmpty());
        ForkedSession.set(f.alice, f.map, "status", "blocked"); // A's unsaved edit, later than the bundle's

        assertTrue(importInto(s.server, bundle), "the import brings new content");
        await("B shows the imported title live", () -> "Fix login bug v2".equals(field(b, f.map, "title")));
        assertEquals("review", field(b, f.map, "status"));

        s.connect(a); // A comes back
        await("A's edit reaches the server", () -> known(s.serverNode, f.map).equals(known(f.alice, f.map).combine(known(b, f.map))));
        await("B converges", () -> "blocked".equals(field(b, f.map, "status")));
        await("A converges", () -> "Fix login bug v2".equals(field(f.alice, f.map, "title")));
        for (LocalNode n : List.of(f.alice, b)) { // the server cannot decrypt: it is checked by known state
            assertEquals("Fix login bug v2", field(n, f.map, "title"));
            assertEquals("blocked", field(n, f.map, "status"), "A's later edit wins by madeAt and is not lost");
        }

        KnownState before = known(s.serverNode, f.map);
        assertTrue(!importInto(s.server, bundle), "running the import again adds nothing");
        assertEquals(before, known(s.serverNode, f.map));
        assertEquals(sorted(f.alice, f.map), sorted(b, f.map));
        assertEquals(known(f.alice, f.map), known(b, f.map));
    }

    @Test
    @DisplayName("RL-05 External write while nobody has the value open: the next load reads storage (import into a restarted server that has not loaded the map, and an offline import into its stopped directory)")
    void RL05_externalWriteWhileClosedNextLoadReadsStorage() throws Exception {
        Path serverDir = dir.resolve("server");
        ForkedSession f = new ForkedSession();
        ForkedSession.set(f.alice, f.map, "title", "Task");
        LocalNode other = f.secondSession();
        ForkedSession.set(other, f.map, "priority", "low");
        List<ContentPiece> bundle = bundle(f, other); // knows title, not status=done below
        MapDbServerFixture first = server(serverDir);
        SyncManager a = first.connected(f.alice, SyncOptions.defaults());
        ForkedSession.set(f.alice, f.map, "status", "done");
        get(a.waitForSync(f.map, "server"));
        await("the server has status=done", () -> known(f.alice, f.map).equals(known(first.serverNode, f.map)));
        // (0) The server loaded the map, then its garbage collector unloads it; the import reads storage.
        LocalNode estimator = f.secondSession();
        ForkedSession.set(estimator, f.map, "estimate", "3d");
        List<ContentPiece> gcBundle = bundle(f, estimator); // knows title, not status=done
        assertTrue(get(first.server.unload(f.map)), "unloaded");
        importInto(first.server, gcBundle);
        LocalNode reader0 = freshLoader(first, f);
        await("the fresh client sees storage and the import", () -> "done".equals(field(reader0, f.map, "status"))
                && "3d".equals(field(reader0, f.map, "estimate")));
        assertEquals(null, field(reader0, f.map, "priority"), "the other bundle is not imported yet");
        get(first.server.flush());
        a.close();
        first.close();
        open.remove(first);

        // (1) The server restarted: the map is only on disk. The import goes through its node.
        MapDbServerFixture second = server(serverDir);
        assertEquals(null, second.serverNode.get(f.map), "nobody loaded the map since the restart");
        importInto(second.server, bundle);
        LocalNode reader = freshLoader(second, f);
        await("the fresh client sees storage and the import", () -> "done".equals(field(reader, f.map, "status")));
        assertEquals("low", field(reader, f.map, "priority"));
        assertEquals("Task", field(reader, f.map, "title"));
        second.close();
        open.remove(second);

        // (2) Offline import into the stopped server's directory, through the storage API (and its lock).
        Path offlineDir = dir.resolve("offline");
        MapDbServerFixture third = server(offlineDir);
        SyncManager a2 = third.connected(f.alice, SyncOptions.defaults());
        for (RawCoID id : List.of(f.alice.accountID(), f.group, f.map)) get(a2.waitForSync(id, "server"));
        a2.close();
        third.close();
        open.remove(third);
        try (MapDbStorage disk = MapDbStorage.open(offlineDir)) {
            for (ContentPiece p : bundle) get(disk.store(p));
            assertTrue(disk.verifyIntegrity().ok(), "integrity after the offline import");
        }
        MapDbServerFixture fourth = server(offlineDir);
        LocalNode reader2 = freshLoader(fourth, f);
        await("the fresh client sees the offline import", () -> "low".equals(field(reader2, f.map, "priority")));
        assertEquals("done", field(reader2, f.map, "status"));
    }

    @Test
    @DisplayName("RL-07 Unloading never races a load or incoming content into a silent drop: while the unload is paused at gc.beforeUnmount a client loads the map and another writes to it; both are handled after the value is read back from storage")
    void RL07_unloadNeverRacesLoadOrContentIntoADrop() throws Exception {
        System.setProperty("cojson.faults.dir", dir.resolve("faults").toString());
        open.add(() -> System.clearProperty("cojson.faults.dir"));
        MapDbServerFixture s = server(dir.resolve("server"));
        List<SyncError> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        s.own(s.server.onError(errors::add)::close);
        ForkedSession f = new ForkedSession();
        ForkedSession.set(f.alice, f.map, "title", "Task");
        SyncManager a = s.connected(f.alice, SyncOptions.defaults());
        get(a.waitForSync(f.map, "server")); // acknowledged: stored
        var before = s.serverNode.get(f.map);

        Faults.configure("gc.beforeUnmount=pause");
        CompletableFuture<Boolean> unloading = s.server.unload(f.map);
        assertTrue(Faults.awaitPaused("gc.beforeUnmount", 1, java.time.Duration.ofSeconds(20)), "the unload is under way");
        LocalNode reader = LocalNode.forAccount(CRYPTO, f.alice.accountID(), f.secret, null);
        SyncManager r = s.connected(reader, SyncOptions.defaults());
        var load = r.load(f.map); // a load arrives during the unload
        ForkedSession.set(f.alice, f.map, "status", "review"); // and new content for it
        Thread.sleep(200);
        java.nio.file.Files.createFile(Faults.faultsDir().resolve("release-gc.beforeUnmount"));
        assertTrue(get(unloading), "the value was unloaded");
        Faults.configure(null);

        assertTrue(get(load).isPresent(), "the load is answered");
        KnownState want = known(f.alice, f.map);
        await("the new transaction reaches the server", () -> want.equals(known(s.serverNode, f.map)));
        await("the reader gets full content including the new transaction", () -> "review".equals(field(reader, f.map, "status")));
        assertEquals("Task", field(reader, f.map, "title"));
        assertTrue(s.serverNode.get(f.map) != before, "the server read the value back from storage after the unload");
        assertEquals(List.of(), errors, "no content handled without its header, no error");
        get(a.waitForSync(f.map, "server")); // acknowledged after the commit: stored
    }

    @Test
    @DisplayName("RL-08 Concurrent imports of one value apply against its current state: the union, whichever starts first, with the first commit delayed")
    void RL08_concurrentImportsApplyAgainstCurrentState() throws Exception {
        Map<String, JsonValue> first = concurrentImports(dir.resolve("ab"), false);
        Map<String, JsonValue> second = concurrentImports(dir.resolve("ba"), true);
        assertEquals(first.keySet(), second.keySet(), "the same result for both start orders");
    }

    private Map<String, JsonValue> concurrentImports(Path serverDir, boolean reversed) throws Exception {
        ForkedSession f = new ForkedSession();
        ForkedSession.set(f.alice, f.map, "title", "Task");
        MapDbServerFixture s = server(serverDir);
        SyncManager a = s.connected(f.alice, SyncOptions.defaults());
        get(a.waitForSync(f.map, "server"));
        LocalNode one = f.secondSession();
        ForkedSession.set(one, f.map, "a", "1");
        LocalNode two = f.secondSession();
        ForkedSession.set(two, f.map, "b", "2");
        List<List<ContentPiece>> bundles = new ArrayList<>(List.of(bundle(f, one), bundle(f, two)));
        if (reversed) java.util.Collections.reverse(bundles);

        Faults.configure("storage.tx.beforeCommit=delay:200"); // the first import's commit is slow
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Void>> runs = new ArrayList<>();
        for (List<ContentPiece> b : bundles) {
            runs.add(CompletableFuture.runAsync(() -> {
                try {
                    assertTrue(go.await(10, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                importInto(s.server, b);
            }));
        }
        go.countDown(); // both start in the same tick
        for (CompletableFuture<Void> r : runs) get(r);
        Faults.configure(null);

        await("both imports visible to alice", () -> "1".equals(field(f.alice, f.map, "a")) && "2".equals(field(f.alice, f.map, "b")));
        KnownState expected = known(one, f.map).combine(known(two, f.map));
        assertEquals(expected, known(s.serverNode, f.map), "the union of both bundles in memory");
        Map<String, JsonValue> result = sorted(f.alice, f.map);
        a.close();
        s.close();
        open.remove(s);
        try (MapDbStorage disk = MapDbStorage.open(serverDir)) {
            assertEquals(expected, disk.knownState(f.map), "storage holds the union");
            assertTrue(disk.verifyIntegrity().ok(), "integrity");
        }
        assertEquals("Task", ((JsonValue.Str) result.get("title")).value());
        return result;
    }
}
