package io.cojson.client;

import static io.cojson.client.ClientTestSupport.eventually;
import static io.cojson.client.ClientTestSupport.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.values.CoMap;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Connection state while the server stops and starts, timeouts that say what they waited for, and what close leaves behind. */
class ClientConnectionTest {
    @TempDir
    Path tmp;

    @Test
    void stateFollowsTheServerAndOfflineEditsSyncAfterItReturns() throws Exception {
        try (TestSyncServer server = new TestSyncServer(tmp.resolve("server"));
                CojsonClient client = CojsonClient.builder().dataDirectory(tmp.resolve("client")).syncServer(server.url())
                        .timeout(Duration.ofSeconds(20)).build()) {
            List<ConnectionStatus> seen = new CopyOnWriteArrayList<>();
            client.onConnectionChange(seen::add);
            assertEquals(ConnectionState.OFFLINE, client.connectionStatus().state()); // nothing happens before an account
            client.createAccount("Dora");
            get(client.whenConnected());
            assertEquals(ConnectionState.CONNECTED, client.connectionStatus().state());
            assertEquals(server.url(), client.connectionStatus().server());

            server.stop();
            eventually(Duration.ofSeconds(10), "the client notices the server is gone",
                    () -> client.connectionStatus().state() == ConnectionState.ERROR);
            assertNotNull(client.connectionStatus().lastCause());
            ExecutionException timedOut = assertThrows(ExecutionException.class, () -> get(client.whenConnected(Duration.ofMillis(300))));
            assertInstanceOf(ClientTimeoutException.class, timedOut.getCause());
            String message = timedOut.getCause().getMessage();
            assertTrue(message.contains("waited 300 ms for a connection to " + server.url()) && message.contains("state ERROR"), message);

            CoMap note = client.node().createGroup().createMap().set("text", "while the server was down");
            server.start();
            get(client.whenConnected());
            get(client.waitForSync(note.id()));
            eventually(Duration.ofSeconds(5), "listeners told every change",
                    () -> !seen.isEmpty() && seen.get(seen.size() - 1).state() == ConnectionState.CONNECTED);
            List<ConnectionState> states = seen.stream().map(ConnectionStatus::state).toList();
            int firstConnected = states.indexOf(ConnectionState.CONNECTED);
            int error = states.indexOf(ConnectionState.ERROR);
            assertTrue(states.get(0) == ConnectionState.CONNECTING && firstConnected > 0 && error > firstConnected
                    && states.lastIndexOf(ConnectionState.CONNECTED) > error, states.toString());
        }
    }

