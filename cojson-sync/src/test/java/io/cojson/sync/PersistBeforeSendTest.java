package io.cojson.sync;

import static io.cojson.sync.SyncTestKit.CRYPTO;
import static io.cojson.sync.SyncTestKit.await;
import static io.cojson.sync.SyncTestKit.get;
import static io.cojson.sync.SyncTestKit.known;
import static io.cojson.sync.SyncTestKit.set;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.knownstate.KnownState;
import io.cojson.core.node.Accounts;
import io.cojson.core.node.ContentPiece;
import io.cojson.core.node.GroupOperations;
import io.cojson.core.node.LocalNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * recovery.md §13 "persist before send" and the switches of reliability.md §2.1: with the switch
 * on, a client sends its writes only once its storage committed them, so a crash can never leave
 * the server with transactions the client's disk lacks (the seed-004 window).
 */
class PersistBeforeSendTest {
    private final LocalNode alice = Accounts.create(CRYPTO, "Alice");
    private final LocalNode serverNode = LocalNode.forAgent(CRYPTO, CRYPTO.newRandomAgentSecret());
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : cleanup) c.close();
        System.clearProperty(RecoverySwitches.PERSIST_BEFORE_SEND);
        System.clearProperty(RecoverySwitches.VERIFY_BEFORE_PUSH);
    }

    /** Storage whose commits wait until {@link #open()}. */
    private static final class GatedStorage implements SyncStorage {
        final MemoryStorage inner = new MemoryStorage();
        private volatile CompletableFuture<Void> gate = new CompletableFuture<>();

        @Override
        public CompletableFuture<List<ContentPiece>> load(RawCoID id) {
            return inner.load(id);
        }

        @Override
        public CompletableFuture<KnownState> store(ContentPiece piece) {
            return gate.thenCompose(v -> inner.store(piece));
        }

        void open() {
            gate.complete(null);
        }
    }

    /** Alice with gated storage, connected to an in-memory server; a map with one write that storage has not committed. */
    private RawCoID writeWithStorageBlocked(SyncOptions options, GatedStorage storage) {
        SyncManager client = SyncManager.create(alice, options.withStorage(storage));
        SyncManager server = SyncManager.create(serverNode);
        cleanup.add(client::close);
        cleanup.add(server::close);
        SyncTestKit.connect(client, server);
        RawCoID group = GroupOperations.createGroup(alice, null);
        RawCoID map = Accounts.createOwned(alice, "comap", group, JsonValue.NULL);
        set(alice, map, "status", JsonValue.of("review"));
        get(client.flush());
        return map;
    }

    private int serverCount(RawCoID map) {
        KnownState k = known(serverNode, map);
        return k == null ? 0 : k.count(alice.sessionID());
    }

    @Test
    void withTheSwitchOnNothingLeavesBeforeItsStoreCommitted() throws Exception {
        GatedStorage storage = new GatedStorage();
        RawCoID map = writeWithStorageBlocked(SyncOptions.defaults().withPersistBeforeSend(true), storage);
        Thread.sleep(300); // time enough for the content to reach the server if it were sent
        assertEquals(0, serverCount(map), "nothing of the uncommitted write reached the server");

        storage.open();
        await("the committed write reaches the server", () -> serverCount(map) == 1);
        assertEquals(known(alice, map), known(serverNode, map));
        set(alice, map, "assignee", JsonValue.of("bob")); // later writes flow as usual once committed
        await("the next write follows", () -> serverCount(map) == 2);
        assertEquals(storage.inner.knownState(map).count(alice.sessionID()), 2);
    }

    @Test
    void withTheSwitchOffAsInTheReferenceTheWriteIsSentBeforeItsStoreCommits() {
        GatedStorage storage = new GatedStorage();
        RawCoID map = writeWithStorageBlocked(SyncOptions.defaults().withPersistBeforeSend(false), storage);
        await("the write reaches the server while its store is pending", () -> serverCount(map) == 1);
        assertEquals(null, storage.inner.knownState(map), "not committed locally: the seed-004 window");
        storage.open();
    }

    @Test
    void theSwitchesAreReadFromSystemPropertiesWithTheirDefaults() {
        assertFalse(RecoverySwitches.persistBeforeSend());
        assertTrue(RecoverySwitches.verifyBeforePush());
        assertTrue(RecoverySwitches.sessionReuseGuard());
        assertFalse(SyncOptions.defaults().persistBeforeSend());
        System.setProperty(RecoverySwitches.PERSIST_BEFORE_SEND, "TRUE");
        System.setProperty(RecoverySwitches.VERIFY_BEFORE_PUSH, "false");
        assertTrue(RecoverySwitches.persistBeforeSend());
        assertTrue(SyncOptions.defaults().persistBeforeSend());
        assertFalse(RecoverySwitches.verifyBeforePush());
        System.setProperty(RecoverySwitches.PERSIST_BEFORE_SEND, "yes");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, RecoverySwitches::persistBeforeSend);
        assertTrue(e.getMessage().contains(RecoverySwitches.PERSIST_BEFORE_SEND));
    }
}
