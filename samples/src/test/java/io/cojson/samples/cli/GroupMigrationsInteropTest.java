package io.cojson.samples.cli;

import static io.cojson.samples.cli.InteropProcesses.obj;
import static io.cojson.samples.cli.InteropProcesses.q;
import static io.cojson.samples.cli.InteropProcesses.rawFields;
import static io.cojson.samples.cli.InteropProcesses.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.cojson.core.json.JsonValue;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * The §6.6 group migrations across implementations. A Node script (test resource
 * {@code interop/old-groups.mjs}) writes, through the reference, two groups as older clients left
 * them (everyone=reader but no {@code <readKey>_for_everyone}, no {@code groupSealer}) and prints
 * the values the heals must write. Logged in as that admin: the Java {@code client} loads the first
 * group and heals it, and a fresh {@code ref-client.mjs} then sees exactly that and writes nothing
 * more; the reference client loads the second group and heals it, and the Java client then sees
 * exactly that and writes nothing more. Through the JS reference server and the Java server.
 */
class GroupMigrationsInteropTest extends BothServersInteropTest {

    @TempDir
    Path tmp;

    @Override
    protected void runThrough(String url, Server server) throws Exception {
        sameHeals(url);
    }

    private void sameHeals(String url) throws Exception {
        String written = BranchMergeInteropTest.runNodeScript(procs, tmp, "old-groups.mjs", url);
        JsonValue.Obj out = obj(written);
        JsonValue.Obj g1 = (JsonValue.Obj) ((JsonValue.Arr) out.get("groups")).items().get(0);
        JsonValue.Obj g2 = (JsonValue.Obj) ((JsonValue.Arr) out.get("groups")).items().get(1);
        String login = "{\"cmd\":\"login\",\"accountID\":" + q(str(out, "accountID")) + ",\"agentSecret\":" + q(str(out, "agentSecret")) + "}";
        InteropProcesses.Client java = procs.javaClient(url);
        InteropProcesses.Client js = procs.nodeClient(url);
        java.ok(login);
        js.ok(login);

        // The Java client heals the first group; the reference client finds nothing left to do.
        String id1 = str(g1, "id");
        String javaView = view(java, id1);
        java.ok("{\"cmd\":\"waitSynced\"}");
        String jsView = view(js, id1);
        assertEquals(jsView, javaView, "group healed by Java, as each client shows it");
        assertHealed(g1, jsView);
        js.ok("{\"cmd\":\"waitSynced\"}");
        assertEquals(transactions(g1) + 2, transactions(js, id1), "two heals, written once (by Java)");

        // The reference client heals the second group; the Java client finds nothing left to do.
        String id2 = str(g2, "id");
        String jsView2 = view(js, id2);
        js.ok("{\"cmd\":\"waitSynced\"}");
        String javaView2 = view(java, id2);
        assertEquals(jsView2, javaView2, "group healed by the reference, as each client shows it");
        assertHealed(g2, javaView2);
        java.ok("{\"cmd\":\"waitSynced\"}");
        assertEquals(transactions(g2) + 2, transactions(java, id2), "two heals, written once (by the reference)");
    }

    private static String view(InteropProcesses.Client c, String id) throws Exception {
        String v = rawFields(c.okLine("{\"cmd\":\"get\",\"id\":" + q(id) + "}")).get("value");
        assertNotNull(v, c.name + " get " + id);
        return v;
    }

    private static void assertHealed(JsonValue.Obj expected, String viewText) {
        JsonValue.Obj v = obj(viewText);
        assertEquals(JsonValue.of(str(expected, "groupSealer")), v.get("groupSealer"), "groupSealer");
        assertEquals(JsonValue.of(str(expected, "keyForEveryone")), v.get(str(expected, "readKey") + "_for_everyone"), "key for everyone");
    }

    private static long transactions(JsonValue.Obj group) {
        return (long) ((JsonValue.Num) group.get("transactions")).value();
    }

    /** The transactions a client holds of {@code id}, over all sessions. */
    private static long transactions(InteropProcesses.Client c, String id) throws Exception {
        JsonValue.Obj ks = (JsonValue.Obj) c.ok("{\"cmd\":\"knownState\",\"id\":" + q(id) + "}").get("knownState");
        long n = 0;
        for (JsonValue count : ((JsonValue.Obj) ks.get("sessions")).fields().values()) n += (long) ((JsonValue.Num) count).value();
        return n;
    }
}