    @Test
    void withTwoServersTheClientSyncsToBothAndStaysConnectedWhileOneIsUp() throws Exception {
        java.util.concurrent.ExecutorService appThread = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "app-listener");
            t.setDaemon(true);
            return t;
        });
        try (TestSyncServer one = new TestSyncServer(tmp.resolve("one"));
                TestSyncServer two = new TestSyncServer(tmp.resolve("two"));
                CojsonClient client = CojsonClient.builder().dataDirectory(tmp.resolve("client")).syncServer(one.url())
                        .syncServer(two.url()).listenerExecutor(appThread).timeout(Duration.ofSeconds(20)).build()) {
            List<String> listenerThreads = new CopyOnWriteArrayList<>();
            client.onConnectionChange(s -> listenerThreads.add(Thread.currentThread().getName()));
            client.createAccount("Hal");
            io.cojson.core.values.Group everyone = client.node().createGroup().addMember(io.cojson.core.values.Group.EVERYONE,
                    io.cojson.core.values.Role.READER);
            CoMap note = everyone.createMap().set("text", "to both");
            get(client.waitForSync(note.id()));
            try (CojsonClient other = CojsonClient.builder().inMemory().syncServer(two.url()).build()) {
                other.createAccount("Ivy");
                assertEquals(note.id(), get(other.load(note.id(), LoadMode.LOCAL_FIRST)).id()); // server two has it
            }
            one.stop();
            note.set("text", "to two only");
            ExecutionException e = assertThrows(ExecutionException.class, () -> get(client.waitForSync(note.id())
                    .orTimeout(2, java.util.concurrent.TimeUnit.SECONDS)));
            assertInstanceOf(java.util.concurrent.TimeoutException.class, e.getCause()); // waits for every server, one is down
            assertEquals(ConnectionState.CONNECTED, client.connectionStatus().state()); // the other one is up
            assertEquals(two.url(), client.connectionStatus().server());
            assertTrue(!listenerThreads.isEmpty() && listenerThreads.stream().allMatch("app-listener"::equals), listenerThreads.toString());
        } finally {
            appThread.shutdown();
        }
    }

    @Test
    void closeUploadsWhatTheServerLacksBeforeItStops() throws Exception {
        try (TestSyncServer server = new TestSyncServer(tmp.resolve("server"))) {
            Credentials credentials;
            String noteId;
            try (CojsonClient client = CojsonClient.builder().inMemory().syncServer(server.url()).build()) {
                credentials = client.createAccount("Jo").credentials();
                get(client.whenConnected());
                CoMap note = client.node().createGroup().createMap().set("text", "written just before close");
                client.account().setRoot(note);
                noteId = note.id().value();
            } // no waitForSync: close gives the connected server its chance
            try (CojsonClient elsewhere = CojsonClient.builder().inMemory().syncServer(server.url()).build()) {
                assertEquals(noteId, elsewhere.login(credentials).rootId().value());
                assertEquals("written just before close", get(elsewhere.load(noteId, LoadMode.FRESH, CoMap.class)).getString("text"));
            }
        }
    }

    @Test
    void withoutAServerConnectingAndFreshLoadsFailAtOnceSayingWhy() throws Exception {
        try (CojsonClient client = CojsonClient.builder().inMemory().build()) {
            CoMap note = client.createAccount("Kim").account().node().createGroup().createMap();
            ExecutionException connect = assertThrows(ExecutionException.class, () -> get(client.whenConnected()));
            assertTrue(connect.getCause().getMessage().contains("no sync server"), connect.getCause().getMessage());
            ExecutionException fresh = assertThrows(ExecutionException.class, () -> get(client.load(note.id(), LoadMode.FRESH)));
            assertInstanceOf(UnavailableException.class, fresh.getCause());
            assertEquals(note.id(), get(client.load(note.id(), LoadMode.LOCAL_FIRST)).id());
            get(client.waitForSync()); // nothing to sync with: done at once
        }
    }

    @Test
    void waitingForAServerThatIsDownSaysWhatWasWaitedFor() throws Exception {
        int port;
        try (TestSyncServer server = new TestSyncServer(tmp.resolve("server"))) {
            port = Integer.parseInt(server.url().substring(server.url().lastIndexOf(':') + 1));
        }
        try (CojsonClient client = CojsonClient.builder().inMemory().syncServer("ws://127.0.0.1:" + port)
                .timeout(Duration.ofMillis(500)).closeSyncTimeout(Duration.ZERO).build()) {
            CoMap note = client.createAccount("Eve").account().node().createGroup().createMap().set("a", 1);
            ExecutionException e = assertThrows(ExecutionException.class, () -> get(client.waitForSync(note.id())));
            assertInstanceOf(ClientTimeoutException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains(note.id().value()), e.getCause().getMessage());
            eventually(Duration.ofSeconds(5), "the refused connection is reported",
                    () -> client.connectionStatus().state() == ConnectionState.ERROR);
            ExecutionException fresh = assertThrows(ExecutionException.class, () -> get(client.load(note.id(), LoadMode.FRESH)));
            assertInstanceOf(ClientTimeoutException.class, fresh.getCause());
            assertTrue(fresh.getCause().getMessage().startsWith("waited 500 ms for a connection to ws://127.0.0.1:" + port)
                    && fresh.getCause().getMessage().contains("connection failed"), fresh.getCause().getMessage());
            assertTrue(client.connectionStatus().lastCause().contains("connection failed"), client.connectionStatus().lastCause());
        }
    }

    @Test
    void closeStopsEveryThreadItStartedAndIsIdempotent() throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        CojsonClient client;
        try (TestSyncServer server = new TestSyncServer(tmp.resolve("server"))) {
            client = CojsonClient.builder().dataDirectory(tmp.resolve("client")).syncServer(server.url()).build();
            client.createAccount("Finn");
            CoMap note = client.node().createGroup().createMap().set("text", "x");
            get(client.waitForSync(note.id()));
            client.subscribe(note, m -> { });
            note.set("text", "y"); // a listener call, so the listener thread exists
            assertTrue(threadsStartedSince(before).stream().anyMatch(t -> !t.isDaemon() || t.getName().startsWith("cojson-client")),
                    "the client runs threads of its own while open");
            client.close();
            client.close(); // idempotent
            assertEquals(ConnectionState.OFFLINE, client.connectionStatus().state());
            assertThrows(IllegalStateException.class, client::node);
        }
        // with the server closed too, nothing started since must keep the JVM alive, and no thread of the client is left
        eventually(Duration.ofSeconds(10), "no non-daemon thread left", () -> threadsStartedSince(before).stream().allMatch(Thread::isDaemon));
        eventually(Duration.ofSeconds(10), "the client's own threads ended", () -> threadsStartedSince(before).stream()
                .noneMatch(t -> t.getName().startsWith("cojson-client") || t.getName().startsWith("cojson-reconnect")
                        || t.getName().startsWith("cojson-persist-client") || t.getName().startsWith("cojson-ws-client")));
    }

    private static Set<Thread> threadsStartedSince(Set<Thread> before) {
        Map<Thread, StackTraceElement[]> now = Thread.getAllStackTraces();
        return now.keySet().stream().filter(t -> !before.contains(t) && t.isAlive()).collect(Collectors.toSet());
    }
}
