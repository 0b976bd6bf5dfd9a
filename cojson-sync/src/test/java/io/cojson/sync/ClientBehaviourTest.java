package io.cojson.sync;

import static io.cojson.sync.InvalidInputTest.contentOf;
import static io.cojson.sync.SyncTestKit.CRYPTO;
import static io.cojson.sync.SyncTestKit.get;
import static io.cojson.sync.SyncTestKit.known;
import static io.cojson.sync.SyncTestKit.set;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.knownstate.KnownState;
import io.cojson.core.node.Accounts;
import io.cojson.core.node.GroupOperations;
import io.cojson.core.node.LocalNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A Java client against a scripted server (sync-protocol §8.1, §13 checklist). */
class ClientBehaviourTest {
    private final LocalNode alice = Accounts.create(CRYPTO, "Alice");
    private final RawCoID group = GroupOperations.createGroup(alice, null);
    private final RawCoID map = Accounts.createOwned(alice, "comap", group, JsonValue.NULL);
    private SyncManager aliceSync;

    @AfterEach
    void close() {
        if (aliceSync != null) aliceSync.close();
    }

    private RawPeer connect(SyncOptions options) {
        aliceSync = SyncManager.create(alice, options);
        return RawPeer.attach(aliceSync, "server", PeerRole.SERVER);
    }

    /** Reads the loads sent on connect: one per CoValue in memory. */
    private List<SyncMessage.Load> announced(RawPeer server) {
        List<SyncMessage.Load> loads = new ArrayList<>();
        for (int i = 0; i < alice.ids().size(); i++) loads.add(server.next(SyncMessage.Load.class));
        return loads;
    }

    @Test
    void onConnectItAnnouncesEverythingDependenciesFirst() {
        set(alice, map, "a", JsonValue.of(1));
        RawPeer server = connect(SyncOptions.defaults());
        List<RawCoID> order = new ArrayList<>();
        for (SyncMessage.Load l : announced(server)) {
            order.add(l.coValueId());
            assertEquals(known(alice, l.coValueId()), l.knownState());
        }
        assertTrue(order.indexOf(alice.accountID()) < order.indexOf(group));
        assertTrue(order.indexOf(group) < order.indexOf(map));
    }

    @Test
    void itUploadsWhatTheServerLacksAndResendsOnCorrection() {
        set(alice, map, "a", JsonValue.of(1));
        RawPeer server = connect(SyncOptions.defaults());
        announced(server);
        server.send(new SyncMessage.Known(KnownState.empty(map)));
        SyncMessage.Content c = server.next(SyncMessage.Content.class);
        assertEquals(map, c.id());
        assertNotNull(c.header(), "the server said header:false");
        server.send(new SyncMessage.Known(known(alice, map)));
        server.expectSilence(200); // alice already told her state with the load: no known back

        server.send(SyncMessage.Known.correction(KnownState.empty(map)));
        SyncMessage.Content again = server.next(SyncMessage.Content.class);
        assertNotNull(again.header());
        assertEquals(0, again.sessions().values().iterator().next().after());
    }

    @Test
    void itAnswersLoadsAndAcknowledgesContent() {
        RawPeer server = connect(SyncOptions.defaults());
        announced(server);
        RawCoID unknown = new RawCoID("co_zNotHere123");
        server.send(new SyncMessage.Load(KnownState.empty(unknown)));
        assertEquals(KnownState.empty(unknown), server.next(SyncMessage.Known.class).knownState());

        LocalNode bob = Accounts.create(CRYPTO, "Bob");
        for (SyncMessage.Content m : contentOf(bob, bob.accountID())) server.send(m);
        SyncMessage.Known ack = server.next(SyncMessage.Known.class);
        assertEquals(known(bob, bob.accountID()), ack.knownState());
    }

