package io.cojson.samples.hostile;

import static io.cojson.samples.hostile.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.crypto.Crypto;
import io.cojson.core.ids.AgentSecret;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.node.Accounts;
import io.cojson.core.node.LocalNode;
import io.cojson.core.values.CoMap;
import io.cojson.core.values.CojsonNode;
import io.cojson.core.values.internal.TypedNodes;
import io.cojson.server.CojsonServer;
import io.cojson.sync.PeerRole;
import io.cojson.sync.SyncManager;
import io.cojson.sync.transport.SyncWebSocketServer;
import io.cojson.sync.transport.WebSocketClientChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 11 B.1 against the real server over real sockets: a client that sends {@code load} again
 * and again and never reads. What waits for it stays under the per-connection budget, repeated
 * answers are coalesced, it is dropped with a logged reason, and a well-behaved client meanwhile
 * loads and writes as usual.
 */
class HostileSlowConsumerTest {
    private static final long BUDGET = 3L << 20;
    private static final Crypto CRYPTO = Crypto.create();

    private final AgentSecret secret = CRYPTO.newRandomAgentSecret();
    private final CojsonNode alice = TypedNodes.of(Accounts.create(CRYPTO, secret, "Alice"));

    /** A map of about {@code kb} kB, synced to the server. */
    private CoMap bigMap(SyncManager sync, int kb) throws Exception {
        CoMap map = alice.createGroup().createMap();
        for (int i = 0; i < kb / 10; i++) map.set("k" + i, ("v" + i + "-").repeat(5_000).substring(0, 10_000));
        sync.waitForSync(map.id(), "server").get(60, TimeUnit.SECONDS);
        return map;
    }

    private static String load(RawCoID id) {
        return "{\"action\":\"load\",\"id\":\"" + id.value() + "\",\"header\":false,\"sessions\":{}}";
    }

    @Test
    void repeatedLoadsOfOneValueAreCoalescedAndTheStalledReaderIsDropped() throws Exception {
        try (LogCapture logs = new LogCapture();
             CojsonServer server = CojsonServer.builder().transport(b -> b.maxOutgoingBytes(BUDGET).stallTimeout(Duration.ofSeconds(2))).start();
             SyncManager sync = SyncManager.create(TypedNodes.localNode(alice))) {
            sync.addPeer("server", PeerRole.SERVER, WebSocketClientChannel.connect(server.url()));
            CoMap map = bigMap(sync, 1_000);
            SyncWebSocketServer ws = server.transport();
            try (RawWebSocket hostile = RawWebSocket.connect(server.port(), 4_096)) {
                for (int i = 0; i < 200; i++) hostile.sendText(load(map.id()));
                wellBehavedClientLoadsAndWrites(server, map);
                await("the stalled reader is dropped", () -> ws.slowConsumersClosed() == 1);
                await("its socket is gone", hostile::serverDropped);
            }
            assertTrue(ws.coalescedMessages() > 0, "repeated answers were coalesced");
            assertTrue(ws.peakPendingOutgoingBytes() <= BUDGET, "peak " + ws.peakPendingOutgoingBytes() + " > budget " + BUDGET);
            assertTrue(logs.lines().stream().anyMatch(l -> l.contains("slow consumer: peer reads nothing")), "reason logged");
            System.out.printf("B.1 one value x200 loads: peak pending %d chars (budget %d), %d coalesced%n",
                    ws.peakPendingOutgoingBytes(), BUDGET, ws.coalescedMessages());
        }
    }

    @Test
    void loadsOfManyValuesPassTheBudgetAndDropTheReaderAtOnce() throws Exception {
        try (LogCapture logs = new LogCapture();
             CojsonServer server = CojsonServer.builder().transport(b -> b.maxOutgoingBytes(BUDGET).stallTimeout(Duration.ofMinutes(5))).start();
             SyncManager sync = SyncManager.create(TypedNodes.localNode(alice))) {
            sync.addPeer("server", PeerRole.SERVER, WebSocketClientChannel.connect(server.url()));
            List<CoMap> maps = new ArrayList<>();
            for (int i = 0; i < 8; i++) maps.add(bigMap(sync, 1_000));
            SyncWebSocketServer ws = server.transport();
            try (RawWebSocket hostile = RawWebSocket.connect(server.port(), 4_096)) {
                for (int round = 0; round < 3; round++) {
                    for (CoMap m : maps) hostile.sendText(load(m.id()));
                }
                await("the reader is dropped for its budget", () -> ws.slowConsumersClosed() == 1);
                await("its socket is gone", hostile::serverDropped);
                wellBehavedClientLoadsAndWrites(server, maps.get(7));
            }
            assertTrue(ws.peakPendingOutgoingBytes() <= BUDGET, "peak " + ws.peakPendingOutgoingBytes() + " > budget " + BUDGET);
            assertTrue(logs.lines().stream().anyMatch(l -> l.contains("slow consumer: outgoing budget exceeded")), "reason logged");
            System.out.printf("B.1 8 values x3 loads: peak pending %d chars (budget %d)%n", ws.peakPendingOutgoingBytes(), BUDGET);
        }
    }

    /** Alice on a second device: loads the value whole through the server, writes, and is acknowledged. */
    private void wellBehavedClientLoadsAndWrites(CojsonServer server, CoMap map) throws Exception {
        CojsonNode again = TypedNodes.of(LocalNode.forAccount(CRYPTO, alice.accountID(), secret,
                CRYPTO.newRandomSessionID(alice.accountID().value())));
        try (SyncManager sync = SyncManager.create(TypedNodes.localNode(again))) {
            sync.addPeer("server", PeerRole.SERVER, WebSocketClientChannel.connect(server.url()));
            assertTrue(sync.load(map.id()).get(30, TimeUnit.SECONDS).isPresent());
            CoMap copy = again.map(new RawCoID(map.id().value()));
            assertEquals(map.getString("k99"), copy.getString("k99"));
            copy.set("from-second-device", "yes");
            sync.waitForSync(map.id(), "server").get(30, TimeUnit.SECONDS);
        }
    }
}
