package io.cojson.sync.transport.internal;

import io.cojson.storage.Faults;
import io.cojson.sync.internal.support.LogText;
import io.cojson.sync.transport.FaultPoints;
import io.cojson.sync.transport.MessageChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket connection as a {@link MessageChannel}, independent of the socket library: the
 * receiving half of cojson-transport-ws {@code createWebSocketPeer} (frame decoding, ping
 * liveness, batching switch, first-frame success) around an {@link OutgoingQueue} and an
 * {@link Inbox}. Socket adapters report events through the {@code socket…}/{@code frame…}
 * methods, from one thread at a time.
 */
public final class ChannelCore implements MessageChannel {
    private static final Logger log = LoggerFactory.getLogger(ChannelCore.class);

    /** Connection-level events for the owner (reconnecting client, server). */
    public interface Hooks {
        /** The first frame that decoded arrived: the connection works ({@code onSuccess}). */
        default void established() {}

        /** A ping arrived ({@code time} of the server, ms since epoch). */
        default void ping(double serverTimeMillis) {}

        /** The channel ended, whichever side or error ended it; called once. */
        default void terminated(String reason) {}
    }

    private final String name;
    private final FrameSocket socket;
    private final OutgoingQueue out;
    private final Inbox inbox;
    private final long pingTimeoutMs;
    private final Timers timers;
    private final Hooks hooks;
    private final AtomicBoolean terminated = new AtomicBoolean();
    private final AtomicBoolean watchdogArmed = new AtomicBoolean();
    private final AtomicLong framesReceived = new AtomicLong();
    private final Object lifecycle = new Object();
    private int deferredCloseCode;
    private String deferredCloseReason;
    private volatile Timers.Cancellable watchdog;
    private volatile long lastActivityNanos;
    private volatile boolean established;
    private volatile boolean slowConsumer;

    /**
     * @param pingTimeoutMs silence after which the peer counts as gone (armed by the first frame,
     *     reset by every frame); 0 for the server side, which expects no pings
     */
    public ChannelCore(String name, FrameSocket socket, boolean batchingByDefault, long pingTimeoutMs, Timers timers, Hooks hooks) {
        this.name = name;
        this.socket = socket;
        this.pingTimeoutMs = pingTimeoutMs;
        this.timers = timers;
        this.hooks = hooks;
        this.out = new OutgoingQueue(socket, timers, batchingByDefault, OutgoingQueue.MAX_OUTGOING_MESSAGES_CHUNK_BYTES);
        this.inbox = new Inbox(name);
    }

    /** At most {@code max} incoming messages are held before a listener is set; then reading stops (0: no limit). */
    public void limitHeldMessages(int max) {
        inbox.limitHeld(max);
    }

    /** The most incoming messages ever held at once before a listener was set. */
    public int peakHeldMessages() {
        return inbox.peakHeld();
    }

    /**
     * Protects this side from a peer that reads slowly or not at all (see {@link OutgoingQueue#limit}):
     * on a breach the connection is dropped with a logged reason. Call before the socket opens.
     */
    public void limitOutgoing(long maxPendingChars, long stallTimeoutMillis) {
        out.limit(maxPendingChars, stallTimeoutMillis, this::slowConsumer);
    }

    private void slowConsumer(String reason) {
        slowConsumer = true;
        log.warn("closing connection {}: slow consumer: {}", name, reason);
        // A peer that does not read would never read a close frame either: drop the socket.
        abort("slow consumer: " + reason);
    }

    // ---- MessageChannel -------------------------------------------------------------------

    @Override
    public void send(String messageJson) {
        if (terminated.get()) return;
        if (Faults.active()) {
            Faults.Effect e;
            try {
                e = FaultPoints.transport(FaultPoints.TRANSPORT_OUT, FrameCodec.outgoingHead(messageJson).action);
            } catch (Faults.InjectedFault f) {
                abort("send failed: " + f.getMessage()); // as a failing socket would
                return;
            }
            if (e == Faults.Effect.DROP) return;
            if (e == Faults.Effect.DUP) out.push(messageJson);
        }
        out.push(messageJson);
    }

    @Override
    public void setListener(Listener listener) {
        inbox.setListener(listener);
    }

    @Override
    public String describe() {
        return name;
    }

    /** Flushes what is queued, then closes the socket normally; the listener gets onClosed. */
    @Override
    public void close() {
        closeWith(1000, "closed", "closed locally");
    }

    /**
     * {@link #close()} with a specific close code (1001 when a server shuts down). On a socket
     * still connecting, the flush and the close happen once it opens (the reference also defers
     * the close until {@code open}).
     */
    public void closeWith(int code, String wireReason, String reason) {
        synchronized (lifecycle) {
            if (!terminated.compareAndSet(false, true)) return;
            if (socket.isOpen()) {
                out.close();
                socket.close(code, wireReason);
            } else {
                deferredCloseCode = code;
                deferredCloseReason = wireReason;
            }
        }
        finish(reason);
    }

    // ---- events from the socket adapter ----------------------------------------------------

    public void socketOpened() {
        synchronized (lifecycle) {
            if (deferredCloseReason != null) {
                out.close();
                socket.close(deferredCloseCode, deferredCloseReason);
                return;
            }
        }
        out.onOpen();
    }

