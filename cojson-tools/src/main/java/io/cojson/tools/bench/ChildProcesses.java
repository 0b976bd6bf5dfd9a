package io.cojson.tools.bench;

import io.cojson.core.json.Json;
import io.cojson.core.json.JsonValue;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** Child processes of the bench: fresh JVMs that print one JSON line, and their memory. */
public final class ChildProcesses {
    private ChildProcesses() {}

    /** {@code java <jvmFlags> -cp <this classpath> <mainClass> <args>}, with this JVM's crypto choice. */
    public static List<String> javaCommand(List<String> jvmFlags, String mainClass, List<String> args) {
        return javaCommand(jvmFlags, System.getProperty("java.class.path"), mainClass, args);
    }

    /** As above, with the given class path. */
    public static List<String> javaCommand(List<String> jvmFlags, String classPath, String mainClass, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(BenchAll.javaBinary());
        for (String o : jvmFlags) if (!o.isBlank()) cmd.add(o.trim());
        String crypto = System.getProperty("cojson.crypto");
        if (crypto != null && jvmFlags.stream().noneMatch(f -> f.startsWith("-Dcojson.crypto="))) cmd.add("-Dcojson.crypto=" + crypto);
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(mainClass);
        cmd.addAll(args);
        return cmd;
    }

    /**
     * A child JVM with this JVM's own flags (so a tuned bench run tunes its children too), except
     * {@code -XX:ArchiveClassesAtExit}: only the JVM it was given to writes that archive (a child
     * would write the same file at its own exit).
     */
    public static List<String> javaCommand(String mainClass, List<String> args) {
        List<String> flags = new ArrayList<>();
        for (String f : BenchResult.jvmFlags()) if (!f.startsWith("-XX:ArchiveClassesAtExit=")) flags.add(f);
        return javaCommand(flags, mainClass, args);
    }

    /**
     * Runs {@code cmd} to its end (bounded by {@code timeoutS}, then killed) and returns its last
     * non-blank stdout line as a JSON object; stderr goes to ours. Fails on a non-zero exit.
     */
    public static JsonValue.Obj lastJsonLine(List<String> cmd, long timeoutS) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        p.getOutputStream().close();
        AtomicReference<String> last = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) if (!line.isBlank()) last.set(line);
            } catch (IOException e) {
                // the process ended or was killed
            }
        }, "bench-child-stdout");
        reader.setDaemon(true);
        reader.start();
        int code;
        try {
            if (!p.waitFor(timeoutS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out after " + timeoutS + " s");
            }
            code = p.exitValue();
            reader.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        String line = last.get();
        if (code != 0 || line == null) throw new IOException("exit code " + code);
        if (!(Json.parse(line) instanceof JsonValue.Obj o)) throw new IOException("not a JSON object: " + line);
        return o;
    }

    /** Peak resident set size (VmHWM) of a process in MB, or -1 where /proc does not tell. */
    public static double peakRssMb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    String v = line.substring(6).trim().toLowerCase(Locale.ROOT).replace("kb", "").trim();
                    return BenchResult.round(Double.parseDouble(v) / 1024.0, 1);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or the process is gone
        }
        return -1;
    }
}
