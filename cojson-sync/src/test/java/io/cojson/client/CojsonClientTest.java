package io.cojson.client;

import static io.cojson.client.ClientTestSupport.eventually;
import static io.cojson.client.ClientTestSupport.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.crypto.Crypto;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.values.Account;
import io.cojson.core.values.CoMap;
import io.cojson.core.values.internal.TypedNodes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client object over real MapDB files and the Java sync server on a real WebSocket. */
class CojsonClientTest {
    @TempDir
    Path tmp;

    @Test
    void offlineEditsSurviveARestartAndSavedCredentialsLogInOffline() throws Exception {
        String saved;
        RawCoID noteId;
        io.cojson.core.ids.SessionID firstSession;
        try (CojsonClient client = CojsonClient.builder().dataDirectory(tmp.resolve("app")).build()) {
            CreatedAccount created = client.createAccount("Alice");
            firstSession = TypedNodes.localNode(client.node()).sessionID();
            saved = created.credentials().serialize();
            CoMap note = client.node().createGroup().createMap().set("text", "written offline");
            client.account().setRoot(note);
            noteId = note.id();
            assertEquals(ConnectionState.OFFLINE, client.connectionStatus().state());
            assertEquals(created.account().id(), client.account().id());
        }
        // a new client on the same directory, as a new JVM would open it
        try (CojsonClient again = CojsonClient.builder().dataDirectory(tmp.resolve("app")).build()) {
            Account me = again.login(Credentials.parse(saved));
            assertEquals("Alice", me.name());
            assertEquals(noteId, me.root().id());
            assertEquals("written offline", me.root().getString("text"));
            CoMap loaded = get(again.load(noteId, LoadMode.LOCAL_FIRST, CoMap.class));
            assertEquals("written offline", loaded.getString("text"));
            loaded.set("text", "edited again");
            // after a clean close the next start continues the session instead of adding one to every value
            assertEquals(firstSession, TypedNodes.localNode(again.node()).sessionID());
        }
        try (CojsonClient third = CojsonClient.builder().dataDirectory(tmp.resolve("app")).build()) {
            assertEquals("edited again", third.login(saved).root().getString("text"));
            assertEquals(firstSession, TypedNodes.localNode(third.node()).sessionID());
        }
    }

    @Test
    void aNewDeviceLogsInThroughTheServerAndLoadsWhatTheOtherWrote() throws Exception {
        try (TestSyncServer server = new TestSyncServer(tmp.resolve("server"))) {
            Credentials credentials;
            RawCoID noteId;
            try (CojsonClient phone = client("phone", server)) {
                credentials = phone.createAccount("Bob").credentials();
                CoMap note = phone.node().createGroup().createMap().set("text", "from the phone");
                phone.account().setRoot(note);
                noteId = note.id();
                get(phone.waitForSync());
            }
            try (CojsonClient laptop = client("laptop", server)) {
                Account me = laptop.login(credentials);
                assertEquals("Bob", me.name());
                RawCoID rootId = me.rootId();
                assertEquals(noteId, rootId);
                assertEquals("from the phone", me.root().getString("text")); // login brought the root too
                CoMap note = get(laptop.load(rootId, LoadMode.LOCAL_FIRST, CoMap.class));
                assertEquals("from the phone", note.getString("text"));
                CoMap fresh = get(laptop.load(rootId, LoadMode.FRESH, CoMap.class));
                assertEquals("from the phone", fresh.getString("text"));
            }
            try (CojsonClient browser = CojsonClient.builder().inMemory().syncServer(server.url()).build()) {
                assertEquals("from the phone", browser.login(credentials.serialize()).root().getString("text"));
            }
        }
    }

    @Test
    void wrongOrMalformedCredentialsAreATypedErrorWithoutTheSecret() throws Exception {
        Credentials real;
        try (CojsonClient client = CojsonClient.builder().dataDirectory(tmp.resolve("a")).build()) {
            real = client.createAccount("Carol").credentials();
        }
        Crypto crypto = Crypto.create();
        Credentials wrong = new Credentials(real.accountID(), crypto.newRandomAgentSecret());
        try (CojsonClient client = CojsonClient.builder().dataDirectory(tmp.resolve("a")).build()) {
            InvalidCredentialsException e = assertThrows(InvalidCredentialsException.class, () -> client.login(wrong));
            assertFalse(e.getMessage().contains(wrong.agentSecret().value()));
            assertFalse(client.isLoggedIn());
            assertEquals("Carol", client.login(real).name()); // nothing was left half open by the failed attempt
        }
        String text = real.serialize();
        assertEquals(real, Credentials.parse(text));
        assertFalse(real.toString().contains(real.agentSecret().signer().value()));
        assertFalse(real.toString().contains(real.agentSecret().sealer().value()));
        String broken = text.substring(0, text.length() - 3) + "0OI"; // not base58
        InvalidCredentialsException malformed = assertThrows(InvalidCredentialsException.class, () -> Credentials.parse(broken));
        assertFalse(malformed.getMessage().contains(broken.substring(text.indexOf(':') + 1)));
        assertThrows(InvalidCredentialsException.class, () -> Credentials.parse("co_zNoSecret"));
    }

