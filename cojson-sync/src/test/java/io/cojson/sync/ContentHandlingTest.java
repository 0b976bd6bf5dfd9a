package io.cojson.sync;

import static io.cojson.sync.SyncTestKit.CRYPTO;
import static io.cojson.sync.SyncTestKit.set;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.cojson.core.content.CoMapContent;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.knownstate.KnownState;
import io.cojson.core.node.Accounts;
import io.cojson.core.node.GroupOperations;
import io.cojson.core.node.LocalNode;
import io.cojson.sync.internal.ContentProducer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Received content (sync-protocol §5.4): waiting for dependencies without losing order or the
 * transport's budget, circular dependencies, and a deleted value's tombstone (§8.7).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ContentHandlingTest {
    private static final Duration LONG = Duration.ofSeconds(60); // no wait here may end by the load timeout
    private final LocalNode alice = Accounts.create(CRYPTO, "Alice");
    private final LocalNode serverNode = LocalNode.forAgent(CRYPTO, CRYPTO.newRandomAgentSecret());
    private final List<SyncError> errors = new CopyOnWriteArrayList<>();
    private final List<SyncManager> managers = new ArrayList<>();

    @AfterEach
    void close() {
        managers.forEach(SyncManager::close);
    }

    private SyncManager manager(LocalNode node, SyncOptions options) {
        SyncManager m = SyncManager.create(node, options);
        m.onError(errors::add);
        managers.add(m);
        return m;
    }

    /** Bounded well below the load timeout: a wait that only ends by the timeout fails here. */
    private static void within5s(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) fail("timed out waiting for " + what);
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    private static List<SyncMessage.Content> contentOf(LocalNode node, RawCoID id) {
        return InvalidInputTest.contentOf(node, id);
    }

    private static List<SyncMessage.Content> contentSince(LocalNode node, RawCoID id, KnownState known) {
        return node.locked(() -> ContentProducer.newContentSince(node.require(id), known, null)).toMessages();
    }

    private long count(SyncError.Kind kind) {
        return errors.stream().filter(e -> e.kind() == kind).count();
    }

    private int txCount(RawCoID id, LocalNode node) {
        KnownState ks = SyncTestKit.known(serverNode, id);
        return ks == null ? -1 : ks.count(node.sessionID());
    }

    @Test
    void contentHoldsItsIncomingBudgetUntilProcessedAndThePerClientBoundCountsWhatStillWaits() {
        manager(serverNode, SyncOptions.defaults().withLoadTimeout(LONG));
        BudgetPeer client = BudgetPeer.attach(managers.get(0), "c", PeerRole.CLIENT);
        LocalNode a = Accounts.create(CRYPTO, "A");
        LocalNode b = Accounts.create(CRYPTO, "B");
        LocalNode c = Accounts.create(CRYPTO, "C");
        int half = ContentHandler.MAX_WAITING_PER_CLIENT / 2;
        List<RawCoID> byA = new ArrayList<>(), byB = new ArrayList<>(), byC = new ArrayList<>();
        for (int i = 0; i < half; i++) byA.add(GroupOperations.createGroup(a, null));
        for (int i = 0; i < half; i++) byB.add(GroupOperations.createGroup(b, null));
        for (int i = 0; i < half + 4; i++) byC.add(GroupOperations.createGroup(c, null));
        PeerState peer = client.state;

        // None of the authors is on the server: every content waits, holding its budget.
        for (RawCoID g : byA) client.deliver(contentOf(a, g).get(0));
        for (RawCoID g : byB) client.deliver(contentOf(b, g).get(0));
        within5s("all delivered", () -> peer.receivedCount("content") == 2L * half);
        // A's account arrives: A's groups are applied and give their budget back (the account's too).
        for (SyncMessage.Content m : contentOf(a, a.accountID())) client.deliver(m);
        within5s("A's groups applied", () -> byA.stream().allMatch(g -> serverNode.get(g) != null));
        within5s("the budget of what was processed is given back", () -> client.held.get() == half);

        // Half the bound still waits (B's groups): of C's, only the other half may wait, the rest is dropped.
        int before = (int) peer.receivedCount("content");
        for (RawCoID g : byC) client.deliver(contentOf(c, g).get(0));
        within5s("C's contents delivered", () -> peer.receivedCount("content") == before + byC.size());
        within5s("the excess dropped", () -> count(SyncError.Kind.DEPENDENCY_UNAVAILABLE) >= 4);
        within5s("a dropped content gives its budget back at once", () -> client.held.get() == 2 * half);
        assertEquals(4, count(SyncError.Kind.DEPENDENCY_UNAVAILABLE), errors.toString());

        for (SyncMessage.Content m : contentOf(b, b.accountID())) client.deliver(m);
        for (SyncMessage.Content m : contentOf(c, c.accountID())) client.deliver(m);
        within5s("every waiting content applied", () -> byB.stream().allMatch(g -> serverNode.get(g) != null)
                && byC.subList(0, half).stream().allMatch(g -> serverNode.get(g) != null));
        within5s("and its budget given back", () -> client.held.get() == 0);
        assertEquals(4, count(SyncError.Kind.DEPENDENCY_UNAVAILABLE));
        assertEquals(List.of(), errors.stream().filter(e -> e.kind() != SyncError.Kind.DEPENDENCY_UNAVAILABLE).toList());
    }

    /** Two pieces of one new map: the first with its header, the second continuing its session. */
    private List<SyncMessage.Content> twoPieces(RawCoID map) {
        set(alice, map, "a", JsonValue.of(1));
        SyncMessage.Content first = contentOf(alice, map).get(0);
        KnownState afterFirst = first.impliedKnownState();
        set(alice, map, "b", JsonValue.of(2));
        List<SyncMessage.Content> rest = contentSince(alice, map, afterFirst);
        assertEquals(1, rest.size());
        assertEquals(null, rest.get(0).header(), "the second piece has no header");
        return List.of(first, rest.get(0));
    }

    @Test
    void aClientsLaterPieceOfAValueWaitsBehindTheEarlierOneThatWaitsForDependencies() {
        manager(serverNode, SyncOptions.defaults().withLoadTimeout(LONG));
        RawPeer raw = RawPeer.attach(managers.get(0), "alice", PeerRole.CLIENT);
        RawCoID group = GroupOperations.createGroup(alice, null);
        RawCoID map = Accounts.createOwned(alice, "comap", group, JsonValue.NULL);
        for (SyncMessage.Content m : twoPieces(map)) raw.send(m); // neither the group nor alice is on the server
        for (SyncMessage.Content m : contentOf(alice, alice.accountID())) raw.send(m);
        for (SyncMessage.Content m : contentOf(alice, group)) raw.send(m);
        within5s("both pieces applied", () -> txCount(map, alice) == 2);
        for (SyncMessage m : raw.takeAll().stream().map(SyncMessage::parse).toList()) {
            if (m instanceof SyncMessage.Known k) assertFalse(k.isCorrection(), "nothing applied out of order: " + k.toJson());
        }
        assertEquals(List.of(), errors);
    }

    /** A client node's server peer sends a map in two pieces before its dependencies: they apply in order. */
    @ParameterizedTest(name = "with storage: {0}")
    @ValueSource(booleans = {false, true})
    void aServersPiecesOfAValueWaitInOrderBehindAMissingDependency(boolean withStorage) {
        LocalNode bob = Accounts.create(CRYPTO, "Bob");
        SyncOptions options = SyncOptions.defaults().withLoadTimeout(LONG);
        SyncManager client = manager(bob, withStorage ? options.withStorage(new MemoryStorage()) : options);
        RawPeer upstream = RawPeer.attach(client, "server", PeerRole.SERVER);
        RawCoID group = GroupOperations.createGroup(alice, null);
        RawCoID map = Accounts.createOwned(alice, "comap", group, JsonValue.NULL);
        for (SyncMessage.Content m : twoPieces(map)) upstream.send(m);
        Set<RawCoID> asked = new HashSet<>();
        while (!asked.containsAll(Set.of(group, alice.accountID()))) asked.add(upstream.next(SyncMessage.Load.class).coValueId());
        for (SyncMessage.Content m : contentOf(alice, alice.accountID())) upstream.send(m);
        for (SyncMessage.Content m : contentOf(alice, group)) upstream.send(m);
        within5s("both pieces applied", () -> {
            KnownState ks = SyncTestKit.known(bob, map);
            return ks != null && ks.count(alice.sessionID()) == 2;
        });
        for (String s : upstream.takeAll()) {
            if (SyncMessage.parse(s) instanceof SyncMessage.Known k) {
                assertFalse(k.isCorrection(), "nothing applied out of order: " + s);
            }
        }
        assertEquals(List.of(), errors);
    }

    /**
     * Two groups naming each other (§6: "circular dependencies are excluded"): the second is not
     * held back for the first, which waits for it, so both apply once their author arrives
     * instead of both waiting for the load timeout.
     */
    @Test
    void contentDependingOnContentThatWaitsForItIsNotHeldBack() {
        manager(serverNode, SyncOptions.defaults().withLoadTimeout(LONG));
        RawPeer raw = RawPeer.attach(managers.get(0), "alice", PeerRole.CLIENT);
        RawCoID g1 = GroupOperations.createGroup(alice, null);
        RawCoID g2 = GroupOperations.createGroup(alice, null);
        // a trusting set op whose key is a CoValue ID makes it a dependency of the group
        alice.write(g1, List.of(CoMapContent.setChange(g2.value(), JsonValue.of("reader"))), null, false);
        alice.write(g2, List.of(CoMapContent.setChange(g1.value(), JsonValue.of("reader"))), null, false);
        for (SyncMessage.Content m : contentOf(alice, g1)) raw.send(m); // waits for alice and g2
        for (SyncMessage.Content m : contentOf(alice, g2)) raw.send(m); // would wait for alice and g1
        for (SyncMessage.Content m : contentOf(alice, alice.accountID())) raw.send(m);
        within5s("both groups applied", () -> SyncTestKit.known(alice, g1).equals(SyncTestKit.known(serverNode, g1))
                && SyncTestKit.known(alice, g2).equals(SyncTestKit.known(serverNode, g2)));
    }

    /**
     * §8.7: once deleted, a value ignores content of its other sessions and answers with a "stop
     * syncing" known that counts them as taken; the deletion is announced once, when learned.
     */
    @Test
    void aDeletedValueIgnoresOtherSessionsAndAcknowledgesThemAsTaken() {
        SyncManager server = manager(serverNode, SyncOptions.defaults());
        List<RawCoID> learned = new CopyOnWriteArrayList<>();
        server.onDeletionLearned((id, acked) -> learned.add(id));
        RawPeer raw = RawPeer.attach(server, "alice", PeerRole.CLIENT);
        RawCoID group = GroupOperations.createGroup(alice, null);
        RawCoID map = Accounts.createOwned(alice, "comap", group, JsonValue.NULL);
        set(alice, map, "a", JsonValue.of(1));
        for (RawCoID id : List.of(alice.accountID(), group, map)) {
            for (SyncMessage.Content m : contentOf(alice, id)) {
                raw.send(m);
                raw.next(SyncMessage.Known.class);
            }
        }
        KnownState onServer = SyncTestKit.known(serverNode, map);
        set(alice, map, "b", JsonValue.of(2));
        set(alice, map, "c", JsonValue.of(3));
        List<SyncMessage.Content> late = contentSince(alice, map, onServer); // two more in alice's session
        alice.deleteCoValue(map);
        KnownState withLate = onServer.combine(late.get(0).impliedKnownState());
        List<SyncMessage.Content> deletion = contentSince(alice, map, withLate);
        assertTrue(deletion.stream().allMatch(m -> m.sessions().keySet().stream().allMatch(s -> s.contains("_session_d"))));

        for (SyncMessage.Content m : deletion) raw.send(m);
        raw.next(SyncMessage.Known.class);
        assertTrue(serverNode.locked(() -> serverNode.require(map).isDeleted()));
        assertEquals(List.of(map), learned, "learned once, from this content");
        for (SyncMessage.Content m : deletion) raw.send(m); // the same delete piece again: a repeat, nothing to verify
        assertFalse(raw.next(SyncMessage.Known.class).isCorrection());
        assertEquals(List.of(), errors);

        for (SyncMessage.Content m : late) raw.send(m);
        SyncMessage.Known ack = raw.next(SyncMessage.Known.class);
        assertFalse(ack.isCorrection());
        assertEquals(3, ack.knownState().count(alice.sessionID()), "stop syncing: the ignored transactions count as taken");
        assertEquals(1, serverNode.locked(() -> serverNode.require(map).sessions().get(alice.sessionID()).size()),
                "a tombstone takes none of them");
        assertEquals(List.of(map), learned, "not learned again");
        assertEquals(List.of(), errors);
    }

    /**
     * A map whose group waits for its author: the map waits for the group too (the group is not
     * circular, it waits for something else), so it is verified only once the group is there.
     */
    @Test
    void contentDependingOnContentThatWaitsForSomethingElseWaitsForIt() {
        manager(serverNode, SyncOptions.defaults().withLoadTimeout(LONG));
        RawPeer raw = RawPeer.attach(managers.get(0), "alice", PeerRole.CLIENT);
        LocalNode carol = Accounts.create(CRYPTO, "Carol");
        for (var piece : carol.exportContent(carol.accountID())) alice.importContent(piece);
        RawCoID group = GroupOperations.createGroup(alice, null);
        GroupOperations.addMember(alice, group, carol.accountID().value(), "reader");
        RawCoID map = Accounts.createOwned(alice, "comap", group, JsonValue.NULL);
        set(alice, map, "a", JsonValue.of(1));
        for (SyncMessage.Content m : contentOf(alice, group)) raw.send(m); // waits for alice and carol
        for (SyncMessage.Content m : contentOf(alice, map)) raw.send(m); // waits for alice and the group
        for (SyncMessage.Content m : contentOf(alice, alice.accountID())) raw.send(m); // the group still waits for carol
        for (SyncMessage.Content m : contentOf(carol, carol.accountID())) raw.send(m);
        within5s("the map applied", () -> SyncTestKit.known(alice, map).equals(SyncTestKit.known(serverNode, map)));
        assertEquals(List.of(), errors);
    }

    @Test
    void contentWaitingForAClientThatClosesGivesItsBudgetBack() {
        manager(serverNode, SyncOptions.defaults().withLoadTimeout(LONG));
        BudgetPeer client = BudgetPeer.attach(managers.get(0), "c", PeerRole.CLIENT);
        RawCoID group = GroupOperations.createGroup(alice, null);
        client.deliver(contentOf(alice, group).get(0)); // alice is not on the server: asked from the client
        assertEquals(alice.accountID(), client.next(SyncMessage.Load.class).coValueId());
        assertEquals(1, client.held.get());
        client.closeFromFarEnd();
        within5s("the budget given back", () -> client.held.get() == 0);
        assertEquals(null, serverNode.get(group), "not processed for a closed client");
    }

    /** §5.4 step 3: stored content without a header for a value storage has no header of is dropped with an error. */
    @Test
    void storedContentWithoutAHeaderIsReportedAndTheLoadAnswered() {
        RawCoID id = GroupOperations.createGroup(alice, null);
        SyncStorage headerless = new SyncStorage() {
            @Override
            public java.util.concurrent.CompletableFuture<List<io.cojson.core.node.ContentPiece>> load(RawCoID x) {
                return java.util.concurrent.CompletableFuture.completedFuture(
                        x.equals(id) ? List.of(new io.cojson.core.node.ContentPiece(id, null, List.of())) : List.of());
            }

            @Override
            public java.util.concurrent.CompletableFuture<KnownState> store(io.cojson.core.node.ContentPiece piece) {
                return java.util.concurrent.CompletableFuture.completedFuture(KnownState.empty(piece.id()));
            }
        };
        manager(serverNode, SyncOptions.defaults().withStorage(headerless));
        RawPeer raw = RawPeer.attach(managers.get(0), "c", PeerRole.CLIENT);
        raw.send(new SyncMessage.Load(KnownState.empty(id)));
        assertEquals(KnownState.empty(id), raw.next(SyncMessage.Known.class).knownState());
        assertFalse(errors.isEmpty());
        for (SyncError e : errors) { // (storage is read once more before the load asks the servers)
            assertEquals(SyncError.STORAGE, e.peerId());
            assertEquals(id, e.id());
            assertEquals(SyncError.Kind.INVALID_MESSAGE, e.kind());
        }
    }

    /**
     * Crash tests kill a server between storing a client's content and acknowledging it: that
     * acknowledgement passes the SERVER_BEFORE_ACK fault point, a client's to its server does not.
     */
    @Test
    void onlyAServersAcknowledgementToAClientPassesTheBeforeAckFaultPoint() {
        List<String> hits = new CopyOnWriteArrayList<>();
        io.cojson.storage.Faults.intercept(hits::add);
        try {
            SyncManager server = manager(serverNode, SyncOptions.defaults().withStorage(new MemoryStorage()));
            RawPeer client = RawPeer.attach(server, "c", PeerRole.CLIENT);
            for (SyncMessage.Content m : contentOf(alice, alice.accountID())) client.send(m);
            client.next(SyncMessage.Known.class);
            assertEquals(1, hits.stream().filter(io.cojson.sync.transport.FaultPoints.SERVER_BEFORE_ACK::equals).count(), hits.toString());

            LocalNode bob = Accounts.create(CRYPTO, "Bob");
            SyncManager bobSync = manager(bob, SyncOptions.defaults().withStorage(new MemoryStorage()));
            RawPeer upstream = RawPeer.attach(bobSync, "s", PeerRole.SERVER);
            for (SyncMessage.Content m : contentOf(alice, alice.accountID())) upstream.send(m);
            SyncMessage.Known ack = upstream.next(SyncMessage.Known.class);
            while (!ack.knownState().id().equals(alice.accountID())) ack = upstream.next(SyncMessage.Known.class);
            assertEquals(1, hits.stream().filter(io.cojson.sync.transport.FaultPoints.SERVER_BEFORE_ACK::equals).count(), hits.toString());
        } finally {
            io.cojson.storage.Faults.intercept(null);
        }
    }
}
