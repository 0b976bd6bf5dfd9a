package io.cojson.sync;

import static io.cojson.sync.SyncTestKit.CRYPTO;
import static io.cojson.sync.SyncTestKit.await;
import static io.cojson.sync.SyncTestKit.awaitEquals;
import static io.cojson.sync.SyncTestKit.connect;
import static io.cojson.sync.SyncTestKit.get;
import static io.cojson.sync.SyncTestKit.known;
import static io.cojson.sync.SyncTestKit.mapJson;
import static io.cojson.sync.SyncTestKit.set;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.covalue.CoValueCore;
import io.cojson.core.groups.Roles;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.json.Json;
import io.cojson.core.json.JsonValue;
import io.cojson.core.node.Accounts;
import io.cojson.core.node.GroupOperations;
import io.cojson.core.node.LocalNode;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two or three nodes syncing through a server node (an agent-only LocalNode) over in-memory channels. */
class SyncManagerTest {
    private final LocalNode serverNode = LocalNode.forAgent(CRYPTO, CRYPTO.newRandomAgentSecret());
    private final SyncManager server = SyncManager.create(serverNode);
    // Distinct madeAt across sessions: with equal ones the reference's CoMap order depends on arrival
    // order (vectors/README.md), so concurrent writers could legitimately end with different views.
    private static final long T0 = System.currentTimeMillis();
    private final AtomicLong ticks = new AtomicLong(); // one clock; each account its own residue mod 3
    private final LocalNode alice = account("Alice", 0);
    private final LocalNode bob = account("Bob", 1);
    private final SyncManager aliceSync = SyncManager.create(alice);
    private final SyncManager bobSync = SyncManager.create(bob);
    private final List<SyncError> errors = new CopyOnWriteArrayList<>();

    private LocalNode account(String name, int residue) {
        return Accounts.create(CRYPTO, CRYPTO.newRandomAgentSecret(), name, () -> T0 + 3 * ticks.incrementAndGet() + residue);
    }

    SyncManagerTest() {
        server.onError(errors::add);
        aliceSync.onError(errors::add);
        bobSync.onError(errors::add);
    }

    @AfterEach
    void close() {
        aliceSync.close();
        bobSync.close();
        server.close();
    }

    /** Alice's group (Bob a writer) and a map in it with {title: hello}. */
    private RawCoID sharedMap() {
        get(bobSync.waitForSync(bob.accountID(), "server"));
        get(aliceSync.load(bob.accountID())).orElseThrow();
        RawCoID group = GroupOperations.createGroup(alice, null);
        GroupOperations.addMember(alice, group, bob.accountID().value(), Roles.WRITER);
        RawCoID map = Accounts.createOwned(alice, "comap", group, JsonValue.NULL);
        set(alice, map, "title", JsonValue.of("hello"));
        return map;
    }

    @Test
    void connectingUploadsEverythingAndTheServerAcknowledges() {
        connect(aliceSync, server);
        for (RawCoID id : alice.ids()) {
            get(aliceSync.waitForSync(id, "server"));
            assertEquals(known(alice, id), known(serverNode, id), "server holds " + id);
        }
        assertEquals(List.of(), errors);
    }

    @Test
    void loadBringsTheValueWithItsDependencies() {
        connect(aliceSync, server);
        connect(bobSync, server);
        RawCoID map = sharedMap();
        get(aliceSync.waitForSync(map, "server"));

        Optional<CoValueCore> loaded = get(bobSync.load(map));
        assertTrue(loaded.isPresent());
        RawCoID group = ((io.cojson.core.header.Ruleset.OwnedByGroup) loaded.get().header().ruleset()).group();
        assertTrue(bob.get(group) != null && bob.get(alice.accountID()) != null, "group and author account came first");
        assertEquals("{\"title\":\"hello\"}", mapJson(bob, map));
        assertEquals(List.of(), errors);

        set(alice, map, "count", JsonValue.of(1)); // Bob is subscribed now: the server forwards it
        awaitEquals("forwarded update", "{\"title\":\"hello\",\"count\":1}", () -> mapJson(bob, map));
    }

    @Test
    void concurrentEditsConverge() throws Exception {
        connect(aliceSync, server);
        connect(bobSync, server);
        RawCoID map = sharedMap();
        get(aliceSync.waitForSync(map, "server"));
        get(bobSync.load(map)).orElseThrow();

        Thread a = new Thread(() -> {
            for (int i = 0; i < 50; i++) set(alice, map, "k" + (i % 7), JsonValue.of("a" + i));
        });
        Thread b = new Thread(() -> {
            for (int i = 0; i < 50; i++) set(bob, map, "k" + (i % 5), JsonValue.of("b" + i));
        });
        a.start();
        b.start();
        a.join();
        b.join();
        get(aliceSync.waitForSync(map, "server"));
        get(bobSync.waitForSync(map, "server"));
        await("same known state everywhere", () -> known(alice, map).equals(known(bob, map))
                && known(alice, map).equals(known(serverNode, map)));
        assertEquals(parse(mapJson(alice, map)), parse(mapJson(bob, map)));
        assertEquals(101, known(alice, map).sessions().values().stream().mapToInt(Integer::intValue).sum());
        assertEquals(List.of(), errors);
    }

    @Test
    void loadOfAnUnknownValueCompletesEmpty() {
        connect(aliceSync, server);
        RawCoID unknown = new RawCoID("co_zUnknownValue1234567890");
        assertFalse(get(aliceSync.load(unknown)).isPresent());
        assertFalse(get(SyncManager.create(bob).load(unknown)).isPresent(), "no peers: unavailable at once");
    }

    @Test
    void threeClientsSeeEachOthersWrites() {
        LocalNode carol = account("Carol", 2);
        SyncManager carolSync = SyncManager.create(carol);
        try {
            connect(aliceSync, server);
            connect(bobSync, server);
            connect(carolSync, server);
            get(carolSync.waitForSync(carol.accountID(), "server"));
            get(aliceSync.load(carol.accountID())).orElseThrow();
            RawCoID map = sharedMap();
            GroupOperations.addMember(alice, ownerOf(alice, map), carol.accountID().value(), Roles.WRITER);
            get(aliceSync.waitForSync(map, "server"));
            get(bobSync.load(map)).orElseThrow();
            get(carolSync.load(map)).orElseThrow();
            set(bob, map, "bob", JsonValue.of(true));
            set(carol, map, "carol", JsonValue.of(true));
            JsonValue expected = Json.parse("{\"title\":\"hello\",\"bob\":true,\"carol\":true}");
            for (LocalNode n : List.of(alice, bob, carol)) {
                // Key order follows arrival order; the values must be the same everywhere.
                await("all keys on every node", () -> expected.equals(parse(mapJson(n, map))));
            }
            assertEquals(List.of(), errors);
        } finally {
            carolSync.close();
        }
    }

    static JsonValue parse(String json) {
        return json == null ? null : Json.parse(json);
    }

    static RawCoID ownerOf(LocalNode node, RawCoID id) {
        return ((io.cojson.core.header.Ruleset.OwnedByGroup) node.require(id).header().ruleset()).group();
    }
}
