package io.cojson.client.internal;

import io.cojson.client.CojsonClientException;
import io.cojson.client.ConnectionState;
import io.cojson.client.ConnectionStatus;
import io.cojson.core.internal.Compat;
import io.cojson.core.values.Subscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * The client's connection state: one status per server URL, folded into one (connected if any
 * server is; else an error if any ended with a cause; else connecting), told to listeners through
 * the listener executor when it changes, and {@code whenConnected} waiters.
 */
public final class ConnectionTracker {
    private final List<String> urls;
    private final Listeners listeners;
    private final Map<String, ConnectionStatus> perServer = new LinkedHashMap<>();
    private final List<Consumer<ConnectionStatus>> subscribers = new CopyOnWriteArrayList<>();
    private final List<CompletableFuture<Void>> waiters = new ArrayList<>();
    private ConnectionStatus current;
    private boolean closed;

    public ConnectionTracker(List<String> urls, Listeners listeners) {
        this.urls = List.copyOf(urls);
        this.listeners = listeners;
        this.current = new ConnectionStatus(ConnectionState.OFFLINE, urls.isEmpty() ? null : urls.get(0), null, System.currentTimeMillis());
    }

    public synchronized ConnectionStatus status() {
        return current;
    }

    /** Whether the connection to {@code url} is open now. */
    public synchronized boolean isConnected(String url) {
        ConnectionStatus s = perServer.get(url);
        return s != null && s.isConnected();
    }

    public Subscription subscribe(Consumer<ConnectionStatus> listener) {
        subscribers.add(listener);
        return () -> subscribers.remove(listener);
    }

    /** A connection attempt to {@code url} started (before any connection was made). */
    public void connecting(String url) {
        update(url, ConnectionState.CONNECTING, null);
    }

    public void connected(String url) {
        update(url, ConnectionState.CONNECTED, null);
    }

    /** A connection or attempt to {@code url} ended with {@code cause}; the client retries. */
    public void ended(String url, String cause) {
        update(url, ConnectionState.ERROR, cause);
    }

    /** The account's connections are stopped (a close): offline, waiters fail. */
    public void stopped(boolean closing) {
        List<CompletableFuture<Void>> fail;
        ConnectionStatus changed;
        synchronized (this) {
            perServer.clear();
            if (closing) closed = true;
            changed = recompute();
            fail = closing ? new ArrayList<>(waiters) : List.of();
            if (closing) waiters.clear();
            tell(changed);
        }
        for (CompletableFuture<Void> w : fail) w.completeExceptionally(new CojsonClientException("the client was closed"));
    }

    /** Completes once connected (at once if connected now); fails at once without servers or once closed. */
    public CompletableFuture<Void> whenConnected() {
        synchronized (this) {
            if (urls.isEmpty()) return Compat.failedFuture(new CojsonClientException("no sync server is configured"));
            if (closed) return Compat.failedFuture(new CojsonClientException("the client is closed"));
            if (current.isConnected()) return CompletableFuture.completedFuture(null);
            CompletableFuture<Void> f = new CompletableFuture<>();
            waiters.add(f);
            f.whenComplete((v, e) -> {
                synchronized (this) {
                    waiters.remove(f);
                }
            });
            return f;
        }
    }

    /** {@link #whenConnected()} within {@code timeout}; the timeout message names the servers and the state then. */
    public CompletableFuture<Void> whenConnected(Duration timeout, ScheduledExecutorService timer) {
        return Futures.within(whenConnected(), timeout, timer, () -> "a connection to " + String.join(", ", urls) + " (" + describe() + ")");
    }

    /** The state in words, for timeout messages. */
    public synchronized String describe() {
        return "state " + current.state() + (current.lastCause() == null ? "" : ", last cause: " + current.lastCause());
    }

    private void update(String url, ConnectionState state, String cause) {
        List<CompletableFuture<Void>> ready = List.of();
        ConnectionStatus changed;
        synchronized (this) {
            if (closed) return;
            ConnectionStatus before = perServer.get(url);
            String keptCause = cause != null ? cause : before == null ? null : before.lastCause();
            perServer.put(url, new ConnectionStatus(state, url, keptCause, System.currentTimeMillis()));
            changed = recompute();
            if (current.isConnected()) {
                ready = new ArrayList<>(waiters);
                waiters.clear();
            }
            tell(changed); // under the lock: listeners hear the changes in the order they happened
        }
        for (CompletableFuture<Void> w : ready) w.complete(null);
    }

    /** Folds the per-server statuses into {@link #current}; the new status if it changed, else null. Under the lock. */
    private ConnectionStatus recompute() {
        ConnectionStatus next = null;
        for (ConnectionStatus s : perServer.values()) {
            if (s.state() == ConnectionState.CONNECTED) {
                next = s;
                break;
            }
        }
        if (next == null) {
            for (ConnectionStatus s : perServer.values()) {
                if (s.state() == ConnectionState.ERROR && (next == null || s.sinceMillis() >= next.sinceMillis())) next = s;
            }
        }
        if (next == null && !perServer.isEmpty()) next = perServer.values().iterator().next();
        if (next == null) next = new ConnectionStatus(ConnectionState.OFFLINE, urls.isEmpty() ? null : urls.get(0), null,
                System.currentTimeMillis());
        boolean same = next.state() == current.state() && java.util.Objects.equals(next.server(), current.server())
                && java.util.Objects.equals(next.lastCause(), current.lastCause());
        if (same) return null;
        current = next;
        return next;
    }

    /** Hands the change to the listener executor (only enqueues); called under the lock, in order. */
    private void tell(ConnectionStatus s) {
        if (s == null) return;
        for (Consumer<ConnectionStatus> l : subscribers) listeners.run(() -> l.accept(s));
    }
}