    @Test
    void wrongCredentialsFailBeforeStorageOrNetworkIsUsed() throws Exception {
        Credentials real;
        try (CojsonClient c = CojsonClient.builder().inMemory().build()) {
            real = c.createAccount("Gus").credentials();
        }
        Credentials wrong = new Credentials(real.accountID(), Crypto.create().newRandomAgentSecret());
        // nothing listens there: a check that needed the account from a server would time out instead
        try (CojsonClient c = CojsonClient.builder().inMemory().syncServer("ws://127.0.0.1:9").timeout(Duration.ofSeconds(2)).build()) {
            assertThrows(InvalidCredentialsException.class, () -> c.login(wrong));
            assertEquals(ConnectionState.OFFLINE, c.connectionStatus().state()); // no connection was even attempted
        }
    }

    @Test
    void anAccountNoSourceHasIsUnavailable() throws Exception {
        Credentials other;
        try (CojsonClient c = CojsonClient.builder().inMemory().build()) {
            other = c.createAccount("Nobody").credentials();
        }
        try (CojsonClient c = CojsonClient.builder().dataDirectory(tmp.resolve("empty")).build()) {
            UnavailableException e = assertThrows(UnavailableException.class, () -> c.login(other));
            assertTrue(e.getMessage().contains("no sync server is configured"), e.getMessage());
        }
    }

    @Test
    void aBadServerUrlFailsTheBuild() {
        InvalidServerUrlException e = assertThrows(InvalidServerUrlException.class,
                () -> CojsonClient.builder().inMemory().syncServer("localhost:4200").build());
        assertEquals("localhost:4200", e.url());
        assertTrue(e.getMessage().contains("no scheme"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> CojsonClient.builder().build());
    }

    @Test
    void loadTellsNoAccessAndUnavailableApart() throws Exception {
        try (TestSyncServer server = new TestSyncServer(tmp.resolve("server"));
                CojsonClient owner = client("owner", server);
                CojsonClient stranger = client("stranger", server)) {
            owner.createAccount("Owner");
            stranger.createAccount("Stranger");
            CoMap secret = owner.node().createGroup().createMap().set("pin", "1234");
            get(owner.waitForSync(secret.id()));
            ExecutionException denied = assertThrows(ExecutionException.class, () -> get(stranger.load(secret.id(), LoadMode.LOCAL_FIRST)));
            assertInstanceOf(NoAccessException.class, denied.getCause(), denied.toString());

            RawCoID missing = new RawCoID("co_zMissingValue1111111111111");
            ExecutionException none = assertThrows(ExecutionException.class, () -> get(stranger.load(missing, LoadMode.LOCAL_FIRST)));
            assertInstanceOf(UnavailableException.class, none.getCause(), none.toString());
        }
    }

    @Test
    void listenersRunOnTheListenerExecutorAndABlockedListenerDoesNotStallSync() throws Exception {
        try (TestSyncServer server = new TestSyncServer(tmp.resolve("server"));
                CojsonClient writer = client("writer", server);
                CojsonClient reader = client("reader", server)) {
            writer.createAccount("Writer");
            reader.createAccount("Reader");
            io.cojson.core.values.Group group = writer.node().createGroup();
            group.addMember(Group_EVERYONE, io.cojson.core.values.Role.READER);
            CoMap shared = group.createMap().set("n", 0);
            get(writer.waitForSync(shared.id()));
            CoMap seen = get(reader.load(shared.id(), LoadMode.LOCAL_FIRST, CoMap.class));
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            java.util.List<String> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
            try (var sub = reader.subscribe(seen, m -> {
                threads.add(Thread.currentThread().getName());
                try {
                    release.await(); // blocks the listener thread, not sync
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            })) {
                for (int i = 1; i <= 5; i++) {
                    shared.set("n", i);
                    get(writer.waitForSync(shared.id()));
                }
                eventually(Duration.ofSeconds(10), "the reader receives every edit while its listener blocks",
                        () -> seen.get("n") != null && seen.get("n").toString().equals("5"));
                assertTrue(threads.stream().allMatch(t -> t.startsWith("cojson-client-listeners")), threads.toString());
                release.countDown();
            }
        }
    }

    private static final String Group_EVERYONE = io.cojson.core.values.Group.EVERYONE;

    private CojsonClient client(String dir, TestSyncServer server) {
        return CojsonClient.builder().dataDirectory(tmp.resolve(dir)).syncServer(server.url()).timeout(Duration.ofSeconds(20)).build();
    }
}
