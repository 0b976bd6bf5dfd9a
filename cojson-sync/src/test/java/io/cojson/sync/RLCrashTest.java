package io.cojson.sync;

import static io.cojson.sync.SyncTestKit.CRYPTO;
import static io.cojson.sync.SyncTestKit.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.node.LocalNode;
import io.cojson.storage.engine.MapDbStorage;
import io.cojson.sync.recovery.RecoveryCoordinator;
import io.cojson.sync.recovery.SessionGuard;
import io.cojson.sync.recovery.SessionRegistry;
import io.cojson.sync.transport.WebSocketClientChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * reliability.md RL-24 (seed 004) with a real crash: alice's process (a child JVM, MapDB) is paused
 * at {@code sync.localBatch.afterSendBeforeStoreCommit} and SIGKILLed once the Java server stored
 * the transaction it sent; her next process must not append to the session that lost its tail.
 */
class RLCrashTest {
    @TempDir
    Path dir;
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        Collections.reverse(cleanup);
        for (AutoCloseable c : cleanup) c.close();
    }

    @Test
    @DisplayName("RL-24 No appending to a session that may have lost its tail: after SIGKILL in the durability window, assignee=bob goes into a new session, no SignatureMismatch on the wire, the lost transaction arrives into the old session as ordinary content")
    void RL24_noAppendingToASessionThatMayHaveLostItsTail() throws Exception {
        CrashHarness h = new CrashHarness(dir.resolve("server"));
        cleanup.add(h);
        Path aliceDir = dir.resolve("alice");
        CrashHarness.Alice a = h.crashAfterServerAck(aliceDir); // SIGKILL after the server acknowledged status=review
        SessionID s = a.session();
        RawCoID map = a.map();

        MapDbStorage disk = MapDbStorage.open(aliceDir);
        cleanup.add(disk::close);
        assertEquals(2, disk.knownState(map).count(s), "her storage lost status=review");
        SessionGuard.Choice choice = SessionGuard.choose(disk, SessionRegistry.of(disk), CRYPTO, a.account(), s); // what a restart does
        SessionID fresh = choice.session();
        assertNotEquals(s, fresh, "a new session after the unclean shutdown: " + choice);

        LocalNode alice = LocalNode.forAccount(CRYPTO, a.account(), h.secret, fresh);
        RestartedClient restarted = RestartedClient.on(alice, disk, cleanup::add);
        SyncManager sync = restarted.sync();
        RecoveryCoordinator rc = restarted.rc();
        AtomicInteger mismatchesHeard = new AtomicInteger();
        cleanup.add(sync.onSignatureMismatch((peer, m) -> mismatchesHeard.incrementAndGet())::close);
        SyncTestKit.set(alice, map, "assignee", JsonValue.of("bob"));
        sync.addPeer("server", PeerRole.SERVER, WebSocketClientChannel.connect(h.ws.url()));

        await("status=review arrives into the old session", () -> SyncTestKit.known(alice, map).count(s) == 3);
        await("the server has assignee=bob in the new session", () -> SyncTestKit.known(h.serverNode, map).count(fresh) == 1);
        assertEquals(3, SyncTestKit.known(h.serverNode, map).count(s), "the server's old session unchanged");
        assertEquals(0, SyncTestKit.known(alice, map).count(fresh.conflictSession()) + SyncTestKit.known(alice, map).count(s.conflictSession()),
                "no conflict session");
        String json = SyncTestKit.mapJson(alice, map);
        for (String field : List.of("\"title\"", "\"priority\"", "\"status\":\"review\"", "\"assignee\":\"bob\"")) {
            assertTrue(json.contains(field), field + " in " + json);
        }
        assertEquals(0, h.server.signatureMismatchStats().detected(), "the server saw no fork");
        assertEquals(0, h.server.signatureMismatchStats().sent(), "no SignatureMismatch on the wire");
        assertEquals(0, mismatchesHeard.get(), "alice heard no SignatureMismatch");
        assertEquals(List.of(), rc.conflicts().all(), "no recovery round");
        assertTrue(disk.journal(map).isEmpty(), "no recovery unit");
        await("alice's storage has the old session's tail", () -> disk.knownState(map).count(s) == 3);
    }
}
