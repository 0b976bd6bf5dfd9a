package io.cojson.samples.cli;

import io.cojson.core.json.Json;
import io.cojson.core.json.JsonValue;
import io.cojson.samples.Main;
import java.io.File;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One process of the chaos run ({@link ChaosInteropTest}): the Java server, a Java {@code client}
 * on its own MapDB directory, or a {@code node ref-client.mjs}. It can be killed with SIGKILL and
 * started again on the same storage. Commands carry a {@code reqId}, so an answer that comes after
 * its wait gave up is skipped instead of being taken for the next command's. Standard error goes to
 * a log file per peer under {@code target/chaos/}.
 */
final class ChaosPeer {
    enum Kind { SERVER, JAVA_CLIENT, JS_CLIENT }

    final String name;
    final Kind kind;
    final Path db;
    private final String url;
    private final File log;
    /** Held while a command is in flight or while the process is being replaced. */
    final ReentrantLock lock = new ReentrantLock();
    private static final AtomicLong REQ = new AtomicLong();
    private volatile Process process;
    private volatile ProcessLines out;
    private Writer in;
    /** True while the process is up and logged in (a client) or listening (the server). */
    volatile boolean ready;
    int starts;

    ChaosPeer(String name, Kind kind, Path db, String url, File log) {
        this.name = name;
        this.kind = kind;
        this.db = db;
        this.url = url;
        this.log = log;
    }

    private static List<String> jvm() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // two cores for seven processes: a light JIT and GC keep start-up and CPU use down
        return List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), Main.class.getName());
    }

    /** Starts the process; for the server, returns the port from its ready line (else -1). */
    int start() throws Exception {
        java.util.List<String> cmd = new java.util.ArrayList<>();
        ProcessBuilder pb = new ProcessBuilder(cmd);
        switch (kind) {
            case SERVER -> {
                cmd.addAll(jvm());
                cmd.addAll(List.of("server", "--port", "0", "--db", db.toString()));
            }
            case JAVA_CLIENT -> {
                cmd.addAll(jvm());
                cmd.addAll(List.of("client", "--peer", url, "--db", db.toString(), "--timeout-ms", "20000"));
            }
            case JS_CLIENT -> {
                cmd.addAll(List.of("node", "ref-client.mjs", "--peer", url, "--timeout-ms", "20000"));
                pb.directory(ClientScriptInteropTest.interopDir());
            }
        }
        Process p = pb.redirectError(ProcessBuilder.Redirect.appendTo(log)).start();
        starts++;
        process = p;
        out = ProcessLines.of(p, name);
        in = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8);
        if (kind != Kind.SERVER) return -1;
        String line = out.next(Duration.ofSeconds(60));
        if (line == null) throw new AssertionError(name + " exited before it was ready (see " + log + ")");
        JsonValue.Obj o = (JsonValue.Obj) Json.parse(line);
        if (!JsonValue.TRUE.equals(o.get("ready"))) throw new AssertionError(name + ": " + line);
        return (int) ((JsonValue.Num) o.get("port")).value();
    }

    /** SIGKILL ({@link Process#destroyForcibly} on Unix), then waits (bounded) for the process to end. */
    void kill() throws InterruptedException {
        ready = false;
        Process p = process;
        if (p == null) return;
        p.destroyForcibly();
        if (!p.waitFor(20, TimeUnit.SECONDS)) throw new AssertionError(name + " did not die after SIGKILL");
    }

    boolean alive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    /**
     * Sends {@code command} (a JSON object text without its closing brace is completed with a
     * {@code reqId}) and returns its answer, or null when the process ended or no answer came
     * within {@code wait}.
     */
    JsonValue.Obj send(String command, Duration wait) throws InterruptedException {
        String reqId = name + "#" + REQ.incrementAndGet();
        String line = command.substring(0, command.length() - 1) + ",\"reqId\":" + InteropProcesses.q(reqId) + "}";
        ProcessLines lines = out;
        try {
            in.write(line + "\n");
            in.flush();
        } catch (IOException e) {
            return null; // the process is gone
        }
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return null;
            String answer;
            try {
                answer = lines.next(Duration.ofNanos(left));
            } catch (AssertionError timeout) {
                return null;
            }
            if (answer == null) return null;
            JsonValue.Obj o = (JsonValue.Obj) Json.parse(answer);
            if (JsonValue.of(reqId).equals(o.get("reqId"))) return o;
        }
    }

    /** {@link #send}, which must answer ok within {@code wait}. */
    JsonValue.Obj ok(String command, Duration wait) throws InterruptedException {
        JsonValue.Obj a = send(command, wait);
        if (a == null) throw new AssertionError(name + ": no answer within " + wait.toSeconds() + " s to " + command + " (see " + log + ")");
        if (!JsonValue.TRUE.equals(a.get("ok"))) throw new AssertionError(name + ": " + command + " -> " + a);
        return a;
    }

    /** Ends the process: SIGTERM first, SIGKILL after 10 s. */
    void stop() throws InterruptedException {
        ready = false;
        Process p = process;
        if (p == null) return;
        p.destroy();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
