package io.cojson.sync.interop;

import static io.cojson.sync.interop.RefClient.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.crypto.Crypto;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.json.Json;
import io.cojson.core.json.JsonValue;
import io.cojson.core.node.LocalNode;
import io.cojson.sync.PeerRole;
import io.cojson.sync.SyncError;
import io.cojson.sync.SyncManager;
import io.cojson.sync.transport.SyncWebSocketServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Unchanged JS reference clients (ref-client.mjs, cojson 0.20.19) syncing through a Java server:
 * this SDK's SyncManager behind the Java WebSocket server.
 */
@Tag("interop")
@Timeout(value = 5, unit = TimeUnit.MINUTES) // the reference peer runs in node; the default (180 s) is for in-JVM tests
class JavaServerReferenceClientsInteropTest {
    private final List<RefClient> clients = new ArrayList<>();
    private final List<SyncError> errors = new CopyOnWriteArrayList<>();
    private SyncWebSocketServer wsServer;
    private SyncManager server;

    @AfterEach
    void stop() throws Exception {
        for (RefClient c : clients) c.close();
        if (wsServer != null) wsServer.close();
        if (server != null) server.close();
    }

    private RefClient client(String url) throws Exception {
        RefClient c = new RefClient(url);
        clients.add(c);
        return c;
    }

    @Test
    void referenceClientsShareAMapThroughTheJavaServer() throws Exception {
        Crypto crypto = Crypto.create();
        server = SyncManager.create(LocalNode.forAgent(crypto, crypto.newRandomAgentSecret()));
        server.onError(errors::add);
        AtomicInteger connections = new AtomicInteger();
        wsServer = SyncWebSocketServer.builder().port(0).build();
        wsServer.start(ch -> server.addPeer("client-" + connections.incrementAndGet(), PeerRole.CLIENT, ch));

        RefClient a = client(wsServer.url());
        RefClient b = client(wsServer.url());
        a.cmd("{\"cmd\":\"createAccount\",\"name\":\"A\"}");
        String bob = str(b.cmd("{\"cmd\":\"createAccount\",\"name\":\"B\"}"), "accountID");
        JsonValue.Obj created = a.cmd("{\"cmd\":\"createMap\",\"init\":{\"title\":\"hello\"}}");
        String map = str(created, "id");
        a.cmd("{\"cmd\":\"addMember\",\"group\":\"" + str(created, "owner") + "\",\"member\":\"" + bob + "\",\"role\":\"writer\"}");
        a.cmd("{\"cmd\":\"waitSynced\"}");

        JsonValue.Obj got = b.cmd("{\"cmd\":\"get\",\"id\":\"" + map + "\"}");
        assertEquals(Json.parse("{\"title\":\"hello\"}"), got.get("value"));
        b.cmd("{\"cmd\":\"set\",\"id\":\"" + map + "\",\"key\":\"fromB\",\"value\":1}");
        a.cmd("{\"cmd\":\"waitFor\",\"id\":\"" + map + "\",\"path\":\"fromB\",\"expected\":1}");
        a.cmd("{\"cmd\":\"set\",\"id\":\"" + map + "\",\"key\":\"fromA\",\"value\":2}");
        JsonValue.Obj seen = b.cmd("{\"cmd\":\"waitFor\",\"id\":\"" + map + "\",\"path\":\"fromA\",\"expected\":2}");
        assertEquals(JsonValue.of(2), seen.get("value"));
        assertTrue(server.node().get(new RawCoID(map)) != null, "the Java server holds the map");
        assertEquals(List.of(), errors);
    }
}