    @Test
    void loadsCompleteEmptyWhenTheServerDoesNotHaveItOrDoesNotAnswer() {
        RawPeer server = connect(SyncOptions.defaults().withLoadTimeout(Duration.ofMillis(300)));
        announced(server);
        RawCoID unknown = new RawCoID("co_zNotHere123");
        CompletableFuture<Optional<io.cojson.core.covalue.CoValueCore>> answered = aliceSync.load(unknown);
        assertEquals(KnownState.empty(unknown), server.next(SyncMessage.Load.class).knownState());
        server.send(new SyncMessage.Known(KnownState.empty(unknown)));
        assertFalse(get(answered).isPresent());

        long t0 = System.nanoTime();
        RawCoID silent = new RawCoID("co_zNoAnswer123");
        assertFalse(get(aliceSync.load(silent)).isPresent());
        assertTrue(System.nanoTime() - t0 >= Duration.ofMillis(250).toNanos(), "it waited for the timeout");
    }

    @Test
    void aStreamedLoadCompletesOnlyWithItsLastPiece() {
        LocalNode bob = Accounts.create(CRYPTO, "Bob");
        RawCoID bobGroup = GroupOperations.createGroup(bob, null);
        RawCoID list = Accounts.createOwned(bob, "colist", bobGroup, JsonValue.NULL);
        String big = "z".repeat(60_000);
        for (int i = 0; i < 6; i++) {
            bob.write(list, List.of(JsonValue.obj("op", JsonValue.of("app"), "value", JsonValue.of(big + i))), null, false);
        }
        RawPeer server = connect(SyncOptions.defaults());
        announced(server);
        CompletableFuture<Optional<io.cojson.core.covalue.CoValueCore>> loading = aliceSync.load(list);
        server.next(SyncMessage.Load.class);
        for (RawCoID dep : List.of(bob.accountID(), bobGroup)) {
            for (SyncMessage.Content m : contentOf(bob, dep)) server.send(m);
        }
        List<SyncMessage.Content> pieces = contentOf(bob, list);
        assertTrue(pieces.size() >= 3, "a multi-piece transfer: " + pieces.size());
        assertNotNull(pieces.get(0).expectContentUntil());
        for (SyncMessage.Content p : pieces.subList(0, pieces.size() - 1)) server.send(p);
        for (int i = 0; i < 2 + pieces.size() - 1; i++) server.next(SyncMessage.Known.class);
        assertFalse(loading.isDone(), "still streaming");
        server.send(pieces.get(pieces.size() - 1));
        assertTrue(get(loading).isPresent());
        assertEquals(known(bob, list), known(alice, list));
    }

    @Test
    void contentWithMissingDependenciesWaitsWhileTheyAreAskedFromTheServer() {
        LocalNode bob = Accounts.create(CRYPTO, "Bob");
        RawCoID bobGroup = GroupOperations.createGroup(bob, null);
        RawCoID bobMap = Accounts.createOwned(bob, "comap", bobGroup, JsonValue.NULL);
        set(bob, bobMap, "x", JsonValue.of(1));
        RawPeer server = connect(SyncOptions.defaults());
        announced(server);
        server.send(contentOf(bob, bobMap).get(0));
        java.util.Set<RawCoID> asked = new java.util.HashSet<>();
        asked.add(server.next(SyncMessage.Load.class).coValueId());
        asked.add(server.next(SyncMessage.Load.class).coValueId());
        assertEquals(java.util.Set.of(bobGroup, bob.accountID()), asked);
        assertEquals(null, alice.get(bobMap), "held back until its dependencies are there");
        for (RawCoID dep : List.of(bob.accountID(), bobGroup)) {
            for (SyncMessage.Content m : contentOf(bob, dep)) server.send(m);
        }
        SyncTestKit.await("map applied", () -> known(bob, bobMap).equals(known(alice, bobMap)));
    }

    @Test
    void waitForSyncCompletesWhenTheServerConfirms() {
        RawPeer server = connect(SyncOptions.defaults());
        announced(server);
        set(alice, map, "a", JsonValue.of(1));
        CompletableFuture<Void> synced = aliceSync.waitForSync(map, "server");
        SyncMessage.Content pushed = server.next(SyncMessage.Content.class);
        assertEquals(map, pushed.id());
        assertFalse(synced.isDone());
        server.send(new SyncMessage.Known(known(alice, map)));
        get(synced);
    }
}
