package io.cojson.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.cojson.core.json.Json;
import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import io.cojson.samples.Main;
import java.io.File;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Subprocesses for interop tests: the JS reference sync server, {@code node ref-client.mjs} clients
 * and Java {@code client} processes (this jar's main class), each driven one JSON line at a time.
 * Every read is bounded; {@link #close} stops everything that was started.
 */
final class InteropProcesses implements AutoCloseable {
    private final List<Process> processes = new ArrayList<>();

    @Override
    public void close() throws Exception {
        for (Process p : processes) {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
        }
    }

    /** Starts {@code sync-server.mjs} on a free loopback port; returns its URL. */
    String startReferenceServer() throws Exception {
        File dir = ClientScriptInteropTest.interopDir();
        assertTrue(new File(dir, "node_modules").isDirectory(), "run `npm ci` in " + dir + " first");
        Process p = new ProcessBuilder("node", "sync-server.mjs", "--port", "0", "--host", "127.0.0.1").directory(dir)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        processes.add(p);
        String line = ProcessLines.of(p, "sync-server.mjs").next();
        assertNotNull(line, "reference server exited before it was ready");
        return str(obj(line), "url");
    }

    Client javaClient(String url) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new Client("java", new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "client", "--peer", url, "--timeout-ms", "20000"));
    }

    Client nodeClient(String url) throws Exception {
        return new Client("js", new ProcessBuilder("node", "ref-client.mjs", "--peer", url, "--timeout-ms", "20000")
                .directory(ClientScriptInteropTest.interopDir()));
    }

    /** A scripted client process: one command line in, one JSON answer line out. */
    final class Client {
        final String name;
        private final ProcessLines out;
        private final Writer in;
        private final List<String> pending = new ArrayList<>();

        Client(String name, ProcessBuilder pb) throws Exception {
            this.name = name;
            Process p = pb.redirectError(ProcessBuilder.Redirect.INHERIT).start();
            processes.add(p);
            out = ProcessLines.of(p, name + " client");
            in = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8);
        }

        /** Writes a command without waiting for its answer (see {@link #answerLine()}). */
        void write(String line) throws Exception {
            in.write(line + "\n");
            in.flush();
            pending.add(line);
        }

        boolean pendingIsEmpty() {
            return pending.isEmpty();
        }

        /** The raw answer line to the oldest written command; it must be ok. */
        String answerLine() throws Exception {
            String line = pending.remove(0);
            String answer = out.next();
            assertNotNull(answer, name + " exited at: " + line);
            assertEquals(JsonValue.TRUE, obj(answer).get("ok"), name + ": " + line + " -> " + answer);
            return answer;
        }

        /** Sends a command and returns its answer, ok or not (an error answer is a result too). */
        JsonValue.Obj send(String line) throws Exception {
            write(line);
            pending.remove(0);
            String answer = out.next();
            assertNotNull(answer, name + " exited at: " + line);
            return obj(answer);
        }

        /** Sends a command and returns its raw answer line, which must be ok. */
        String okLine(String line) throws Exception {
            write(line);
            return answerLine();
        }

        JsonValue.Obj ok(String line) throws Exception {
            return obj(okLine(line));
        }

        /** The parsed answer to the oldest written command; it must be ok. */
        JsonValue.Obj answer() throws Exception {
            return obj(answerLine());
        }

        /** The {@code get} view of {@code id}. */
        JsonValue value(String id) throws Exception {
            return ok("{\"cmd\":\"get\",\"id\":" + q(id) + "}").get("value");
        }
    }

    /** Stops {@code p} with the others at {@link #close}. */
    Process track(Process p) {
        processes.add(p);
        return p;
    }

    static JsonValue.Obj obj(String s) {
        return (JsonValue.Obj) Json.parse(s);
    }

    static String str(JsonValue.Obj o, String key) {
        assertTrue(o.get(key) instanceof JsonValue.Str, key + " in " + o);
        return ((JsonValue.Str) o.get(key)).value();
    }

    /** A JSON string literal. */
    static String q(String s) {
        return JsonWriter.stringify(JsonValue.of(s));
    }

    /** The raw text of each member of a JSON object text, in text order (no re-serialization). */
    static Map<String, String> rawFields(String objectText) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        try (JsonParser p = io.cojson.core.json.internal.JacksonJson.factory().createParser(objectText)) {
            assertEquals(JsonToken.START_OBJECT, p.nextToken(), objectText);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                int start = (int) p.currentTokenLocation().getCharOffset();
                p.skipChildren();
                p.finishToken(); // a scalar's text is read lazily: its end is known only then
                int end = (int) p.currentLocation().getCharOffset();
                out.put(name, objectText.substring(start, end));
            }
        }
        return out;
    }

    /** The raw text of each element of a JSON array text, in order. */
    static List<String> rawElements(String arrayText) throws Exception {
        List<String> out = new ArrayList<>();
        try (JsonParser p = io.cojson.core.json.internal.JacksonJson.factory().createParser(arrayText)) {
            assertEquals(JsonToken.START_ARRAY, p.nextToken(), arrayText);
            while (p.nextToken() != JsonToken.END_ARRAY) {
                int start = (int) p.currentTokenLocation().getCharOffset();
                p.skipChildren();
                p.finishToken(); // a scalar's text is read lazily: its end is known only then
                int end = (int) p.currentLocation().getCharOffset();
                out.add(arrayText.substring(start, end));
            }
        }
        return out;
    }
}
