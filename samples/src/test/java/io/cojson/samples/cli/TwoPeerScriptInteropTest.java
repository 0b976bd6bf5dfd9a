package io.cojson.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import io.cojson.samples.cli.InteropProcesses.Client;
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
 * Differential scripts with two peers (issue 12 A.5): peer A writes, peer B reads and writes back,
 * through one server. Each script runs with A and B as (JS, JS) — the reference's own answers —
 * then (JS, Java), (Java, JS) and (Java, Java), through the JS server and the Java server; every
 * pairing's normalized transcript must be the same text as the reference pairing's (see
 * target/two-peer-*.txt). Reads by the other peer follow a {@code waitFor} on a marker, so arrival
 * order never decides an answer.
 */
@Tag("interop")
@Timeout(value = 5, unit = TimeUnit.MINUTES) // node and JVM child processes; the default (180 s) is for in-JVM tests
class TwoPeerScriptInteropTest {
    private final InteropProcesses procs = new InteropProcesses();
    private EmbeddedSyncServer javaServer;

    @AfterEach
    void stop() throws Exception {
        procs.close();
        if (javaServer != null) javaServer.close();
    }

    /** A step: "A" or "B", a command template with ${var}s, then optional "var=field" captures. */
    private record Step(String peer, String command, String... captures) {}

    private static Step a(String command, String... captures) {
        return new Step("A", command, captures);
    }

    private static Step b(String command, String... captures) {
        return new Step("B", command, captures);
    }

    /** Both accounts, a group where B is a writer, and B knowing the group. */
    private static List<Step> setUp() {
        return List.of(
                b("{\"cmd\":\"createAccount\",\"name\":\"B\"}", "bob=accountID"),
                a("{\"cmd\":\"createAccount\",\"name\":\"A\"}", "alice=accountID"),
                a("{\"cmd\":\"createGroup\"}", "g=id"),
                a("{\"cmd\":\"addMember\",\"group\":\"${g}\",\"member\":\"${bob}\",\"role\":\"writer\",\"sync\":true}"),
                b("{\"cmd\":\"roleOf\",\"group\":\"${g}\",\"member\":\"${bob}\"}"));
    }

    private static final String EMOJI = "👩‍👩‍👧 e\u0301 🇫🇷 ok"; // ZWJ family, combining accent, flag

    private static final List<Step> TEXT = List.of(
            a("{\"cmd\":\"createText\",\"owner\":\"${g}\",\"init\":" + q(EMOJI) + ",\"sync\":true}", "t=id"),
            b("{\"cmd\":\"waitFor\",\"id\":\"${t}\",\"expected\":" + q(EMOJI) + "}"),
            b("{\"cmd\":\"get\",\"id\":\"${t}\"}"),
            b("{\"cmd\":\"insertText\",\"id\":\"${t}\",\"text\":\"🧑🏽‍💻+\",\"index\":2,\"sync\":true}"),
            b("{\"cmd\":\"deleteText\",\"id\":\"${t}\",\"from\":0,\"to\":1,\"sync\":true}"),
            b("{\"cmd\":\"insertText\",\"id\":\"${t}\",\"text\":\"ünï\",\"sync\":true}"),
            a("{\"cmd\":\"waitFor\",\"id\":\"${t}\",\"expected\":\"${text}\"}"),
            a("{\"cmd\":\"get\",\"id\":\"${t}\"}"),
            a("{\"cmd\":\"deleteText\",\"id\":\"${t}\",\"from\":3,\"to\":9,\"sync\":true}"),
            b("{\"cmd\":\"waitFor\",\"id\":\"${t}\",\"expected\":\"${text}\"}"),
            b("{\"cmd\":\"get\",\"id\":\"${t}\"}"));

    private static final List<Step> LISTS = List.of(
            a("{\"cmd\":\"createList\",\"owner\":\"${g}\",\"init\":[\"a\",\"b\",\"c\",\"d\"],\"sync\":true}", "l=id"),
            b("{\"cmd\":\"waitFor\",\"id\":\"${l}\",\"path\":\"3\",\"expected\":\"d\"}"),
            b("{\"cmd\":\"deleteAt\",\"id\":\"${l}\",\"index\":1}"),
            b("{\"cmd\":\"replace\",\"id\":\"${l}\",\"index\":0,\"value\":{\"x\":[1,2.5,-0,1e21]}}"),
            b("{\"cmd\":\"append\",\"id\":\"${l}\",\"value\":null,\"after\":0}"),
            b("{\"cmd\":\"insert\",\"id\":\"${l}\",\"index\":3,\"value\":\"end\",\"sync\":true}"),
            b("{\"cmd\":\"get\",\"id\":\"${l}\"}"),
            a("{\"cmd\":\"waitFor\",\"id\":\"${l}\",\"path\":\"3\",\"expected\":\"end\"}"),
            a("{\"cmd\":\"get\",\"id\":\"${l}\"}"),
            a("{\"cmd\":\"deleteAt\",\"id\":\"${l}\",\"index\":0}"),
            a("{\"cmd\":\"replace\",\"id\":\"${l}\",\"index\":0,\"value\":\"first\"}"),
            a("{\"cmd\":\"deleteAt\",\"id\":\"${l}\",\"index\":9}"),
            a("{\"cmd\":\"prepend\",\"id\":\"${l}\",\"value\":\"zero\",\"sync\":true}"),
            b("{\"cmd\":\"waitFor\",\"id\":\"${l}\",\"path\":\"0\",\"expected\":\"zero\"}"),
            b("{\"cmd\":\"get\",\"id\":\"${l}\"}"));