    /** One text frame, of any size. Never throws for bad input: it is dropped with a log line. */
    public void frameReceived(String text) {
        frameReceived(text, null);
    }

    /**
     * As above; each message taken from the frame holds a share of {@code lease} (may be null)
     * until its listener has handled it, so the frame's charge is given back only then.
     */
    public void frameReceived(String text, IncomingBudget.Lease lease) {
        try {
            decodeAndDeliver(text, lease);
        } finally {
            if (lease != null) lease.frameDone();
        }
    }

    private void decodeAndDeliver(String text, IncomingBudget.Lease lease) {
        framesReceived.incrementAndGet();
        touch();
        if (text.isEmpty()) return; // ignored, but it did count as liveness
        FrameCodec.Decoded d = FrameCodec.decode(text);
        if (d.error != null) {
            log.warn("Error while deserializing messages from {}: {} (frame of {} chars: {})",
                    name, LogText.safe(d.error, 300), text.length(), LogText.safe(text, 120));
            return;
        }
        if (!established) {
            established = true;
            hooks.established();
        }
        if (d.lines.size() > 1) out.setBatching(true); // the peer batches, so it reads batches
        for (FrameCodec.Head h : d.lines) {
            if (!h.object) continue; // null/primitives/arrays are not messages
            if (h.hasTime) hooks.ping(h.time);
            if (h.hasAction) receive(h, lease);
        }
    }

    public void binaryFrameReceived(int bytes) {
        framesReceived.incrementAndGet();
        touch();
        log.warn("Error while deserializing messages from {}: binary frame of {} bytes dropped", name, bytes);
    }

    /** The socket closed or failed. */
    public void socketClosed(String reason) {
        out.discard(); // also what a deferred close still held
        if (!terminated.compareAndSet(false, true)) return;
        finish(reason);
    }

    /** Drops the connection now (dead peer, injected fault). */
    public void abort(String reason) {
        if (!terminated.compareAndSet(false, true)) return;
        out.discard();
        socket.abort();
        finish(reason);
    }

    /** A frame outside the message queue (server pings). */
    public void sendRaw(String frame) {
        out.sendRaw(frame);
    }

    // ---- introspection (tests, status) ---------------------------------------------------

    public boolean isEstablished() {
        return established;
    }

    public boolean isTerminated() {
        return terminated.get();
    }

    /** Characters waiting to go to the peer (queued, batched, buffered in the socket). */
    public long pendingOutgoingChars() {
        return out.pendingChars();
    }

    /** The most characters ever pending for the peer. */
    public long peakPendingOutgoingChars() {
        return out.peakPendingChars();
    }

    /** Content messages not queued again because an identical copy was still waiting. */
    public long coalescedMessages() {
        return out.coalescedMessages();
    }

    /** Whether the connection was dropped because the peer did not read what it was sent. */
    public boolean closedAsSlowConsumer() {
        return slowConsumer;
    }

    public boolean isBatching() {
        return out.isBatching();
    }

    public long framesSent() {
        return out.framesSent();
    }

    public long framesReceived() {
        return framesReceived.get();
    }

    // ---- internals -------------------------------------------------------------------------

    private void receive(FrameCodec.Head h, IncomingBudget.Lease lease) {
        if (Faults.active()) {
            Faults.Effect e;
            try {
                e = FaultPoints.transport(FaultPoints.TRANSPORT_IN, h.action);
            } catch (Faults.InjectedFault f) {
                abort("receive failed: " + f.getMessage());
                return;
            }
            if (e == Faults.Effect.DROP) return;
            if (e == Faults.Effect.DUP) offer(h, lease);
        }
        offer(h, lease);
    }

    private void offer(FrameCodec.Head h, IncomingBudget.Lease lease) {
        if (lease == null) inbox.offer(h.text, h.value);
        else inbox.offer(h.text, h.value, lease.handled());
    }

    private void finish(String reason) {
        Timers.Cancellable w = watchdog;
        if (w != null) w.cancel();
        inbox.close(reason);
        try {
            hooks.terminated(reason);
        } catch (RuntimeException e) {
            log.error("termination hook of {} failed", name, e);
        }
    }

    private void touch() {
        lastActivityNanos = timers.nanoTime();
        if (pingTimeoutMs > 0 && watchdogArmed.compareAndSet(false, true)) {
            watchdog = timers.schedule(this::checkDeadline, pingTimeoutMs);
        }
    }

    /** {@code createPingTimeoutListener}, except that time spent in our own listener is not silence. */
    private void checkDeadline() {
        if (terminated.get()) return;
        long now = timers.nanoTime();
        if (inbox.busy()) lastActivityNanos = now;
        long idleMs = TimeUnit.NANOSECONDS.toMillis(now - lastActivityNanos);
        if (idleMs >= pingTimeoutMs) {
            log.warn("Ping timeout from peer {} (nothing received for {} ms)", name, idleMs);
            abort("ping timeout");
            return;
        }
        watchdog = timers.schedule(this::checkDeadline, pingTimeoutMs - idleMs);
    }
}
