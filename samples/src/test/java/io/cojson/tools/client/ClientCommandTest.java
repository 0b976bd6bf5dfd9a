package io.cojson.tools.client;

import io.cojson.samples.cli.ProcessLines;
import io.cojson.server.CojsonServer;
import static io.cojson.tools.client.ClientReplies.ok;
import static io.cojson.tools.client.ClientReplies.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.json.Json;
import io.cojson.core.json.JsonValue;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Java `client` (ref-client JSON-lines protocol) against the Java server, in-process. */
class ClientCommandTest {
    @TempDir
    Path tmp;
    private CojsonServer server;

    @BeforeEach
    void start() throws Exception {
        server = CojsonServer.builder().dataDirectory(tmp.resolve("db")).start();
    }

    private final java.util.List<ClientCommand> clients = new java.util.ArrayList<>();

    /** A client closed after the test (it would otherwise keep reconnecting to the stopped server). */
    private ClientCommand open(String peer, long timeoutMs) {
        ClientCommand c = ClientCommand.create(peer, timeoutMs);
        clients.add(c);
        return c;
    }

    private ClientCommand open(String peer, long timeoutMs, Path db) throws Exception {
        ClientCommand c = ClientCommand.create(peer, timeoutMs, db);
        clients.add(c);
        return c;
    }

    @AfterEach
    void stop() {
        for (ClientCommand c : clients) c.close();
        server.close();
    }

    @Test
    void twoClientsShareAMapListTextAndStreamThroughTheJavaServer() {
        ClientCommand a = open(server.url(), 20000);
        ClientCommand b = open(server.url(), 20000);
        JsonValue.Obj alice = ok(a, "{\"cmd\":\"createAccount\",\"name\":\"Alice\"}");
        assertEquals(JsonValue.TRUE, alice.get("synced"));
        assertTrue(str(alice, "profileID").startsWith("co_z"));
        String bob = str(ok(b, "{\"cmd\":\"createAccount\",\"name\":\"Bob\"}"), "accountID");
        String group = str(ok(a, "{\"cmd\":\"createGroup\"}"), "id");
        ok(a, "{\"cmd\":\"addMember\",\"group\":\"" + group + "\",\"member\":\"" + bob + "\",\"role\":\"writer\"}");
        assertEquals(JsonValue.of("writer"), ok(a, "{\"cmd\":\"roleOf\",\"group\":\"" + group + "\",\"member\":\"" + bob + "\"}").get("role"));
        String map = str(ok(a, "{\"cmd\":\"createMap\",\"owner\":\"" + group + "\",\"init\":{\"title\":\"hello\"},\"sync\":true}"), "id");
        String list = str(ok(a, "{\"cmd\":\"createList\",\"owner\":\"" + group + "\",\"init\":[1,2]}"), "id");
        String text = str(ok(a, "{\"cmd\":\"createText\",\"owner\":\"" + group + "\",\"init\":\"hello\"}"), "id");
        String stream = str(ok(a, "{\"cmd\":\"createStream\",\"owner\":\"" + group + "\"}"), "id");
        ok(a, "{\"cmd\":\"push\",\"id\":\"" + stream + "\",\"value\":{\"n\":1}}");
        ok(a, "{\"cmd\":\"waitSynced\"}");

        JsonValue.Obj got = ok(b, "{\"cmd\":\"get\",\"id\":\"" + map + "\",\"reqId\":7}");
        assertEquals(Json.parse("{\"title\":\"hello\"}"), got.get("value"));
        assertEquals(JsonValue.of("comap"), got.get("type"));
        assertEquals(JsonValue.of(group), got.get("owner"));
        assertEquals(JsonValue.of(7), got.get("reqId"));
        assertEquals(JsonValue.of(3), ok(b, "{\"cmd\":\"append\",\"id\":\"" + list + "\",\"value\":3}").get("length"));
        assertEquals(JsonValue.of("hello world"), ok(b, "{\"cmd\":\"insertText\",\"id\":\"" + text + "\",\"text\":\" world\"}").get("text"));
        assertEquals(Json.parse("[{\"n\":1}]"), ok(b, "{\"cmd\":\"get\",\"id\":\"" + stream + "\",\"path\":\"items\"}").get("value"));
        ok(b, "{\"cmd\":\"set\",\"id\":\"" + map + "\",\"key\":\"fromB\",\"value\":1,\"sync\":true}");

        ok(a, "{\"cmd\":\"waitFor\",\"id\":\"" + map + "\",\"path\":\"fromB\",\"expected\":1}");
        ok(a, "{\"cmd\":\"waitFor\",\"id\":\"" + list + "\",\"expected\":[1,2,3]}");
        assertEquals(JsonValue.of("hello world"),
                ok(a, "{\"cmd\":\"waitFor\",\"id\":\"" + text + "\",\"expected\":\"hello world\"}").get("value"));
        JsonValue.Obj known = (JsonValue.Obj) ok(a, "{\"cmd\":\"knownState\",\"id\":\"" + map + "\"}").get("knownState");
        assertEquals(JsonValue.of(map), known.get("id"));

        JsonValue.Obj timeout = a.handle("{\"cmd\":\"waitFor\",\"id\":\"" + map + "\",\"path\":\"nope\",\"expected\":2,\"timeoutMs\":200}");
        assertEquals(JsonValue.FALSE, timeout.get("ok"));
        assertTrue(str(timeout, "error").startsWith("timeout after 200 ms waiting for " + map), timeout.toString());
    }

