package io.cojson.client;

import static io.cojson.client.ClientTestSupport.eventually;
import static io.cojson.client.ClientTestSupport.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.values.CoMap;
import io.cojson.core.values.Subscription;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The public conflict API on a real fork: a device restored from a backup (it lost an edit the
 * server already holds) writes offline, reconnects, and recovery preserves its divergent edits.
 */
class ClientConflictsTest {
    @TempDir
    Path tmp;

    @Test
    void aRestoredDeviceSeesItsConflictActsOnItAndTheServerVersionComesBack() throws Exception {
        Path app = tmp.resolve("app");
        Path backup = tmp.resolve("backup");
        String credentials;
        RawCoID noteId;
        try (TestSyncServer server = new TestSyncServer(tmp.resolve("server"))) {
            try (CojsonClient c = client(app, server)) {
                credentials = c.createAccount("Alice").credentials().serialize();
                CoMap note = c.node().createGroup().createMap().set("a", "1");
                c.account().setRoot(note);
                noteId = note.id();
                get(c.waitForSync());
            }
            copyTree(app, backup);
            try (CojsonClient c = client(app, server)) {
                c.login(credentials);
                get(c.load(noteId, LoadMode.LOCAL_FIRST, CoMap.class)).set("b", "the server's version");
                get(c.waitForSync());
            }
            server.stop();
            deleteTree(app);
            copyTree(backup, app); // restored: it lost the edit the server already holds
            try (CojsonClient c = CojsonClient.builder().dataDirectory(app).build()) { // offline
                c.login(credentials);
                CoMap note = get(c.load(noteId, LoadMode.LOCAL_FIRST, CoMap.class));
                note.set("b", "the restored device's version");
                note.set("c", "more"); // longer than the server's copy of the session, so it is sent
            }
            server.start();
            try (CojsonClient c = client(app, server)) {
                List<Conflict> seen = new CopyOnWriteArrayList<>();
                c.login(credentials);
                try (Subscription s = c.onConflict(seen::add, true)) {
                    eventually(Duration.ofSeconds(20), "recovery records the conflict", () -> !c.conflicts(noteId).isEmpty());
                    Conflict conflict = c.conflicts(noteId).get(0);
                    assertEquals(List.of(conflict), c.conflicts());
                    assertEquals(Conflict.Status.PRESERVED, conflict.status());
                    assertTrue(conflict.open());
                    assertEquals(noteId, conflict.coValueId());
                    assertEquals(conflict.session().value() + "!", conflict.conflictSession().value());
                    assertEquals(2, conflict.divergent(), conflict.toString());
                    eventually(Duration.ofSeconds(10), "the listener hears of it", () -> !seen.isEmpty());

                    CoMap note = get(c.load(noteId, LoadMode.LOCAL_FIRST, CoMap.class));
                    assertEquals("the restored device's version", note.getString("b"), "the merged state keeps the local edit (later)");
                    JsonValue without = c.withoutConflicts(noteId);
                    assertEquals(JsonValue.of("the server's version"), ((JsonValue.Obj) without).get("b"), without.toString());
                    assertFalse(((JsonValue.Obj) without).has("c"), without.toString());

                    Conflict acknowledged = c.acknowledge(conflict.recordId());
                    assertEquals(Conflict.Status.ACKNOWLEDGED, acknowledged.status());
                    assertFalse(acknowledged.open());
                    ConflictResolution resolved = c.preferServer(conflict.recordId());
                    assertEquals(Conflict.Status.RESOLVED_SERVER, resolved.conflict().status());
                    assertEquals(1, resolved.written());
                    assertEquals(List.of(), resolved.notReverted());
                    assertEquals("the server's version", note.getString("b"));
                    assertEquals(null, note.getString("c"));
                    eventually(Duration.ofSeconds(10), "the listener hears every status",
                            () -> seen.stream().map(Conflict::status).toList().containsAll(
                                    List.of(Conflict.Status.PRESERVED, Conflict.Status.ACKNOWLEDGED, Conflict.Status.RESOLVED_SERVER)));
                    get(c.waitForSync());
                }
                assertThrows(IllegalArgumentException.class, () -> c.acknowledge("no-such-record"));
            }
            try (CojsonClient other = CojsonClient.builder().inMemory().syncServer(server.url()).build()) { // another device sees the resolution
                other.login(credentials);
                CoMap note = get(other.load(noteId, LoadMode.FRESH, CoMap.class));
                assertEquals("the server's version", note.getString("b"));
                assertEquals(null, note.getString("c"));
            }
        }
        try (CojsonClient again = CojsonClient.builder().dataDirectory(app).build()) {
            again.login(credentials);
            assertEquals(Conflict.Status.RESOLVED_SERVER, again.conflicts().get(0).status(), "the record is kept in the data directory");
        }
    }

    private static CojsonClient client(Path dir, TestSyncServer server) {
        return CojsonClient.builder().dataDirectory(dir).syncServer(server.url()).timeout(Duration.ofSeconds(20)).build();
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else Files.copy(p, t);
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (var s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