    private static final List<Step> STREAMS = List.of(
            a("{\"cmd\":\"createStream\",\"owner\":\"${g}\",\"sync\":true}", "s=id"),
            a("{\"cmd\":\"push\",\"id\":\"${s}\",\"value\":{\"n\":1}}"),
            a("{\"cmd\":\"push\",\"id\":\"${s}\",\"value\":\"two\",\"privacy\":\"trusting\",\"sync\":true}"),
            b("{\"cmd\":\"waitSynced\"}"),
            b("{\"cmd\":\"push\",\"id\":\"${s}\",\"value\":[3],\"sync\":true}"),
            a("{\"cmd\":\"waitSynced\"}"),
            b("{\"cmd\":\"get\",\"id\":\"${s}\",\"path\":\"items\"}"));

    private static final List<Step> INVITES = List.of(
            b("{\"cmd\":\"createAccount\",\"name\":\"C\",\"keepCurrent\":true}"),
            a("{\"cmd\":\"createGroup\"}", "gi=id"),
            a("{\"cmd\":\"createMap\",\"owner\":\"${gi}\",\"init\":{\"k\":\"v\"},\"sync\":true}", "mi=id"),
            a("{\"cmd\":\"createInvite\",\"group\":\"${gi}\",\"role\":\"writer\",\"sync\":true}", "invite=inviteSecret"),
            b("{\"cmd\":\"acceptInvite\",\"id\":\"${gi}\",\"inviteSecret\":\"${invite}\"}"),
            b("{\"cmd\":\"roleOf\",\"group\":\"${gi}\",\"member\":\"${bob}\"}"),
            b("{\"cmd\":\"waitFor\",\"id\":\"${mi}\",\"path\":\"k\",\"expected\":\"v\"}"),
            b("{\"cmd\":\"set\",\"id\":\"${mi}\",\"key\":\"byInvitee\",\"value\":true,\"sync\":true}"),
            a("{\"cmd\":\"waitFor\",\"id\":\"${mi}\",\"path\":\"byInvitee\",\"expected\":true}"),
            a("{\"cmd\":\"roleOf\",\"group\":\"${gi}\",\"member\":\"${bob}\"}"),
            a("{\"cmd\":\"get\",\"id\":\"${mi}\"}"),
            a("{\"cmd\":\"createInvite\",\"group\":\"${gi}\",\"role\":\"reader\",\"sync\":true}", "rinvite=inviteSecret"),
            b("{\"cmd\":\"acceptInvite\",\"id\":\"${gi}\",\"inviteSecret\":\"${rinvite}\"}"),
            b("{\"cmd\":\"roleOf\",\"group\":\"${gi}\",\"member\":\"${bob}\"}"));

    private static final List<Step> MAPS = List.of(
            a("{\"cmd\":\"createMap\",\"owner\":\"${g}\",\"sync\":true}", "m=id"),
            a("{\"cmd\":\"set\",\"id\":\"${m}\",\"key\":\"gone\",\"value\":1}"),
            a("{\"cmd\":\"delete\",\"id\":\"${m}\",\"key\":\"gone\"}"),
            a("{\"cmd\":\"set\",\"id\":\"${m}\",\"key\":\"n\",\"value\":0.1}"),
            a("{\"cmd\":\"set\",\"id\":\"${m}\",\"key\":\"2\",\"value\":\"array-index key\"}"),
            a("{\"cmd\":\"set\",\"id\":\"${m}\",\"key\":\"done\",\"value\":true,\"sync\":true}"),
            b("{\"cmd\":\"waitFor\",\"id\":\"${m}\",\"path\":\"done\",\"expected\":true}"),
            b("{\"cmd\":\"get\",\"id\":\"${m}\"}"),
            b("{\"cmd\":\"delete\",\"id\":\"${m}\",\"key\":\"n\"}"),
            b("{\"cmd\":\"set\",\"id\":\"${m}\",\"key\":\"back\",\"value\":\"from B\",\"sync\":true}"),
            a("{\"cmd\":\"waitFor\",\"id\":\"${m}\",\"path\":\"back\",\"expected\":\"from B\"}"),
            a("{\"cmd\":\"get\",\"id\":\"${m}\"}"));