    @Test
    void loginInANewClientSeesTheAccountAndItsValues() {
        ClientCommand a = open(server.url(), 20000);
        JsonValue.Obj alice = ok(a, "{\"cmd\":\"createAccount\",\"name\":\"Alice\"}");
        String map = str(ok(a, "{\"cmd\":\"createMap\",\"init\":{\"k\":\"v\"},\"sync\":true}"), "id");
        ok(a, "{\"cmd\":\"quit\"}");
        assertTrue(a.quitting());

        ClientCommand again = open(server.url(), 20000);
        JsonValue.Obj login = ok(again, "{\"cmd\":\"login\",\"accountID\":\"" + str(alice, "accountID") + "\",\"agentSecret\":\""
                + str(alice, "agentSecret") + "\"}");
        assertEquals(alice.get("profileID"), login.get("profileID"));
        assertFalse(alice.get("sessionID").equals(login.get("sessionID")), "a new session");
        assertEquals(Json.parse("{\"k\":\"v\"}"), ok(again, "{\"cmd\":\"get\",\"id\":\"" + map + "\"}").get("value"));
        ok(again, "{\"cmd\":\"set\",\"id\":\"" + map + "\",\"key\":\"k\",\"value\":\"w\",\"sync\":true}");
        ok(again, "{\"cmd\":\"quit\"}");
    }

    @Test
    void reconnectsByItselfWhenTheServerComesBack() throws Exception {
        ClientCommand a = open(server.url(), 20000);
        ok(a, "{\"cmd\":\"createAccount\",\"name\":\"Alice\"}");
        String map = str(ok(a, "{\"cmd\":\"createMap\",\"init\":{\"n\":1},\"sync\":true}"), "id");
        int port = server.port();
        server.close(); // clean stop on its storage, then back on the same port
        ok(a, "{\"cmd\":\"set\",\"id\":\"" + map + "\",\"key\":\"offline\",\"value\":2}");
        server = CojsonServer.builder().port(port).dataDirectory(tmp.resolve("db")).start();
        // no "connect": like ref-client.mjs, the client reconnects with backoff and uploads what it wrote meanwhile
        JsonValue.Obj synced = ok(a, "{\"cmd\":\"set\",\"id\":\"" + map + "\",\"key\":\"after\",\"value\":3,\"sync\":true,\"timeoutMs\":30000}");
        assertEquals(JsonValue.TRUE, synced.get("synced"));
        assertEquals(JsonValue.TRUE, ok(a, "{\"cmd\":\"status\"}").get("connected"));
        ClientCommand b = open(server.url(), 20000);
        try {
            ok(b, "{\"cmd\":\"createAccount\",\"name\":\"Bob\"}");
            // the map's group is private to Alice: Bob sees it exists but reads nothing; Alice's fresh login reads all
            JsonValue.Obj who = ok(a, "{\"cmd\":\"whoami\"}");
            ok(b, "{\"cmd\":\"login\",\"accountID\":\"" + str(who, "accountID") + "\",\"agentSecret\":\"" + str(who, "agentSecret") + "\"}");
            assertEquals(Json.parse("{\"n\":1,\"offline\":2,\"after\":3}"), ok(b, "{\"cmd\":\"get\",\"id\":\"" + map + "\"}").get("value"));
        } finally {
            b.close();
            a.close();
        }
    }

