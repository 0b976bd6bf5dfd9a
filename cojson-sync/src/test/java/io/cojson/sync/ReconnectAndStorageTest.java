package io.cojson.sync;

import static io.cojson.sync.SyncTestKit.CRYPTO;
import static io.cojson.sync.SyncTestKit.await;
import static io.cojson.sync.SyncTestKit.connect;
import static io.cojson.sync.SyncTestKit.get;
import static io.cojson.sync.SyncTestKit.known;
import static io.cojson.sync.SyncTestKit.set;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.node.Accounts;
import io.cojson.core.node.GroupOperations;
import io.cojson.core.node.LocalNode;
import io.cojson.sync.transport.InMemoryChannel;
import io.cojson.sync.transport.MessageChannel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Reconnections, duplicated delivery and a server restarted on its storage (reliability.md RL-15, RL-21). */
class ReconnectAndStorageTest {
    private final LocalNode alice = Accounts.create(CRYPTO, "Alice");
    private final LocalNode bob = Accounts.create(CRYPTO, "Bob");
    private final SyncManager aliceSync = SyncManager.create(alice);
    private final SyncManager bobSync = SyncManager.create(bob);
    private final List<SyncError> errors = new CopyOnWriteArrayList<>();
    private final List<SyncManager> servers = new CopyOnWriteArrayList<>();

    ReconnectAndStorageTest() {
        aliceSync.onError(errors::add);
        bobSync.onError(errors::add);
    }

    @AfterEach
    void close() {
        aliceSync.close();
        bobSync.close();
        servers.forEach(SyncManager::close);
    }

    private SyncManager newServer(SyncStorage storage) {
        LocalNode node = LocalNode.forAgent(CRYPTO, CRYPTO.newRandomAgentSecret());
        SyncManager s = SyncManager.create(node, storage == null ? SyncOptions.defaults() : SyncOptions.defaults().withStorage(storage));
        s.onError(errors::add);
        servers.add(s);
        return s;
    }

    private RawCoID mapSharedWithBob() {
        get(bobSync.waitForSync(bob.accountID(), "server"));
        get(aliceSync.load(bob.accountID())).orElseThrow();
        RawCoID group = GroupOperations.createGroup(alice, null);
        GroupOperations.addMember(alice, group, bob.accountID().value(), "writer");
        return Accounts.createOwned(alice, "comap", group, JsonValue.NULL);
    }

    private static int total(LocalNode node, RawCoID id) {
        return known(node, id).sessions().values().stream().mapToInt(Integer::intValue).sum();
    }

    @Test
    void reconnectingResumesWithoutLossOrDuplicates() {
        SyncManager server = newServer(null);
        InMemoryChannel.Pair first = connect(aliceSync, server);
        connect(bobSync, server);
        RawCoID map = mapSharedWithBob();
        for (int i = 0; i < 20; i++) set(alice, map, "a" + i, JsonValue.of(i));
        get(aliceSync.waitForSync(map, "server"));
        get(bobSync.load(map)).orElseThrow();

        first.a().close(); // alice goes offline; both sides see the channel close
        await("alice's server peer closed", () -> aliceSync.peer("server").isEmpty());
        for (int i = 20; i < 40; i++) set(alice, map, "a" + i, JsonValue.of(i));
        set(bob, map, "fromBob", JsonValue.of(true));
        get(bobSync.waitForSync(map, "server"));

        connect(aliceSync, server); // same peer id "server": announces everything again
        get(aliceSync.waitForSync(map, "server"));
        await("bob has all of alice's edits", () -> known(bob, map).equals(known(alice, map)));
        assertEquals(41, total(alice, map), "40 of alice's and bob's one, each exactly once");
        assertEquals(known(alice, map), known(server.node(), map));
        assertEquals(List.of(), errors);
    }

    @Test
    void aWaitStartedWhileTheServerPeerIsReconnectingCompletesWhenItIsBack() {
        SyncManager server = newServer(null);
        InMemoryChannel.Pair first = connect(aliceSync, server);
        RawCoID group = GroupOperations.createGroup(alice, null);
        RawCoID map = Accounts.createOwned(alice, "comap", group, JsonValue.NULL);
        get(aliceSync.waitForSync(map, "server"));
        first.a().close();
        await("alice's server peer closed", () -> aliceSync.peer("server").isEmpty());
        set(alice, map, "offline", JsonValue.of(1));
        java.util.concurrent.CompletableFuture<Void> wait = aliceSync.waitForSync(map, "server");
        org.junit.jupiter.api.Assertions.assertFalse(wait.isCompletedExceptionally(), "a persistent peer's absence is not a failure");
        connect(aliceSync, server);
        get(wait);
        assertEquals(known(alice, map), known(server.node(), map));
        assertThrowsNoPeer();
    }

