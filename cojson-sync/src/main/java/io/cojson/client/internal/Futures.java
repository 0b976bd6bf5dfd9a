package io.cojson.client.internal;

import io.cojson.client.ClientTimeoutException;
import io.cojson.client.CojsonClientException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/** Time limits whose failure says what was waited for. */
public final class Futures {
    private Futures() {}

    /**
     * A future completing as {@code f} does, or failing with a {@link ClientTimeoutException} whose
     * message is "waited N ms for " + {@code what.get()} (built when it fires, so it can tell the
     * state then). A {@link TimeoutException} of {@code f} itself becomes one too, its message kept.
     */
    public static <T> CompletableFuture<T> within(CompletableFuture<T> f, Duration timeout, ScheduledExecutorService timer,
            Supplier<String> what) {
        CompletableFuture<T> r = new CompletableFuture<>();
        ScheduledFuture<?> t = f.isDone() ? null : timer.schedule(
                () -> r.completeExceptionally(new ClientTimeoutException("waited " + timeout.toMillis() + " ms for " + what.get())),
                timeout.toMillis(), TimeUnit.MILLISECONDS);
        f.whenComplete((v, e) -> {
            if (t != null) t.cancel(false);
            if (e != null) r.completeExceptionally(translate(e));
            else r.complete(v);
        });
        return r;
    }

    /** Waits for {@code f} (which must be bounded), rethrowing its failure unwrapped and unchecked. */
    public static <T> T join(CompletableFuture<T> f) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            Throwable c = translate(e);
            if (c instanceof RuntimeException r) throw r;
            if (c instanceof Error err) throw err;
            throw new CojsonClientException(c.toString(), c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CojsonClientException("interrupted while waiting", e);
        }
    }

    public static Throwable unwrap(Throwable e) {
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) e = e.getCause();
        return e;
    }

    static Throwable translate(Throwable e) {
        Throwable c = unwrap(e);
        return c instanceof TimeoutException t ? new ClientTimeoutException(t.getMessage(), t) : c;
    }
}
