package io.cojson.samples.notes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.values.CoMap;
import io.cojson.server.CojsonServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The notes sample against the in-process Java sync server (MapDB, real WebSocket on 127.0.0.1). */
class NotesSampleTest {
    @TempDir
    Path tmp;

    @Test
    void savedCredentialsOfflineEditSyncAndALiveUpdateFromAWriter() throws Exception {
        CojsonServer server = CojsonServer.builder().dataDirectory(tmp.resolve("server")).start();
        int port = server.port();
        String url = server.url();
        String notesId;
        try (NotesSample alice = NotesSample.open(tmp.resolve("alice"), url, "Alice")) {
            alice.notes().set("first", "online");
            alice.sync();
            notesId = alice.notes().id().value();
            assertTrue(Files.readString(tmp.resolve("alice/credentials.txt")).startsWith(alice.accountId() + ":"));
        }
        server.close();
        try (NotesSample alice = NotesSample.open(tmp.resolve("alice"), url, "Alice")) { // server down: logs in from disk
            assertEquals(notesId, alice.notes().id().value());
            assertEquals("online", alice.notes().getString("first"));
            alice.notes().set("second", "offline");
        }
        server = CojsonServer.builder().port(port).dataDirectory(tmp.resolve("server")).start();
        try (NotesSample alice = NotesSample.open(tmp.resolve("alice"), url, "Alice");
                NotesSample bob = NotesSample.open(tmp.resolve("bob"), url, "Bob")) {
            alice.sync(); // the offline edit goes up now
            bob.sync();
            alice.shareWith(bob.accountId());
            alice.sync();
            List<String> seenByAlice = new CopyOnWriteArrayList<>();
            try (AutoCloseable sub = alice.onChange(n -> seenByAlice.add(n.getString("from-bob")))) {
                CoMap shared = bob.shared(notesId);
                assertEquals("offline", shared.getString("second"));
                shared.set("from-bob", "hello Alice");
                bob.sync();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (!seenByAlice.contains("hello Alice") && System.nanoTime() < deadline) TimeUnit.MILLISECONDS.sleep(20);
                assertTrue(seenByAlice.contains("hello Alice"), seenByAlice.toString());
            }
            assertEquals(List.of(), alice.conflicts()); // no crash, nothing diverged: the list is empty
        } finally {
            server.close();
        }
    }

    @Test
    void editsMadeOnARestoredBackupAreListedAsAConflict() throws Exception {
        Path alice = tmp.resolve("alice");
        Path backup = tmp.resolve("backup");
        CojsonServer server = CojsonServer.builder().dataDirectory(tmp.resolve("server")).start();
        int port = server.port();
        String url = server.url();
        try (NotesSample app = NotesSample.open(alice, url, "Alice")) {
            app.notes().set("a", "1");
            app.sync();
        }
        copyTree(alice, backup); // the app's data directory backed up while it is closed
        try (NotesSample app = NotesSample.open(alice, url, "Alice")) {
            app.notes().set("b", "the server's version");
            app.sync();
        }
        server.close();
        deleteTree(alice);
        copyTree(backup, alice); // restored: it has lost the edit the server already holds
        try (NotesSample app = NotesSample.open(alice, url, "Alice")) { // offline
            app.notes().set("b", "the restored device's version");
            app.notes().set("c", "more"); // now longer than the server's copy of the session, so it sends
        }
        server = CojsonServer.builder().port(port).dataDirectory(tmp.resolve("server")).start();
        try (NotesSample app = NotesSample.open(alice, url, "Alice")) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (app.conflicts().isEmpty() && System.nanoTime() < deadline) TimeUnit.MILLISECONDS.sleep(50);
            List<io.cojson.client.Conflict> conflicts = app.conflicts();
            assertEquals(1, conflicts.size(), conflicts.toString());
            assertEquals(app.notes().id(), conflicts.get(0).coValueId());
            assertEquals(io.cojson.client.Conflict.Status.PRESERVED, conflicts.get(0).status());
            assertTrue(conflicts.get(0).open());
        }
        try (NotesSample app = NotesSample.open(alice, url, "Alice")) {
            assertEquals(1, app.conflicts().size(), "the record is kept in the data directory");
        } finally {
            server.close();
        }
    }

    private static void copyTree(Path from, Path to) throws java.io.IOException {
        try (var s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else Files.copy(p, t);
            }
        }
    }

    private static void deleteTree(Path root) throws java.io.IOException {
        try (var s = Files.walk(root)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    @Test
    void theSampleJvmExitsRightAfterItsLastLine() throws Exception {
        try (CojsonServer server = CojsonServer.builder().dataDirectory(tmp.resolve("server")).start()) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), NotesSample.class.getName(),
                    tmp.resolve("child").toString(), server.url(), "from a child JVM").redirectErrorStream(true).start();
            List<String> lines = new CopyOnWriteArrayList<>();
            long[] lastLine = {0};
            // read on a daemon thread: a child that never exits keeps its stdout open, and a read on
            // a pipe cannot be interrupted, so the test thread only ever waits with a bound
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null;) {
                        if (line.equals("closed")) lastLine[0] = System.nanoTime();
                        lines.add(line);
                    }
                } catch (java.io.IOException e) {
                    // the child is gone: same as the end of its output
                }
            }, "stdout of the notes sample");
            reader.setDaemon(true);
            reader.start();
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90); // JVM start and sync on a busy machine
                while (lastLine[0] == 0 && p.isAlive() && System.nanoTime() < deadline) Thread.sleep(20);
                assertTrue(lastLine[0] > 0 || !p.isAlive(), "no 'closed' line within 90 s: " + lines);
                // OkHttp's default non-daemon threads used to keep such a JVM alive for 60 s after its last line
                assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the JVM did not exit within 30 s of its last line: " + lines);
            } finally {
                p.destroyForcibly();
            }
            reader.join(10_000);
            long exitedAfterMs = (System.nanoTime() - lastLine[0]) / 1_000_000;
            assertEquals(0, p.exitValue(), lines.toString());
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("synced after") && l.contains("from a child JVM")), lines.toString());
            assertTrue(lastLine[0] > 0, lines.toString());
            System.out.println("notes sample JVM exited " + exitedAfterMs + " ms after its last line; output: "
                    + lines.stream().filter(l -> l.startsWith("synced")).toList());
        }
    }
}
