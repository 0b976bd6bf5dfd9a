package io.cojson.sync.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A client JVM exits by itself once {@code main} returns: no OkHttp thread outlives close() (issue 9). */
class ClientExitTest {
    @Test
    @org.junit.jupiter.api.DisplayName("A client JVM exits as soon as main returns, and every cojson thread (own, shared timers, shared pool) ends once idle after its clients closed")
    void aClientJvmExitsSoonAfterMainReturns() throws Exception {
        try (SyncWebSocketServer server = SyncWebSocketServer.builder().host("127.0.0.1").port(0).build()) {
            server.start(ch -> ch.setListener(new MessageChannel.Listener() {
                @Override
                public void onMessage(String m) {
                    ch.send(m);
                }

                @Override
                public void onClosed(String reason) {}
            }));
            String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:TieredStopAtLevel=1", "-cp", cp, ClientExitChild.class.getName(), server.url()))
                    .redirectErrorStream(true).start();
            StringBuilder out = new StringBuilder();
            long[] returnedAt = {0};
            Thread pump = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null;) {
                        if (line.equals("main returns")) returnedAt[0] = System.nanoTime();
                        synchronized (out) {
                            out.append(line).append('\n');
                        }
                    }
                } catch (java.io.IOException e) {
                    // the child is gone
                }
            });
            pump.setDaemon(true);
            pump.start();
            // OkHttp's non-daemon dispatcher threads used to keep the JVM alive 60 s after main returned
            boolean exited = p.waitFor(45, TimeUnit.SECONDS);
            if (!exited) p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            pump.join(5_000);
            String log;
            synchronized (out) {
                log = out.toString();
            }
            assertTrue(log.contains("main returns"), "the child did its work:\n" + log);
            assertTrue(exited, "the child JVM was still alive 45 s after start; output:\n" + log);
            assertTrue(log.contains("cojson threads left: 0 "), "no cojson thread outlives its clients once idle:\n" + log);
            assertEquals(0, p.exitValue(), log);
            System.out.printf("client JVM exited %d ms after main returned%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - returnedAt[0]));
        }
    }
}