    @Test
    void aFailedLoginOrUploadKeepsTheActiveAccountAsTheReferenceDoes() throws Exception {
        ClientCommand a = open(server.url(), 3000, tmp.resolve("client-db"));
        JsonValue.Obj alice = ok(a, "{\"cmd\":\"createAccount\",\"name\":\"Alice\"}");
        JsonValue.Obj bob = ok(a, "{\"cmd\":\"createAccount\",\"name\":\"Bob\",\"keepCurrent\":true}");
        JsonValue.Obj wrong = a.handle("{\"cmd\":\"login\",\"accountID\":\"" + str(bob, "accountID") + "\",\"agentSecret\":\""
                + str(alice, "agentSecret") + "\"}");
        assertEquals(JsonValue.of("Account secret does not match expected agent ID in account"), wrong.get("error"), wrong.toString());
        String unknown = "co_zzzzzzzzzzzzzzzzzzzzzzzzzzzz";
        JsonValue.Obj missing = a.handle("{\"cmd\":\"login\",\"accountID\":\"" + unknown + "\",\"agentSecret\":\"" + str(alice, "agentSecret") + "\"}");
        assertEquals(JsonValue.FALSE, missing.get("ok"), missing.toString());
        assertEquals(str(alice, "sessionID"), str(ok(a, "{\"cmd\":\"whoami\"}"), "sessionID"));

        server.close(); // nothing can upload now
        JsonValue.Obj notUploaded = a.handle("{\"cmd\":\"createAccount\",\"name\":\"Cy\",\"timeoutMs\":500}");
        assertTrue(str(notUploaded, "error").startsWith("account created but not uploaded to " + server.url() + ": "), notUploaded.toString());
        JsonValue.Obj who = ok(a, "{\"cmd\":\"whoami\"}");
        assertEquals(str(alice, "accountID"), str(who, "accountID"));
        assertEquals(str(alice, "sessionID"), str(who, "sessionID"));
        server = CojsonServer.builder().dataDirectory(tmp.resolve("db")).start(); // for stop()
    }

    @Test
    void aValueNobodyHasIsUnavailableWithAndWithoutTheRetry() {
        ClientCommand a = open(server.url(), 20000);
        ok(a, "{\"cmd\":\"createAccount\"}");
        String unknown = "co_zzzzzzzzzzzzzzzzzzzzzzzzzzzz";
        for (String retry : List.of(",\"retry\":false", "")) { // the default retries once after 3 s, then gives up too
            JsonValue.Obj a1 = a.handle("{\"cmd\":\"get\",\"id\":\"" + unknown + "\"" + retry + "}");
            assertEquals(JsonValue.FALSE, a1.get("ok"), a1.toString());
            assertEquals(JsonValue.of(unknown + " is unavailable"), a1.get("error"));
        }
    }

