package io.cojson.sync.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.content.CoMapContent;
import io.cojson.core.crypto.Crypto;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.knownstate.KnownState;
import io.cojson.core.node.Accounts;
import io.cojson.core.node.GroupOperations;
import io.cojson.core.node.LocalNode;
import io.cojson.storage.Faults;
import io.cojson.storage.engine.AsyncMapDbStorage;
import io.cojson.sync.PeerRole;
import io.cojson.sync.SyncError;
import io.cojson.sync.SyncManager;
import io.cojson.sync.SyncOptions;
import io.cojson.sync.transport.InMemoryChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sync server on real MapDB files through {@link CoValueSyncStorage} (reliability.md RL-21). */
class CoValueSyncStorageTest {
    private static final Crypto CRYPTO = Crypto.create();
    private final LocalNode alice = Accounts.create(CRYPTO, "Alice");
    private final io.cojson.core.ids.AgentSecret bobSecret = CRYPTO.newRandomAgentSecret();
    private final LocalNode bob = Accounts.create(CRYPTO, bobSecret, "Bob");
    private final List<AutoCloseable> open = new ArrayList<>();
    private final List<SyncError> errors = new CopyOnWriteArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void closeAll() throws Exception {
        Faults.configure(null);
        for (int i = open.size() - 1; i >= 0; i--) open.get(i).close();
    }

    private record Server(SyncManager sync, AsyncMapDbStorage storage) {}

    private Server server() {
        AsyncMapDbStorage storage = AsyncMapDbStorage.open(dir);
        open.add(storage);
        CoValueSyncStorage adapter = CoValueSyncStorage.of(storage);
        open.add(adapter);
        SyncManager s = SyncManager.create(LocalNode.forAgent(CRYPTO, CRYPTO.newRandomAgentSecret()),
                SyncOptions.defaults().withStorage(adapter));
        s.onError(errors::add);
        open.add(s);
        return new Server(s, storage);
    }

    private SyncManager client(LocalNode node, Server server) {
        SyncManager c = SyncManager.create(node);
        open.add(c);
        InMemoryChannel.Pair pair = InMemoryChannel.pair(node.accountID().value(), "server");
        server.sync().addPeer(node.accountID().value(), PeerRole.CLIENT, pair.b());
        c.addPeer("server", PeerRole.SERVER, pair.a());
        return c;
    }

    private static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(30, TimeUnit.SECONDS);
    }

    private static void await(String what, BooleanSupplier cond) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(10);
        }
    }

    private static KnownState known(LocalNode node, RawCoID id) {
        return node.locked(() -> node.require(id).knownState());
    }

    private static void set(LocalNode node, RawCoID map, String key, int value) {
        node.write(map, List.of(CoMapContent.setChange(key, JsonValue.of(value))), null, true);
    }

    /**
     * Two loads of values nobody has, one after the other, answered by the server: the server runs
     * one task at a time in order, and the second load reaches it only after the task that reported
     * the failed commit has ended, so whatever that task queued (a wrong acknowledgement included)
     * was sent before the second answer, and the client handles its messages in order too.
     */
    private static void roundTripsAfterTheFailure(SyncManager client) throws Exception {
        for (int i = 0; i < 2; i++) {
            RawCoID unknown = Accounts.create(CRYPTO, "Nobody" + i).accountID();
            assertFalse(get(client.load(unknown)).isPresent(), "the server answered that it has no " + unknown);
        }
    }

    @Test
    void acknowledgesOnlyWhatIsCommittedAndRetriesAfterAFailedCommit() throws Exception {
        Server server = server();
        SyncManager a = client(alice, server);
        get(a.waitForSync(alice.accountID(), "server"));
        RawCoID group = GroupOperations.createGroup(alice, null);
        RawCoID map = Accounts.createOwned(alice, "comap", group, JsonValue.NULL);
        get(a.waitForSync(map, "server"));
        assertEquals(known(alice, map), server.storage().knownState(map), "acknowledged content is committed");

        Faults.configure("storage.tx.beforeCommit=throw:io*"); // every commit fails from now on
        set(alice, map, "k", 1);
        CompletableFuture<Void> synced = a.waitForSync(map, "server");
        await("the server received the write", () -> server.sync().node().get(map) != null
                && known(server.sync().node(), map).equals(known(alice, map)));
        await("the failed store was reported", () -> errors.stream().anyMatch(e -> e.kind() == SyncError.Kind.STORAGE_FAILURE));
        roundTripsAfterTheFailure(a);
        assertFalse(synced.isDone(), "no acknowledgement for content that is not committed");
        assertFalse(known(alice, map).equals(server.storage().knownState(map)));

        Faults.configure(null);
        set(alice, map, "k", 2); // the next change stores everything storage lacks
        get(a.waitForSync(map, "server"));
        get(synced);
        assertEquals(known(alice, map), server.storage().knownState(map));
    }

    /** reliability.md RL-19: content that waits for a slow storage read is not judged before its dependencies. */
    @Test
    void slowStorageReadsDoNotRejectContentWhoseAuthorIsStillArriving() throws Exception {
        Faults.configure("storage.load.afterRead=delay:100*");
        Server server = server();
        SyncManager a = client(alice, server);
        RawCoID group = GroupOperations.createGroup(alice, null);
        RawCoID map = Accounts.createOwned(alice, "comap", group, JsonValue.NULL);
        for (int i = 0; i < 5; i++) set(alice, map, "k" + i, i);
        get(a.waitForSync(map, "server"));
        get(a.waitForSync(group, "server"));
        LocalNode s = server.sync().node();
        assertEquals(known(alice, group), known(s, group));
        assertEquals(known(alice, map), known(s, map));
        assertEquals(List.of(), errors);
    }

    @Test
    void aRestartedServerServesWhatItStoredAndKeepsTombstones() throws Exception {
        Server first = server();
        SyncManager a = client(alice, first);
        get(a.waitForSync(alice.accountID(), "server"));
        SyncManager b0 = client(bob, first);
        get(b0.waitForSync(bob.accountID(), "server"));
        get(a.load(bob.accountID())).orElseThrow();
        RawCoID group = GroupOperations.createGroup(alice, null);
        GroupOperations.addMember(alice, group, bob.accountID().value(), "writer");
        RawCoID map = Accounts.createOwned(alice, "comap", group, JsonValue.NULL);
        for (int i = 0; i < 20; i++) set(alice, map, "k" + i, i);
        RawCoID doomed = Accounts.createOwned(alice, "comap", group, JsonValue.NULL);
        set(alice, doomed, "x", 1);
        alice.deleteCoValue(doomed);
        get(a.waitForSync(map, "server"));
        get(a.waitForSync(doomed, "server"));
        await("the delete is marked in storage", () -> first.storage().isDeleted(doomed));

        // Restart: close everything of the first server, open the same directory again.
        for (int i = open.size() - 1; i >= 0; i--) open.get(i).close();
        open.clear();
        Server second = server();
        assertTrue(second.storage().coValueCount() >= 5, "accounts, group and maps are stored");
        LocalNode bobAgain = LocalNode.forAccount(CRYPTO, bob.accountID(), bobSecret,
                CRYPTO.newRandomSessionID(bob.accountID().value()));
        SyncManager b = client(bobAgain, second);
        assertTrue(get(b.load(map)).isPresent(), "served from storage");
        assertEquals(known(alice, map), known(bobAgain, map));
        assertTrue(get(b.load(doomed)).isPresent());
        assertTrue(bobAgain.locked(() -> bobAgain.require(doomed).isDeleted()), "still deleted after the restart");
        assertEquals(List.of(), errors);
    }
}
