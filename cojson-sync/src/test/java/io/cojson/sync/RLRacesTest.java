package io.cojson.sync;

import static io.cojson.sync.SyncTestKit.CRYPTO;
import static io.cojson.sync.SyncTestKit.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.node.Accounts;
import io.cojson.core.node.LocalNode;
import io.cojson.core.node.Subscription;
import io.cojson.storage.engine.MapDbStorage;
import io.cojson.storage.engine.NodePersistence;
import io.cojson.sync.storage.CoValueSyncStorage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * reliability.md RL-16 (b, c) and RL-18 (seed 003): idempotence guards that must not suppress a
 * legitimate repeat (a reconnect re-subscribes, a restart announces every value once), and
 * subscriptions cancelled before they fire that leave nothing behind. RL-16 (a), the recovery
 * rounds, is {@code RecoveryCoordinatorTest#RL16a_…}.
 */
class RLRacesTest {
    @TempDir
    Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) open.get(i).close();
    }

    /** Loads the client sends one connection, per CoValue, until every id in {@code want} was asked for. */
    private static Map<RawCoID, Integer> loadsUntil(RawPeer server, Set<RawCoID> want) {
        Map<RawCoID, Integer> loads = new HashMap<>();
        while (!loads.keySet().containsAll(want)) {
            SyncMessage.Load l = server.next(SyncMessage.Load.class);
            loads.merge(l.knownState().id(), 1, Integer::sum);
        }
        server.expectSilence(200); // and nothing more: a duplicate would arrive within this
        return loads;
    }

    @Test
    @DisplayName("RL-15 Duplicated messages both ways (transport.in=dup*) and a forced reconnect mid-burst of 200 edits: each transaction applied and stored once, the subscriber sees strictly growing states")
    void RL15_duplicatedDeliveryAndReconnectNeverDoubleApply() throws Exception {
        MapDbServerFixture h = new MapDbServerFixture(dir.resolve("server"));
        open.add(h);
        ForkedSession f = new ForkedSession();
        io.cojson.core.ids.SessionID s = f.alice.sessionID();
        LocalNode bob = f.secondSession();
        SyncManager a = h.connected(f.alice, SyncOptions.defaults());
        SyncManager b = h.connected(bob, SyncOptions.defaults());
        get(a.waitForSync(f.map, "server"));
        List<Integer> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        open.add(bob.subscribe(f.map, x -> seen.add(SyncTestKit.known(bob, f.map).count(s))));
        List<SyncError> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        open.add(h.server.onError(errors::add));
        open.add(() -> io.cojson.storage.Faults.configure(null));
        io.cojson.storage.Faults.configure("transport.in=dup*"); // every message, both directions, delivered twice
        for (int i = 0; i < 200; i++) {
            ForkedSession.set(f.alice, f.map, "k" + (i % 7), String.valueOf(i));
            if (i == 100) h.connect(a); // a forced reconnect: load, known and content for the map meet
            if (i % 20 == 0) Thread.sleep(5);
        }
        io.cojson.core.knownstate.KnownState want = SyncTestKit.known(f.alice, f.map);
        assertEquals(200, want.count(s));
        SyncTestKit.await("the server has the 200 edits", () -> want.equals(SyncTestKit.known(h.serverNode, f.map)));
        SyncTestKit.await("bob has the 200 edits", () -> want.equals(SyncTestKit.known(bob, f.map)));
        io.cojson.storage.Faults.configure(null);
        for (int i = 1; i < seen.size(); i++) {
            assertTrue(seen.get(i) > seen.get(i - 1), "a repeated or shrinking update at " + i + ": " + seen);
        }
        assertEquals(200, seen.get(seen.size() - 1));
        assertEquals(List.of(), errors, "no error from duplicated delivery");
        h.close();
        open.remove(h);
        try (MapDbStorage disk = MapDbStorage.open(dir.resolve("server"))) {
            assertEquals(want, disk.knownState(f.map), "storage holds each transaction once");
            assertTrue(disk.verifyIntegrity().ok());
            LocalNode fresh = LocalNode.forAccount(CRYPTO, f.alice.accountID(), f.secret, null);
            try (NodePersistence p = NodePersistence.attach(fresh, disk)) {
                assertTrue(p.loadAll().rejected().isEmpty(), "every stored transaction verifies");
            }
            assertEquals(want, SyncTestKit.known(fresh, f.map));
        }
    }

    @Test
    @DisplayName("RL-16 (c) Reconnect: the server receives a fresh load for every subscribed CoValue on each connection, once")
    void RL16c_reconnectSendsAFreshLoadForEverySubscribedValue() {
        ForkedSession f = new ForkedSession();
        ForkedSession.set(f.alice, f.map, "title", "Task");
        RawCoID list = Accounts.createOwned(f.alice, "colist", f.group, JsonValue.NULL);
        SyncManager sync = SyncManager.create(f.alice);
        open.add(sync);
        Set<RawCoID> all = Set.copyOf(f.alice.ids()); // the account, its profile, the group, the map, the list
        assertTrue(all.containsAll(List.of(f.group, f.map, list)));
        RawPeer first = RawPeer.attach(sync, "server", PeerRole.SERVER);
        Map<RawCoID, Integer> once = new HashMap<>();
        for (RawCoID id : all) once.put(id, 1);
        assertEquals(once, loadsUntil(first, all), "first connection");
        RawPeer second = RawPeer.attach(sync, "server", PeerRole.SERVER); // the same peer id: a reconnection
        assertEquals(once, loadsUntil(second, all), "the reconnection is not suppressed as a repeat");
        RawPeer third = RawPeer.attach(sync, "server", PeerRole.SERVER);
        assertEquals(once, loadsUntil(third, all), "nor the next one");
    }

    @Test
    @DisplayName("RL-16 (b) Restart the client: every subscribed CoValue becomes available once (one notification, one shared load for concurrent callers)")
    void RL16b_restartAnnouncesEverySubscribedValueOnce() throws Exception {
        ForkedSession f = new ForkedSession();
        List<RawCoID> maps = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            RawCoID m = Accounts.createOwned(f.alice, "comap", f.group, JsonValue.NULL);
            ForkedSession.set(f.alice, m, "title", "Task " + i);
            maps.add(m);
        }
        Path aliceDir = dir.resolve("alice");
        try (MapDbStorage disk = MapDbStorage.open(aliceDir); NodePersistence p = NodePersistence.attach(f.alice, disk)) {
            get(p.persistedAll());
        }

        MapDbStorage disk = MapDbStorage.open(aliceDir); // the restarted process
        open.add(disk);
        CoValueSyncStorage storage = CoValueSyncStorage.of(disk);
        open.add(storage);
        LocalNode alice = LocalNode.forAccount(CRYPTO, f.alice.accountID(), f.secret, null);
        SyncManager sync = SyncManager.create(alice, SyncOptions.defaults().withStorage(storage));
        open.add(sync);
        Map<RawCoID, AtomicInteger> available = new HashMap<>();
        List<CompletableFuture<Optional<io.cojson.core.covalue.CoValueCore>>> loads = new ArrayList<>();
        for (RawCoID m : maps) {
            AtomicInteger n = new AtomicInteger();
            available.put(m, n);
            open.add(alice.subscribe(m, x -> n.incrementAndGet()));
            loads.add(sync.load(m));
            loads.add(sync.load(m)); // a second caller shares the load
        }
        for (var l : loads) assertTrue(get(l).isPresent());
        Thread.sleep(200); // a second notification, if any, would come within this
        for (int i = 0; i < maps.size(); i++) {
            assertEquals(1, available.get(maps.get(i)).get(), "map " + i + " became available once");
            assertTrue(SyncTestKit.mapJson(alice, maps.get(i)).contains("Task " + i));
        }
    }

    @Test
    @DisplayName("RL-18 Subscribe then unsubscribe in the same tick leaves nothing behind; no callback after unsubscribe")
    void RL18_subscribeThenUnsubscribeLeavesNothingBehind() {
        ForkedSession f = new ForkedSession();
        LocalNode node = f.alice;
        int before = node.subscriptionCount();
        int valuesBefore = node.subscribedValueCount();
        List<RawCoID> ids = new ArrayList<>();
        for (int i = 0; i < 1000; i++) ids.add(new RawCoID("co_zRL18placeholder" + i)); // IDs of values this node has not loaded
        for (RawCoID id : ids) node.subscribe(id, x -> {
            throw new AssertionError("callback after unsubscribe");
        }).close();
        assertEquals(before, node.subscriptionCount(), "no listener left");
        assertEquals(valuesBefore, node.subscribedValueCount(), "no entry left for 1,000 cancelled subscriptions");

        List<Subscription> live = new ArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        for (RawCoID id : ids.subList(0, 100)) {
            node.subscribe(id, x -> calls.incrementAndGet()).close();
            live.add(node.subscribe(id, x -> calls.incrementAndGet()));
        }
        assertEquals(before + 100, node.subscriptionCount());
        assertEquals(valuesBefore + 100, node.subscribedValueCount());
        live.forEach(Subscription::close);
        assertEquals(before, node.subscriptionCount());

        // A real value: a callback runs for a change while subscribed, none after unsubscribe.
        AtomicInteger mapCalls = new AtomicInteger();
        Subscription s = node.subscribe(f.map, x -> mapCalls.incrementAndGet());
        ForkedSession.set(node, f.map, "title", "one");
        assertEquals(1, mapCalls.get());
        s.close();
        ForkedSession.set(node, f.map, "title", "two");
        assertEquals(1, mapCalls.get(), "no callback after unsubscribe");
        assertEquals(0, calls.get());
    }
}
