package io.cojson.samples.hostile;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Captures what slf4j-simple (the test binding) writes: it prints to whatever {@code System.err}
 * is at the time of each log call, so replacing it for the test catches every line, still teed
 * to the real stream. Tests in a JVM run one at a time.
 */
final class LogCapture implements AutoCloseable {
    private final PrintStream original = System.err;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    LogCapture() {
        OutputStream tee = new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (captured) {
                    captured.write(b);
                }
                original.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (captured) {
                    captured.write(b, off, len);
                }
                original.write(b, off, Math.min(len, 2_000)); // keep the surefire output readable
            }
        };
        System.setErr(new PrintStream(tee, true, StandardCharsets.UTF_8));
    }

    /** Every captured line, split the way a log reader splits them. */
    List<String> lines() {
        String all;
        synchronized (captured) {
            all = captured.toString(StandardCharsets.UTF_8);
        }
        return all.lines().toList();
    }

    @Override
    public void close() {
        System.err.flush();
        System.setErr(original);
    }
}
