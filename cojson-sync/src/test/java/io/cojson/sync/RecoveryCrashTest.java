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
import io.cojson.storage.engine.MapDbStorage;
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

    /** A server, and alice's first process killed after the server acknowledged {@code lost} (her disk has {@code before}). */
    private record Crashed(CrashHarness h, CrashHarness.Alice a, Path aliceDir) {}

    private Crashed crash(List<String> before, List<String> lost, boolean everyoneReads) throws Exception {
        CrashHarness h = new CrashHarness(dir.resolve("server"));
        cleanup.add(h);
        Path aliceDir = dir.resolve("alice");
        return new Crashed(h, h.crashAfterServerAck(aliceDir, before, lost, everyoneReads), aliceDir);
    }

    /** Alice restarted on her disk after the real crash, edits {@code after}, reconnects; returns once recovery is DONE. */
    private record Restarted(LocalNode alice, RecoveryCoordinator rc, MapDbStorage disk) {}

    private Restarted restartEditAndRecover(CrashHarness h, CrashHarness.Alice a, Path aliceDir, int stored, String... after) throws Exception {
        MapDbStorage disk = MapDbStorage.open(aliceDir);
        cleanup.add(disk::close);
        assertEquals(stored, disk.knownState(a.map()).count(a.session()), "her storage lost the acknowledged tail");
        LocalNode alice = LocalNode.forAccount(CRYPTO, a.account(), h.secret, a.session());
        RestartedClient client = RestartedClient.on(alice, disk, cleanup::add);
        for (String kv : after) {
            String[] p = kv.split("=", 2);
            SyncTestKit.set(alice, a.map(), p[0], JsonValue.of(p[1]));
        }
        client.sync().addPeer("server", PeerRole.SERVER, WebSocketClientChannel.connect(h.ws.url()));
        await("recovery DONE", () -> client.rc().status(a.map(), a.session()).state() == RecoveryState.DONE);
        return new Restarted(alice, client.rc(), disk);
    }

    @Test
    @DisplayName("RI-4 Server ahead by more, real crash (child JVM, SIGKILL): loses status and assignee=carol; three edits after the restart; all seven fields")
    void RI4_serverAheadByMore_realCrash() throws Exception {
        Crashed c = crash(List.of("title=Task", "priority=high"),
                List.of("status=review", "assignee=carol"), false);
        CrashHarness h = c.h();
        CrashHarness.Alice a = c.a();
        Path aliceDir = c.aliceDir();
        Restarted r = restartEditAndRecover(h, a, aliceDir, 2, "archived=true", "owner=alice", "due=friday");
        SessionID s = a.session();
        assertEquals(2, r.rc().status(a.map(), s).commonPrefix());
        assertEquals(3, r.rc().status(a.map(), s).preserved());
        String expected = "{\"title\":\"Task\",\"priority\":\"high\",\"status\":\"review\",\"assignee\":\"carol\","
                + "\"archived\":\"true\",\"owner\":\"alice\",\"due\":\"friday\"}";
        assertEquals(sortedFields(expected), sortedFields(SyncTestKit.mapJson(r.alice(), a.map())));
        await("server has S!", () -> SyncTestKit.known(h.serverNode, a.map()).count(s.conflictSession()) == 3);
        assertEquals(4, SyncTestKit.known(h.serverNode, a.map()).count(s), "the server's S unchanged");
        await("her storage has S and S!", () -> r.disk().knownState(a.map()).count(s) == 4
                && r.disk().knownState(a.map()).count(s.conflictSession()) == 3);
    }

    @Test
    @DisplayName("RI-5 Non-overlapping edits, real crash (child JVM, SIGKILL): empty map; loses status=review; assignee=bob, priority=high; all three fields")
    void RI5_nonOverlappingEdits_realCrash() throws Exception {
        Crashed c = crash(List.of(), List.of("status=review"), false);
        CrashHarness h = c.h();
        CrashHarness.Alice a = c.a();
        Path aliceDir = c.aliceDir();
        Restarted r = restartEditAndRecover(h, a, aliceDir, 0, "assignee=bob", "priority=high");
        SessionID s = a.session();
        assertEquals(0, r.rc().status(a.map(), s).commonPrefix(), "her disk had nothing of S for this map");
        assertEquals(sortedFields("{\"status\":\"review\",\"assignee\":\"bob\",\"priority\":\"high\"}"),
                sortedFields(SyncTestKit.mapJson(r.alice(), a.map())));
        await("server has S!", () -> SyncTestKit.known(h.serverNode, a.map()).count(s.conflictSession()) == 2);
        assertEquals(1, SyncTestKit.known(h.serverNode, a.map()).count(s));
    }

    @Test
    @DisplayName("RI-7 Fresh charlie, real crash (child JVM, SIGKILL): charlie (own storage) loads after the recovery and has exactly S and S!")
    void RI7_freshCharlie_realCrash() throws Exception {
        Crashed c = crash(List.of("title=Task"), List.of("status=review"), false);
        CrashHarness h = c.h();
        CrashHarness.Alice a = c.a();
        Path aliceDir = c.aliceDir();
        Restarted r = restartEditAndRecover(h, a, aliceDir, 1, "assignee=bob", "priority=high");
        SessionID s = a.session();
        await("server has S!", () -> SyncTestKit.known(h.serverNode, a.map()).count(s.conflictSession()) == 2);

        MapDbStorage charlieDisk = MapDbStorage.open(dir.resolve("charlie"));
        cleanup.add(charlieDisk::close);
        io.cojson.sync.storage.CoValueSyncStorage charlieStorage = io.cojson.sync.storage.CoValueSyncStorage.of(charlieDisk);
        cleanup.add(charlieStorage::close);
        LocalNode charlie = LocalNode.forAccount(CRYPTO, a.account(), h.secret, null);
        SyncManager cs = SyncManager.create(charlie, SyncOptions.defaults().withStorage(charlieStorage));
        cleanup.add(cs::close);
        cs.addPeer("server", PeerRole.SERVER, WebSocketClientChannel.connect(h.ws.url()));
        assertTrue(get(cs.load(a.map())).isPresent());
        String expected = sortedFields("{\"title\":\"Task\",\"status\":\"review\",\"assignee\":\"bob\",\"priority\":\"high\"}");
        await("charlie's view", () -> SyncTestKit.mapJson(charlie, a.map()) != null
                && expected.equals(sortedFields(SyncTestKit.mapJson(charlie, a.map()))));
        assertEquals(java.util.Set.of(s, s.conflictSession()), SyncTestKit.known(charlie, a.map()).sessions().keySet(), "no stale S");
        await("charlie's storage holds S and S!", () -> charlieDisk.knownState(a.map()) != null
                && java.util.Set.of(s, s.conflictSession()).equals(charlieDisk.knownState(a.map()).sessions().keySet()));
    }

    /** A client of the harness's server for {@code node}, connected. */
    private SyncManager connected(CrashHarness h, LocalNode node) {
        SyncManager m = SyncManager.create(node);
        cleanup.add(m::close);
        m.addPeer("server", PeerRole.SERVER, WebSocketClientChannel.connect(h.ws.url()));
        return m;
    }

    @Test
    @DisplayName("RI-6 Bob converges, real crash (child JVM, SIGKILL): bob saw status=review; after alice's recovery he shows her post-crash edits too, without reloading")
    void RI6_bobConverges_realCrash() throws Exception {
        Crashed c = crash(List.of("title=Task", "priority=high"), List.of("status=review"), true);
        CrashHarness h = c.h();
        CrashHarness.Alice a = c.a();
        Path aliceDir = c.aliceDir();
        LocalNode bob = io.cojson.core.node.Accounts.create(CRYPTO, "Bob");
        SyncManager bs = connected(h, bob);
        assertTrue(get(bs.load(a.map())).isPresent());
        await("bob shows status=review", () -> String.valueOf(SyncTestKit.mapJson(bob, a.map())).contains("\"status\":\"review\""));

        Restarted r = restartEditAndRecover(h, a, aliceDir, 2, "assignee=bob", "archived=false");
        String expected = sortedFields("{\"title\":\"Task\",\"priority\":\"high\",\"status\":\"review\",\"assignee\":\"bob\",\"archived\":\"false\"}");
        assertEquals(expected, sortedFields(SyncTestKit.mapJson(r.alice(), a.map())));
        await("bob converges without reloading", () -> expected.equals(sortedFields(SyncTestKit.mapJson(bob, a.map()))));
    }

    @Test
    @DisplayName("RI-8 Other sessions preserved, real crash (child JVM, SIGKILL): alice2's assignee=carol stays, her session byte-identical; only S is replaced")
    void RI8_otherSessionsPreserved_realCrash() throws Exception {
        Crashed c = crash(List.of("title=Task"), List.of("status=review"), false);
        CrashHarness h = c.h();
        CrashHarness.Alice a = c.a();
        Path aliceDir = c.aliceDir();
        LocalNode alice2 = LocalNode.forAccount(CRYPTO, a.account(), h.secret, null); // another process of the account
        SyncManager second = connected(h, alice2);
        assertTrue(get(second.load(a.map())).isPresent());
        SyncTestKit.set(alice2, a.map(), "assignee", JsonValue.of("carol"));
        get(second.waitForSync(a.map(), "server").orTimeout(20, java.util.concurrent.TimeUnit.SECONDS));
        SessionID s2 = alice2.sessionID();
        List<Transaction> secondTxs = alice2.locked(() -> List.copyOf(alice2.require(a.map()).sessions().get(s2).transactions()));

        Restarted r = restartEditAndRecover(h, a, aliceDir, 1, "priority=high", "archived=false");
        SessionID s = a.session();
        LocalNode alice = r.alice();
        await("alice has alice2's session", () -> alice.locked(() -> alice.require(a.map()).sessions().get(s2) != null
                && alice.require(a.map()).sessions().get(s2).size() == secondTxs.size()));
        assertEquals(secondTxs, alice.locked(() -> List.copyOf(alice.require(a.map()).sessions().get(s2).transactions())),
                "alice2's session byte-identical");
        assertEquals(h.serverNode.locked(() -> List.copyOf(h.serverNode.require(a.map()).sessions().get(s).transactions())),
                alice.locked(() -> List.copyOf(alice.require(a.map()).sessions().get(s).transactions())), "only S replaced, by the server's");
        assertEquals(java.util.Set.of(s, s.conflictSession(), s2), SyncTestKit.known(alice, a.map()).sessions().keySet());
        String expected = sortedFields("{\"title\":\"Task\",\"status\":\"review\",\"assignee\":\"carol\",\"priority\":\"high\",\"archived\":\"false\"}");
        assertEquals(expected, sortedFields(SyncTestKit.mapJson(alice, a.map())));
    }
}
