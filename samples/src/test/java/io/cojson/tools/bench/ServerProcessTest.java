package io.cojson.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** How the bench reads a server child's first line: its JSON line, after anything a JVM prints first. */
class ServerProcessTest {
    @Test
    void linesBeforeTheJsonLineArePassedOver() throws Exception {
        // a JVM with a stale class-data-sharing archive prints a warning on stdout before the server starts
        ProcessBuilder pb = new ProcessBuilder("sh", "-c",
                "echo '[0.031s][warning][cds,dynamic] Unable to use shared archive.'; echo '{\"port\":4321}'; sleep 30");
        try (ServerProcess p = ServerProcess.start(pb, "a test server")) {
            assertEquals("ws://127.0.0.1:4321", p.url);
        }
    }

    @Test
    void aChildThatNeverPrintsJsonIsRefused() {
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", "echo 'not json'; echo 'still not json'");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ServerProcess.start(pb, "a test server"));
        assertTrue(e.getMessage().contains("did not report its url or port"), e.getMessage());
    }
}
