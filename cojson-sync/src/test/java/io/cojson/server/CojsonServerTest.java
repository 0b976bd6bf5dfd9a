package io.cojson.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.client.CojsonClient;
import io.cojson.client.CreatedAccount;
import io.cojson.client.LoadMode;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.values.CoMap;
import io.cojson.storage.StorageLockedException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The public server door over real MapDB files and real WebSockets on 127.0.0.1, driven by the public client. */
class CojsonServerTest {
    @TempDir
    Path tmp;

    private static CojsonClient client(CojsonServer server) {
        return CojsonClient.builder().inMemory().syncServer(server.url()).timeout(Duration.ofSeconds(20)).build();
    }

    @Test
    void whatAClientSyncedSurvivesARestartAndLoadsOnDemand() throws Exception {
        Path db = tmp.resolve("server");
        String credentials;
        RawCoID noteId;
        try (CojsonServer server = CojsonServer.builder().dataDirectory(db).start()) {
            assertTrue(server.persistent());
            assertTrue(server.port() > 0);
            assertEquals("ws://127.0.0.1:" + server.port(), server.url());
            try (CojsonClient alice = client(server)) {
                CreatedAccount created = alice.createAccount("Alice");
                credentials = created.credentials().serialize();
                CoMap note = alice.node().createGroup().createMap().set("text", "kept by the server");
                alice.account().setRoot(note);
                noteId = note.id();
                alice.waitForSync().get(30, TimeUnit.SECONDS);
            }
            assertTrue(server.isLoaded(noteId));
            server.flush(Duration.ofSeconds(30));
        }
        try (CojsonServer server = CojsonServer.builder().dataDirectory(db).start()) {
            assertTrue(server.storedCoValues() >= 3, "account, group and note stored: " + server.storedCoValues());
            assertFalse(server.isLoaded(noteId), "loaded when a client asks, not at start");
            try (CojsonClient device = client(server)) { // a new device: nothing local
                device.login(credentials);
                CoMap note = device.load(noteId, LoadMode.FRESH, CoMap.class).get(30, TimeUnit.SECONDS);
                assertEquals("kept by the server", note.getString("text"));
            }
            assertTrue(server.isLoaded(noteId));
        }
    }

    @Test
    void aSecondServerOnTheSameDirectoryIsRefusedAndTheFirstKeepsServing() throws Exception {
        Path db = tmp.resolve("server");
        try (CojsonServer first = CojsonServer.builder().dataDirectory(db).start()) {
            assertThrows(StorageLockedException.class, () -> CojsonServer.builder().dataDirectory(db).start());
            try (CojsonClient c = client(first)) {
                c.createAccount("Bob");
                CoMap m = c.node().createGroup().createMap().set("k", "v");
                c.waitForSync(m.id()).get(30, TimeUnit.SECONDS);
                assertTrue(first.isLoaded(m.id()));
            }
        }
    }

    @Test
    void aTakenPortIsRefusedBeforeStorageOpens() throws Exception {
        try (CojsonServer first = CojsonServer.builder().start()) {
            assertFalse(first.persistent());
            assertEquals(0, first.storedCoValues());
            Path db = tmp.resolve("other");
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> CojsonServer.builder().port(first.port()).dataDirectory(db).start());
            assertTrue(e.getMessage().contains("cannot listen on 127.0.0.1:" + first.port()), e.getMessage());
            try (CojsonServer other = CojsonServer.builder().dataDirectory(db).start()) { // the refused one left no lock behind
                assertTrue(other.persistent());
            }
        }
    }

    @Test
    void badSettingsAreRefusedWhenSet() {
        assertThrows(IllegalArgumentException.class, () -> CojsonServer.builder().port(-1));
        assertThrows(IllegalArgumentException.class, () -> CojsonServer.builder().port(65536));
        assertThrows(IllegalArgumentException.class, () -> CojsonServer.builder().host(" "));
        assertThrows(NullPointerException.class, () -> CojsonServer.builder().transport(null));
    }

    @Test
    void closeIsIdempotentAndFreesThePort() throws Exception {
        CojsonServer server = CojsonServer.builder().dataDirectory(tmp.resolve("db")).start();
        int port = server.port();
        java.util.concurrent.CompletableFuture<Void> waiting = java.util.concurrent.CompletableFuture.runAsync(() -> {
            try {
                server.awaitClose();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertFalse(waiting.isDone(), "awaitClose blocks while the server runs");
        server.close();
        waiting.get(10, TimeUnit.SECONDS);
        server.close();
        try (CojsonServer again = CojsonServer.builder().port(port).dataDirectory(tmp.resolve("db")).start()) {
            assertEquals(port, again.port());
        }
    }
}
