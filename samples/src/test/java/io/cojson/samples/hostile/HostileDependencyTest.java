package io.cojson.samples.hostile;

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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 11 B.2 against the real server: content for a value M with a session of a made-up
 * account, whose {@code load} the sender never answers, must not hold M for everyone else.
 * Before the fix every other client's load of M waited for the 60 s dependency timeout.
 */
class HostileDependencyTest {
    private static final Crypto CRYPTO = Crypto.create();

    @Test
    void contentWaitingForAnUnansweredDependencyDoesNotFreezeTheValueForOthers() throws Exception {
        AgentSecret secret = CRYPTO.newRandomAgentSecret();
        CojsonNode alice = TypedNodes.of(Accounts.create(CRYPTO, secret, "Alice"));
        CoMap map = alice.createGroup().createMap();
        map.set("title", "before");
        // An account the server never sees: the author of the hostile sessions.
        RawCoID madeUp = new RawCoID(TypedNodes.of(Accounts.create(CRYPTO, CRYPTO.newRandomAgentSecret(), "Nobody")).accountID().value());
        try (CojsonServer server = CojsonServer.builder().start();
             SyncManager sync = SyncManager.create(TypedNodes.localNode(alice))) {
            sync.addPeer("server", PeerRole.SERVER, WebSocketClientChannel.connect(server.url()));
            sync.waitForSync(map.id(), "server").get(30, TimeUnit.SECONDS);
            try (RawWebSocket hostile = RawWebSocket.connect(server.port(), 0)) {
                for (int i = 0; i < 3; i++) { // the issue chained three of them
                    hostile.sendText("{\"action\":\"content\",\"id\":\"" + map.id().value() + "\",\"priority\":0,\"new\":{\""
                            + madeUp.value() + "_session_zHostile" + i + "\":{\"after\":0,\"newTransactions\":[{\"privacy\":\"trusting\","
                            + "\"changes\":\"[]\",\"madeAt\":1}],\"lastSignature\":\"signature_z1111\"}}}");
                }
                Thread.sleep(300); // let the server take them and ask the hostile client for the account
                CojsonNode again = TypedNodes.of(LocalNode.forAccount(CRYPTO, alice.accountID(), secret,
                        CRYPTO.newRandomSessionID(alice.accountID().value())));
                try (SyncManager second = SyncManager.create(TypedNodes.localNode(again))) {
                    second.addPeer("server", PeerRole.SERVER, WebSocketClientChannel.connect(server.url()));
                    long t0 = System.nanoTime();
                    // Bounded well below the 60 s dependency timeout that used to hold M.
                    assertTrue(second.load(map.id()).get(10, TimeUnit.SECONDS).isPresent(), "M is served meanwhile");
                    CoMap copy = again.map(new RawCoID(map.id().value()));
                    assertEquals("before", copy.getString("title"));
                    copy.set("title", "after");
                    second.waitForSync(map.id(), "server").get(10, TimeUnit.SECONDS);
                    System.out.printf("B.2 load + acknowledged write of M while 3 hostile contents wait: %d ms%n",
                            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
                }
            }
        }
    }
}
