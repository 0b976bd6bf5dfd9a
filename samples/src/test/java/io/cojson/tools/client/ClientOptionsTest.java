package io.cojson.tools.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.storage.engine.MapDbStorage;
import io.cojson.sync.RecoverySwitches;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The recovery options of {@code client} (issue 8, deliverable 8): storage queue and prevention switches. */
class ClientOptionsTest {
    @TempDir
    Path tmp;
    private final InputStream in = System.in;
    private final PrintStream out = System.out;

    @AfterEach
    void restore() {
        System.setIn(in);
        System.setOut(out);
        System.clearProperty(RecoverySwitches.VERIFY_BEFORE_PUSH);
        System.clearProperty(RecoverySwitches.SESSION_REUSE_GUARD);
        System.clearProperty(RecoverySwitches.PERSIST_BEFORE_SEND);
    }

    private int run(String stdin, ByteArrayOutputStream stdout, String... args) {
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
        return new CommandLine(new ClientCommand()).execute(args);
    }

    @Test
    void inlineStorageAndSwitchesApplyAndCommitBeforeAnswering() throws Exception {
        Path db = tmp.resolve("db");
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        int code = run("{\"cmd\":\"createAccount\",\"name\":\"A\"}\n{\"cmd\":\"createGroup\"}\n{\"cmd\":\"quit\"}\n", stdout,
                "--db", db.toString(), "--storage-queue", "inline", "--verify-before-push", "false", "--session-reuse-guard", "false",
                "--persist-before-send", "true");
        assertEquals(0, code, stdout.toString(StandardCharsets.UTF_8));
        assertEquals("false", System.getProperty(RecoverySwitches.VERIFY_BEFORE_PUSH));
        assertEquals("false", System.getProperty(RecoverySwitches.SESSION_REUSE_GUARD));
        assertEquals("true", System.getProperty(RecoverySwitches.PERSIST_BEFORE_SEND));
        String answers = stdout.toString(StandardCharsets.UTF_8);
        assertTrue(answers.contains("\"ok\":true"), answers);
        String group = answers.replaceAll("(?s).*\"id\":\"(co_[A-Za-z0-9]+)\".*", "$1");
        try (MapDbStorage reopened = MapDbStorage.open(db)) {
            assertTrue(reopened.knownState(new io.cojson.core.ids.RawCoID(group)).header(), "the group is stored: " + answers);
        }
    }

    @Test
    void badValuesAreRefusedWithUsageExitCode() {
        assertEquals(2, run("", new ByteArrayOutputStream(), "--storage-queue", "bogus"));
        assertEquals(2, run("", new ByteArrayOutputStream(), "--verify-before-push", "maybe"));
    }
}
