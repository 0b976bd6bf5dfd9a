package io.cojson.sync;

import static io.cojson.sync.ForkedSession.set;
import static io.cojson.sync.SyncTestKit.CRYPTO;
import static io.cojson.sync.SyncTestKit.get;
import static io.cojson.sync.interop.RefClient.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.node.LocalNode;
import io.cojson.sync.interop.RefClient;
import io.cojson.sync.transport.SyncWebSocketServer;
import io.cojson.sync.transport.WebSocketClientChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Unchanged JS reference clients (cojson 0.20.19) keep syncing through the Java server while it
 * reports a fork to a forked Java client, and a JS client that is itself sent a SignatureMismatch
 * (as a Java server MAY send to any client, recovery.md §4.1) drops it and goes on.
 */
@Tag("interop")
class SignatureMismatchInteropTest {
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) cleanup.get(i).close();
    }

    private RefClient refClient(String url) throws Exception {
        RefClient c = new RefClient(url);
        cleanup.add(c);
        return c;
    }

    @Test
    void referenceClientsKeepSyncingWhileTheJavaServerReportsForks() throws Exception {
        LocalNode serverNode = LocalNode.forAgent(CRYPTO, CRYPTO.newRandomAgentSecret());
        SyncManager server = SyncManager.create(serverNode);
        cleanup.add(server::close);
        SyncWebSocketServer ws = SyncWebSocketServer.builder().port(0).build();
        cleanup.add(ws::close);
        AtomicInteger n = new AtomicInteger();
        ws.start(ch -> server.addPeer("client-" + n.incrementAndGet(), PeerRole.CLIENT, ch));

        RefClient a = refClient(ws.url()); // client-1
        RefClient b = refClient(ws.url()); // client-2
        a.cmd("{\"cmd\":\"createAccount\",\"name\":\"A\"}");
        String bob = str(b.cmd("{\"cmd\":\"createAccount\",\"name\":\"B\"}"), "accountID");
        JsonValue.Obj created = a.cmd("{\"cmd\":\"createMap\",\"init\":{\"title\":\"hello\"}}");
        String map = str(created, "id");
        a.cmd("{\"cmd\":\"addMember\",\"group\":\"" + str(created, "owner") + "\",\"member\":\"" + bob + "\",\"role\":\"writer\"}");
        a.cmd("{\"cmd\":\"waitSynced\"}");

        // A forked Java client (recovery.md §2) on the same server gets its report.
        ForkedSession f = new ForkedSession();
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
        set(restarted, f.map, "assignee", "bob");
        set(restarted, f.map, "archived", "false");
        SyncManager forked = SyncManager.create(restarted);
        cleanup.add(forked::close);
        BlockingQueue<SyncMessage.SignatureMismatch> reports = new LinkedBlockingQueue<>();
        forked.onSignatureMismatch((p, m) -> reports.add(m));
        forked.addPeer("server", PeerRole.SERVER, WebSocketClientChannel.connect(ws.url()));
        assertNotNull(reports.poll(20, TimeUnit.SECONDS), "the forked Java client got its SignatureMismatch");

        // And a JS client that is sent one itself (its own session of the map, the server's version).
        RawCoID mapId = new RawCoID(map);
        SyncMessage.SignatureMismatch toJs = serverNode.locked(() -> {
            var core = serverNode.require(mapId);
            SessionID s = core.sessions().keySet().iterator().next();
            return SyncMessage.SignatureMismatch.of(mapId, s, MismatchReports.wholeSession(core.sessions().get(s)), "interop");
        });
        server.peer("client-1").orElseThrow().send(toJs);

        b.cmd("{\"cmd\":\"set\",\"id\":\"" + map + "\",\"key\":\"fromB\",\"value\":1}");
        a.cmd("{\"cmd\":\"waitFor\",\"id\":\"" + map + "\",\"path\":\"fromB\",\"expected\":1}");
        a.cmd("{\"cmd\":\"set\",\"id\":\"" + map + "\",\"key\":\"fromA\",\"value\":2}");
        JsonValue.Obj seen = b.cmd("{\"cmd\":\"waitFor\",\"id\":\"" + map + "\",\"path\":\"fromA\",\"expected\":2}");
        assertEquals(JsonValue.of(2), seen.get("value"));
        assertEquals(1, server.signatureMismatchStats().sent());
        assertEquals(1, server.peer("client-1").orElseThrow().sentCount("error"));
    }
}
