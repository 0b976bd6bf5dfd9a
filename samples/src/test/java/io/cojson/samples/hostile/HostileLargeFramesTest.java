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
import io.cojson.sync.transport.WebSocketClientChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 11 B.3 against the real server (sync manager included) over real sockets: clients sending
 * large content frames at once. The text held for them stays within the server-wide incoming
 * budget (plus one message and a piece per connection), every frame is handled and its share given
 * back, a frame larger than the budget is refused with 1009 and a logged reason, and a
 * well-behaved client meanwhile syncs as usual.
 */
class HostileLargeFramesTest {
    private static final long BUDGET = 2L << 20;
    private static final long MAX_MESSAGE = 1_500_000;
    private static final long PIECE = 64 * 1024;
    private static final int SENDERS = 6;
    private static final Crypto CRYPTO = Crypto.create();

    /** About {@code chars} of content for a value nobody has, in a session the server rejects after parsing it. */
    private static String bigContent(int n, int chars) {
        StringBuilder sb = new StringBuilder(chars + 1000);
        sb.append("{\"action\":\"content\",\"id\":\"co_zBigFrame").append(n).append("\",\"priority\":0,\"new\":{")
                .append("\"sealer_zA/signer_zB_session_zC\":{\"after\":0,\"newTransactions\":[");
        for (int tx = 0; sb.length() < chars; tx++) {
            if (tx > 0) sb.append(',');
            sb.append("{\"privacy\":\"trusting\",\"madeAt\":1,\"changes\":\"[{\\\"op\\\":\\\"set\\\",\\\"key\\\":\\\"k").append(tx)
                    .append("\\\",\\\"value\\\":\\\"").append("v".repeat(1000)).append("\\\"}]\"}");
        }
        return sb.append("],\"lastSignature\":\"signature_zX\"}}}").toString();
    }

    @Test
    void concurrentLargeFramesStayWithinTheBudgetAndAWellBehavedClientSyncs() throws Exception {
        try (LogCapture logs = new LogCapture();
             CojsonServer server = CojsonServer.builder().transport(b -> b.maxIncomingBytes(BUDGET).maxMessageBytes(MAX_MESSAGE).incomingWait(Duration.ofSeconds(60))).start()) {
            ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
            List<RawWebSocket> sockets = new ArrayList<>();
            try {
                List<Future<?>> sent = new ArrayList<>();
                for (int i = 0; i < SENDERS; i++) {
                    RawWebSocket ws = RawWebSocket.connect(server.port(), 0);
                    sockets.add(ws);
                    int n = i;
                    sent.add(senders.submit(() -> {
                        ws.sendText(bigContent(n, 1_200_000)); // 7.2 MB in all against a 2 MB budget
                        return null;
                    }));
                }
                wellBehavedClientSyncs(server);
                for (Future<?> f : sent) f.get(60, TimeUnit.SECONDS);
                await("every frame handled and given back", () -> server.transport().incomingBytesHeld() == 0);
                await("every frame reached the sync layer", () -> logs.lines().stream()
                        .filter(l -> l.contains("co_zBigFrame") && l.contains("MALFORMED_TRANSACTION")).count() == SENDERS);
                long peak = server.transport().peakIncomingBytes();
                assertTrue(peak <= BUDGET + MAX_MESSAGE + (SENDERS + 1) * PIECE, "peak held " + peak);
                assertTrue(peak >= BUDGET, "the budget was really reached: " + peak);
                for (RawWebSocket ws : sockets) assertTrue(!ws.serverDropped(), "nobody was refused");
                assertEquals(0, logs.lines().stream().filter(l -> l.contains("refused:")).count());
            } finally {
                senders.shutdownNow();
                for (RawWebSocket ws : sockets) ws.close();
            }
        }
    }

    @Test
    void aFrameLargerThanTheBudgetIsRefusedWith1009AndALoggedReason() throws Exception {
        try (LogCapture logs = new LogCapture();
             CojsonServer server = CojsonServer.builder().transport(b -> b.maxIncomingBytes(BUDGET).maxMessageBytes(4 * BUDGET)).start();
             RawWebSocket ws = RawWebSocket.connect(server.port(), 0)) {
            try {
                ws.sendText(bigContent(0, (int) BUDGET + 200_000));
            } catch (java.io.IOException e) {
                // the server may close while the frame is still being written: the log says why
            }
            await("the refusal logged", () -> logs.lines().stream()
                    .anyMatch(l -> l.contains("refused: message larger than the server's incoming budget") && l.contains("1009")));
            await("its share given back", () -> server.transport().incomingBytesHeld() == 0);
            wellBehavedClientSyncs(server);
        }
    }

    /** A client creates a map, a second device loads it through the server, writes, and is acknowledged. */
    static void wellBehavedClientSyncs(CojsonServer server) throws Exception {
        AgentSecret secret = CRYPTO.newRandomAgentSecret();
        CojsonNode alice = TypedNodes.of(Accounts.create(CRYPTO, secret, "Alice"));
        CoMap map = alice.createGroup().createMap();
        map.set("hello", "world");
        try (SyncManager sync = SyncManager.create(TypedNodes.localNode(alice))) {
            sync.addPeer("server", PeerRole.SERVER, WebSocketClientChannel.connect(server.url()));
            sync.waitForSync(map.id(), "server").get(60, TimeUnit.SECONDS);
        }
        CojsonNode again = TypedNodes.of(LocalNode.forAccount(CRYPTO, alice.accountID(), secret,
                CRYPTO.newRandomSessionID(alice.accountID().value())));
        try (SyncManager sync = SyncManager.create(TypedNodes.localNode(again))) {
            sync.addPeer("server", PeerRole.SERVER, WebSocketClientChannel.connect(server.url()));
            assertTrue(sync.load(map.id()).get(60, TimeUnit.SECONDS).isPresent());
            CoMap copy = again.map(new RawCoID(map.id().value()));
            assertEquals("world", copy.getString("hello"));
            copy.set("from-second-device", "yes");
            sync.waitForSync(map.id(), "server").get(60, TimeUnit.SECONDS);
        }
    }
}
