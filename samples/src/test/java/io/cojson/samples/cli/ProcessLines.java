package io.cojson.samples.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The stdout lines of a child process, read by one daemon thread into a queue, so every read is
 * bounded and a read that timed out leaves no reader behind to swallow a later line. (The same
 * class as cojson-sync's interop tests use; test classes are not shared between modules.)
 */
public final class ProcessLines {
    private static final String END = new String("<end of output>"); // compared by identity
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final String name;

    private ProcessLines(Process p, String name) {
        this.name = name;
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) lines.add(l);
            } catch (IOException e) {
                // the process went away: same as the end of its output
            } finally {
                lines.add(END);
            }
        }, "stdout of " + name);
        t.setDaemon(true);
        t.start();
    }

    public static ProcessLines of(Process p, String name) {
        return new ProcessLines(p, name);
    }

    /** {@link #next(Duration)} with 90 s: enough for a JVM or node process to start on a busy machine. */
    public String next() throws InterruptedException {
        return next(Duration.ofSeconds(90));
    }

    /** The next line, or null once the output has ended; fails if none comes within {@code timeout}. */
    public String next(Duration timeout) throws InterruptedException {
        String l = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (l == null) throw new AssertionError(name + ": no output line within " + timeout.toSeconds() + " s");
        if (l == END) {
            lines.add(END);
            return null;
        }
        return l;
    }
}