    /** A map of 400 keys with 2 KB values each: several content pieces on the wire. */
    private static List<Step> largeMap() {
        List<Step> steps = new ArrayList<>();
        steps.add(a("{\"cmd\":\"createMap\",\"owner\":\"${g}\",\"sync\":true}", "big=id"));
        String value = "v".repeat(2048);
        for (int i = 0; i < 400; i++) {
            steps.add(a("{\"cmd\":\"set\",\"id\":\"${big}\",\"key\":\"k" + i + "\",\"value\":\"" + value + i + "\"}"));
        }
        steps.add(a("{\"cmd\":\"set\",\"id\":\"${big}\",\"key\":\"last\",\"value\":true,\"sync\":true}"));
        steps.add(b("{\"cmd\":\"waitFor\",\"id\":\"${big}\",\"path\":\"last\",\"expected\":true}"));
        steps.add(b("{\"cmd\":\"get\",\"id\":\"${big}\",\"path\":\"k399\"}"));
        steps.add(b("{\"cmd\":\"get\",\"id\":\"${big}\"}"));
        return steps;
    }

    private static String q(String s) {
        return InteropProcesses.q(s);
    }

    private static final Pattern VAR = Pattern.compile("\\$\\{(\\w+)}");

    /** Runs {@code steps}; returns the normalized transcript (one "peer command -> answer" per step). */
    private String run(List<Step> steps, Client peerA, Client peerB, Map<String, String> vars) throws Exception {
        Map<String, String> names = new HashMap<>();
        StringBuilder transcript = new StringBuilder();
        for (Step step : steps) {
            Matcher m = VAR.matcher(step.command());
            StringBuilder line = new StringBuilder();
            while (m.find()) {
                String value = vars.get(m.group(1));
                assertNotNull(value, "unset ${" + m.group(1) + "} in " + step.command());
                m.appendReplacement(line, Matcher.quoteReplacement(value));
            }
            m.appendTail(line);
            Client c = step.peer().equals("A") ? peerA : peerB;
            JsonValue.Obj answer = c.send(line.toString());
            for (String capture : step.captures()) {
                String[] cap = capture.split("=");
                assertTrue(answer.get(cap[1]) instanceof JsonValue.Str, line + " -> " + answer);
                vars.put(cap[0], ((JsonValue.Str) answer.get(cap[1])).value());
            }
            if (answer.get("text") instanceof JsonValue.Str t) vars.put("text", t.value()); // the text after an edit
            String shown = step.command().length() > 160 ? step.command().substring(0, 160) + "…" : step.command();
            transcript.append(step.peer()).append(' ').append(shown).append("\n  -> ")
                    .append(JsonWriter.stringify(ScriptNormalizer.normalize(answer, names))).append('\n');
        }
        return transcript.toString();
    }

    /** Every script, in one pair of client processes of the given kinds. */
    private String runPairing(String url, String kindA, String kindB) throws Exception {
        Client peerA = kindA.equals("js") ? procs.nodeClient(url) : procs.javaClient(url);
        Client peerB = kindB.equals("js") ? procs.nodeClient(url) : procs.javaClient(url);
        List<Step> steps = new ArrayList<>(setUp());
        for (List<Step> script : List.of(TEXT, LISTS, STREAMS, MAPS, largeMap(), INVITES)) steps.addAll(script);
        return run(steps, peerA, peerB, new HashMap<>());
    }

    private void compare(String url, String server) throws Exception {
        Map<String, String> transcripts = new LinkedHashMap<>();
        for (String[] pairing : new String[][] {{"js", "js"}, {"js", "java"}, {"java", "js"}, {"java", "java"}}) {
            transcripts.put("A=" + pairing[0] + ", B=" + pairing[1], runPairing(url, pairing[0], pairing[1]));
        }
        StringBuilder all = new StringBuilder();
        transcripts.forEach((k, v) -> all.append("=== ").append(k).append('\n').append(v));
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "two-peer-scripts-" + server + "-server.txt"), all);
        String[] reference = transcripts.get("A=js, B=js").split("\n");
        List<String> diffs = new ArrayList<>();
        for (Map.Entry<String, String> e : transcripts.entrySet()) {
            String[] lines = e.getValue().split("\n");
            assertEquals(reference.length, lines.length, e.getKey() + ": transcript length");
            for (int i = 0; i < lines.length; i++) {
                if (!lines[i].equals(reference[i])) {
                    String at = reference[i].startsWith("  ->") && i > 0 ? reference[i - 1] : reference[i];
                    diffs.add(e.getKey() + " at " + at + "\n   reference: " + reference[i] + "\n   this:      " + lines[i]);
                }
            }
        }
        assertEquals("", String.join("\n", diffs), "answers differ from the reference pairing through the " + server + " server");
    }

    @Test
    void sameTranscriptsThroughTheReferenceServer() throws Exception {
        compare(procs.startReferenceServer(), "js");
    }

    @Test
    void sameTranscriptsThroughTheJavaServer() throws Exception {
        javaServer = EmbeddedSyncServer.start("127.0.0.1", 0, null);
        compare(javaServer.url(), "java");
    }
}
