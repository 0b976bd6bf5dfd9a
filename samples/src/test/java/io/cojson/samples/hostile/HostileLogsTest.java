package io.cojson.samples.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.cojson.server.CojsonServer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Issue 11 B.4 against the real server over real sockets: text a client controls never forges a
 * log line or makes a huge one, and every close is logged with its code (1007 and 1009 included).
 */
class HostileLogsTest {
    private static final int MAX_FRAME = 16 << 20;

    @Test
    void clientTextIsEscapedAndCutAndEveryCloseIsLoggedWithItsCode() throws Exception {
        try (LogCapture logs = new LogCapture();
             CojsonServer server = CojsonServer.builder().transport(b -> b.maxMessageBytes(MAX_FRAME)).start()) {
            int port = server.port();
            try (RawWebSocket c = RawWebSocket.connect(port, 0)) {
                c.sendText("{\"action\":\"x\\nFORGED-A 1 [main] INFO fake\\r\\nFORGED-A2\",\"id\":\"co_zz\"}");
                c.sendText("{\"action\":\nFORGED-B not json");
                c.sendText("{\"action\":\"load\",\"id\":\"co_z" + "a".repeat(10_000_000) + "\",\"header\":false,\"sessions\":{}}");
                c.sendText("{\"action\":\"content\",\"id\":\"co_zz\",\"priority\":0,\"new\":{\"k\":{\"after\":0,"
                        + "\"newTransactions\":\"x\\u2028FORGED-D\\nFORGED-D2\",\"lastSignature\":\"s\"}}}");
                awaitLine(logs, l -> l.contains("FORGED-B"), "the undecodable frame");
                awaitLine(logs, l -> l.contains("co_zaaaa"), "the invalid 10 MB id");
                awaitLine(logs, l -> l.contains("FORGED-D"), "the invalid content");
                c.sendClose(1000, "bye\nFORGED-C".getBytes(StandardCharsets.UTF_8));
                awaitLine(logs, l -> l.contains("closed: 1000 bye\\nFORGED-C"), "the client's close with its reason");
            }
            try (RawWebSocket c = RawWebSocket.connect(port, 0)) {
                c.sendFrame(0x1, new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}); // invalid UTF-8
                awaitLine(logs, l -> l.contains("closed: 1007"), "the close for bad UTF-8");
            }
            try (RawWebSocket c = RawWebSocket.connect(port, 0)) {
                try {
                    c.sendFrame(0x1, new byte[MAX_FRAME + 1]); // Jetty counts what arrives, not the header
                } catch (java.io.IOException e) {
                    // the server may close before the last bytes are written
                }
                awaitLine(logs, l -> l.contains("closed: 1009"), "the close for a too large frame");
            }
            List<String> lines = logs.lines();
            assertTrue(lines.stream().anyMatch(l -> l.contains("x\\nFORGED-A 1 [main] INFO fake\\r\\nFORGED-A2")),
                    "the unknown action was logged escaped");
            for (String l : lines) {
                assertTrue(!l.startsWith("FORGED"), "a client forged a log line: " + cut(l));
                assertTrue(l.length() <= 4_000, "a log line of " + l.length() + " chars: " + cut(l));
            }
            assertEquals(List.of(), lines.stream().filter(l -> l.contains("\u2028")).map(HostileLogsTest::cut).toList(),
                    "line separators are escaped");
        }
    }

    private static void awaitLine(LogCapture logs, Predicate<String> p, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (logs.lines().stream().noneMatch(p)) {
            if (System.nanoTime() > deadline) fail("no log line for " + what + " within 10 s");
            Thread.sleep(20);
        }
    }

    private static String cut(String l) {
        return l.length() > 300 ? l.substring(0, 300) + "…" : l;
    }
}
