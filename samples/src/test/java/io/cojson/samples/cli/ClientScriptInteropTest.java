package io.cojson.samples.cli;

import io.cojson.server.CojsonServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.json.Json;
import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import io.cojson.samples.Main;
import java.io.File;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One script of ref-client commands, run by the Java {@code client} (a subprocess of this jar's
 * main class) and by {@code node ref-client.mjs}, both against the same server (the JS reference
 * server, then the Java server): the answers must be the same JSON text, key order included,
 * modulo IDs, secrets, signatures, ciphertexts and timings (see target/client-script-*.txt for
 * the transcripts). Scripted elsewhere: acceptInvite (InvitesInteropTest, TwoPeerScriptInteropTest),
 * login (BranchMergeInteropTest, GroupMigrationsInteropTest). Not scripted: connect/disconnect.
 */
@Tag("interop")
@Timeout(value = 5, unit = TimeUnit.MINUTES) // node and JVM child processes; the default (180 s) is for in-JVM tests
class ClientScriptInteropTest {
    private final List<Process> processes = new ArrayList<>();
    private CojsonServer javaServer;

    @AfterEach
    void stop() throws Exception {
        for (Process p : processes) {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
        }
        if (javaServer != null) javaServer.close();
    }

    static File interopDir() throws Exception {
        return new File(System.getProperty("cojson.interop.dir", "../../shared/interop")).getCanonicalFile();
    }

    private String startReferenceServer() throws Exception {
        File dir = interopDir();
        assertTrue(new File(dir, "node_modules").isDirectory(), "run `npm ci` in " + dir + " first");
        Process p = new ProcessBuilder("node", "sync-server.mjs", "--port", "0").directory(dir)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        processes.add(p);
        String line = ProcessLines.of(p, "sync-server.mjs").next();
        assertNotNull(line, "reference server exited before it was ready");
        return ((JsonValue.Str) ((JsonValue.Obj) Json.parse(line)).get("url")).value();
    }

    /** A scripted client process: one command line in, one JSON answer out. */
    private final class ScriptClient {
        private final ProcessLines out;
        private final Writer in;

        ScriptClient(ProcessBuilder pb) throws Exception {
            Process p = pb.redirectError(ProcessBuilder.Redirect.INHERIT).start();
            processes.add(p);
            out = ProcessLines.of(p, "script client");
            in = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8);
        }

