package io.cojson.samples.cli;

import static io.cojson.samples.cli.InteropProcesses.q;
import static io.cojson.samples.cli.InteropProcesses.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import io.cojson.samples.cli.InteropProcesses.Client;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Security (covalues.md §6.5 step 7): an admin removes member M from parent group P, which child
 * groups extend (G as writer, G2 as reader, G3 extending G). Every child's read key rotates with
 * P's, so M reads nothing the admin writes afterwards in maps owned by any of them. Run for every
 * pairing of admin and removed member (JS or Java client), through the JS and the Java server; the
 * removed member's views must be the same text in every pairing, the reference pairing included.
 */
class ChildKeyRotationInteropTest extends BothServersInteropTest {

    private Client client(String kind, String url) throws Exception {
        return kind.equals("js") ? procs.nodeClient(url) : procs.javaClient(url);
    }

    /** The removed member's view of the maps of P, G, G2 and G3 after the admin wrote into them. */
    private static String removedMembersView(Client admin, Client member) throws Exception {
        String m = str(member.ok("{\"cmd\":\"createAccount\",\"name\":\"M\"}"), "accountID");
        admin.ok("{\"cmd\":\"createAccount\",\"name\":\"Admin\"}");
        String p = str(admin.ok("{\"cmd\":\"createGroup\"}"), "id");
        admin.ok("{\"cmd\":\"addMember\",\"group\":" + q(p) + ",\"member\":" + q(m) + ",\"role\":\"reader\"}");
        String g = str(admin.ok("{\"cmd\":\"createGroup\"}"), "id");
        admin.ok("{\"cmd\":\"extendGroup\",\"group\":" + q(g) + ",\"parent\":" + q(p) + ",\"role\":\"writer\"}");
        String g2 = str(admin.ok("{\"cmd\":\"createGroup\"}"), "id");
        admin.ok("{\"cmd\":\"extendGroup\",\"group\":" + q(g2) + ",\"parent\":" + q(p) + ",\"role\":\"reader\"}");
        String g3 = str(admin.ok("{\"cmd\":\"createGroup\"}"), "id");
        admin.ok("{\"cmd\":\"extendGroup\",\"group\":" + q(g3) + ",\"parent\":" + q(g) + "}");
        List<String> groups = List.of(p, g, g2, g3);
        List<String> maps = new ArrayList<>();
        for (String grp : groups) {
            maps.add(str(admin.ok("{\"cmd\":\"createMap\",\"owner\":" + q(grp) + ",\"init\":{\"before\":\"readable\"},\"sync\":true}"), "id"));
        }
        for (String grp : groups) admin.ok("{\"cmd\":\"waitSynced\",\"id\":" + q(grp) + "}");
        for (String map : maps) member.ok("{\"cmd\":\"waitFor\",\"id\":" + q(map) + ",\"path\":\"before\",\"expected\":\"readable\"}");

        admin.ok("{\"cmd\":\"removeMember\",\"group\":" + q(p) + ",\"member\":" + q(m) + ",\"sync\":true}");
        for (String map : maps) {
            admin.ok("{\"cmd\":\"set\",\"id\":" + q(map) + ",\"key\":\"after\",\"value\":\"secret\",\"sync\":true}");
            // a trusting marker the removed member can read: it proves the update arrived
            admin.ok("{\"cmd\":\"set\",\"id\":" + q(map) + ",\"key\":\"marker\",\"value\":1,\"privacy\":\"trusting\",\"sync\":true}");
        }
        for (String grp : groups) admin.ok("{\"cmd\":\"waitSynced\",\"id\":" + q(grp) + "}");
        Map<String, String> views = new LinkedHashMap<>();
        String[] names = {"P", "G", "G2", "G3"};
        for (int i = 0; i < maps.size(); i++) {
            String map = maps.get(i);
            member.ok("{\"cmd\":\"waitFor\",\"id\":" + q(map) + ",\"path\":\"marker\",\"expected\":1}");
            JsonValue.Obj seen = (JsonValue.Obj) member.value(map);
            assertFalse(seen.has("after"), member.name + " removed by " + admin.name + " reads " + names[i] + ": " + seen);
            assertEquals(JsonValue.of("secret"), ((JsonValue.Obj) admin.value(map)).get("after"), admin.name + " on " + names[i]);
            views.put(names[i], JsonWriter.stringify(seen));
        }
        return views.toString();
    }

    private void allPairings(String url) throws Exception {
        Map<String, String> byPairing = new LinkedHashMap<>();
        for (String admin : List.of("js", "java")) {
            for (String member : List.of("js", "java")) {
                byPairing.put(admin + " removes " + member, removedMembersView(client(admin, url), client(member, url)));
            }
        }
        String reference = byPairing.get("js removes js");
        for (Map.Entry<String, String> e : byPairing.entrySet()) assertEquals(reference, e.getValue(), e.getKey());
    }

    @Override
    protected void runThrough(String url, Server server) throws Exception {
        allPairings(url);
    }
}
