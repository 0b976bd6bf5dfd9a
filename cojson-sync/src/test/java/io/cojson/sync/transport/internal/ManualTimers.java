package io.cojson.sync.transport.internal;

import java.util.ArrayList;
import java.util.List;

/** Timers that run only when the test says so. */
final class ManualTimers implements Timers {
    final List<Runnable> due = new ArrayList<>();

    @Override
    public Cancellable schedule(Runnable task, long delayMillis) {
        due.add(task);
        return () -> due.remove(task);
    }

    /** Runs what is scheduled now (tasks scheduled meanwhile wait for the next call). */
    void runDue() {
        List<Runnable> now = new ArrayList<>(due);
        due.clear();
        now.forEach(Runnable::run);
    }
}
