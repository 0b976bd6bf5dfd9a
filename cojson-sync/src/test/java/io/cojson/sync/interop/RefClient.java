package io.cojson.sync.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.cojson.core.json.Json;
import io.cojson.core.json.JsonValue;
import java.io.File;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One scripted reference client ({@code node ref-client.mjs} of the interop folder) connected to
 * {@code url}: a command line in, one JSON answer out, each read bounded (90 s). Closing it stops
 * the process.
 */
public final class RefClient implements AutoCloseable {
    private final Process process;
    private final ProcessLines out;
    private final Writer in;

    public RefClient(String url) throws Exception {
        File dir = new File(System.getProperty("cojson.interop.dir", "../../shared/interop")).getCanonicalFile();
        process = new ProcessBuilder("node", "ref-client.mjs", "--peer", url, "--timeout-ms", "20000").directory(dir)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        out = ProcessLines.of(process, "ref-client.mjs");
        in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    }

    /** Sends a command; its answer must be ok. */
    public JsonValue.Obj cmd(String json) throws Exception {
        in.write(json + "\n");
        in.flush();
        String line = out.next(Duration.ofSeconds(90));
        assertNotNull(line, "ref-client.mjs exited at: " + json);
        JsonValue.Obj answer = (JsonValue.Obj) Json.parse(line);
        assertEquals(JsonValue.TRUE, answer.get("ok"), json + " -> " + answer);
        return answer;
    }

    public static String str(JsonValue.Obj o, String key) {
        return ((JsonValue.Str) o.get(key)).value();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
    }
}
