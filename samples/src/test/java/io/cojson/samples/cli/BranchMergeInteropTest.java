package io.cojson.samples.cli;

import static io.cojson.samples.cli.InteropProcesses.obj;
import static io.cojson.samples.cli.InteropProcesses.q;
import static io.cojson.samples.cli.InteropProcesses.rawFields;
import static io.cojson.samples.cli.InteropProcesses.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.json.Json;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;

/**
 * Branches and merges (covalues.md §13) written by the reference: a Node script (test resource
 * {@code interop/branch-merge.mjs}, run from a temporary folder with cojson imported from the
 * interop folder) branches a map and a list, edits branches and sources, merges (twice for the
 * map) and prints each value's {@code toJSON()}. Then a Java {@code client} and a fresh
 * {@code ref-client.mjs}, both logged in as that account, load the four values through the server
 * and must answer the same text; the sources must also equal the script's own views. Through the
 * JS reference server and through the Java server. The script also writes first-writer-wins
 * races ({@code meta.fww}, covalues.md §4.4) in private transactions, whose metas only decryption
 * reveals: the fifth value, {@code fww}, compared the same way.
 *
 * <p>The script's map views are compared as JSON objects only (lists as text): the writer built
 * them pass by pass, while a fresh load processes everything in one pass (trusting transactions
 * first, a branch's own before its source's), so the key order differs in the reference itself.
 */
class BranchMergeInteropTest extends BothServersInteropTest {

    @TempDir
    Path tmp;

    @Override
    protected void runThrough(String url, Server server) throws Exception {
        sameViews(url);
    }

    private void sameViews(String url) throws Exception {
        String written = runNodeScript(procs, tmp, "branch-merge.mjs", url);
        Map<String, String> fields = rawFields(written);
        Map<String, String> scriptViews = rawFields(fields.get("views"));
        String login = "{\"cmd\":\"login\",\"accountID\":" + fields.get("accountID") + ",\"agentSecret\":" + fields.get("agentSecret") + "}";
        InteropProcesses.Client java = procs.javaClient(url);
        InteropProcesses.Client js = procs.nodeClient(url);
        java.ok(login);
        js.ok(login);
        List<String> ids = List.of("map", "mapBranch", "list", "listBranch", "fww");
        for (String name : ids) {
            String id = str(obj(written), name);
            String javaView = rawFields(java.okLine("{\"cmd\":\"get\",\"id\":" + q(id) + "}")).get("value");
            String jsView = rawFields(js.okLine("{\"cmd\":\"get\",\"id\":" + q(id) + "}")).get("value");
            assertNotNull(javaView, name);
            assertEquals(jsView, javaView, name + " " + id + ": a fresh reference client and the Java client");
            if (!name.startsWith("list")) {
                assertEquals(Json.parse(scriptViews.get(id)), Json.parse(javaView), name + ": the writer's view, as an object");
            } else {
                assertEquals(scriptViews.get(id), javaView, name + " " + id + ": the writer's view");
            }
        }
    }

    /**
     * Runs test resource {@code interop/<name>} with node from folder {@code tmp} (cojson is imported
     * from the interop folder), with the interop folder and {@code url} as arguments; returns its one
     * output line once it exited with status 0.
     */
    static String runNodeScript(InteropProcesses procs, Path tmp, String name, String url) throws Exception {
        Path script = tmp.resolve(name);
        for (String file : List.of(name, "account-node.mjs")) { // the script and the module it imports
            try (InputStream in = BranchMergeInteropTest.class.getResourceAsStream("/interop/" + file)) {
                assertNotNull(in, "test resource interop/" + file);
                Files.write(tmp.resolve(file), in.readAllBytes());
            }
        }
        Process p = procs.track(new ProcessBuilder("node", script.toString(),
                ClientScriptInteropTest.interopDir().getPath(), url).directory(tmp.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start());
        String line = ProcessLines.of(p, name).next();
        assertNotNull(line, name + " printed nothing");
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), name + " did not exit");
        assertEquals(0, p.exitValue(), name + " exit status");
        return line;
    }
}
