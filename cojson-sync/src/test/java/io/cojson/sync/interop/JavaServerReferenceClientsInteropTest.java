package io.cojson.sync.interop;

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
import java.io.File;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
    private final List<Process> clients = new ArrayList<>();
    private final List<SyncError> errors = new CopyOnWriteArrayList<>();
    private SyncWebSocketServer wsServer;
    private SyncManager server;

    @AfterEach
    void stop() throws Exception {
        for (Process p : clients) {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
        }
        if (wsServer != null) wsServer.close();
        if (server != null) server.close();
    }

    /** One scripted reference client: a command line in, one JSON answer out. */
    private final class RefClient {
        private final ProcessLines out;
        private final Writer in;

        RefClient(String url) throws Exception {
            File dir = new File(System.getProperty("cojson.interop.dir", "../../shared/interop")).getCanonicalFile();
            Process p = new ProcessBuilder("node", "ref-client.mjs", "--peer", url, "--timeout-ms", "20000").directory(dir)
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            clients.add(p);
            out = ProcessLines.of(p, "ref-client.mjs");
            in = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8);
        }

        JsonValue.Obj cmd(String json) throws Exception {
            in.write(json + "\n");
            in.flush();
            String line = out.next(Duration.ofSeconds(90));
            assertNotNull(line, "ref-client.mjs exited at: " + json);
            JsonValue.Obj answer = (JsonValue.Obj) Json.parse(line);
            assertEquals(JsonValue.TRUE, answer.get("ok"), json + " -> " + answer);
            return answer;
        }
    }

    private static String str(JsonValue.Obj o, String key) {
        return ((JsonValue.Str) o.get(key)).value();
    }

    @Test
    void referenceClientsShareAMapThroughTheJavaServer() throws Exception {
        Crypto crypto = Crypto.create();
        server = SyncManager.create(LocalNode.forAgent(crypto, crypto.newRandomAgentSecret()));
        server.onError(errors::add);
        AtomicInteger connections = new AtomicInteger();
        wsServer = SyncWebSocketServer.builder().port(0).build();
        wsServer.start(ch -> server.addPeer("client-" + connections.incrementAndGet(), PeerRole.CLIENT, ch));

        RefClient a = new RefClient(wsServer.url());
        RefClient b = new RefClient(wsServer.url());
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
