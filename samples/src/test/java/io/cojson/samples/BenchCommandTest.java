package io.cojson.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchCommandTest {
    @Test
    void unknownW5ServerIsAUsageError() {
        PrintStream err = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = new CommandLine(new Main()).execute("bench", "W5", "--server", "nope");
        } finally {
            System.setErr(err);
        }
        assertEquals(2, code);
        assertTrue(buf.toString(StandardCharsets.UTF_8).contains("--server must be ref or java"));
    }

    @Test
    void unknownWorkloadIsAUsageError() {
        assertEquals(2, new CommandLine(new Main()).execute("bench", "W9"));
    }

    @Test
    void w7NeedsAtLeastOneSubscriber() {
        PrintStream err = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = new CommandLine(new Main()).execute("bench", "W7", "--clients", "0");
        } finally {
            System.setErr(err);
        }
        assertEquals(2, code);
        assertTrue(buf.toString(StandardCharsets.UTF_8).contains("--clients positive"));
    }
}
