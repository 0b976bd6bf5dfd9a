package io.cojson.sync.transport.internal;

import io.cojson.core.json.JsonValue;
import io.cojson.sync.transport.MessageChannel;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers incoming messages, then one {@code onClosed}, to the channel's listener: in order, one
 * thread at a time, buffering until a listener is set. Whichever thread finds the inbox idle
 * delivers (usually the socket's reader, which then reads no further until the listener returns:
 * natural backpressure). A throwing listener is logged and does not stop delivery.
 */
final class Inbox {
    private static final Logger log = LoggerFactory.getLogger(Inbox.class);

    private final String name;
    private static final Runnable NOTHING = () -> {};

    /** A received message, its parsed value when the transport parsed it, and what to run once it is handled. */
    private record Item(String text, JsonValue parsed, Runnable handled) {}

    private final ArrayDeque<Item> pending = new ArrayDeque<>();
    private MessageChannel.Listener listener;
    private String closedReason;
    private boolean closeDelivered;
    private volatile boolean draining;
    /** Messages held while no listener is set; 0: no limit. */
    private int heldLimit;
    private int peak;

    Inbox(String name) {
        this.name = name;
    }

    void offer(String message) {
        offer(message, null);
    }

    /**
     * Bounds what is held while no listener is set (a server still opening its storage,
     * reliability.md RL-17): an offer beyond it blocks the socket's reader until a listener is set
     * or the channel closes, so the transport stops reading (backpressure) instead of dropping.
     */
    void limitHeld(int max) {
        synchronized (this) {
            heldLimit = Math.max(0, max);
        }
    }

    /** The most messages ever held here at once while no listener was set. */
    synchronized int peakHeld() {
        return peak;
    }

    void offer(String message, JsonValue parsed) {
        offer(message, parsed, NOTHING);
    }

    /** As above; {@code handled} runs once the listener is done with the message (or it is dropped). */
    void offer(String message, JsonValue parsed, Runnable handled) {
        synchronized (this) {
            while (listener == null && closedReason == null && heldLimit > 0 && pending.size() >= heldLimit) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // the transport is shutting down: keep the message anyway
                    break;
                }
            }
            if (closedReason != null) {
                handled.run();
                return;
            }
            pending.add(new Item(message, parsed, handled));
            if (listener == null) peak = Math.max(peak, pending.size());
        }
        drain();
    }

    void close(String reason) {
        synchronized (this) {
            if (closedReason != null) return;
            closedReason = reason;
            notifyAll(); // a reader held back by limitHeld gives up
        }
        drain();
    }

    void setListener(MessageChannel.Listener l) {
        synchronized (this) {
            listener = l;
            notifyAll(); // readers held back by limitHeld go on
        }
        drain();
    }

    /** A listener call is in progress (the peer is not silent, we are busy). */
    boolean busy() {
        return draining;
    }

    private void drain() {
        synchronized (this) {
            if (draining || listener == null) return;
            draining = true;
        }
        boolean done = false;
        try {
            while (true) {
                MessageChannel.Listener l;
                Item message;
                String closing = null;
                synchronized (this) {
                    l = listener;
                    message = l == null ? null : pending.poll();
                    if (message == null) {
                        if (l == null || closedReason == null || closeDelivered) {
                            draining = false;
                            done = true;
                            return;
                        }
                        closeDelivered = true;
                        closing = closedReason;
                    }
                }
                try {
                    if (message == null) l.onClosed(closing);
                    else if (message.handled() != NOTHING) l.onMessage(message.text(), message.parsed(), message.handled());
                    else if (message.parsed() != null) l.onMessage(message.text(), message.parsed());
                    else l.onMessage(message.text());
                } catch (RuntimeException e) {
                    log.error("listener of {} failed", name, e);
                    if (message != null) message.handled().run(); // idempotent: the listener may have run it
                } catch (Error e) {
                    log.error("listener of {} failed", name, e);
                    if (message != null) message.handled().run();
                    io.cojson.storage.FatalErrors.report(e);
                    throw e;
                }
            }
        } finally {
            if (!done) {
                synchronized (this) {
                    draining = false; // an Error escaped; let the next offer try again
                }
            }
        }
    }
}
