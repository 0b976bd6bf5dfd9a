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
    /** Deterministic model, {@link ModelActions}: listener (un)subscriptions and callbacks, server unloads, reads back, slow storage opens. */
    static final AtomicLong SUBSCRIBES = new AtomicLong();
    static final AtomicLong UNSUBSCRIBES = new AtomicLong();
    static final AtomicLong LISTENER_EVENTS = new AtomicLong();
    static final AtomicLong UNLOADS = new AtomicLong();
    static final AtomicLong RELOADS = new AtomicLong();
    static final AtomicLong SLOW_OPENS = new AtomicLong();
    /** Deletions that reached a device by sync or recovery, and its transactions they discarded (each found reported). */
    static final AtomicLong DELETIONS_LEARNED = new AtomicLong();
    static final AtomicLong DISCARDED = new AtomicLong();
    /** {@link ModelForkSource}: storage clones in the same session, the clones' edits, recovery rounds on a cloned session. */
    static final AtomicLong CLONES = new AtomicLong();
    static final AtomicLong CLONE_EDITS = new AtomicLong();
    static final AtomicLong CLONE_FORKS = new AtomicLong();

    private ModelSummary() {}

    static void add(long schedules, long crashes, long forks, long failures) {
        SCHEDULES.addAndGet(schedules);
        CRASHES.addAndGet(crashes);
        FORKS.addAndGet(forks);
        FAILURES.addAndGet(failures);
    }

    /** Adds what a passed schedule of the deterministic model did with the actions of {@link ModelActions}. */
    static void added(ModelWorld w) {
        for (var d : w.devices) {
            SUBSCRIBES.addAndGet(d.listener.subscribes);
            UNSUBSCRIBES.addAndGet(d.listener.unsubscribes);
            LISTENER_EVENTS.addAndGet(d.listener.events);
            DELETIONS_LEARNED.addAndGet(d.discards.learnedCount);
            DISCARDED.addAndGet(d.discards.expected.size());
        }
        UNLOADS.addAndGet(w.unloads);
        RELOADS.addAndGet(w.reloads);
        SLOW_OPENS.addAndGet(w.slowOpens);
        CLONES.addAndGet(w.clones);
        CLONE_EDITS.addAndGet(w.cloneEdits);
        CLONE_FORKS.addAndGet(w.cloneForks);
    }

    /** In a CI-sized run, each switched-on action of {@link ModelActions}, and a discard by a deletion, must have really happened. */
    static void checkNewActionsRan() {
        String counts = " (subscribes " + SUBSCRIBES + ", unsubscribes " + UNSUBSCRIBES + ", listener events " + LISTENER_EVENTS + ", unloads "
                + UNLOADS + ", reloads " + RELOADS + ", slow storage opens " + SLOW_OPENS + ")";
        if (ModelActions.LISTENERS && (SUBSCRIBES.get() == 0 || UNSUBSCRIBES.get() == 0 || LISTENER_EVENTS.get() == 0)) {
            throw new AssertionError("no schedule subscribed, unsubscribed or saw a listener called" + counts);
        }
        if (DeterministicRecoveryModelProperties.DELETES && (DELETIONS_LEARNED.get() == 0 || DISCARDED.get() == 0)) {
            throw new AssertionError("no deletion reached a device with edits of its own to discard (deletions learned " + DELETIONS_LEARNED
                    + ", discarded " + DISCARDED + ")");
        }
        if (ModelForkSource.CLONES && (CLONES.get() == 0 || CLONE_FORKS.get() == 0)) {
            throw new AssertionError("no schedule cloned a device's storage into a second process of its session, or none forked it (clones "
                    + CLONES + ", clone edits " + CLONE_EDITS + ", recovery rounds on a cloned session " + CLONE_FORKS + ")");
        }
        if (ModelActions.UNLOADS && (UNLOADS.get() == 0 || RELOADS.get() == 0 || SLOW_OPENS.get() == 0)) {
            throw new AssertionError("no schedule unloaded the value on the server, read it back or opened storage slowly" + counts);
        }
    }

    /** {@code seed}: the threads model's; the deterministic model's follows as {@code simSeed}. */
    static synchronized void write(long seed) throws IOException {
        Path out = Path.of("target", "recovery-model.json");
        Files.createDirectories(out.getParent());
        Files.writeString(out, "{\"schedules\":" + SCHEDULES.get() + ",\"crashes\":" + CRASHES.get() + ",\"forks\":" + FORKS.get()
                + ",\"failures\":" + FAILURES.get() + ",\"seed\":" + seed + ",\"simSeed\":" + DeterministicRecoveryModelProperties.SEED
                + ",\"deletedSchedules\":" + DELETED.get() + ",\"imports\":" + IMPORTS.get() + ",\"subscribes\":" + SUBSCRIBES.get() + ",\"unsubscribes\":" + UNSUBSCRIBES.get()
                + ",\"listenerEvents\":" + LISTENER_EVENTS.get() + ",\"unloads\":" + UNLOADS.get() + ",\"reloadsFromStorage\":" + RELOADS.get()
                + ",\"slowStorageOpens\":" + SLOW_OPENS.get() + ",\"deletionsLearned\":" + DELETIONS_LEARNED.get() + ",\"discardedReported\":" + DISCARDED.get() + ",\"storageClones\":" + CLONES.get() + ",\"cloneEdits\":" + CLONE_EDITS.get() + ",\"cloneForks\":" + CLONE_FORKS.get() + ",\"crashesAtFaultPoints\":" + crashesAtPoints() + "}\n", StandardCharsets.UTF_8);
    }

    /** The deterministic model's crashes per fault point (a subset of {@code crashes}), as a JSON object. */
    private static String crashesAtPoints() {
        StringBuilder b = new StringBuilder("{");
        synchronized (ModelCrashes.CRASHED_AT) {
            ModelCrashes.CRASHED_AT.forEach((p, n) -> b.append(b.length() > 1 ? "," : "").append('"').append(p)
                    .append("\":").append(n));
        }
        return b.append('}').toString();
    }
}
