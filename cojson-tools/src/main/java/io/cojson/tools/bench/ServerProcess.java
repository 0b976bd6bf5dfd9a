package io.cojson.tools.bench;

import io.cojson.core.json.Json;
import io.cojson.core.json.JsonValue;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A sync server in a child process, in memory: the JS reference server ({@code node
 * sync-server.mjs --port 0} in the interop dir, which prints {@code {"url":...}}) or the Java
 * server in a child JVM ({@link BenchServer}, which prints {@code {"ready":true,"port":N}}).
 */
final class ServerProcess implements AutoCloseable {
    static final long START_TIMEOUT_S = 60;

    final Process process;
    final String url;

    private ServerProcess(Process process, String url) {
        this.process = process;
        this.url = url;
    }

    /** The reference server of {@code interopDir}. */
    static ServerProcess ref(File interopDir) throws Exception {
        File dir = interopDir.getCanonicalFile();
        if (!new File(dir, "sync-server.mjs").isFile() || !new File(dir, "node_modules").isDirectory()) {
            throw new IllegalStateException("no reference server in " + dir
                    + " (need sync-server.mjs and node_modules; set --interop-dir or -Dcojson.interop.dir, or use --server java)");
        }
        return start(new ProcessBuilder("node", "sync-server.mjs", "--port", "0").directory(dir), "the reference server");
    }

    /** The Java server command in a child JVM with this JVM's flags, in memory. */
    static ServerProcess java() throws Exception {
        List<String> cmd = ChildProcesses.javaCommand(BenchServer.class.getName(), List.of());
        return start(new ProcessBuilder(cmd), "the Java server");
    }

    static ServerProcess start(ProcessBuilder pb, String what) throws Exception {
        Process p = pb.redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        try {
            line = CompletableFuture.supplyAsync(() -> {
                try {
                    // the first JSON line: a JVM may print warnings to stdout first (e.g. a stale CDS archive)
                    String l;
                    while ((l = out.readLine()) != null && !l.startsWith("{")) {
                        System.err.println(what + ": " + l);
                    }
                    return l;
                } catch (IOException e) {
                    return null;
                }
            }).get(START_TIMEOUT_S, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            p.destroyForcibly();
            throw new TimeoutException(what + " did not start within " + START_TIMEOUT_S + " s");
        }
        String url = line == null ? null : urlOf(Json.parse(line));
        if (url == null) {
            p.destroyForcibly();
            throw new IllegalStateException(what + " did not report its url or port: " + line);
        }
        // drain the rest of stdout so that the child never blocks on a full pipe
        Thread drain = new Thread(() -> {
            try {
                while (out.readLine() != null) {
                    // ignore
                }
            } catch (IOException e) {
                // closed
            }
        }, "bench-server-stdout");
        drain.setDaemon(true);
        drain.start();
        return new ServerProcess(p, url);
    }

    private static String urlOf(JsonValue ready) {
        if (!(ready instanceof JsonValue.Obj o)) return null;
        if (o.get("url") instanceof JsonValue.Str u) return u.value();
        if (o.get("port") instanceof JsonValue.Num port) return "ws://127.0.0.1:" + port.longValue();
        return null;
    }

    /** The server's peak RSS so far (MB; -1 if unknown). */
    double peakRssMb() {
        return ChildProcesses.peakRssMb(process.pid());
    }

    /** The server's user+system CPU so far (ns; -1 if the OS does not tell). */
    long cpuNanos() {
        return process.toHandle().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(-1L);
    }

    /** CPU seconds between two {@link #cpuNanos} readings, or -1 if either is unknown. */
    static double cpuSecondsBetween(long before, long after) {
        return before < 0 || after < 0 ? -1 : Math.round((after - before) / 1e4) / 1e5;
    }

    @Override
    public void close() {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // ignore
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
