package io.cojson.sync;

import static io.cojson.sync.SyncTestKit.CRYPTO;
import static io.cojson.sync.SyncTestKit.await;
import static io.cojson.sync.SyncTestKit.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.content.DecodedTx;
import io.cojson.core.covalue.TransactionDecoder;
import io.cojson.core.ids.AgentSecret;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.json.Json;
import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import io.cojson.core.node.LocalNode;
import io.cojson.core.session.Transaction;
import io.cojson.storage.MapDbStorage;
import io.cojson.sync.recovery.RecoveryCoordinator;
import io.cojson.sync.recovery.RecoveryState;
import io.cojson.sync.transport.SyncWebSocketServer;
import io.cojson.sync.transport.WebSocketClientChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * recovery.md §12 "crash after server ack before local persist" with a real crash: alice's first
 * process ({@link AliceCrashChild}, a child JVM with MapDB) sends {@code status=review} to a Java
 * sync server (MapDB, WebSockets on 127.0.0.1) and is killed with SIGKILL before storing it. Her
 * node restarts from that storage with the same session, edits twice, reconnects, gets the
 * server's SignatureMismatch and recovers through T1.
 */
class RecoveryCrashTest {
    @TempDir
    Path dir;
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        Collections.reverse(cleanup);
        for (AutoCloseable c : cleanup) c.close();
    }

    private static String sortedFields(String json) {
        TreeMap<String, String> m = new TreeMap<>();
        ((JsonValue.Obj) Json.parse(json)).fields().forEach((k, v) -> m.put(k, JsonWriter.stringify(v)));
        return m.toString();
    }

    @Test
    @DisplayName("RI-3 Baseline repair after a real crash (child JVM, SIGKILL after the server stored status=review, before alice's MapDB did): every edit exactly once, a fresh loader sees the merge")
    void RI3_crashAfterServerAckBeforeLocalPersist() throws Exception {
        CrashHarness h = new CrashHarness(dir.resolve("server"));
        cleanup.add(h);
        LocalNode serverNode = h.serverNode;
        AgentSecret secret = h.secret;
        SyncWebSocketServer ws = h.ws;
        Path aliceDir = dir.resolve("alice");
        CrashHarness.Alice a = h.crashAfterServerAck(aliceDir);
        RawCoID account = a.account();
        SessionID s = a.session();
        RawCoID map = a.map();
        List<Transaction> serverS = serverNode.locked(() -> List.copyOf(serverNode.require(map).sessions().get(s).transactions()));

        // Alice restarts from her storage: the same session, without status=review.
        MapDbStorage disk = MapDbStorage.open(aliceDir);
        cleanup.add(disk::close);
        assertEquals(2, disk.knownState(map).count(s), "her storage lost the last transaction");
        LocalNode alice = LocalNode.forAccount(CRYPTO, account, secret, s);
        RestartedClient restartedClient = RestartedClient.on(alice, disk, cleanup::add);
        SyncManager sync = restartedClient.sync();
        RecoveryCoordinator rc = restartedClient.rc();
        SyncTestKit.set(alice, map, "assignee", JsonValue.of("bob"));
        SyncTestKit.set(alice, map, "archived", JsonValue.of("false"));
        sync.addPeer("server", PeerRole.SERVER, WebSocketClientChannel.connect(ws.url()));

        await("recovery DONE", () -> rc.status(map, s).state() == RecoveryState.DONE);
        assertEquals(2, rc.status(map, s).commonPrefix());
        String expected = "{\"title\":\"Task\",\"priority\":\"high\",\"status\":\"review\",\"assignee\":\"bob\",\"archived\":\"false\"}";
        assertEquals(sortedFields(expected), sortedFields(SyncTestKit.mapJson(alice, map)));
        assertEquals(serverS, alice.locked(() -> List.copyOf(alice.require(map).sessions().get(s).transactions())));
        await("server has S!", () -> SyncTestKit.known(serverNode, map).count(s.conflictSession()) == 2);
        await("alice's storage has the repaired S and S!", () -> disk.knownState(map).count(s) == 3
                && disk.knownState(map).count(s.conflictSession()) == 2);
        assertEquals(1, disk.journal(map).size());

        LocalNode charlie = LocalNode.forAccount(CRYPTO, account, secret, null); // a fresh device of the account
        SyncManager cs = SyncManager.create(charlie);
        cleanup.add(cs::close);
        cs.addPeer("server", PeerRole.SERVER, WebSocketClientChannel.connect(ws.url()));
        assertTrue(get(cs.load(map)).isPresent());
        await("charlie sees the merge", () -> sortedFields(expected).equals(
                SyncTestKit.mapJson(charlie, map) == null ? "" : sortedFields(SyncTestKit.mapJson(charlie, map))));
        List<String> keys = charlie.locked(() -> {
            List<String> out = new ArrayList<>();
            for (DecodedTx tx : TransactionDecoder.decode(charlie.require(map), charlie, charlie.keys())) {
                if (!tx.sessionID().baseSession().equals(s)) continue;
                for (JsonValue c : tx.changes()) out.add(((JsonValue.Str) ((JsonValue.Obj) c).get("key")).value());
            }
            return out;
        });
        Collections.sort(keys);
        assertEquals(List.of("archived", "assignee", "priority", "status", "title"), keys, "every edit of either side exactly once");
    }
}
