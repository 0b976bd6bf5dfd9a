package io.cojson.samples.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.json.Json;
import io.cojson.core.json.JsonValue;
import io.cojson.samples.Main;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 B.1, last part: an OutOfMemoryError on the server's sync thread (injected with the
 * {@code throw:oom} fault, the same catch path as a real one) ends the {@code server} process
 * with status 70 instead of leaving a process that accepts connections and does nothing.
 */
class FatalErrorExitTest {
    @TempDir
    Path tmp;

    @Test
    void anOutOfMemoryErrorOnTheSyncThreadEndsTheServerProcess() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path err = tmp.resolve("server.err");
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "server", "--port", "0", "--db", tmp.resolve("db").toString())
                .redirectError(err.toFile());
        pb.environment().put("COJSON_FAULTS", "sync.incoming.beforeHandle=throw:oom");
        Process p = pb.start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String ready = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (Exception e) {
                    return null;
                }
            }).get(60, TimeUnit.SECONDS);
            assertNotNull(ready, "server exited before it was ready");
            int port = (int) ((JsonValue.Num) ((JsonValue.Obj) Json.parse(ready)).get("port")).value();
            try (RawWebSocket c = RawWebSocket.connect(port, 0)) {
                c.sendText("{\"action\":\"load\",\"id\":\"co_zXr8uZjuEmVBmk4H8AuWUu4SsoH\",\"header\":false,\"sessions\":{}}");
                assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the server kept running after an OutOfMemoryError");
            }
            assertEquals(70, p.exitValue());
            String log = Files.readString(err);
            assertTrue(log.contains("server: fatal error on thread cojson-sync") && log.contains("OutOfMemoryError"), log);
        } finally {
            p.destroyForcibly();
        }
    }
}
