package io.cojson.sync;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the model-based recovery properties actually ran in this JVM, summed over both harnesses
 * (threads and real executors; the deterministic one), written to {@code target/recovery-model.json}
 * after each property class, so the file always holds the totals so far.
 */
final class ModelSummary {
    private static final AtomicLong SCHEDULES = new AtomicLong();
    private static final AtomicLong CRASHES = new AtomicLong();
    private static final AtomicLong FORKS = new AtomicLong();
    private static final AtomicLong FAILURES = new AtomicLong();
    /** Deterministic model: schedules that ended with the value deleted, and bundle imports done. */
    static final AtomicLong DELETED = new AtomicLong();
    static final AtomicLong IMPORTS = new AtomicLong();

    private ModelSummary() {}

    static void add(long schedules, long crashes, long forks, long failures) {
        SCHEDULES.addAndGet(schedules);
        CRASHES.addAndGet(crashes);
        FORKS.addAndGet(forks);
        FAILURES.addAndGet(failures);
    }

    /** {@code seed}: the threads model's; the deterministic model's follows as {@code simSeed}. */
    static synchronized void write(long seed) throws IOException {
        Path out = Path.of("target", "recovery-model.json");
        Files.createDirectories(out.getParent());
        Files.writeString(out, "{\"schedules\":" + SCHEDULES.get() + ",\"crashes\":" + CRASHES.get() + ",\"forks\":" + FORKS.get()
                + ",\"failures\":" + FAILURES.get() + ",\"seed\":" + seed + ",\"simSeed\":" + DeterministicRecoveryModelProperties.SEED
                + ",\"deletedSchedules\":" + DELETED.get() + ",\"imports\":" + IMPORTS.get() + ",\"crashesAtFaultPoints\":" + crashesAtPoints() + "}\n", StandardCharsets.UTF_8);
    }

    /** The deterministic model's crashes per fault point (a subset of {@code crashes}), as a JSON object. */
    private static String crashesAtPoints() {
        StringBuilder b = new StringBuilder("{");
        synchronized (DeterministicRecoveryModelProperties.CRASHED_AT) {
            DeterministicRecoveryModelProperties.CRASHED_AT.forEach((p, n) -> b.append(b.length() > 1 ? "," : "").append('"').append(p)
                    .append("\":").append(n));
        }
        return b.append('}').toString();
    }
}
