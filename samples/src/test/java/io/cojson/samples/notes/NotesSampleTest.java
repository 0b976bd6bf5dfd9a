package io.cojson.samples.notes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.values.CoMap;
import io.cojson.samples.cli.EmbeddedSyncServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
    void savedCredentialsOfflineEditSyncLiveUpdateFromAWriterAndConflicts() throws Exception {
        EmbeddedSyncServer server = EmbeddedSyncServer.start("127.0.0.1", 0, tmp.resolve("server"));
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
        server = EmbeddedSyncServer.start("127.0.0.1", port, tmp.resolve("server"));
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
    void theSampleJvmExitsRightAfterItsLastLine() throws Exception {
        try (EmbeddedSyncServer server = EmbeddedSyncServer.start("127.0.0.1", 0, tmp.resolve("server"))) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), NotesSample.class.getName(),
                    tmp.resolve("child").toString(), server.url(), "from a child JVM").redirectErrorStream(true).start();
            List<String> lines = new ArrayList<>();
            long lastLine = 0;
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null;) {
                    lines.add(line);
                    if (line.equals("closed")) lastLine = System.nanoTime();
                }
            }
            // OkHttp's default non-daemon threads used to keep such a JVM alive for 60 s
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the JVM did not exit: " + lines);
            long exitedAfterMs = (System.nanoTime() - lastLine) / 1_000_000;
            assertEquals(0, p.exitValue(), lines.toString());
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("synced after") && l.contains("from a child JVM")), lines.toString());
            assertTrue(lastLine > 0, lines.toString());
            System.out.println("notes sample JVM exited " + exitedAfterMs + " ms after its last line; output: "
                    + lines.stream().filter(l -> l.startsWith("synced")).toList());
        }
    }
}
