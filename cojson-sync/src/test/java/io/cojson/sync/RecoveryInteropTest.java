package io.cojson.sync;

import static io.cojson.sync.ForkedSession.set;
import static io.cojson.sync.SyncTestKit.CRYPTO;
import static io.cojson.sync.SyncTestKit.await;
import static io.cojson.sync.SyncTestKit.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.cojson.core.ids.SessionID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import io.cojson.core.node.LocalNode;
import io.cojson.sync.recovery.RecoveryCoordinator;
import io.cojson.sync.recovery.RecoveryState;
import io.cojson.sync.interop.RefClient;
import io.cojson.sync.transport.SyncWebSocketServer;
import io.cojson.sync.transport.WebSocketClientChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * After a Java client recovered through T1 (its divergent edits in the conflict session S!), a
 * fresh JS reference client (cojson 0.20.19) of the same account loads the value through the Java
 * server: its native core accepts the {@code …!} session, it decrypts S!'s private transactions
 * and shows the merged content, and its known state lists S and S! (recovery.md §7, §16).
 */
@Tag("interop")
class RecoveryInteropTest {
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) cleanup.get(i).close();
    }

    @Test
    @DisplayName("Interop: after a Java recovery a fresh JS 0.20.19 client shows the merged content, decrypts S!, and lists S and S!")
    void freshJsClientLoadsTheRecoveredValue() throws Exception {
        LocalNode serverNode = LocalNode.forAgent(CRYPTO, CRYPTO.newRandomAgentSecret());
        SyncManager server = SyncManager.create(serverNode);
        cleanup.add(server::close);
        SyncWebSocketServer ws = SyncWebSocketServer.builder().host("127.0.0.1").port(0).build();
        cleanup.add(ws::close);
        AtomicInteger n = new AtomicInteger();
        ws.start(ch -> server.addPeer("client-" + n.incrementAndGet(), PeerRole.CLIENT, ch));

        ForkedSession f = new ForkedSession();
        SessionID s = f.alice.sessionID();
        SyncManager first = SyncManager.create(f.alice);
        cleanup.add(first::close);
        first.addPeer("server", PeerRole.SERVER, WebSocketClientChannel.connect(ws.url()));
        set(f.alice, f.map, "title", "Task");
        set(f.alice, f.map, "priority", "high");
        get(first.waitForSync(f.map, "server").orTimeout(20, TimeUnit.SECONDS));
        LocalNode restarted = f.restart();
        set(f.alice, f.map, "status", "review");
        get(first.waitForSync(f.map, "server").orTimeout(20, TimeUnit.SECONDS));
        first.close();
        SyncManager alice = SyncManager.create(restarted);
        cleanup.add(alice::close);
        RecoveryCoordinator rc = RecoveryCoordinator.install(alice, null);
        cleanup.add(rc::close);
        set(restarted, f.map, "assignee", "bob");
        set(restarted, f.map, "archived", "false");
        alice.addPeer("server", PeerRole.SERVER, WebSocketClientChannel.connect(ws.url()));
        await("recovery DONE", () -> rc.status(f.map, s).state() == RecoveryState.DONE);
        await("server has S!", () -> SyncTestKit.known(serverNode, f.map).count(s.conflictSession()) == 2);

        RefClient js = new RefClient(ws.url());
        cleanup.add(js);
        js.cmd("{\"cmd\":\"login\",\"accountID\":\"" + f.alice.accountID() + "\",\"agentSecret\":\"" + f.secret.value() + "\"}");
        JsonValue.Obj got = js.cmd("{\"cmd\":\"get\",\"id\":\"" + f.map + "\"}");
        TreeMap<String, String> fields = new TreeMap<>();
        ((JsonValue.Obj) got.get("value")).fields().forEach((k, v) -> fields.put(k, JsonWriter.stringify(v)));
        assertEquals("{archived=\"false\", assignee=\"bob\", priority=\"high\", status=\"review\", title=\"Task\"}", fields.toString(),
                "JS shows the merge: " + got);
        JsonValue.Obj known = (JsonValue.Obj) js.cmd("{\"cmd\":\"knownState\",\"id\":\"" + f.map + "\"}").get("knownState");
        JsonValue.Obj sessions = (JsonValue.Obj) known.get("sessions");
        assertEquals(JsonValue.of(3), sessions.get(s.value()), "JS holds the server's S: " + known);
        assertEquals(JsonValue.of(2), sessions.get(s.conflictSession().value()), "JS holds S!: " + known);
    }
}