    @Test
    void disconnectKeepsLocalEditsAndConnectUploadsThem() {
        ClientCommand a = open(server.url(), 20000);
        ClientCommand b = open(server.url(), 20000);
        ok(a, "{\"cmd\":\"createAccount\",\"name\":\"Alice\"}");
        ok(b, "{\"cmd\":\"createAccount\",\"name\":\"Bob\"}");
        JsonValue.Obj created = ok(a, "{\"cmd\":\"createMap\",\"init\":{\"k\":0},\"sync\":true}");
        String map = str(created, "id");
        ok(a, "{\"cmd\":\"addMember\",\"group\":\"" + str(created, "owner") + "\",\"member\":\"everyone\",\"role\":\"reader\",\"sync\":true}");
        ok(a, "{\"cmd\":\"disconnect\"}");
        assertEquals(JsonValue.FALSE, ok(a, "{\"cmd\":\"status\"}").get("connected"));
        ok(a, "{\"cmd\":\"set\",\"id\":\"" + map + "\",\"key\":\"k\",\"value\":1}");
        assertEquals(JsonValue.of(1), ok(a, "{\"cmd\":\"get\",\"id\":\"" + map + "\",\"path\":\"k\"}").get("value"));
        assertEquals(JsonValue.of(0), ok(b, "{\"cmd\":\"get\",\"id\":\"" + map + "\",\"path\":\"k\"}").get("value"));
        ok(a, "{\"cmd\":\"connect\"}");
        assertEquals(JsonValue.TRUE, ok(a, "{\"cmd\":\"status\"}").get("connected"));
        ok(a, "{\"cmd\":\"waitSynced\",\"id\":\"" + map + "\"}");
        ok(b, "{\"cmd\":\"waitFor\",\"id\":\"" + map + "\",\"path\":\"k\",\"expected\":1}");
    }

    @Test
    void withDbLoginInANewClientWorksOfflineAndSeesEveryAnsweredEdit() throws Exception {
        Path db = tmp.resolve("client-db");
        ClientCommand a = open(null, 5000, db);
        JsonValue.Obj alice = ok(a, "{\"cmd\":\"createAccount\",\"name\":\"Alice\"}");
        String list = str(ok(a, "{\"cmd\":\"createList\",\"init\":[\"a\"]}"), "id");
        ok(a, "{\"cmd\":\"append\",\"id\":\"" + list + "\",\"value\":\"b\"}");
        a.close();

        ClientCommand again = open(null, 5000, db);
        try {
            String login = "{\"cmd\":\"login\",\"accountID\":\"" + str(alice, "accountID") + "\",\"agentSecret\":\""
                    + str(alice, "agentSecret") + "\"}";
            assertEquals(alice.get("profileID"), ok(again, login).get("profileID"));
            assertEquals(Json.parse("[\"a\",\"b\"]"), ok(again, "{\"cmd\":\"get\",\"id\":\"" + list + "\"}").get("value"));
            ok(again, "{\"cmd\":\"append\",\"id\":\"" + list + "\",\"value\":\"c\"}");
            JsonValue.Obj wrong = again.handle("{\"cmd\":\"login\",\"accountID\":\"" + str(alice, "accountID")
                    + "\",\"agentSecret\":\"" + str(ok(open(null, 5000), "{\"cmd\":\"createAccount\"}"), "agentSecret") + "\"}");
            assertEquals(JsonValue.FALSE, wrong.get("ok"), wrong.toString());
        } finally {
            again.close();
        }
        ClientCommand third = open(null, 5000, db);
        try {
            ok(third, "{\"cmd\":\"login\",\"accountID\":\"" + str(alice, "accountID") + "\",\"agentSecret\":\""
                    + str(alice, "agentSecret") + "\"}");
            assertEquals(Json.parse("[\"a\",\"b\",\"c\"]"), ok(third, "{\"cmd\":\"get\",\"id\":\"" + list + "\"}").get("value"));
        } finally {
            third.close();
        }
    }

