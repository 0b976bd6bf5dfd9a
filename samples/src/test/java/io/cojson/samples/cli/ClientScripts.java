package io.cojson.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A script for several ref-client protocol clients, run once with reference clients only and once
 * per other mix of reference and Java clients, through one server; every answer, normalized as in
 * {@link ClientScriptInteropTest}, must be the same text in each run.
 *
 * <p>A step is a line {@code A> {json command with ${vars}} | var=field ... until=field}: the client's
 * letter (each letter is its own process), the command, then optional
 * captures from the answer and an optional {@code until=field}: the command is repeated (100 ms
 * apart, at most 20 s) until that field of the answer is true, for a change that reaches a client
 * from the server with no command to wait on (a received tombstone); the last answer counts.
 */
final class ClientScripts {
    private static final Pattern VAR = Pattern.compile("\\$\\{(\\w+)}");

    record Step(String client, String command, List<String[]> captures, String until) {
        @Override
        public String toString() {
            return client + "> " + command;
        }
    }

    private ClientScripts() {}

    /** One step a line; blank lines and lines starting with {@code #} (comments) are skipped. */
    static List<Step> parse(String script) {
        List<Step> steps = new ArrayList<>();
        for (String line : script.strip().split("\n")) {
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            int gt = line.indexOf("> ");
            String client = line.substring(0, gt);
            String[] parts = line.substring(gt + 2).split(" \\| ");
            List<String[]> captures = new ArrayList<>();
            String until = null;
            for (int i = 1; i < parts.length; i++) {
                for (String option : parts[i].trim().split(" ")) {
                    String[] kv = option.split("=");
                    if (kv[0].equals("until")) until = kv[1];
                    else captures.add(kv);
                }
            }
            steps.add(new Step(client, parts[0].trim(), captures, until));
        }
        return steps;
    }

    /** Runs {@code steps}; clients whose letter is in {@code javaClients} are Java clients, the others reference clients. */
    static List<JsonValue> run(InteropProcesses procs, String url, List<Step> steps, Set<String> javaClients) throws Exception {
        Map<String, Client> clients = new HashMap<>();
        for (Step step : steps) { // all processes start now, to boot side by side
            if (!clients.containsKey(step.client())) {
                clients.put(step.client(), javaClients.contains(step.client()) ? procs.javaClient(url) : procs.nodeClient(url));
            }
        }
        Map<String, String> vars = new HashMap<>();
        List<JsonValue> answers = new ArrayList<>();
        for (Step step : steps) {
            Client c = clients.get(step.client());
            Matcher m = VAR.matcher(step.command());
            StringBuilder line = new StringBuilder();
            while (m.find()) {
                String value = vars.get(m.group(1));
                assertTrue(value != null, "no ${" + m.group(1) + "} before " + step);
                m.appendReplacement(line, Matcher.quoteReplacement(value));
            }
            m.appendTail(line);
            JsonValue.Obj answer = c.send(line.toString());
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (step.until() != null && !JsonValue.TRUE.equals(answer.get(step.until())) && System.nanoTime() < deadline) {
                Thread.sleep(100);
                answer = c.send(line.toString());
            }
            for (String[] cap : step.captures()) {
                assertTrue(answer.get(cap[1]) instanceof JsonValue.Str, c.name + ": " + line + " -> " + answer);
                vars.put(cap[0], ((JsonValue.Str) answer.get(cap[1])).value());
            }
            answers.add(answer);
        }
        return answers;
    }

    /**
     * Runs the script with reference clients only, then with each mix in {@code javaMixes} (the
     * letters that are Java clients); asserts every answer matches the reference run's, and writes
     * the transcripts to {@code target/<name>.txt}.
     */
    static void compare(InteropProcesses procs, String url, List<Step> steps, String name, List<Set<String>> javaMixes) throws Exception {
        List<JsonValue> reference = run(procs, url, steps, Set.of());
        StringBuilder transcript = new StringBuilder();
        List<String> diffs = new ArrayList<>();
        List<List<String>> runs = new ArrayList<>();
        runs.add(normalized(reference));
        for (Set<String> mix : javaMixes) runs.add(normalized(run(procs, url, steps, mix)));
        for (int i = 0; i < steps.size(); i++) {
            transcript.append(steps.get(i)).append("\n  js only  ").append(runs.get(0).get(i)).append('\n');
            for (int k = 1; k < runs.size(); k++) {
                String label = "java " + String.join("", new java.util.TreeSet<>(javaMixes.get(k - 1)));
                transcript.append("  ").append(label).append(' ').append(runs.get(k).get(i)).append('\n');
                if (!runs.get(0).get(i).equals(runs.get(k).get(i))) {
                    diffs.add(steps.get(i) + "\n   js only: " + runs.get(0).get(i) + "\n   " + label + ": " + runs.get(k).get(i));
                }
            }
        }
        Files.writeString(Path.of("target", name + ".txt"), transcript);
        assertEquals("", String.join("\n", diffs), "answers differ from the reference clients' (see target/" + name + ".txt)");
    }

    private static List<String> normalized(List<JsonValue> answers) {
        Map<String, String> names = new LinkedHashMap<>();
        List<String> out = new ArrayList<>();
        for (JsonValue a : answers) out.add(JsonWriter.stringify(ScriptNormalizer.normalize(a, names)));
        return out;
    }
}
