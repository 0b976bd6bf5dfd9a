package io.cojson.storage.engine.internal;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.knownstate.KnownState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** Futures waiting until storage holds a known state; re-checked after every commit touching their CoValue. */
final class Waiters {
    private record Waiter(KnownState target, CompletableFuture<KnownState> future) {}

    private final Map<RawCoID, List<Waiter>> byId = new HashMap<>();
    private volatile java.util.concurrent.Executor completions = Runnable::run;

    /** Where waiters are completed (so that their callbacks never run on the storage's writer). */
    void completeOn(java.util.concurrent.Executor executor) {
        completions = executor;
    }

    private static boolean covers(KnownState stored, KnownState target) {
        return target.isSubsetOf(stored);
    }

    CompletableFuture<KnownState> register(KnownState target, Function<RawCoID, KnownState> known) {
        CompletableFuture<KnownState> f = new CompletableFuture<>();
        synchronized (this) {
            byId.computeIfAbsent(target.id(), k -> new ArrayList<>()).add(new Waiter(target, f));
        }
        check(List.of(target.id()), known); // after registering: a commit in between cannot be missed
        return f;
    }

    void check(Collection<RawCoID> ids, Function<RawCoID, KnownState> known) {
        if (ids.isEmpty()) return;
        List<Runnable> done = new ArrayList<>();
        synchronized (this) {
            if (byId.isEmpty()) return;
            for (RawCoID id : ids) {
                List<Waiter> ws = byId.get(id);
                if (ws == null) continue;
                KnownState stored;
                try {
                    stored = known.apply(id);
                } catch (RuntimeException e) {
                    continue; // reported by the next read; waiters stay
                }
                for (Iterator<Waiter> it = ws.iterator(); it.hasNext();) {
                    Waiter w = it.next();
                    if (covers(stored, w.target)) {
                        it.remove();
                        done.add(() -> w.future.complete(stored));
                    }
                }
                if (ws.isEmpty()) byId.remove(id);
            }
        }
        if (!done.isEmpty()) completions.execute(() -> done.forEach(Runnable::run));
    }

    /**
     * After a recovery unit replaced {@code session} of {@code id} from {@code prefix} on: waits for
     * more than {@code prefix} of its transactions were waiting for the replaced history, which
     * counts alone can no longer tell apart (O7); they fail.
     */
    void failReplaced(RawCoID id, io.cojson.core.ids.SessionID session, int prefix, Throwable cause) {
        List<Waiter> stale = new ArrayList<>();
        synchronized (this) {
            List<Waiter> ws = byId.get(id);
            if (ws == null) return;
            for (Iterator<Waiter> it = ws.iterator(); it.hasNext();) {
                Waiter w = it.next();
                if (w.target.count(session) > prefix) {
                    it.remove();
                    stale.add(w);
                }
            }
            if (ws.isEmpty()) byId.remove(id);
        }
        if (!stale.isEmpty()) completions.execute(() -> stale.forEach(w -> w.future.completeExceptionally(cause)));
    }

    void fail(RawCoID id, Throwable cause) {
        List<Waiter> ws;
        synchronized (this) {
            ws = byId.remove(id);
        }
        if (ws != null) ws.forEach(w -> w.future.completeExceptionally(cause));
    }

    void failAll(Throwable cause) {
        List<Waiter> all = new ArrayList<>();
        synchronized (this) {
            byId.values().forEach(all::addAll);
            byId.clear();
        }
        all.forEach(w -> w.future.completeExceptionally(cause));
    }
}
