package io.cojson.sync.transport;

import io.cojson.sync.internal.support.SerialExecutor;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * One end of an in-process channel pair, for tests and for nodes in the same JVM. What one end
 * sends arrives at the other end's listener, in order, on that end's delivery executor (never on
 * the sender's thread). Tests can watch ({@link #tap}) and alter or drop ({@link #setOutgoingFilter})
 * what an end sends.
 */
public final class InMemoryChannel implements MessageChannel {
    /** Both ends: what {@code a} sends, {@code b} receives, and the other way round. */
    public record Pair(InMemoryChannel a, InMemoryChannel b) {}

    private final String name;
    private final Executor delivery;
    private final Object lock = new Object();
    private final ArrayDeque<String> early = new ArrayDeque<>(); // arrived before a listener was set
    private final List<Consumer<String>> taps = new CopyOnWriteArrayList<>();
    private volatile UnaryOperator<String> outgoingFilter = UnaryOperator.identity();
    private InMemoryChannel other;
    private Listener listener;
    private boolean closed;
    private boolean closeDelivered;
    private String closeReason;

    private InMemoryChannel(String name, Executor delivery) {
        this.name = name;
        this.delivery = delivery;
    }

    /** A connected pair, each end delivering on its own serial executor over a shared daemon pool. */
    public static Pair pair(String aName, String bName) {
        return pair(aName, bName, SerialExecutor.onSharedPool(), SerialExecutor.onSharedPool());
    }

    /** A connected pair with given delivery executors (e.g. manually stepped ones in tests); each must run tasks in order. */
    public static Pair pair(String aName, String bName, Executor aDelivery, Executor bDelivery) {
        InMemoryChannel a = new InMemoryChannel(aName, aDelivery);
        InMemoryChannel b = new InMemoryChannel(bName, bDelivery);
        a.other = b;
        b.other = a;
        return new Pair(a, b);
    }

    @Override
    public void send(String messageJson) {
        synchronized (lock) {
            if (closed) return;
        }
        String out = outgoingFilter.apply(messageJson);
        if (out == null) return;
        for (Consumer<String> t : taps) t.accept(out);
        other.arrive(out);
    }

    private void arrive(String message) {
        synchronized (lock) {
            if (closed) return;
        }
        delivery.execute(() -> {
            Listener l;
            synchronized (lock) {
                if (closeDelivered) return;
                l = listener;
                if (l == null) {
                    early.add(message);
                    return;
                }
            }
            l.onMessage(message);
        });
    }

    @Override
    public void setListener(Listener listener) {
        delivery.execute(() -> {
            ArrayDeque<String> backlog;
            synchronized (lock) {
                this.listener = listener;
                backlog = new ArrayDeque<>(early);
                early.clear();
            }
            for (String m : backlog) listener.onMessage(m);
            deliverCloseIfClosed();
        });
    }

    @Override
    public String describe() {
        return "in-memory " + name;
    }

    /** Closes both ends; each end's listener gets {@code onClosed} after what was already in flight. */
    @Override
    public void close() {
        closeEnd("closed by " + name);
        other.closeEnd("closed by " + name);
    }

    private void closeEnd(String reason) {
        synchronized (lock) {
            if (closed) return;
            closed = true;
            closeReason = reason;
        }
        delivery.execute(this::deliverCloseIfClosed);
    }

    private void deliverCloseIfClosed() {
        Listener l;
        synchronized (lock) {
            if (!closed || closeDelivered || listener == null) return;
            closeDelivered = true;
            l = listener;
        }
        l.onClosed(closeReason);
    }

    public boolean isClosed() {
        synchronized (lock) {
            return closed;
        }
    }

    /** Calls {@code tap} with every message this end sends (after the outgoing filter). */
    public void tap(Consumer<String> tap) {
        taps.add(tap);
    }

    /** Rewrites each message this end sends; returning null drops it. */
    public void setOutgoingFilter(UnaryOperator<String> filter) {
        outgoingFilter = filter == null ? UnaryOperator.identity() : filter;
    }
}
