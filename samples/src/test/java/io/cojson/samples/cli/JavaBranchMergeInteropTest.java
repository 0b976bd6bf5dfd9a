package io.cojson.samples.cli;

import static io.cojson.samples.cli.InteropProcesses.q;
import static io.cojson.samples.cli.InteropProcesses.rawFields;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.content.CoListContent;
import io.cojson.core.content.CoMapContent;
import io.cojson.core.crypto.Crypto;
import io.cojson.core.ids.AgentSecret;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.json.Json;
import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import io.cojson.core.node.Accounts;
import io.cojson.core.node.Branches;
import io.cojson.core.node.GroupOperations;
import io.cojson.core.node.LocalNode;
import io.cojson.sync.PeerRole;
import io.cojson.sync.SyncManager;
import io.cojson.sync.transport.ReconnectingClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The other direction of {@link BranchMergeInteropTest}: an in-process Java node writes the same
 * branch-and-merge history with {@link Branches} (map and list, two merges, edits on both sides)
 * and uploads it; a fresh {@code ref-client.mjs} and a fresh Java {@code client}, logged in as that
 * account, must answer the same text for each value, and that must equal the writer's own view
 * (maps as objects, lists as text). The reference doing the same operations ({@code
 * branch-merge.mjs}, run against the same server) must end with the same values. Through the JS
 * reference server and the Java server. The same holds for first-writer-wins metas ({@code meta.fww},
 * covalues.md §4.4) the Java node writes as branch-merge.mjs does, private ones included.
 */
class JavaBranchMergeInteropTest extends BothServersInteropTest {
    private SyncManager sync;

    @TempDir
    Path tmp;
    private ReconnectingClient connection;

    @AfterEach
    void closeClient() throws Exception { // before the processes and server (superclass) stop
        if (connection != null) connection.close();
        if (sync != null) sync.close();
    }

    @Override
    protected void runThrough(String url, Server server) throws Exception {
        sameViews(url);
    }

