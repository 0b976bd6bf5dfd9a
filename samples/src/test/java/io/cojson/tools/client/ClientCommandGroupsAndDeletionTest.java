package io.cojson.tools.client;

import io.cojson.server.CojsonServer;
import static io.cojson.tools.client.ClientReplies.error;
import static io.cojson.tools.client.ClientReplies.ok;
import static io.cojson.tools.client.ClientReplies.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.json.Json;
import io.cojson.core.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Java {@code client}'s {@code deleteCoValue} and its roles through {@code extendGroup}, in
 * process against the Java server (the same scripts against ref-client.mjs are in
 * {@link DeleteCoValueInteropTest} and {@link GroupExtensionInteropTest}).
 */
class ClientCommandGroupsAndDeletionTest {
    private CojsonServer server;
    private final List<ClientCommand> clients = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = CojsonServer.builder().start();
    }

    @AfterEach
    void stop() {
        for (ClientCommand c : clients) c.close();
        server.close();
    }

    private ClientCommand open() {
        ClientCommand c = ClientCommand.create(server.url(), 20000);
        clients.add(c);
        return c;
    }

    private static String account(ClientCommand c, String name) {
        return str(ok(c, "{\"cmd\":\"createAccount\",\"name\":\"" + name + "\"}"), "accountID");
    }

    private static String cmd(String name, String... kv) {
        StringBuilder b = new StringBuilder("{\"cmd\":\"" + name + "\"");
        for (int i = 0; i < kv.length; i += 2) b.append(",\"").append(kv[i]).append("\":").append(kv[i + 1]);
        return b.append('}').toString();
    }

    private static String q(String s) {
        return "\"" + s + "\"";
    }

    @Test
    void deleteCoValue() {
        ClientCommand a = open();
        ClientCommand b = open();
        String me = account(a, "Alice");
        String bob = account(b, "Bob");
        String g = str(ok(a, cmd("createGroup")), "id");
        ok(a, cmd("addMember", "group", q(g), "member", q(bob), "role", q("writer")));
        String m = str(ok(a, cmd("createMap", "owner", q(g), "init", "{\"title\":\"hello\"}", "sync", "true")), "id");
        String l = str(ok(a, cmd("createList", "owner", q(g), "init", "[1,2]")), "id");
        assertEquals(Json.parse("{\"title\":\"hello\"}"), ok(b, cmd("get", "id", q(m))).get("value"));

        assertEquals("The current account lacks admin permissions to delete this coValue", error(b, cmd("deleteCoValue", "id", q(m))));
        assertEquals("Cannot delete Group or Account coValues", error(a, cmd("deleteCoValue", "id", q(g))));
        assertEquals("Cannot delete Group or Account coValues", error(a, cmd("deleteCoValue", "id", q(me))));
        assertEquals(Json.parse("{\"ok\":true,\"deleted\":true,\"synced\":true,\"reqId\":7}"),
                ok(a, cmd("deleteCoValue", "id", q(m), "sync", "true", "reqId", "7")));
        JsonValue.Obj known = (JsonValue.Obj) ok(a, cmd("knownState", "id", q(m))).get("knownState");
        assertEquals(Json.parse("{\"ok\":true,\"deleted\":true}"), ok(a, cmd("deleteCoValue", "id", q(m))), "again: a no-op");
        assertEquals(known, ok(a, cmd("knownState", "id", q(m))).get("knownState"), "nothing written the second time");
        List<String> sessions = List.copyOf(((JsonValue.Obj) known.get("sessions")).fields().keySet());
        assertEquals(1, sessions.size());
        assertTrue(sessions.get(0).startsWith(me + "_session_d") && sessions.get(0).endsWith("$"), sessions.toString());

        // the deleter's view keeps its content; writes answer ok and change nothing (as the reference)
        JsonValue.Obj got = ok(a, cmd("get", "id", q(m)));
        assertEquals(List.of("ok", "id", "type", "owner", "deleted", "value"), List.copyOf(got.fields().keySet()));
        assertEquals(JsonValue.TRUE, got.get("deleted"));
        assertEquals(Json.parse("{\"ok\":true}"), ok(a, cmd("set", "id", q(m), "key", q("x"), "value", "1")));
        assertEquals(Json.parse("{\"title\":\"hello\"}"), ok(a, cmd("get", "id", q(m))).get("value"));
        ok(a, cmd("deleteCoValue", "id", q(l)));
        assertEquals(Json.parse("{\"ok\":true,\"length\":2}"), ok(a, cmd("append", "id", q(l), "value", "3")));
        assertEquals("index 9 out of range 0..2", error(a, cmd("insert", "id", q(l), "index", "9", "value", "3")));
        ok(a, cmd("waitSynced"));

        // a member loading it afterwards gets the tombstone only
        ClientCommand fresh = open();
        ok(fresh, "{\"cmd\":\"login\",\"accountID\":\"" + bob + "\",\"agentSecret\":\"" + str(ok(b, cmd("whoami")), "agentSecret") + "\"}");
        JsonValue.Obj later = ok(fresh, cmd("get", "id", q(m)));
        assertEquals(JsonValue.TRUE, later.get("deleted"));
        assertEquals(Json.parse("{}"), later.get("value"));
        assertEquals(known, ok(fresh, cmd("knownState", "id", q(m))).get("knownState"));
        assertEquals(Json.parse("[]"), ok(fresh, cmd("get", "id", q(l))).get("value"));
    }

    @Test
    void rolesThroughExtendGroup() {
        ClientCommand a = open();
        ClientCommand b = open();
        account(a, "Alice");
        String bob = account(b, "Bob");
        String gp = str(ok(a, cmd("createGroup")), "id");
        String p = str(ok(a, cmd("createGroup")), "id");
        String c = str(ok(a, cmd("createGroup")), "id");
        ok(a, cmd("addMember", "group", q(gp), "member", q(bob), "role", q("writer")));
        ok(a, cmd("extendGroup", "group", q(p), "parent", q(gp)));
        ok(a, cmd("extendGroup", "group", q(c), "parent", q(p), "sync", "true"));
        assertEquals(JsonValue.of("writer"), ok(a, cmd("roleOf", "group", q(c), "member", q(bob))).get("role"), "through two parents");

        // a cycle is skipped without writing, as the reference does
        JsonValue known = ok(a, cmd("knownState", "id", q(gp))).get("knownState");
        assertEquals(Json.parse("{\"ok\":true}"), ok(a, cmd("extendGroup", "group", q(gp), "parent", q(c))));
        assertEquals(Json.parse("{\"ok\":true}"), ok(a, cmd("extendGroup", "group", q(c), "parent", q(c))));
        assertEquals(known, ok(a, cmd("knownState", "id", q(gp))).get("knownState"));

        // the inherited writer writes a map of the child and reads it, but may not extend the child
        String m = str(ok(a, cmd("createMap", "owner", q(c), "init", "{\"t\":1}", "sync", "true")), "id");
        ok(b, cmd("set", "id", q(m), "key", q("bob"), "value", "2", "sync", "true"));
        assertEquals(Json.parse("{\"t\":1,\"bob\":2}"), ok(b, cmd("get", "id", q(m))).get("value"));
        ok(a, cmd("waitFor", "id", q(m), "path", q("bob"), "expected", "2"));
        assertEquals("To extend a group, the current account must be an admin in the child group",
                error(b, cmd("extendGroup", "group", q(c), "parent", q(gp))));

        // a mapping replaces the parent role; revoked ends the extension
        String readers = str(ok(a, cmd("createGroup")), "id");
        ok(a, cmd("extendGroup", "group", q(readers), "parent", q(gp), "role", q("reader")));
        assertEquals(JsonValue.of("reader"), ok(a, cmd("roleOf", "group", q(readers), "member", q(bob))).get("role"));
        ok(a, cmd("extendGroup", "group", q(readers), "parent", q(gp), "role", q("revoked")));
        assertEquals(JsonValue.NULL, ok(a, cmd("roleOf", "group", q(readers), "member", q(bob))).get("role"));
    }
}
