package io.cojson.sync.internal;

import io.cojson.core.ids.RawCoID;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-CoValue ordering of message handling: a task that has to wait (for storage or for missing
 * dependencies) holds its CoValue's gate until the wait is over, and later messages about that
 * CoValue queue behind it instead of being answered from a half-loaded state (RL-01, RL-17).
 * Not thread-safe: used only from the sync executor, which also runs the continuations.
 */
public final class Gates {
    private static final Logger LOG = LoggerFactory.getLogger(Gates.class);
    private final Executor executor;
    private final Map<RawCoID, ArrayDeque<Supplier<CompletionStage<?>>>> waiting = new HashMap<>();

    public Gates(Executor executor) {
        this.executor = executor;
    }

    /**
     * Runs {@code task} now if nothing is queued for {@code id}, else after what is. The task
     * returns null when it finished synchronously, or a stage that holds the gate until it completes.
     */
    public void submit(RawCoID id, Supplier<CompletionStage<?>> task) {
        ArrayDeque<Supplier<CompletionStage<?>>> q = waiting.get(id);
        if (q != null) {
            q.add(task);
            return;
        }
        CompletionStage<?> stage = run(task);
        if (stage == null || stage.toCompletableFuture().isDone()) return;
        waiting.put(id, new ArrayDeque<>());
        stage.whenCompleteAsync((r, e) -> release(id), executor);
    }

    private void release(RawCoID id) {
        ArrayDeque<Supplier<CompletionStage<?>>> q = waiting.get(id);
        while (q != null && !q.isEmpty()) {
            CompletionStage<?> stage = run(q.poll());
            if (stage != null && !stage.toCompletableFuture().isDone()) {
                stage.whenCompleteAsync((r, e) -> release(id), executor);
                return;
            }
        }
        waiting.remove(id);
    }

    /** A failing task is logged; it must not leave its CoValue's gate closed for good. */
    private static CompletionStage<?> run(Supplier<CompletionStage<?>> task) {
        try {
            return task.get();
        } catch (RuntimeException e) {
            LOG.error("sync handler failed", e);
            return null;
        } catch (Error e) {
            LOG.error("sync handler failed", e);
            io.cojson.storage.FatalErrors.report(e);
            return null;
        }
    }
}
