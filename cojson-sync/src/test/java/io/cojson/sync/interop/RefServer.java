package io.cojson.sync.interop;

import io.cojson.core.json.Json;
import io.cojson.core.json.JsonValue;
import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** The JS reference sync server (cojson 0.20.19, in memory) as a child process on 127.0.0.1. */
public final class RefServer implements AutoCloseable {
    private final Process process;
    private final String url;

    public RefServer() throws IOException, InterruptedException {
        File dir = new File(System.getProperty("cojson.interop.dir", "../../shared/interop")).getCanonicalFile();
        if (!new File(dir, "node_modules").isDirectory()) throw new IllegalStateException("run `npm ci` in " + dir + " first");
        process = new ProcessBuilder("node", "sync-server.mjs", "--port", "0", "--host", "127.0.0.1")
                .directory(dir).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String ready = ProcessLines.of(process, "sync-server.mjs").next(Duration.ofSeconds(60));
        if (ready == null) throw new IllegalStateException("reference server exited before it was ready");
        JsonValue.Obj r = (JsonValue.Obj) Json.parse(ready);
        url = ((JsonValue.Str) r.get("url")).value();
    }

    public String url() {
        return url;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
    }
}