    /** The `client` as a process on --db: answered edits survive kill -9, and login in a new process sees them offline. */
    @Test
    void answeredEditsSurviveKillMinusNine() throws Exception {
        Path db = tmp.resolve("killed-db");
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"), io.cojson.samples.Main.class.getName(),
                "client", "--db", db.toString()).redirectError(ProcessBuilder.Redirect.DISCARD);
        Process first = pb.start();
        JsonValue.Obj alice;
        String map;
        try {
            java.io.Writer in = new java.io.OutputStreamWriter(first.getOutputStream(), StandardCharsets.UTF_8);
            ProcessLines out = ProcessLines.of(first, "client");
            in.write("{\"cmd\":\"createAccount\",\"name\":\"Alice\"}\n{\"cmd\":\"createMap\",\"init\":{\"k\":1}}\n");
            in.flush();
            alice = (JsonValue.Obj) Json.parse(out.next());
            map = str((JsonValue.Obj) Json.parse(out.next()), "id");
            in.write("{\"cmd\":\"set\",\"id\":\"" + map + "\",\"key\":\"k\",\"value\":2}\n");
            in.flush();
            assertEquals(JsonValue.TRUE, ((JsonValue.Obj) Json.parse(out.next())).get("ok"));
        } finally {
            first.destroyForcibly(); // SIGKILL right after the answer
            assertTrue(first.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "the killed client is gone");
        }
        ClientCommand again = open(null, 5000, db);
        try {
            ok(again, "{\"cmd\":\"login\",\"accountID\":\"" + str(alice, "accountID") + "\",\"agentSecret\":\""
                    + str(alice, "agentSecret") + "\"}");
            assertEquals(JsonValue.of(2), ok(again, "{\"cmd\":\"get\",\"id\":\"" + map + "\",\"path\":\"k\"}").get("value"));
        } finally {
            again.close();
        }
    }

    @Test
    void errorsAreAnswersAndTheLoopKeepsGoing() throws Exception {
        ClientCommand c = open(null, 1000);
        String script = String.join("\n",
                "{\"cmd\":\"ping\",\"reqId\":\"a\"}",
                "",
                "not json",
                "[1]",
                "{\"cmd\":\"frobnicate\",\"reqId\":2}",
                "{\"cmd\":\"whoami\"}",
                "{\"cmd\":\"createAccount\"}",
                "{\"cmd\":\"set\",\"id\":\"nope\",\"key\":\"k\",\"value\":1}",
                "{\"cmd\":\"get\",\"id\":\"co_zzzzzzzzzzzzzzzzzzzzzzzzzzzz\"}",
                "{\"cmd\":\"waitSynced\"}",
                "{\"cmd\":\"quit\"}",
                "{\"cmd\":\"ping\"}") + "\n";
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        c.run(new BufferedReader(new StringReader(script)), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        List<JsonValue.Obj> answers = bytes.toString(StandardCharsets.UTF_8).lines().map(l -> (JsonValue.Obj) Json.parse(l)).toList();
        assertEquals(10, answers.size(), answers.toString()); // blank line skipped, nothing after quit
        assertEquals(Json.parse("{\"ok\":true,\"pong\":true,\"reqId\":\"a\"}"), answers.get(0));
        assertTrue(str(answers.get(1), "error").startsWith("invalid JSON"));
        assertEquals(JsonValue.of("a command must be a JSON object"), answers.get(2).get("error"));
        assertEquals(Json.parse("{\"ok\":false,\"error\":\"unknown command: \\\"frobnicate\\\"\",\"reqId\":2}"), answers.get(3));
        assertEquals(JsonValue.of("no account: run createAccount or login first"), answers.get(4).get("error"));
        assertEquals(JsonValue.TRUE, answers.get(5).get("ok"));
        assertEquals(JsonValue.of("\"id\" must be a CoValue ID (co_z...), got \"nope\""), answers.get(6).get("error"));
        assertEquals(JsonValue.FALSE, answers.get(7).get("ok"));
        assertEquals(Json.parse("{\"ok\":true,\"peers\":0}"), answers.get(8));
        assertEquals(Json.parse("{\"ok\":true,\"synced\":true}"), answers.get(9));
    }

    /**
     * {@code exportContent} offline: the parts of the answer agree with each other (the reference's
     * shape itself is compared with ref-client.mjs by the interop tests): the header hashes to the ID,
     * knownState, sessions and content messages list the same transactions, and the valid
     * transactions are the decrypted changes, sorted by madeAt.
     */
    @Test
    void exportContentIsConsistent() throws Exception {
        ClientCommand c = ClientCommand.create(null, 5000);
        try {
            ok(c, "{\"cmd\":\"createAccount\"}");
            String map = str(ok(c, "{\"cmd\":\"createMap\",\"init\":{\"a\":1},\"meta\":{\"m\":true}}"), "id");
            ok(c, "{\"cmd\":\"set\",\"id\":\"" + map + "\",\"key\":\"t\",\"value\":{\"x\":[1]},\"privacy\":\"trusting\"}");
            ok(c, "{\"cmd\":\"delete\",\"id\":\"" + map + "\",\"key\":\"a\"}");
            JsonValue.Obj e = ok(c, "{\"cmd\":\"exportContent\",\"id\":\"" + map + "\",\"reqId\":7}");
            assertEquals(List.of("ok", "id", "type", "owner", "meta", "header", "knownState", "sessions", "contentMessages", "validTransactions", "reqId"),
                    List.copyOf(e.fields().keySet()));
            assertEquals(JsonValue.of("comap"), e.get("type"));
            assertEquals(Json.parse("{\"m\":true}"), e.get("meta"));
            io.cojson.core.crypto.Crypto crypto = io.cojson.core.crypto.Crypto.create();
            assertEquals(map, new io.cojson.core.header.CoValueHeader((JsonValue.Obj) e.get("header")).id(crypto).value());

            JsonValue.Obj sessions = (JsonValue.Obj) e.get("sessions");
            assertEquals(1, sessions.fields().size());
            String session = sessions.fields().keySet().iterator().next();
            JsonValue.Obj log = (JsonValue.Obj) sessions.get(session);
            JsonValue.Arr txs = (JsonValue.Arr) log.get("transactions");
            assertEquals(3, txs.size());
            assertEquals(Json.parse("{\"id\":\"" + map + "\",\"header\":true,\"sessions\":{\"" + session + "\":3}}"), e.get("knownState"));
            assertEquals(Json.parse("{}"), log.get("signatureAfter"));
            assertTrue(str(log, "lastSignature").startsWith("signature_z"));
            assertEquals(List.of("private", "trusting", "private"),
                    txs.items().stream().map(t -> str((JsonValue.Obj) t, "privacy")).toList());

            JsonValue.Arr messages = (JsonValue.Arr) e.get("contentMessages");
            assertEquals(1, messages.size());
            JsonValue.Obj msg = (JsonValue.Obj) messages.get(0);
            assertEquals(List.of("action", "id", "header", "priority", "new"), List.copyOf(msg.fields().keySet()));
            assertEquals(e.get("header"), msg.get("header"));
            JsonValue.Obj piece = (JsonValue.Obj) ((JsonValue.Obj) msg.get("new")).get(session);
            assertEquals(JsonValue.of(0), piece.get("after"));
            assertEquals(txs, piece.get("newTransactions"));
            assertEquals(log.get("lastSignature"), piece.get("lastSignature"));

            JsonValue.Arr valid = (JsonValue.Arr) e.get("validTransactions");
            assertEquals(3, valid.size());
            String account = session.substring(0, session.indexOf("_session"));
            for (int i = 0; i < 3; i++) {
                JsonValue.Obj tx = (JsonValue.Obj) valid.get(i);
                assertEquals(List.of("sessionID", "txIndex", "author", "madeAt", "privacy", "changes"), List.copyOf(tx.fields().keySet()));
                assertEquals(JsonValue.of(i), tx.get("txIndex"));
                assertEquals(account, str(tx, "author"));
                assertEquals(((JsonValue.Obj) txs.get(i)).get("madeAt"), tx.get("madeAt"));
                assertEquals(((JsonValue.Obj) txs.get(i)).get("privacy"), tx.get("privacy"));
            }
            assertEquals(Json.parse("[{\"op\":\"set\",\"key\":\"a\",\"value\":1}]"), ((JsonValue.Obj) valid.get(0)).get("changes"));
            assertEquals(Json.parse(str((JsonValue.Obj) txs.get(1), "changes")), ((JsonValue.Obj) valid.get(1)).get("changes"));
            assertEquals(Json.parse("[{\"op\":\"del\",\"key\":\"a\"}]"), ((JsonValue.Obj) valid.get(2)).get("changes"));
        } finally {
            c.close();
        }
    }
}