    private void sameViews(String url) throws Exception {
        Crypto crypto = Crypto.create();
        AgentSecret secret = crypto.newRandomAgentSecret();
        AtomicLong last = new AtomicLong();
        // Wall-clock time, but every write a millisecond of its own (the reference's own order of ties is not under test here).
        LocalNode node = Accounts.create(crypto, secret, "java-brancher",
                () -> last.updateAndGet(prev -> Math.max(prev + 1, System.currentTimeMillis())));
        sync = SyncManager.create(node);
        CountDownLatch connected = new CountDownLatch(1);
        connection = ReconnectingClient.builder(url).onChannel(ch -> {
            sync.addPeer("server", PeerRole.SERVER, ch);
            connected.countDown();
        }).start();
        assertTrue(connected.await(20, TimeUnit.SECONDS), "connected to " + url);

        RawCoID group = GroupOperations.createGroup(node, null);
        RawCoID map = Accounts.createOwned(node, "comap", group, JsonValue.NULL);
        set(node, map, "a", 1, true);
        set(node, map, "b", 1, true);
        RawCoID mapBranch = Branches.createBranch(node, map, "draft", null);
        set(node, mapBranch, "a", 2, true);
        set(node, mapBranch, "c", 3, false);
        set(node, map, "b", 5, true);
        set(node, map, "a", 9, true);
        set(node, mapBranch, "d", 4, true);
        Branches.mergeBranch(node, mapBranch);
        set(node, mapBranch, "e", 5, true);
        Branches.mergeBranch(node, mapBranch);

        RawCoID list = Accounts.createOwned(node, "colist", group, JsonValue.NULL);
        append(node, list, "x");
        append(node, list, "y");
        RawCoID listBranch = Branches.createBranch(node, list, "draft", null);
        append(node, listBranch, "z");
        append(node, listBranch, "w");
        node.write(listBranch, node.locked(() -> ((CoListContent) node.view(listBranch)).prependChanges(JsonValue.of("first"), 0)), null, true);
        append(node, list, "q");
        node.write(listBranch, node.locked(() -> {
            CoListContent l = (CoListContent) node.view(listBranch);
            return l.deleteChange(l.items().indexOf(JsonValue.of("y")));
        }), null, true);
        Branches.mergeBranch(node, listBranch);

        // First-writer-wins metas (covalues.md §4.4), private ones only decryption reveals: as branch-merge.mjs writes them
        RawCoID fww = Accounts.createOwned(node, "comap", group, JsonValue.NULL);
        node.write(fww, List.of(CoMapContent.setChange("owner", JsonValue.of("first"))), JsonValue.obj("fww", JsonValue.of("init")), true);
        node.write(fww, List.of(CoMapContent.setChange("owner", JsonValue.of("second"))), JsonValue.obj("fww", JsonValue.of("init")), true);
        node.write(fww, List.of(CoMapContent.setChange("n", JsonValue.of(1))), JsonValue.obj("fww", JsonValue.of(1)), false);
        node.write(fww, List.of(CoMapContent.setChange("n", JsonValue.of(2))), JsonValue.obj("fww", JsonValue.of(1)), true);
        node.write(fww, List.of(CoMapContent.setChange("s", JsonValue.of("number key"))), JsonValue.obj("fww", JsonValue.of("1")), true);

        List<CompletableFuture<Void>> uploads = new ArrayList<>();
        for (RawCoID id : node.ids()) uploads.add(sync.waitForSync(id, "server"));
        CompletableFuture.allOf(uploads.toArray(new CompletableFuture<?>[0])).get(30, TimeUnit.SECONDS);

        Map<RawCoID, String> writerViews = new LinkedHashMap<>();
        for (RawCoID id : List.of(map, mapBranch, list, listBranch, fww)) {
            writerViews.put(id, node.locked(() -> {
                Object v = node.view(id);
                return JsonWriter.stringify(v instanceof CoMapContent m ? m.toJson() : ((CoListContent) v).toJson());
            }));
        }
        String login = "{\"cmd\":\"login\",\"accountID\":" + q(node.accountID().value()) + ",\"agentSecret\":" + q(secret.value()) + "}";
        InteropProcesses.Client js = procs.nodeClient(url);
        InteropProcesses.Client java = procs.javaClient(url);
        js.ok(login);
        java.ok(login);
        for (Map.Entry<RawCoID, String> e : writerViews.entrySet()) {
            String id = e.getKey().value();
            String jsView = rawFields(js.okLine("{\"cmd\":\"get\",\"id\":" + q(id) + "}")).get("value");
            String javaView = rawFields(java.okLine("{\"cmd\":\"get\",\"id\":" + q(id) + "}")).get("value");
            assertNotNull(jsView, id);
            assertEquals(jsView, javaView, id + ": a fresh reference client and a fresh Java client");
            if (e.getValue().startsWith("[")) {
                assertEquals(e.getValue(), jsView, id + ": the Java writer's list");
            } else {
                assertEquals(Json.parse(e.getValue()), Json.parse(jsView), id + ": the Java writer's map, as an object");
            }
        }
        // The reference, doing the same operations (branch-merge.mjs), must end with the same values.
        Map<String, String> ref = rawFields(BranchMergeInteropTest.runNodeScript(procs, tmp, "branch-merge.mjs", url));
        Map<String, String> refViews = rawFields(ref.get("views"));
        List<RawCoID> mine = List.of(map, mapBranch, list, listBranch, fww);
        List<String> names = List.of("map", "mapBranch", "list", "listBranch", "fww");
        for (int i = 0; i < mine.size(); i++) {
            String refView = refViews.get(((JsonValue.Str) Json.parse(ref.get(names.get(i)))).value());
            String javaView = writerViews.get(mine.get(i));
            if (javaView.startsWith("[")) assertEquals(refView, javaView, names.get(i) + ": the same list operations in both implementations");
            else assertEquals(Json.parse(refView), Json.parse(javaView), names.get(i) + ": the same map operations in both implementations");
        }
    }

    private static void set(LocalNode node, RawCoID id, String key, int value, boolean privateTx) {
        node.write(id, List.of(CoMapContent.setChange(key, JsonValue.of(value))), null, privateTx);
    }

    private static void append(LocalNode node, RawCoID list, String value) {
        node.write(list, node.locked(() -> ((CoListContent) node.view(list)).appendChanges(List.of(JsonValue.of(value)), null)), null, true);
    }
}
