package io.cojson.client;

import static io.cojson.client.ClientTestSupport.eventually;
import static io.cojson.client.ClientTestSupport.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.client.internal.ClientInternals;
import io.cojson.core.ids.SessionID;
import io.cojson.core.values.CoMap;
import io.cojson.core.values.Group;
import io.cojson.core.values.Role;
import io.cojson.storage.engine.AsyncMapDbStorage;
import io.cojson.storage.engine.MapDbStorage;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Going offline and online on demand, logging out and in again in one client, accounts made beside the client's own, the write mode. */
class ClientAccountSwitchTest {
    @TempDir
    Path tmp;

    @Test
    void disconnectKeepsEditsLocalUntilConnectUploadsThem() throws Exception {
        try (TestSyncServer server = new TestSyncServer(tmp.resolve("server"));
                CojsonClient client = CojsonClient.builder().dataDirectory(tmp.resolve("client")).syncServer(server.url())
                        .timeout(Duration.ofSeconds(20)).build();
                CojsonClient reader = CojsonClient.builder().inMemory().syncServer(server.url()).timeout(Duration.ofSeconds(20)).build()) {
            List<ConnectionState> seen = new CopyOnWriteArrayList<>();
            client.createAccount("Olga");
            get(client.whenConnected());
            client.onConnectionChange(s -> seen.add(s.state()));
            reader.createAccount("Reader");

            client.disconnect();
            assertEquals(ConnectionState.OFFLINE, client.connectionStatus().state());
            CoMap note = client.node().createGroup().addMember(Group.EVERYONE, Role.READER).createMap().set("text", "written offline");
            ExecutionException notThere = assertThrows(ExecutionException.class, () -> get(reader.load(note.id(), LoadMode.FRESH)));
            assertInstanceOf(UnavailableException.class, notThere.getCause());
            Thread.sleep(300); // a client that reconnected by itself would be CONNECTING or CONNECTED by now
            assertEquals(ConnectionState.OFFLINE, client.connectionStatus().state());

            client.connect();
            get(client.whenConnected());
            get(client.waitForSync(note.id(), Duration.ofSeconds(10)));
            assertEquals("written offline", get(reader.load(note.id(), LoadMode.FRESH, CoMap.class)).getString("text"));
            client.connect(); // connected already: nothing changes
            assertEquals(ConnectionState.CONNECTED, client.connectionStatus().state());
            eventually(Duration.ofSeconds(5), "listeners heard offline, then connected",
                    () -> seen.size() >= 2 && seen.get(seen.size() - 1) == ConnectionState.CONNECTED);
            assertEquals(ConnectionState.OFFLINE, seen.get(0), seen.toString());
        }
    }

    @Test
    void logoutKeepsTheClientForAnotherAccountAndLoginContinuesARequestedSession() throws Exception {
        Path dir = tmp.resolve("client");
        CreatedAccount ann;
        SessionID annSession;
        io.cojson.core.ids.RawCoID noteId;
        try (TestSyncServer server = new TestSyncServer(tmp.resolve("server"));
                CojsonClient client = CojsonClient.builder().dataDirectory(dir).syncServer(server.url())
                        .continueLastSession(false).timeout(Duration.ofSeconds(20)).build()) {
            ann = client.createAccount("Ann");
            annSession = client.sessionID();
            noteId = client.node().createGroup().createMap().set("text", "Ann's").id();
            get(client.whenConnected());
            assertTrue(client.logout(Duration.ofSeconds(10)), "everything reached the connected server");
            assertFalse(client.isLoggedIn());
            assertEquals(ConnectionState.OFFLINE, client.connectionStatus().state());
            assertThrows(IllegalStateException.class, client::node);

            client.createAccount("Ben");
            assertEquals("Ben", client.account().name());
            SessionID benSession = client.sessionID();
            IllegalStateException twice = assertThrows(IllegalStateException.class, () -> client.login(ann.credentials()));
            assertTrue(twice.getMessage().contains("log out first"), twice.getMessage());
            client.disconnect();
            assertFalse(client.logout(Duration.ofMillis(200)), "offline: nothing confirmed");

            assertThrows(IllegalArgumentException.class, () -> client.login(ann.credentials(), benSession));
            client.login(ann.credentials(), annSession); // a session closed cleanly is safe to continue
            assertEquals(annSession, client.sessionID());
            assertEquals("Ann's", get(client.load(noteId, LoadMode.LOCAL_FIRST, CoMap.class)).getString("text"));
            get(client.whenConnected());
        }
        SessionID remembered;
        try (CojsonClient first = CojsonClient.builder().dataDirectory(dir).build()) {
            first.login(ann.credentials());
            remembered = first.sessionID();
            assertNotEquals(annSession, remembered); // the client above remembered no session to continue
        }
        try (CojsonClient continuing = CojsonClient.builder().dataDirectory(dir).build()) {
            continuing.login(ann.credentials());
            assertEquals(remembered, continuing.sessionID());
        }
    }

    @Test
    void createAccountWithoutSwitchingUploadsItAndKeepsTheClientsAccount() throws Exception {
        try (TestSyncServer server = new TestSyncServer(tmp.resolve("server"));
                CojsonClient client = CojsonClient.builder().dataDirectory(tmp.resolve("client")).syncServer(server.url())
                        .timeout(Duration.ofSeconds(20)).build();
                CojsonClient elsewhere = CojsonClient.builder().inMemory().syncServer(server.url()).timeout(Duration.ofSeconds(20)).build()) {
            CreatedAccount main = client.createAccount("Main");
            CreatedAccount side = client.createAccountWithoutSwitching("Side", Duration.ofSeconds(10));
            assertEquals(main.credentials().accountID(), client.account().id());
            assertEquals("Side", side.account().name());
            assertEquals(ConnectionState.CONNECTED, get(client.whenConnected().thenApply(v -> client.connectionStatus().state())));
            assertEquals("Side", elsewhere.login(side.credentials()).name()); // a new device: only the server has it
        }
    }