        JsonValue.Obj send(String line) throws Exception {
            in.write(line + "\n");
            in.flush();
            String answer = out.next();
            assertNotNull(answer, "client exited at: " + line);
            return (JsonValue.Obj) Json.parse(answer);
        }
    }

    private ScriptClient javaClient(String url) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ScriptClient(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "client", "--peer", url, "--timeout-ms", "20000"));
    }

    private ScriptClient nodeClient(String url) throws Exception {
        return new ScriptClient(new ProcessBuilder("node", "ref-client.mjs", "--peer", url, "--timeout-ms", "20000").directory(interopDir()));
    }

    /** Each step: a command template with ${var}s, then optional "var=field" captures from its answer. */
    private static final String[][] SCRIPT = {
            {"{\"cmd\":\"ping\",\"reqId\":1}"},
            {"{\"cmd\":\"status\"}"},
            {"{\"cmd\":\"whoami\"}"},
            {"{\"cmd\":\"createAccount\",\"name\":\"Alice\"}", "me=accountID"},
            {"{\"cmd\":\"createAccount\",\"name\":\"Bob\",\"keepCurrent\":true}", "bob=accountID"},
            {"{\"cmd\":\"whoami\"}"},
            {"{\"cmd\":\"status\"}"},
            {"{\"cmd\":\"createGroup\"}", "g=id"},
            {"{\"cmd\":\"roleOf\",\"group\":\"${g}\",\"member\":\"${me}\"}"},
            {"{\"cmd\":\"addMember\",\"group\":\"${g}\",\"member\":\"${bob}\",\"role\":\"writer\"}"},
            {"{\"cmd\":\"roleOf\",\"group\":\"${g}\",\"member\":\"${bob}\"}"},
            {"{\"cmd\":\"addMember\",\"group\":\"${g}\",\"member\":\"${bob}\",\"role\":\"boss\"}"},
            {"{\"cmd\":\"createMap\",\"owner\":\"${g}\",\"init\":{\"title\":\"hello\"},\"sync\":true,\"reqId\":\"m\"}", "m=id"},
            {"{\"cmd\":\"set\",\"id\":\"${m}\",\"key\":\"done\",\"value\":true}"},
            {"{\"cmd\":\"set\",\"id\":\"${m}\",\"key\":\"n\",\"value\":{\"a\":[1,2]},\"privacy\":\"trusting\"}"},
            {"{\"cmd\":\"get\",\"id\":\"${m}\"}"},
            {"{\"cmd\":\"get\",\"id\":\"${m}\",\"path\":\"n.a.1\"}"},
            {"{\"cmd\":\"get\",\"id\":\"${m}\",\"path\":[\"n\",\"missing\"]}"},
            {"{\"cmd\":\"delete\",\"id\":\"${m}\",\"key\":\"title\"}"},
            {"{\"cmd\":\"get\",\"id\":\"${m}\"}"},
            {"{\"cmd\":\"set\",\"id\":\"${m}\",\"value\":1}"},
            {"{\"cmd\":\"createMap\"}"},
            {"{\"cmd\":\"createList\",\"owner\":\"${g}\",\"init\":[1,2]}", "l=id"},
            {"{\"cmd\":\"append\",\"id\":\"${l}\",\"value\":3}"},
            {"{\"cmd\":\"append\",\"id\":\"${l}\",\"value\":\"a0\",\"after\":0}"},
            {"{\"cmd\":\"prepend\",\"id\":\"${l}\",\"value\":0}"},
            {"{\"cmd\":\"insert\",\"id\":\"${l}\",\"index\":2,\"value\":\"x\"}"},
            {"{\"cmd\":\"insert\",\"id\":\"${l}\",\"index\":99,\"value\":\"x\"}"},
            {"{\"cmd\":\"deleteAt\",\"id\":\"${l}\",\"index\":0}"},
            {"{\"cmd\":\"replace\",\"id\":\"${l}\",\"index\":0,\"value\":\"y\"}"},
            {"{\"cmd\":\"get\",\"id\":\"${l}\"}"},
            {"{\"cmd\":\"set\",\"id\":\"${l}\",\"key\":\"k\",\"value\":1}"},
            {"{\"cmd\":\"createText\",\"owner\":\"${g}\",\"init\":\"hello\"}", "t=id"},
            {"{\"cmd\":\"insertText\",\"id\":\"${t}\",\"text\":\" world\"}"},
            {"{\"cmd\":\"insertText\",\"id\":\"${t}\",\"text\":\"H\",\"index\":0}"},
            {"{\"cmd\":\"deleteText\",\"id\":\"${t}\",\"from\":1,\"to\":2}"},
            {"{\"cmd\":\"get\",\"id\":\"${t}\"}"},
            {"{\"cmd\":\"createStream\",\"owner\":\"${g}\"}", "s=id"},
            {"{\"cmd\":\"push\",\"id\":\"${s}\",\"value\":{\"n\":1}}"},
            {"{\"cmd\":\"push\",\"id\":\"${s}\",\"value\":2}"},
            {"{\"cmd\":\"get\",\"id\":\"${s}\",\"path\":\"items\"}"},
            {"{\"cmd\":\"waitFor\",\"id\":\"${m}\",\"path\":\"done\",\"expected\":true}"},
            {"{\"cmd\":\"waitFor\",\"id\":\"${m}\",\"path\":\"title\",\"exists\":false}"},
            {"{\"cmd\":\"waitFor\",\"id\":\"${m}\",\"path\":\"done\",\"expected\":false,\"timeoutMs\":300}"},
            {"{\"cmd\":\"waitSynced\"}"},
            {"{\"cmd\":\"waitSynced\",\"id\":\"${l}\"}"},
            {"{\"cmd\":\"knownState\",\"id\":\"${m}\"}"},
            {"{\"cmd\":\"knownState\",\"id\":\"${l}\"}"},
            {"{\"cmd\":\"exportContent\",\"id\":\"${m}\"}"},
            {"{\"cmd\":\"exportContent\",\"id\":\"${l}\"}"},
            {"{\"cmd\":\"exportContent\",\"id\":\"${t}\"}"},
            {"{\"cmd\":\"exportContent\",\"id\":\"${s}\"}"},
            {"{\"cmd\":\"createGroup\",\"name\":\"child\"}", "g2=id"},
            {"{\"cmd\":\"extendGroup\",\"group\":\"${g2}\",\"parent\":\"${g}\"}"},
            {"{\"cmd\":\"roleOf\",\"group\":\"${g2}\",\"member\":\"${bob}\"}"},
            {"{\"cmd\":\"createInvite\",\"group\":\"${g}\",\"role\":\"reader\"}"},
            {"{\"cmd\":\"addMember\",\"group\":\"${g}\",\"member\":\"everyone\",\"role\":\"reader\"}"},
            {"{\"cmd\":\"roleOf\",\"group\":\"${g}\",\"member\":\"everyone\"}"},
            {"{\"cmd\":\"removeMember\",\"group\":\"${g}\",\"member\":\"${bob}\"}"},
            {"{\"cmd\":\"roleOf\",\"group\":\"${g}\",\"member\":\"${bob}\"}"},
            // an account is a group to roleOf and as an owner, not to membership commands (account.js)
            {"{\"cmd\":\"roleOf\",\"group\":\"${me}\",\"member\":\"${me}\"}"},
            {"{\"cmd\":\"roleOf\",\"group\":\"${me}\",\"member\":\"${bob}\"}"},
            {"{\"cmd\":\"createMap\",\"owner\":\"${me}\",\"init\":{\"a\":1}}", "am=id"},
            {"{\"cmd\":\"get\",\"id\":\"${am}\"}"},
            {"{\"cmd\":\"createMap\",\"owner\":\"${bob}\"}"},
            {"{\"cmd\":\"addMember\",\"group\":\"${me}\",\"member\":\"${bob}\",\"role\":\"writer\"}"},
            {"{\"cmd\":\"removeMember\",\"group\":\"${me}\",\"member\":\"${bob}\"}"},
            {"{\"cmd\":\"createInvite\",\"group\":\"${me}\",\"role\":\"reader\"}"},
            {"{\"cmd\":\"extendGroup\",\"group\":\"${me}\",\"parent\":\"${g}\"}"},
            {"{\"cmd\":\"deleteCoValue\",\"id\":\"${am}\"}"},
            {"{\"cmd\":\"get\",\"id\":\"${am}\"}"},
            {"{\"cmd\":\"frobnicate\",\"reqId\":{\"x\":1}}"},
            {"[1,2]"},
            {"{\"cmd\":\"sleep\",\"ms\":5}"},
            {"{\"cmd\":\"quit\"}"},
    };

    private static final Pattern VAR = Pattern.compile("\\$\\{(\\w+)}");

    private List<JsonValue> runScript(ScriptClient c) throws Exception {
        Map<String, String> vars = new HashMap<>();
        List<JsonValue> answers = new ArrayList<>();
        for (String[] step : SCRIPT) {
            Matcher m = VAR.matcher(step[0]);
            StringBuilder line = new StringBuilder();
            while (m.find()) m.appendReplacement(line, Matcher.quoteReplacement(vars.get(m.group(1))));
            m.appendTail(line);
            JsonValue.Obj answer = c.send(line.toString());
            for (int i = 1; i < step.length; i++) {
                String[] cap = step[i].split("=");
                assertTrue(answer.get(cap[1]) instanceof JsonValue.Str, line + " -> " + answer);
                vars.put(cap[0], ((JsonValue.Str) answer.get(cap[1])).value());
            }
            answers.add(answer);
        }
        return answers;
    }

    private void compare(String url, String name) throws Exception {
        List<JsonValue> js = runScript(nodeClient(url));
        List<JsonValue> java = runScript(javaClient(url));
        Map<String, String> jsNames = new HashMap<>();
        Map<String, String> javaNames = new HashMap<>();
        List<String> diffs = new ArrayList<>();
        StringBuilder transcript = new StringBuilder();
        for (int i = 0; i < SCRIPT.length; i++) {
            JsonValue a = ScriptNormalizer.normalize(js.get(i), jsNames);
            JsonValue b = ScriptNormalizer.normalize(java.get(i), javaNames);
            transcript.append("> ").append(SCRIPT[i][0]).append("\njs   ").append(JsonWriter.stringify(a))
                    .append("\njava ").append(JsonWriter.stringify(b)).append('\n');
            if (!JsonWriter.stringify(a).equals(JsonWriter.stringify(b))) diffs.add(SCRIPT[i][0] + "\n   js:   " + JsonWriter.stringify(a) + "\n   java: " + JsonWriter.stringify(b));
        }
        Files.writeString(Path.of("target", "client-script-" + name + ".txt"), transcript); // for reading
        assertEquals("", String.join("\n", diffs), "answers differ (js vs java)");
    }

    @Test
    void sameAnswersAsTheReferenceClientAgainstTheReferenceServer() throws Exception {
        compare(startReferenceServer(), "reference-server");
    }

    @Test
    void sameAnswersAsTheReferenceClientAgainstTheJavaServer() throws Exception {
        javaServer = CojsonServer.builder().start();
        compare(javaServer.url(), "java-server");
    }
}
