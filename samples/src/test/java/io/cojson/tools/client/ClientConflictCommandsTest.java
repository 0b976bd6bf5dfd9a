package io.cojson.tools.client;

import io.cojson.server.CojsonServer;
import static io.cojson.tools.client.ClientReplies.error;
import static io.cojson.tools.client.ClientReplies.ok;
import static io.cojson.tools.client.ClientReplies.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import io.cojson.storage.Faults;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recovery commands of {@code client} (issue 8, deliverable 8) with a real fork through the
 * in-process Java server: a client's disk is copied (the "crash" snapshot), the session goes on
 * to the server from the original, then the copy, logged in with the same session ID, writes a
 * divergent tail offline and reconnects; the server reports the fork and the client recovers.
 */
class ClientConflictCommandsTest {
    @TempDir
    Path tmp;
    private CojsonServer server;
    private final List<ClientCommand> clients = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = CojsonServer.builder().dataDirectory(tmp.resolve("server")).start();
    }

    @AfterEach
    void stop() {
        Faults.configure(null);
        for (ClientCommand c : clients) c.close();
        server.close();
    }

    private ClientCommand open(String peer, Path db) throws Exception {
        ClientCommand c = db == null ? ClientCommand.create(peer, 20000) : ClientCommand.create(peer, 20000, db);
        clients.add(c);
        return c;
    }

    private void close(ClientCommand c) {
        c.close();
        clients.remove(c);
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else if (!p.getFileName().toString().endsWith(".lock")) Files.copy(p, t);
            }
        }
    }

    private static List<JsonValue> records(ClientCommand c) {
        return ((JsonValue.Arr) ok(c, "{\"cmd\":\"conflicts\"}").get("records")).items();
    }

    @Test
    void aRealForkShowsUpAsARecordAndResolvesInEachMode() throws Exception {
        Path disk = tmp.resolve("disk");
        ClientCommand a = open(server.url(), disk);
        JsonValue.Obj acct = ok(a, "{\"cmd\":\"createAccount\",\"name\":\"Alice\"}");
        String account = str(acct, "accountID");
        JsonValue.Obj who = ok(a, "{\"cmd\":\"whoami\"}");
        String secret = str(who, "agentSecret");
        String session = str(ok(a, "{\"cmd\":\"sessionID\"}"), "sessionID");
        assertEquals(str(who, "sessionID"), session);
        String group = str(ok(a, "{\"cmd\":\"createGroup\"}"), "id");
        String map = str(ok(a, "{\"cmd\":\"createMap\",\"owner\":\"" + group + "\",\"init\":{\"title\":\"Task\"},\"sync\":true}"), "id");
        ok(a, "{\"cmd\":\"waitSynced\"}");
        assertEquals(List.of(), records(a));
        close(a);
        copy(disk, tmp.resolve("snapshot"));

        String login = "{\"cmd\":\"login\",\"accountID\":\"" + account + "\",\"agentSecret\":\"" + secret + "\",\"sessionID\":\"" + session + "\"}";
        ClientCommand b = open(server.url(), disk);
        ok(b, login);
        ok(b, "{\"cmd\":\"set\",\"id\":\"" + map + "\",\"key\":\"status\",\"value\":\"review\",\"sync\":true}");
        close(b);

        ClientCommand offline = open(null, tmp.resolve("snapshot")); // the crashed device, before it reconnects
        ok(offline, login);
        ok(offline, "{\"cmd\":\"set\",\"id\":\"" + map + "\",\"key\":\"assignee\",\"value\":\"bob\"}");
        ok(offline, "{\"cmd\":\"set\",\"id\":\"" + map + "\",\"key\":\"archived\",\"value\":false}"); // longer than the server's S
        close(offline);

        ClientCommand c = open(server.url(), tmp.resolve("snapshot"));
        ok(c, login);
        long until = System.nanoTime() + 15_000_000_000L;
        while (records(c).isEmpty() && System.nanoTime() < until) Thread.sleep(50);
        List<JsonValue> recs = records(c);
        assertEquals(1, recs.size(), "one conflict record after the recovery");
        JsonValue.Obj r = (JsonValue.Obj) recs.get(0);
        assertEquals(List.of("recordId", "coValueId", "session", "conflictSession", "round", "trigger", "sourcePeer", "detectedAt",
                "committedAt", "commonPrefix", "serverLength", "divergentTransactions", "conflictFrom", "conflictTo", "status", "reason",
                "updatedAt"), List.copyOf(r.fields().keySet()));
        assertEquals(map, str(r, "coValueId"));
        assertEquals(session, str(r, "session"));
        assertEquals(session + "!", str(r, "conflictSession"));
        assertEquals("PRESERVED", str(r, "status"));
        assertEquals(JsonValue.of(2), r.get("divergentTransactions"));
        assertEquals(1, ((JsonValue.Arr) ok(c, "{\"cmd\":\"conflicts\",\"id\":\"" + map + "\"}").get("records")).items().size());
        assertEquals(0, ((JsonValue.Arr) ok(c, "{\"cmd\":\"conflicts\",\"id\":\"" + group + "\"}").get("records")).items().size());

        assertEquals("{\"title\":\"Task\",\"status\":\"review\",\"assignee\":\"bob\",\"archived\":false}",
                JsonWriter.stringify(ok(c, "{\"cmd\":\"get\",\"id\":\"" + map + "\"}").get("value")));
        JsonValue.Obj without = ok(c, "{\"cmd\":\"getWithoutConflicts\",\"id\":\"" + map + "\"}");
        assertEquals("{\"title\":\"Task\",\"status\":\"review\"}", JsonWriter.stringify(without.get("value")));
        assertEquals(JsonValue.of("comap"), without.get("type"));

        String recordId = str(r, "recordId");
        JsonValue.Obj acked = ok(c, "{\"cmd\":\"resolveConflict\",\"recordId\":\"" + recordId + "\",\"mode\":\"acknowledge\"}");
        assertEquals("ACKNOWLEDGED", str((JsonValue.Obj) acked.get("record"), "status"));
        assertEquals("ACKNOWLEDGED", str((JsonValue.Obj) records(c).get(0), "status"));
        JsonValue.Obj server = ok(c, "{\"cmd\":\"resolveConflict\",\"recordId\":\"" + recordId + "\",\"mode\":\"preferServer\"}");
        assertEquals(JsonValue.of(1), server.get("written"));
        assertEquals("RESOLVED_SERVER", str((JsonValue.Obj) server.get("record"), "status"));
        assertEquals("{\"title\":\"Task\",\"status\":\"review\"}",
                JsonWriter.stringify(ok(c, "{\"cmd\":\"get\",\"id\":\"" + map + "\"}").get("value")));
        assertTrue(error(c, "{\"cmd\":\"resolveConflict\",\"recordId\":\"" + recordId + "\",\"mode\":\"both\"}").contains("mode"));
        assertTrue(error(c, "{\"cmd\":\"resolveConflict\",\"recordId\":\"nope\",\"mode\":\"acknowledge\"}").contains("no conflict record"));
        close(c);

        ClientCommand reopened = open(null, tmp.resolve("snapshot"));
        ok(reopened, login);
        assertEquals("RESOLVED_SERVER", str((JsonValue.Obj) records(reopened).get(0), "status"), "status survives a restart");
    }

    @Test
    void withoutStorageTheRecordCommandsAnswerAClearError() throws Exception {
        ClientCommand c = open(null, null);
        assertTrue(error(c, "{\"cmd\":\"sessionID\"}").contains("no account"));
        ok(c, "{\"cmd\":\"createAccount\",\"name\":\"Alice\"}");
        assertTrue(str(ok(c, "{\"cmd\":\"sessionID\"}"), "sessionID").startsWith("co_z"));
        assertTrue(error(c, "{\"cmd\":\"conflicts\"}").contains("--db"));
        assertTrue(error(c, "{\"cmd\":\"resolveConflict\",\"recordId\":\"x\",\"mode\":\"acknowledge\"}").contains("--db"));
        assertTrue(error(c, "{\"cmd\":\"discarded\"}").contains("--db"));
        String map = str(ok(c, "{\"cmd\":\"createMap\",\"init\":{\"a\":1}}"), "id");
        assertEquals("{\"a\":1}", JsonWriter.stringify(ok(c, "{\"cmd\":\"getWithoutConflicts\",\"id\":\"" + map + "\"}").get("value")));
    }

    @Test
    void setFaultsUsesTheCojsonFaultsSyntax() throws Exception {
        ClientCommand c = open(null, null);
        assertEquals(JsonValue.TRUE, ok(c, "{\"cmd\":\"setFaults\",\"spec\":\"storage.replace.mid=delay:1\"}").get("active"));
        assertTrue(Faults.active());
        assertTrue(error(c, "{\"cmd\":\"setFaults\",\"spec\":\"nonsense\"}").startsWith("invalid fault spec"));
        assertTrue(Faults.active(), "a malformed spec keeps the old configuration");
        assertEquals(JsonValue.FALSE, ok(c, "{\"cmd\":\"setFaults\",\"spec\":null}").get("active"));
        assertFalse(Faults.active());
    }

    @Test
    void editsOfADeletedValueAreListedAsDiscarded() throws Exception {
        Path disk = tmp.resolve("disk");
        ClientCommand a = open(server.url(), disk);
        String account = str(ok(a, "{\"cmd\":\"createAccount\",\"name\":\"Alice\"}"), "accountID");
        JsonValue.Obj who = ok(a, "{\"cmd\":\"whoami\"}");
        String login = "{\"cmd\":\"login\",\"accountID\":\"" + account + "\",\"agentSecret\":\"" + str(who, "agentSecret")
                + "\",\"sessionID\":\"" + str(who, "sessionID") + "\"}";
        String group = str(ok(a, "{\"cmd\":\"createGroup\"}"), "id");
        String map = str(ok(a, "{\"cmd\":\"createMap\",\"owner\":\"" + group + "\",\"init\":{\"title\":\"Task\"},\"sync\":true}"), "id");
        ok(a, "{\"cmd\":\"waitSynced\"}");
        close(a);
        copy(disk, tmp.resolve("snapshot"));
        ClientCommand b = open(server.url(), disk); // the delete reaches the server, not the snapshot
        ok(b, login);
        ok(b, "{\"cmd\":\"deleteCoValue\",\"id\":\"" + map + "\"}");
        ok(b, "{\"cmd\":\"waitSynced\"}");
        close(b);
        ClientCommand offline = open(null, tmp.resolve("snapshot"));
        ok(offline, login);
        ok(offline, "{\"cmd\":\"set\",\"id\":\"" + map + "\",\"key\":\"priority\",\"value\":\"high\"}");
        ok(offline, "{\"cmd\":\"set\",\"id\":\"" + map + "\",\"key\":\"archived\",\"value\":false}");
        close(offline);

        ClientCommand c = open(server.url(), tmp.resolve("snapshot"));
        ok(c, login);
        long until = System.nanoTime() + 15_000_000_000L;
        List<JsonValue> found = List.of();
        while (found.isEmpty() && System.nanoTime() < until) {
            found = ((JsonValue.Arr) ok(c, "{\"cmd\":\"discarded\"}").get("records")).items();
            if (found.isEmpty()) Thread.sleep(50);
        }
        assertEquals(1, found.size(), "one DISCARDED_DELETED record");
        JsonValue.Obj d = (JsonValue.Obj) found.get(0);
        assertEquals("DISCARDED_DELETED", str(d, "status"));
        assertEquals(map, str(d, "coValue"));
        assertEquals(str(who, "sessionID"), str(d, "session"));
        assertEquals(2L, ((JsonValue.Num) d.get("to")).longValue() - ((JsonValue.Num) d.get("from")).longValue(), "the two offline edits");
        assertEquals(List.of(), records(c), "deletion wins: no conflict session, no conflict record");
        assertEquals(1, ((JsonValue.Arr) ok(c, "{\"cmd\":\"discarded\",\"id\":\"" + map + "\"}").get("records")).items().size());
        assertEquals(0, ((JsonValue.Arr) ok(c, "{\"cmd\":\"discarded\",\"id\":\"" + group + "\"}").get("records")).items().size());
    }
}
