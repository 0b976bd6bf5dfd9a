package io.cojson.sync;

import static io.cojson.sync.SyncTestKit.CRYPTO;
import static io.cojson.sync.SyncTestKit.known;
import static io.cojson.sync.SyncTestKit.set;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.node.Accounts;
import io.cojson.core.node.GroupOperations;
import io.cojson.core.node.LocalNode;
import io.cojson.sync.transport.InvalidUrlException;
import io.cojson.sync.transport.ReconnectingClient;
import io.cojson.sync.transport.SyncWebSocketServer;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The README's connect-then-wait steps over a real WebSocket on 127.0.0.1 (issue 9). */
class ConnectAndWaitTest {
    private final LocalNode alice = Accounts.create(CRYPTO, "Alice");
    private final SyncManager aliceSync = SyncManager.create(alice);
    private final LocalNode serverNode = LocalNode.forAgent(CRYPTO, CRYPTO.newRandomAgentSecret());
    private final SyncManager serverSync = SyncManager.create(serverNode);
    private final AtomicInteger clients = new AtomicInteger();
    private SyncWebSocketServer ws;

    @AfterEach
    void close() {
        aliceSync.close();
        serverSync.close();
        if (ws != null) ws.close();
    }

    private String startServer() {
        ws = SyncWebSocketServer.builder().host("127.0.0.1").port(0).build();
        ws.start(ch -> serverSync.addPeer("client-" + clients.incrementAndGet(), PeerRole.CLIENT, ch));
        return ws.url();
    }

    private RawCoID aliceMap() {
        RawCoID map = Accounts.createOwned(alice, "comap", GroupOperations.createGroup(alice, null), JsonValue.NULL);
        set(alice, map, "title", JsonValue.of("offline first"));
        return map;
    }

    /** onChannel slower than the caller, as when it runs on the client's thread after start() returned. */
    private ReconnectingClient connectSlowly(String url) {
        return ReconnectingClient.builder(url).onChannel(ch -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            aliceSync.addPeer("server", PeerRole.SERVER, ch);
        }).start();
    }

    @Test
    void waitForSyncRightAfterStartWaitsForTheServer() throws Exception {
        String url = startServer();
        RawCoID map = aliceMap();
        ReconnectingClient client = connectSlowly(url);
        try {
            // used to fail with "no peer server": the peer was added later on the client's thread
            aliceSync.waitForSync(map, "server").get(20, TimeUnit.SECONDS);
            assertEquals(known(alice, map), known(serverNode, map), "the server holds what alice had");
        } finally {
            client.close();
        }
    }

    @Test
    void waitForSyncOnAllServersRightAfterStartIncludesTheNewPeer() throws Exception {
        String url = startServer();
        RawCoID map = aliceMap();
        ReconnectingClient client = connectSlowly(url);
        try {
            // used to complete at once: the server peer was not in the list yet
            aliceSync.waitForSync(map).get(20, TimeUnit.SECONDS);
            assertEquals(known(alice, map), known(serverNode, map), "the server holds what alice had");
        } finally {
            client.close();
        }
    }

    @Test
    void aTimedWaitWaitsForAPeerThatIsNotAddedYet() throws Exception {
        String url = startServer();
        RawCoID map = aliceMap();
        var wait = aliceSync.waitForSync(map, "server", Duration.ofSeconds(20));
        Thread.sleep(200); // the wait is registered before any peer exists
        ReconnectingClient client = ReconnectingClient.builder(url)
                .onChannel(ch -> aliceSync.addPeer("server", PeerRole.SERVER, ch)).start();
        try {
            wait.get(20, TimeUnit.SECONDS);
            assertEquals(known(alice, map), known(serverNode, map));
        } finally {
            client.close();
        }
    }

    @Test
    void aServerThatIsDownGivesATimeoutSayingWhatWasWaitedFor() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        String url = "ws://127.0.0.1:" + port + "/";
        RawCoID map = aliceMap();
        ReconnectingClient client = ReconnectingClient.builder(url)
                .onChannel(ch -> aliceSync.addPeer("server", PeerRole.SERVER, ch)).start();
        try {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> aliceSync.waitForSync(map, "server", Duration.ofMillis(800)).get(20, TimeUnit.SECONDS));
            TimeoutException t = assertInstanceOf(TimeoutException.class, e.getCause());
            assertNotNull(t.getMessage());
            assertTrue(t.getMessage().contains(map.value()), t.getMessage());
            assertTrue(t.getMessage().contains("'server'"), t.getMessage());
            assertTrue(t.getMessage().contains("800 ms"), t.getMessage());
            assertTrue(t.getMessage().contains(url) || t.getMessage().contains("disconnected"), t.getMessage());
        } finally {
            client.close();
        }
    }

    @Test
    void aTimedWaitOnAPeerNeverAddedNamesIt() {
        RawCoID map = aliceMap();
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> aliceSync.waitForSync(map, "nobody", Duration.ofMillis(200)).get(20, TimeUnit.SECONDS));
        assertEquals("waited 200 ms for peer 'nobody' to confirm " + map.value() + ": no peer 'nobody' was connected",
                e.getCause().getMessage());
    }

    @Test
    void urlsAreCheckedWhenTheClientIsBuilt() {
        for (String bad : new String[] {"localhost:4200", "127.0.0.1:4200/sync", "ftp://example.org/", "ws://", "ws://exa mple/"}) {
            InvalidUrlException e = assertThrows(InvalidUrlException.class, () -> ReconnectingClient.builder(bad), bad);
            assertTrue(e.getMessage().contains("\"" + bad + "\""), e.getMessage());
            assertEquals(bad, e.url());
        }
        for (String good : new String[] {"ws://127.0.0.1:4200", "wss://sync.example.org/path?x=1", "http://127.0.0.1:1/", "WSS://h"}) {
            ReconnectingClient.builder(good); // accepted (nothing is started)
        }
    }
}
