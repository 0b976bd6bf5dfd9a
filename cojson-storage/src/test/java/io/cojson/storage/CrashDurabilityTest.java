package io.cojson.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.storage.engine.IntegrityCheck;
import io.cojson.storage.engine.IntegrityReport;
import io.cojson.storage.engine.MapDbStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * RL-20: kill -9 at any point of a storage write loses no acknowledged transaction. A child JVM
 * writes continuously through the async storage to a real MapDB directory and prints an ACK per
 * durable write; the parent keeps the ledger, SIGKILLs the child at random moments and while it is
 * paused at each storage fault point (plus a few in-process halts), then checks the directory:
 * every acknowledged transaction present, every record intact, no partial session; the next child
 * re-verifies every stored session on load, and the final check verifies every signature again.
 */
@Timeout(value = 20, unit = TimeUnit.MINUTES) // 60 child JVMs killed one by one: minutes on a loaded machine
class CrashDurabilityTest {
    static final String[] PAUSE_POINTS = {"storage.tx.begin", "storage.tx.mid", "storage.tx.beforeCommit", "storage.tx.afterCommit",
        "storage.queue.beforeEntry"};

    @TempDir
    Path tmp;

    @Test
    @DisplayName("RL-20 kill -9 at any point of a storage write loses no acknowledged transaction (child JVM with ACK lines, SIGKILL at each storage point and at random times)")
    void RL20_acknowledgedWritesSurviveRepeatedKills() throws Exception {
        int cycles = Integer.getInteger("cojson.crash.cycles", 60);
        long seed = Long.getLong("cojson.crash.seed", System.nanoTime());
        String rerun = "seed " + seed + " (rerun with -Dcojson.crash.seed=" + seed + " -Dcojson.crash.cycles=" + cycles + ")";
        long t0 = System.nanoTime();
        // two independent lanes (own directory, own account) use both cores
        Lane a = new Lane(tmp.resolve("lane-a"), cycles / 2, seed);
        Lane b = new Lane(tmp.resolve("lane-b"), cycles - cycles / 2, seed + 1);
        Thread other = new Thread(b);
        other.start();
        a.run();
        other.join(TimeUnit.MINUTES.toMillis(10));
        assertFalse(other.isAlive(), "lane b finished; " + rerun);
        if (a.failure != null) throw new AssertionError("lane a failed; " + rerun + ": " + a.failure, a.failure);
        if (b.failure != null) throw new AssertionError("lane b failed; " + rerun + ": " + b.failure, b.failure);
        int sigkills = a.sigkills + b.sigkills;
        int acks = a.acks.get() + b.acks.get();
        Map<String, Integer> reached = new java.util.TreeMap<>();
        for (Lane l : List.of(a, b)) l.faultsReached.forEach((k, v) -> reached.merge(k, v, Integer::sum));
        // every configured fault point was really reached (a renamed point would otherwise become a random kill)
        if (cycles >= 12) {
            for (String point : PAUSE_POINTS) assertTrue(reached.getOrDefault(point + "=pause", 0) > 0, point + " paused: " + reached + "; " + rerun);
            assertTrue(reached.getOrDefault("storage.tx.mid=halt", 0) > 0, "halts: " + reached + "; " + rerun);
        }
        assertTrue(sigkills >= (cycles >= 60 ? 50 : cycles * 5 / 6), "SIGKILLs: " + sigkills + "; " + rerun);
        assertTrue(acks > (cycles >= 60 ? 1000 : cycles * 10), "acknowledged writes: " + acks + "; " + rerun);
        System.out.printf("{\"test\":\"crash\",\"seed\":%d,\"cycles\":%d,\"sigkills\":%d,\"acks\":%d,\"faultsReached\":\"%s\",\"seconds\":%.1f}%n",
                seed, cycles, sigkills, acks, reached, (System.nanoTime() - t0) / 1e9);
    }

    private static final class Lane implements Runnable {
        final Path root;
        final int cycles;
        final Random random;
        final Map<String, Integer> ledger = new ConcurrentHashMap<>(); // "coValue session" -> highest acknowledged index
        final AtomicInteger acks = new AtomicInteger();
        /** "point=pause" / "point=halt" -> how many cycles really stopped the child there. */
        final Map<String, Integer> faultsReached = new ConcurrentHashMap<>();
        int sigkills;
        Exception failure;

        Lane(Path root, int cycles, long seed) {
            this.root = root;
            this.cycles = cycles;
            this.random = new Random(seed);
        }

        @Override
        public void run() {
            try {
                runCycles();
            } catch (Exception | AssertionError e) {
                failure = e instanceof Exception ex ? ex : new Exception(e);
            }
        }

        private void runCycles() throws Exception {
            Path dir = root.resolve("store");
            Path secret = root.resolve("agent-secret");
            Path maps = root.resolve("maps");
            Path faults = root.resolve("faults");
            Files.createDirectories(faults);
            Process init = TestSupport.startChild(CrashChild.class, List.of(), Map.of(), "init", dir.toString(), secret.toString(), maps.toString());
            assertEquals(0, waitFor(init, 60), "init child");
            for (int cycle = 0; cycle < cycles; cycle++) {
                String spec = "";
                int kind = cycle % 12;
                if (kind < PAUSE_POINTS.length) {
                    spec = PAUSE_POINTS[kind] + "=pause@" + (1 + random.nextInt(40));
                } else if (kind == PAUSE_POINTS.length) {
                    spec = "storage.tx.mid=halt@" + (1 + random.nextInt(40));
                }
                killOnce(dir, secret, maps, faults, spec, cycle);
                try {
                    checkLedger(dir, ledger, cycle, (cycle + 1) % 10 == 0 || cycle == cycles - 1);
                } catch (RuntimeException | AssertionError e) {
                    keepForAnalysis(dir, cycle, spec);
                    throw e;
                }
            }
        }