    @Test
    void anAccountNotUploadedStillGivesItsCredentialsAndIsStored() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        Path dir = tmp.resolve("client");
        Credentials side;
        try (CojsonClient client = CojsonClient.builder().dataDirectory(dir).syncServer("ws://127.0.0.1:" + closedPort)
                .timeout(Duration.ofSeconds(5)).build()) {
            AccountNotUploadedException e = assertThrows(AccountNotUploadedException.class,
                    () -> client.createAccountWithoutSwitching("Solo", Duration.ofMillis(500)));
            assertTrue(e.getMessage().contains("not confirmed by ws://127.0.0.1:" + closedPort + " within 500 ms"), e.getMessage());
            side = e.created().credentials();
            assertFalse(client.isLoggedIn());
        }
        try (CojsonClient offline = CojsonClient.builder().dataDirectory(dir).build()) {
            assertEquals("Solo", offline.login(side).name()); // from storage alone
        }
    }

    @Test
    void theWriteModeChoosesTheStorageAndBothKeepTheData() throws Exception {
        Path dir = tmp.resolve("client");
        Credentials c;
        io.cojson.core.ids.RawCoID noteId;
        try (CojsonClient inline = CojsonClient.builder().dataDirectory(dir).storageWriteMode(StorageWriteMode.INLINE).build()) {
            c = inline.createAccount("Ines").credentials();
            assertInstanceOf(MapDbStorage.class, ClientInternals.active(inline).storage());
            noteId = inline.node().createGroup().createMap().set("text", "committed inline").id();
        }
        try (CojsonClient queued = CojsonClient.builder().dataDirectory(dir).build()) {
            queued.login(c);
            assertInstanceOf(AsyncMapDbStorage.class, ClientInternals.active(queued).storage());
            assertEquals("committed inline", get(queued.load(noteId, LoadMode.LOCAL_FIRST, CoMap.class)).getString("text"));
        }
    }

    @Test
    void switchAccountKeepsTheCurrentAccountUntilTheNewOneIsReady() throws Exception {
        try (TestSyncServer server = new TestSyncServer(tmp.resolve("server"));
                CojsonClient client = CojsonClient.builder().dataDirectory(tmp.resolve("client")).syncServer(server.url())
                        .timeout(Duration.ofSeconds(5)).build();
                CojsonClient other = CojsonClient.builder().inMemory().build()) {
            CreatedAccount ann = client.createAccount("Ann");
            CreatedAccount bob = client.createAccountWithoutSwitching("Bob", Duration.ofSeconds(10));
            Credentials nowhere = other.createAccount("Nowhere").credentials(); // on no server, in no storage of client
            get(client.whenConnected());

            assertThrows(InvalidCredentialsException.class, () -> client.switchAccount(
                    new Credentials(bob.credentials().accountID(), ann.credentials().agentSecret()), null, Duration.ZERO));
            assertThrows(UnavailableException.class, () -> client.switchAccount(nowhere, null, Duration.ZERO));
            assertEquals(ann.credentials().accountID(), client.account().id());
            CoMap note = client.node().createGroup().createMap().set("text", "still Ann's session");
            get(client.waitForSync(note.id())); // Ann still syncs
            assertEquals(ConnectionState.CONNECTED, client.connectionStatus().state());

            assertEquals("Bob", client.switchAccount(bob.credentials(), null, Duration.ofSeconds(5)).name());
            assertEquals(bob.credentials().accountID(), client.account().id());
            get(client.whenConnected());
            assertEquals(ConnectionState.CONNECTED, client.connectionStatus().state());
            assertTrue(ClientInternals.active(client).recovery() != null, "the client's account runs crash recovery");
            CoMap bobs = client.node().createGroup().createMap().set("text", "Bob's");
            get(client.waitForSync(bobs.id()));
            client.disconnect(); // the connection state follows the switched-to account's connections
            assertEquals(ConnectionState.OFFLINE, client.connectionStatus().state());
        }
    }

    @Test
    void createAccountAndSwitchKeepsTheCurrentAccountWhenTheNewOneIsNotUploaded() throws Exception {
        try (TestSyncServer server = new TestSyncServer(tmp.resolve("server"));
                CojsonClient client = CojsonClient.builder().dataDirectory(tmp.resolve("client")).syncServer(server.url())
                        .timeout(Duration.ofSeconds(5)).build()) {
            CreatedAccount ann = client.createAccount("Ann");
            get(client.whenConnected());
            server.stop();
            AccountNotUploadedException e = assertThrows(AccountNotUploadedException.class,
                    () -> client.createAccountAndSwitch("Cy", Duration.ofMillis(400), Duration.ZERO));
            assertEquals("Cy", e.created().account().name());
            assertEquals(ann.credentials().accountID(), client.account().id());

            server.start();
            get(client.whenConnected());
            CreatedAccount dee = client.createAccountAndSwitch("Dee", Duration.ofSeconds(10), Duration.ofSeconds(2));
            assertEquals(dee.credentials().accountID(), client.account().id());
            assertEquals(dee.sessionID(), client.sessionID());
            get(client.whenConnected());
            assertEquals(ConnectionState.CONNECTED, client.connectionStatus().state());
        }
    }
}