    private void assertThrowsNoPeer() {
        java.util.concurrent.CompletableFuture<Void> never = aliceSync.waitForSync(alice.accountID(), "nobody");
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.ExecutionException.class,
                () -> never.get(10, java.util.concurrent.TimeUnit.SECONDS)).getCause().getMessage().contains("no peer nobody"));
    }

    @Test
    void aLoadWithRetryFindsAValueThatReachesTheServerWithinTheRetryDelay() {
        SyncManager server = newServer(null);
        connect(bobSync, server);
        RawCoID group = GroupOperations.createGroup(alice, null);
        GroupOperations.addMember(alice, group, "everyone", "reader");
        RawCoID map = Accounts.createOwned(alice, "comap", group, JsonValue.NULL); // alice is offline: nobody has it
        assertTrue(get(bobSync.load(map)).isEmpty(), "without retry: unavailable at the first answer");
        java.util.concurrent.CompletableFuture<java.util.Optional<io.cojson.core.covalue.CoValueCore>> retried = bobSync.load(map, true);
        connect(aliceSync, server); // alice comes online and uploads within the retry delay
        get(aliceSync.waitForSync(map, "server"));
        assertTrue(get(retried).isPresent(), "the one retry found it");
        assertEquals(known(alice, map), known(bob, map));
    }

    @Test
    void duplicatedDeliveryIsANoOp() {
        SyncManager server = newServer(null);
        InMemoryChannel.Pair pair = InMemoryChannel.pair("alice", "server");
        server.addPeer("alice", PeerRole.CLIENT, pair.b());
        aliceSync.addPeer("server", PeerRole.SERVER, new Duplicating(pair.a()));
        RawCoID group = GroupOperations.createGroup(alice, null);
        RawCoID map = Accounts.createOwned(alice, "comap", group, JsonValue.NULL);
        for (int i = 0; i < 50; i++) set(alice, map, "k" + (i % 3), JsonValue.of(i));
        get(aliceSync.waitForSync(map, "server"));
        assertEquals(known(alice, map), known(server.node(), map));
        assertEquals(50, total(server.node(), map));
        assertEquals(List.of(), errors);
    }

    @Test
    void aServerRestartedOnItsStorageLosesNothingItAcknowledged() {
        MemoryStorage storage = new MemoryStorage();
        SyncManager server1 = newServer(storage);
        InMemoryChannel.Pair a1 = connect(aliceSync, server1);
        InMemoryChannel.Pair b1 = connect(bobSync, server1);
        RawCoID map = mapSharedWithBob();
        set(alice, map, "title", JsonValue.of("hello"));
        get(aliceSync.waitForSync(map, "server"));
        assertEquals(known(alice, map), storage.knownState(map), "acknowledged only after the store committed");

        server1.close(); // "restart": a new node on the same storage
        a1.a().close();
        b1.a().close();
        SyncManager server2 = newServer(storage);
        connect(aliceSync, server2);
        connect(bobSync, server2);
        assertTrue(get(bobSync.load(map)).isPresent(), "served from storage");
        await("bob sees alice's map", () -> known(bob, map).equals(known(alice, map)));
        set(alice, map, "after", JsonValue.of("restart"));
        get(aliceSync.waitForSync(map, "server"));
        await("live updates flow again", () -> known(bob, map).equals(known(alice, map)));
        assertEquals(known(alice, map), storage.knownState(map));
        assertEquals(List.of(), errors);
    }

    @Test
    void aServerThatLostEverythingIsHealedByReconnectingClients() {
        SyncManager server1 = newServer(null);
        InMemoryChannel.Pair a1 = connect(aliceSync, server1);
        connect(bobSync, server1);
        RawCoID map = mapSharedWithBob();
        set(alice, map, "title", JsonValue.of("hello"));
        get(aliceSync.waitForSync(map, "server"));
        a1.a().close();

        SyncManager server2 = newServer(null); // in memory only: it starts empty
        connect(aliceSync, server2);
        get(aliceSync.waitForSync(map, "server"));
        for (RawCoID id : alice.ids()) {
            await("server2 has " + id, () -> known(alice, id).equals(known(server2.node(), id)));
        }
        assertEquals(List.of(), errors);
    }

    /** A channel that sends every message twice (reliability.md RL-15 {@code transport.out=dup*}). */
    private static final class Duplicating implements MessageChannel {
        private final MessageChannel inner;

        Duplicating(MessageChannel inner) {
            this.inner = inner;
        }

        @Override
        public void send(String messageJson) {
            inner.send(messageJson);
            inner.send(messageJson);
        }

        @Override
        public void setListener(Listener listener) {
            inner.setListener(listener);
        }

        @Override
        public String describe() {
            return inner.describe();
        }

        @Override
        public void close() {
            inner.close();
        }
    }
}