        private void killOnce(Path dir, Path secret, Path maps, Path faults, String spec, int cycle) throws Exception {
            CountDownLatch ready = new CountDownLatch(1);
            CountDownLatch paused = new CountDownLatch(1);
            List<String> errors = new ArrayList<>();
            Process child = TestSupport.startChild(CrashChild.class, List.of("-Dcojson.faults.dir=" + faults),
                    spec.isEmpty() ? Map.of() : Map.of("COJSON_FAULTS", spec), "write", dir.toString(), secret.toString(),
                    maps.toString(), Long.toString(random.nextLong()));
            Thread out = TestSupport.pump(child.getInputStream(), line -> {
                if (line.startsWith("READY")) ready.countDown();
                if (line.startsWith("ACK ")) {
                    String[] p = line.split(" ");
                    ledger.merge(p[1] + " " + p[2], Integer.parseInt(p[3]), Math::max);
                    acks.incrementAndGet();
                }
            });
            Thread err = TestSupport.pump(child.getErrorStream(), line -> {
                if (line.startsWith("COJSON_FAULT") && line.endsWith("paused")) {
                    paused.countDown();
                } else {
                    synchronized (errors) {
                        errors.add(line);
                    }
                }
            });
            try {
                if (!ready.await(60, TimeUnit.SECONDS) && child.isAlive()) fail("child never became ready: " + errors);
                String point = spec.isEmpty() ? null : spec.substring(0, spec.indexOf('='));
                if (spec.contains("=pause")) {
                    // the kill must land at the point: a pause that is never reached fails the cycle
                    assertTrue(paused.await(60, TimeUnit.SECONDS), "cycle " + cycle + " (" + spec + "): pause never reached; " + errors);
                    faultsReached.merge(point + "=pause", 1, Integer::sum);
                } else if (spec.contains("=halt")) {
                    assertTrue(child.waitFor(60, TimeUnit.SECONDS), "cycle " + cycle + " (" + spec + "): halt never reached; " + errors);
                    faultsReached.merge(point + "=halt", 1, Integer::sum);
                } else {
                    Thread.sleep(30 + random.nextInt(300));
                }
                if (child.isAlive()) sigkills++;
            } finally {
                child.destroyForcibly(); // SIGKILL on Linux; also when a check above failed
            }
            child.waitFor(30, TimeUnit.SECONDS);
            out.join(10_000);
            err.join(10_000);
            synchronized (errors) {
                errors.removeIf(l -> l.startsWith("TIMING"));
                assertTrue(errors.isEmpty(), "cycle " + cycle + " (" + spec + "): child reported " + errors);
            }
            assertEquals(137, child.exitValue(), "cycle " + cycle + " (" + spec + ") ended by SIGKILL or halt");
        }
    }

    /** Copies a store that failed the check to target/crash-failures for a post-mortem. */
    static void keepForAnalysis(Path dir, int cycle, String spec) {
        try {
            Path dst = Path.of("target", "crash-failures", dir.getParent().getFileName() + "-" + cycle + "-" + System.currentTimeMillis());
            Files.createDirectories(dst);
            try (var files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) Files.copy(f, dst.resolve(f.getFileName()));
            }
            Files.writeString(dst.resolve("FAULT"), spec + "\n");
            System.err.println("failing store kept in " + dst.toAbsolutePath());
        } catch (java.io.IOException e) {
            System.err.println("could not keep the failing store: " + e);
        }
    }

    /** Every acknowledged transaction is stored; rows are intact; optionally every signature verifies. */
    private static void checkLedger(Path dir, Map<String, Integer> ledger, int cycle, boolean verifySignatures) {
        try (MapDbStorage s = MapDbStorage.open(dir)) {
            for (Map.Entry<String, Integer> e : ledger.entrySet()) {
                String[] k = e.getKey().split(" ");
                int stored = s.knownState(new RawCoID(k[0])).count(new SessionID(k[1]));
                assertTrue(stored > e.getValue(), "after kill " + cycle + ": " + e.getKey() + " acknowledged index " + e.getValue()
                        + " but only " + stored + " stored");
            }
            IntegrityReport r = verifySignatures ? IntegrityCheck.run(s, TestSupport.CRYPTO) : s.verifyIntegrity();
            assertTrue(r.ok(), "after kill " + cycle + ": " + r.problems());
        }
    }

    static int waitFor(Process p, int seconds) throws InterruptedException {
        TestSupport.pump(p.getInputStream(), line -> {});
        StringBuilder err = new StringBuilder();
        Thread e = TestSupport.pump(p.getErrorStream(), line -> err.append(line).append('\n'));
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("child did not finish: " + err);
        }
        try {
            e.join(5000);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
        if (p.exitValue() != 0) System.err.println(err);
        return p.exitValue();
    }
}
