package io.cojson.sync;

import static io.cojson.sync.SyncTestKit.CRYPTO;
import static io.cojson.sync.SyncTestKit.set;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.cojson.core.covalue.CoValueCore;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.knownstate.KnownState;
import io.cojson.core.node.Accounts;
import io.cojson.core.node.ContentPiece;
import io.cojson.core.node.GroupOperations;
import io.cojson.core.node.LocalNode;
import io.cojson.sync.internal.ContentProducer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Bringing CoValues in (sync-protocol §8.2, §5.1, §5.4 steps 2 and 10): when a load ends, who is
 * asked, streams, and storage first. The load timeout is long: nothing here may end by it.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LoadRequestsTest {
    private static final Duration LONG = Duration.ofSeconds(60);
    private final LocalNode alice = Accounts.create(CRYPTO, "Alice");
    private final RawCoID group = GroupOperations.createGroup(alice, null);
    private final RawCoID map = Accounts.createOwned(alice, "comap", group, JsonValue.NULL);
    private final List<SyncError> errors = new CopyOnWriteArrayList<>();
    private final List<SyncManager> managers = new ArrayList<>();

    @AfterEach
    void close() {
        managers.forEach(SyncManager::close);
    }

    private SyncManager manager(LocalNode node, SyncOptions options) {
        SyncManager m = SyncManager.create(node, options.withLoadTimeout(LONG));
        m.onError(errors::add);
        managers.add(m);
        return m;
    }

    private static LocalNode serverNode() {
        return LocalNode.forAgent(CRYPTO, CRYPTO.newRandomAgentSecret());
    }

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

    private static <T> T within5s(CompletableFuture<T> f) {
        try {
            return f.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("not completed within 5 s: " + e, e);
        }
    }

    private static List<SyncMessage.Content> contentOf(LocalNode node, RawCoID id) {
        return InvalidInputTest.contentOf(node, id);
    }

    private static List<SyncMessage.Content> contentSince(LocalNode node, RawCoID id, KnownState known) {
        return node.locked(() -> ContentProducer.newContentSince(node.require(id), known, null)).toMessages();
    }

    /** Sends alice's account, the group and the map, each fully. */
    private void sendAll(RawPeer to) {
        for (RawCoID id : List.of(alice.accountID(), group, map)) for (SyncMessage.Content m : contentOf(alice, id)) to.send(m);
    }

    /** Every message sent to {@code raw} before its answer to a load of a value nobody has (the manager's executor is serial). */
    private static List<SyncMessage> barrier(RawPeer raw, RawCoID absent) {
        raw.send(new SyncMessage.Load(KnownState.empty(absent)));
        List<SyncMessage> seen = new ArrayList<>();
        while (true) {
            SyncMessage m = raw.next();
            if (m instanceof SyncMessage.Known k && k.knownState().id().equals(absent)) return seen;
            seen.add(m);
        }
    }

    /**
     * Sends a new account's content: the manager offers it to its upstream after everything it
     * handled before (for a server with an upstream, where a load of an absent value would wait
     * for the upstream). Returns the account's ID.
     */
    private static RawCoID barrierByContent(RawPeer raw) {
        LocalNode nobody = Accounts.create(CRYPTO, "Nobody");
        for (SyncMessage.Content m : contentOf(nobody, nobody.accountID())) raw.send(m);
        return nobody.accountID();
    }

    private RawCoID absent() {
        return GroupOperations.createGroup(Accounts.create(CRYPTO, "Nobody"), null);
    }

    private static long loadsOf(List<SyncMessage> ms, RawCoID id) {
        return ms.stream().filter(m -> m instanceof SyncMessage.Load l && l.coValueId().equals(id)).count();
    }

    @Test
    void aLoadEndsAtOnceWhenTheOnlyAskedServerClosesButWaitsForAPersistentOneToReconnect() {
        SyncManager bob = manager(Accounts.create(CRYPTO, "Bob"), SyncOptions.defaults());
        RawPeer once = RawPeer.attach(bob, "s", PeerRole.SERVER);
        CompletableFuture<Optional<CoValueCore>> gone = bob.load(map);
        while (!once.next(SyncMessage.Load.class).coValueId().equals(map)) { /* announcements */ }
        once.channel.close();
        assertEquals(Optional.empty(), within5s(gone), "a non-persistent server that closed will not answer");

        RawPeer first = RawPeer.attach(bob, "p", PeerRole.SERVER, true);
        CompletableFuture<Optional<CoValueCore>> load = bob.load(map);
        while (!first.next(SyncMessage.Load.class).coValueId().equals(map)) { /* announcements */ }
        first.channel.close();
        within5s("the close handled", () -> bob.peer("p").isEmpty());
        RawPeer again = RawPeer.attach(bob, "p", PeerRole.SERVER, true);
        while (!again.next(SyncMessage.Load.class).coValueId().equals(map)) { /* announcements */ }
        assertFalse(load.isDone(), "a persistent server may still answer after reconnecting: the load is sent again");
        sendAll(again);
        Optional<CoValueCore> loaded = within5s(load);
        assertTrue(loaded.isPresent());
        assertEquals(SyncTestKit.known(alice, map), loaded.get().knownState());
    }

    /** §8.2: a load ends without the value only once every asked server answered without it. */
    @Test
    void aLoadWaitsForEveryAskedServer() {
        set(alice, map, "a", JsonValue.of(1));
        SyncManager bob = manager(Accounts.create(CRYPTO, "Bob"), SyncOptions.defaults());
        RawPeer s1 = RawPeer.attach(bob, "s1", PeerRole.SERVER);
        RawPeer s2 = RawPeer.attach(bob, "s2", PeerRole.SERVER);
        CompletableFuture<Optional<CoValueCore>> load = bob.load(map);
        while (!s1.next(SyncMessage.Load.class).coValueId().equals(map)) { /* announcements */ }
        while (!s2.next(SyncMessage.Load.class).coValueId().equals(map)) { /* announcements */ }
        s1.send(new SyncMessage.Known(KnownState.empty(map))); // s1 does not have it
        for (SyncMessage.Content m : contentOf(alice, alice.accountID())) s1.send(m); // acknowledged after that answer
        SyncMessage.Known ack = s1.next(SyncMessage.Known.class);
        while (!ack.knownState().id().equals(alice.accountID())) ack = s1.next(SyncMessage.Known.class);
        java.util.concurrent.ForkJoinPool.commonPool().awaitQuiescence(5, TimeUnit.SECONDS); // load() completes there
        assertFalse(load.isDone(), "s2 has not answered yet");
        sendAll(s2);
        assertEquals(SyncTestKit.known(alice, map), within5s(load).orElseThrow().knownState());
    }

    @Test
    void closingTheManagerEndsItsPendingLoads() {
        SyncManager bob = manager(Accounts.create(CRYPTO, "Bob"), SyncOptions.defaults());
        RawPeer s = RawPeer.attach(bob, "s", PeerRole.SERVER, true); // persistent: its close alone would not end the load
        CompletableFuture<Optional<CoValueCore>> load = bob.load(map);
        while (!s.next(SyncMessage.Load.class).coValueId().equals(map)) { /* announcements */ }
        bob.close();
        assertEquals(Optional.empty(), within5s(load));
    }

    /**
     * A server streams the map in two pieces, announcing the whole with {@code expectContentUntil}:
     * a load completes only with the last piece, and the server counts as holding all it announced.
     */
    /** The map in two pieces, as a server streams it: the first announces both transactions (§8.2), then the second. */
    private List<SyncMessage.Content> twoPieceStream() {
        set(alice, map, "a", JsonValue.of(1));
        SyncMessage.Content first = contentOf(alice, map).get(0);
        set(alice, map, "b", JsonValue.of(2));
        SyncMessage.Content second = contentSince(alice, map, first.impliedKnownState()).get(0);
        return List.of(new SyncMessage.Content(map, first.header(), first.priority(), first.sessions(), Map.of(alice.sessionID(), 2)),
                second);
    }

    @Test
    void aStreamedValueIsLoadedOnlyOnceTheLastPieceArrived() {
        List<SyncMessage.Content> stream = twoPieceStream();
        SyncMessage.Content streamed = stream.get(0);
        SyncMessage.Content second = stream.get(1);
        SessionID s = alice.sessionID();

        SyncManager bob = manager(Accounts.create(CRYPTO, "Bob"), SyncOptions.defaults());
        RawPeer server = RawPeer.attach(bob, "s", PeerRole.SERVER);
        for (RawCoID id : List.of(alice.accountID(), group)) for (SyncMessage.Content m : contentOf(alice, id)) server.send(m);
        CompletableFuture<Optional<CoValueCore>> load = bob.load(map);
        while (!server.next(SyncMessage.Load.class).coValueId().equals(map)) { /* announcements */ }
        server.send(streamed);
        // a known of the server meanwhile (it has the map) does not end the stream's load either
        server.send(new SyncMessage.Known(new KnownState(map, true, Map.of(s, 1))));
        barrier(server, absent());
        assertEquals(1, SyncTestKit.known(bob.node(), map).count(s), "the first piece is applied");
        java.util.concurrent.ForkJoinPool.commonPool().awaitQuiescence(5, TimeUnit.SECONDS); // load() completes there
        assertFalse(load.isDone(), "still streaming");
        assertEquals(2, bob.peer("s").orElseThrow().knownState(map).count(s), "the server holds what it announced");
        CompletableFuture<Optional<CoValueCore>> another = bob.load(map);
        barrier(server, absent());
        java.util.concurrent.ForkJoinPool.commonPool().awaitQuiescence(5, TimeUnit.SECONDS);
        assertFalse(another.isDone(), "a load during the stream waits for it too");

        server.send(second);
        assertEquals(2, within5s(load).orElseThrow().knownState().count(s));
        assertEquals(2, within5s(another).orElseThrow().knownState().count(s));
    }

    /** A load made while a server pushes a stream (no load of it pending) also waits for the stream's end. */
    @Test
    void aLoadDuringAPushedStreamWaitsForItsEnd() {
        List<SyncMessage.Content> stream = twoPieceStream();
        SessionID s = alice.sessionID();
        SyncManager bob = manager(Accounts.create(CRYPTO, "Bob"), SyncOptions.defaults());
        RawPeer server = RawPeer.attach(bob, "s", PeerRole.SERVER);
        for (RawCoID id : List.of(alice.accountID(), group)) for (SyncMessage.Content m : contentOf(alice, id)) server.send(m);
        server.send(stream.get(0));
        barrier(server, absent());
        CompletableFuture<Optional<CoValueCore>> load = bob.load(map);
        barrier(server, absent());
        java.util.concurrent.ForkJoinPool.commonPool().awaitQuiescence(5, TimeUnit.SECONDS); // load() completes there
        assertFalse(load.isDone(), "the value is there, but still streaming");
        server.send(stream.get(1));
        assertEquals(2, within5s(load).orElseThrow().knownState().count(s));
    }

    /**
     * §5.4 step 2: a dependency is asked from the client whose content needs it, also when a
     * load of it (from another client's request) is already waiting for the servers.
     */
    @Test
    void aDependencyAlreadyBeingLoadedIsAlsoAskedFromTheClientWhoseContentNeedsIt() {
        SyncManager srv = manager(serverNode(), SyncOptions.defaults());
        RawPeer upstream = RawPeer.attach(srv, "up", PeerRole.SERVER);
        RawPeer reader = RawPeer.attach(srv, "reader", PeerRole.CLIENT);
        RawPeer writer = RawPeer.attach(srv, "writer", PeerRole.CLIENT);
        set(alice, map, "a", JsonValue.of(1));
        reader.send(new SyncMessage.Load(KnownState.empty(group)));
        while (!upstream.next(SyncMessage.Load.class).coValueId().equals(group)) { /* others */ }
        for (SyncMessage.Content m : contentOf(alice, map)) writer.send(m); // needs the group and alice
        Set<RawCoID> asked = new HashSet<>();
        while (!asked.containsAll(Set.of(group, alice.accountID()))) asked.add(writer.next(SyncMessage.Load.class).coValueId());
        upstream.send(new SyncMessage.Known(KnownState.empty(group))); // upstream does not have it
        for (RawCoID id : List.of(alice.accountID(), group)) for (SyncMessage.Content m : contentOf(alice, id)) writer.send(m);
        within5s("the map applied", () -> SyncTestKit.known(alice, map).equals(SyncTestKit.known(srv.node(), map)));
        SyncMessage.Content answer = reader.next(SyncMessage.Content.class);
        while (!answer.id().equals(group)) answer = reader.next(SyncMessage.Content.class);
        assertNotNull(answer.header(), "the reader's load is answered with the group the writer brought");
    }

    /**
     * §5.4 step 10: new content goes to an upstream server that is not subscribed as one
     * {@code load}; more content before it answered sends no second one, and its answer gets it all.
     */
    @Test
    void contentIsOfferedUpstreamWithOneLoadUntilTheServerAnswers() {
        SyncManager srv = manager(serverNode(), SyncOptions.defaults());
        RawPeer upstream = RawPeer.attach(srv, "up", PeerRole.SERVER);
        RawPeer client = RawPeer.attach(srv, "c", PeerRole.CLIENT);
        set(alice, map, "a", JsonValue.of(1));
        SyncMessage.Content first = contentOf(alice, map).get(0);
        set(alice, map, "b", JsonValue.of(2));
        SyncMessage.Content second = contentSince(alice, map, first.impliedKnownState()).get(0);
        for (RawCoID id : List.of(alice.accountID(), group)) for (SyncMessage.Content m : contentOf(alice, id)) client.send(m);
        client.send(first);
        client.send(second);
        RawCoID last = barrierByContent(client);
        // the new account is offered upstream too, after everything before it on that connection
        List<SyncMessage> up = new ArrayList<>();
        for (SyncMessage m = upstream.next(); !(m instanceof SyncMessage.Load l && l.coValueId().equals(last)); m = upstream.next()) up.add(m);
        assertEquals(1, loadsOf(up, map), "one load offers the map: " + up);
        assertEquals(1, loadsOf(up, group));
        upstream.send(new SyncMessage.Known(KnownState.empty(map)));
        int got = 0;
        while (got < 2) {
            SyncMessage.Content c = upstream.next(SyncMessage.Content.class);
            if (c.id().equals(map)) got = c.impliedKnownState().count(alice.sessionID());
        }
    }

    /** §5.2 step 3: a peer's known that leaves nothing to send is answered with a known once. */
    @Test
    void aKnownLeavingNothingToSendIsAnsweredOnce() {
        SyncManager srv = manager(serverNode(), SyncOptions.defaults());
        RawPeer writer = RawPeer.attach(srv, "w", PeerRole.CLIENT);
        sendAll(writer);
        within5s("the map stored", () -> SyncTestKit.known(alice, map).equals(SyncTestKit.known(srv.node(), map)));
        RawPeer other = RawPeer.attach(srv, "o", PeerRole.CLIENT);
        KnownState full = SyncTestKit.known(alice, map);
        other.send(new SyncMessage.Known(full));
        other.send(new SyncMessage.Known(full));
        List<SyncMessage> seen = barrier(other, absent());
        List<SyncMessage> knowns = seen.stream().filter(m -> m instanceof SyncMessage.Known k && k.knownState().id().equals(map)).toList();
        assertEquals(1, knowns.size(), "told once: " + seen);
        assertEquals(full, ((SyncMessage.Known) knowns.get(0)).knownState());
    }

    // ---- storage ----

    /** A MemoryStorage view that counts loads per value and can fail them. */
    private static final class CountingStorage implements SyncStorage {
        final MemoryStorage inner;
        final Map<RawCoID, Integer> loads = new java.util.concurrent.ConcurrentHashMap<>();
        /** Transactions handed to {@link #store}. */
        final java.util.concurrent.atomic.AtomicInteger handed = new java.util.concurrent.atomic.AtomicInteger();
        volatile boolean failLoads;
        /** Loads of this value wait for {@link #gate}. */
        volatile RawCoID gated;
        final CompletableFuture<Void> gate = new CompletableFuture<>();

        CountingStorage(MemoryStorage inner) {
            this.inner = inner;
        }

        @Override
        public CompletableFuture<List<ContentPiece>> load(RawCoID id) {
            loads.merge(id, 1, Integer::sum);
            if (failLoads) return CompletableFuture.failedFuture(new java.io.IOException("disk gone"));
            if (id.equals(gated)) return gate.thenCompose(x -> inner.load(id));
            return inner.load(id);
        }

        @Override
        public CompletableFuture<KnownState> store(ContentPiece piece) {
            for (ContentPiece.SessionPiece p : piece.sessions()) handed.addAndGet(p.transactions().size());
            return inner.store(piece);
        }
    }

    /** The map in two stored pieces, its group and alice's account, stored through a server that is then closed. */
    private MemoryStorage storedByAServer() {
        MemoryStorage storage = new MemoryStorage();
        SyncManager first = manager(serverNode(), SyncOptions.defaults().withStorage(storage));
        RawPeer raw = RawPeer.attach(first, "c", PeerRole.CLIENT);
        set(alice, map, "a", JsonValue.of(1));
        SyncMessage.Content one = contentOf(alice, map).get(0);
        set(alice, map, "b", JsonValue.of(2));
        set(alice, map, "c", JsonValue.of(3));
        List<SyncMessage.Content> pieces = new ArrayList<>();
        for (RawCoID id : List.of(alice.accountID(), group)) pieces.addAll(contentOf(alice, id));
        pieces.add(one);
        pieces.addAll(contentSince(alice, map, one.impliedKnownState()));
        for (SyncMessage.Content m : pieces) {
            raw.send(m);
            raw.next(SyncMessage.Known.class); // acknowledged once stored
        }
        assertEquals(SyncTestKit.known(alice, map), storage.knownState(map));
        first.close();
        return storage;
    }

    @Test
    void aRestartedServerServesAStoredValueWholeReadingItOnceAndNotStoringItAgain() {
        MemoryStorage stored = storedByAServer();
        CountingStorage storage = new CountingStorage(stored);
        SyncManager srv = manager(serverNode(), SyncOptions.defaults().withStorage(storage));
        RawPeer raw = RawPeer.attach(srv, "c2", PeerRole.CLIENT);
        raw.send(new SyncMessage.Load(KnownState.empty(map)));
        raw.send(new SyncMessage.Load(KnownState.empty(group))); // while the map's read waits for the group's
        KnownState mapGot = KnownState.empty(map);
        boolean groupGot = false;
        while (!mapGot.equals(SyncTestKit.known(alice, map)) || !groupGot) {
            SyncMessage m = raw.next();
            if (m instanceof SyncMessage.Content c && c.id().equals(map)) mapGot = mapGot.combine(c.impliedKnownState());
            if (m instanceof SyncMessage.Content c && c.id().equals(group) && c.header() != null) groupGot = true;
            if (m instanceof SyncMessage.Known k && !k.knownState().header()) fail("answered without the value: " + k.toJson());
        }
        assertEquals(1, storage.loads.get(map), "one read of the map");
        assertEquals(1, storage.loads.get(group), "one read of the group, shared by both");

        int stores = stored.stores.get();
        int handed = storage.handed.get();
        set(alice, map, "d", JsonValue.of(4));
        raw.send(contentSince(alice, map, mapGot).get(0));
        SyncMessage.Known ack; // (a known of the map may have gone out as the stored pieces were read)
        do ack = raw.next(SyncMessage.Known.class); while (!ack.knownState().id().equals(map) || ack.knownState().count(alice.sessionID()) < 4);
        assertEquals(4, ack.knownState().count(alice.sessionID()));
        assertEquals(stores + 1, stored.stores.get());
        assertEquals(handed + 1, storage.handed.get(), "only the new transaction is stored: what was read is known to be there");
        assertEquals(List.of(), errors);
    }

    @Test
    void aLoadOfAValueStorageDoesNotHaveReadsStorageOnce() {
        CountingStorage storage = new CountingStorage(new MemoryStorage());
        SyncManager srv = manager(serverNode(), SyncOptions.defaults().withStorage(storage));
        RawPeer raw = RawPeer.attach(srv, "c", PeerRole.CLIENT);
        raw.send(new SyncMessage.Load(KnownState.empty(map)));
        SyncMessage.Known answer;
        do answer = raw.next(SyncMessage.Known.class); while (!answer.knownState().id().equals(map));
        assertEquals(KnownState.empty(map), answer.knownState(), "nobody has it");
        assertEquals(1, storage.loads.get(map), "storage read once, not again by the upstream request");
        assertEquals(List.of(), errors);
    }

    /** §5.4 step 3: content without a header for a value not in memory is checked against storage before a correction. */
    @Test
    void aRestartedServerContinuesAStoredSessionFromHeaderlessContent() {
        MemoryStorage stored = storedByAServer();
        SyncManager srv = manager(serverNode(), SyncOptions.defaults().withStorage(stored));
        RawPeer raw = RawPeer.attach(srv, "c2", PeerRole.CLIENT);
        KnownState before = SyncTestKit.known(alice, map);
        set(alice, map, "d", JsonValue.of(4));
        SyncMessage.Content next = contentSince(alice, map, before).get(0);
        assertEquals(null, next.header());
        raw.send(next);
        SyncMessage.Known ack = raw.next(SyncMessage.Known.class);
        while (!ack.knownState().id().equals(map)) ack = raw.next(SyncMessage.Known.class);
        assertFalse(ack.isCorrection(), ack.toJson());
        assertEquals(SyncTestKit.known(alice, map), ack.knownState());
    }

    @Test
    void contentWhoseDependenciesAreStoredIsAppliedWithoutAskingTheClient() {
        MemoryStorage stored = storedByAServer();
        SyncManager srv = manager(serverNode(), SyncOptions.defaults().withStorage(stored));
        RawPeer raw = RawPeer.attach(srv, "c2", PeerRole.CLIENT);
        RawCoID other = Accounts.createOwned(alice, "comap", group, JsonValue.NULL);
        set(alice, other, "x", JsonValue.of(1));
        for (SyncMessage.Content m : contentOf(alice, other)) raw.send(m);
        SyncMessage.Known ack = raw.next(SyncMessage.Known.class);
        assertEquals(other, ack.knownState().id(), "no load of the group or account first");
        assertEquals(1, ack.knownState().count(alice.sessionID()));
    }

    @Test
    void aFailedStorageReadIsReportedAndTheLoadAnswered() {
        CountingStorage storage = new CountingStorage(storedByAServer());
        storage.failLoads = true;
        SyncManager srv = manager(serverNode(), SyncOptions.defaults().withStorage(storage));
        RawPeer raw = RawPeer.attach(srv, "c2", PeerRole.CLIENT);
        raw.send(new SyncMessage.Load(KnownState.empty(map)));
        SyncMessage.Known k = raw.next(SyncMessage.Known.class);
        assertEquals(KnownState.empty(map), k.knownState());
        assertTrue(errors.stream().anyMatch(e -> e.kind() == SyncError.Kind.STORAGE_FAILURE && map.equals(e.id())), errors.toString());
    }

    /**
     * §5.4 step 2 with storage: a second client whose content needs a dependency that storage is
     * still looking for is asked for it too, once storage did not have it.
     */
    @Test
    void aClientJoiningADependencyLoadWhileStorageReadsIsAskedAfterwards() {
        CountingStorage storage = new CountingStorage(new MemoryStorage());
        storage.gated = group;
        SyncManager srv = manager(serverNode(), SyncOptions.defaults().withStorage(storage));
        RawPeer first = RawPeer.attach(srv, "c1", PeerRole.CLIENT);
        RawPeer second = RawPeer.attach(srv, "c2", PeerRole.CLIENT);
        for (SyncMessage.Content m : contentOf(alice, alice.accountID())) {
            first.send(m);
            first.next(SyncMessage.Known.class);
        }
        RawCoID map2 = Accounts.createOwned(alice, "comap", group, JsonValue.NULL);
        for (SyncMessage.Content m : contentOf(alice, map)) first.send(m); // needs the group: storage is asked first
        for (SyncMessage.Content m : contentOf(alice, map2)) second.send(m); // joins that load
        barrier(second, absent());
        storage.gate.complete(null); // storage does not have the group
        assertEquals(group, first.next(SyncMessage.Load.class).coValueId());
        assertEquals(group, second.next(SyncMessage.Load.class).coValueId(), "the second requester is asked as well");
        for (SyncMessage.Content m : contentOf(alice, group)) second.send(m);
        within5s("both maps applied", () -> srv.node().get(map) != null && srv.node().get(map2) != null);
    }

    /** Bob on virtual time, with a server peer the test answers for, which already sent Alice's account and group. */
    private record OnVirtualTime(SimScheduler clock, SyncManager bob, SimLink link) {
        /** Delivers both ways and runs what is ready until quiet (bounded). */
        void pump() {
            for (int i = 0; i < 10_000; i++) {
                clock.runReady(100_000);
                if (!link.deliver(link.client, 0, false) && !link.deliver(link.server, 0, false)) break;
            }
            clock.runReady(100_000);
        }
    }

    private OnVirtualTime onVirtualTime() {
        SimScheduler clock = new SimScheduler();
        SyncManager bob = manager(Accounts.create(CRYPTO, "Bob"), SyncOptions.defaults().withExecutor(clock).withScheduler(clock));
        SimLink link = new SimLink("s");
        link.server.setListener(new io.cojson.sync.transport.MessageChannel.Listener() {
            @Override
            public void onMessage(String json) {} // the test answers for the server

            @Override
            public void onClosed(String reason) {}
        });
        bob.addPeer("s", PeerRole.SERVER, link.client);
        for (RawCoID id : List.of(alice.accountID(), group)) for (SyncMessage.Content m : contentOf(alice, id)) link.server.send(m.toJson());
        return new OnVirtualTime(clock, bob, link);
    }

    /** §8.2: the load timeout is refreshed by every piece of a stream (on virtual time). */
    @Test
    void eachPieceOfAStreamRefreshesTheLoadTimeout() throws Exception {
        SessionID s = alice.sessionID();
        List<SyncMessage.Content> pieces = new ArrayList<>();
        KnownState sent = KnownState.empty(map);
        for (String k : List.of("a", "b", "c")) {
            set(alice, map, k, JsonValue.of(1));
            SyncMessage.Content c = contentSince(alice, map, sent).get(0);
            sent = sent.combine(c.impliedKnownState());
            pieces.add(c);
        }
        SyncMessage.Content p1 = pieces.get(0);
        pieces.set(0, new SyncMessage.Content(map, p1.header(), p1.priority(), p1.sessions(), Map.of(s, 3)));

        OnVirtualTime v = onVirtualTime();
        SimScheduler clock = v.clock();
        SyncManager bob = v.bob();
        SimLink link = v.link();
        Runnable pump = v::pump;
        CompletableFuture<Optional<CoValueCore>> load = bob.load(map);
        pump.run();
        link.server.send(pieces.get(0).toJson());
        pump.run();
        clock.advance(50_000, 1_000_000);
        link.server.send(pieces.get(1).toJson());
        pump.run();
        clock.advance(50_000, 1_000_000); // 100 s after the first piece, 50 s after the last
        java.util.concurrent.ForkJoinPool.commonPool().awaitQuiescence(5, TimeUnit.SECONDS); // load() completes there
        assertFalse(load.isDone(), "not timed out: the second piece refreshed the timeout");
        link.server.send(pieces.get(2).toJson());
        pump.run();
        assertEquals(3, load.get(5, TimeUnit.SECONDS).orElseThrow().knownState().count(s));
        assertEquals(List.of(), clock.failures());
    }

    /**
     * §8.2: a load made while a pushed stream is still arriving waits for its end, but a stream that
     * stalls holds it for one load timeout at most: then the load ends with what arrived.
     */
    @Test
    void aLoadDuringAStalledStreamEndsAfterTheLoadTimeout() throws Exception {
        SessionID s = alice.sessionID();
        set(alice, map, "a", JsonValue.of(1));
        SyncMessage.Content first = contentSince(alice, map, KnownState.empty(map)).get(0);
        first = new SyncMessage.Content(map, first.header(), first.priority(), first.sessions(),
                Map.of(s, first.impliedKnownState().count(s) + 2)); // two more transactions announced, never sent

        OnVirtualTime v = onVirtualTime();
        SimScheduler clock = v.clock();
        SyncManager bob = v.bob();
        SimLink link = v.link();
        Runnable pump = v::pump;
        link.server.send(first.toJson()); // the stream starts, unasked
        pump.run();
        CompletableFuture<Optional<CoValueCore>> load = bob.load(map);
        pump.run();
        java.util.concurrent.ForkJoinPool.commonPool().awaitQuiescence(5, TimeUnit.SECONDS);
        assertFalse(load.isDone(), "the value is there, but its stream is not complete");
        clock.advance(LONG.toMillis() + 1_000, 1_000_000); // past the load timeout, no further piece
        pump.run();
        // load() finishes asynchronously (a thread of its own when the common pool has one worker)
        Optional<CoValueCore> loaded;
        try {
            loaded = load.get(5, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("a stalled stream holds the load for one load timeout at most", e);
        }
        assertEquals(first.impliedKnownState().count(s), loaded.orElseThrow().knownState().count(s), "what arrived");
        assertEquals(List.of(), clock.failures());
    }
}
