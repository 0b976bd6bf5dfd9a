package io.cojson.samples.hostile;

import static io.cojson.samples.hostile.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.cojson.server.CojsonServer;
import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 11 B.3's number case against the real server over a real socket: an 18 MB frame of 2,000
 * numbers of 9,000 digits each (it once cost 5.1 s of server CPU, the digits going through
 * BigInteger). The frame is read, parsed (each number is Infinity, as {@code JSON.parse} reads it)
 * and refused as an invalid load with its reason logged; the connection stays open and a
 * well-behaved client syncs afterwards. The time taken is printed for the note, not
 * asserted.
 */
class HostileNumberFrameTest {
    private static final int NUMBERS = 2_000;
    private static final int DIGITS = 9_000;

    /** A load whose known-state counters are the huge numbers, under session IDs of the right shape. */
    static String frame() {
        StringBuilder sb = new StringBuilder(NUMBERS * (DIGITS + 40) + 100);
        sb.append("{\"action\":\"load\",\"id\":\"co_zHostileNumbers\",\"header\":false,\"sessions\":{");
        String digits = "7".repeat(DIGITS);
        for (int i = 0; i < NUMBERS; i++) {
            if (i > 0) sb.append(',');
            sb.append("\"co_zAccount").append(i).append("_session_zS").append(i).append("\":").append(digits);
        }
        return sb.append("}}").toString();
    }

    @Test
    void aFrameOfNineThousandDigitNumbersIsRefusedQuicklyAndTheServerStaysUsable() throws Exception {
        String frame = frame();
        try (LogCapture logs = new LogCapture();
             CojsonServer server = CojsonServer.builder().start();
             RawWebSocket ws = RawWebSocket.connect(server.port(), 0)) {
            long cpu0 = processCpuNanos();
            long sender0 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            ws.sendText(frame);
            await("the whole frame read and handled", () -> server.transport().peakIncomingBytes() >= frame.length()
                    && server.transport().incomingBytesHeld() == 0);
            long elapsed = System.nanoTime() - t0;
            long sender = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - sender0;
            long cpu = processCpuNanos() - cpu0 - sender;
            await("the refusal logged", () -> refusals(logs).size() == 1);
            String line = refusals(logs).get(0);
            assertFalse(line.length() > 600, "the refusal's log line is cut short: " + line.length() + " chars");
            assertFalse(ws.serverDropped(), "an invalid message is answered, not a reason to close");
            System.out.printf("B.3 numbers: %,d chars handled in %d ms wall, %d ms CPU besides the sending thread%n",
                    frame.length(), elapsed / 1_000_000, cpu / 1_000_000);
            HostileLargeFramesTest.wellBehavedClientSyncs(server);
            assertEquals(1, refusals(logs).size(), "nothing else was refused");
        }
    }

    private static List<String> refusals(LogCapture logs) {
        return logs.lines().stream()
                .filter(l -> l.contains("INVALID_MESSAGE") && l.contains("co_zAccount0_session_zS0") && l.contains("Infinity"))
                .toList();
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
