package io.cojson.sync.transport.internal;

import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import io.cojson.sync.internal.support.LogText;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One server-side WebSocket (Jetty) as a {@link ChannelCore} with the reference server's settings:
 * batching off until the client sends a batch, no ping expected from the client, and a
 * {@code {"type":"ping","time":…,"dc":…}} frame at once and then every ping interval.
 *
 * <p>Incoming text arrives in pieces (Jetty's frames, at most 64 KiB each) that are assembled here
 * and charged to the server's {@link IncomingBudget} until the sync layer has handled the message.
 * The next piece is asked for ({@link Session#demand()}) only while this connection and the server
 * are within their budgets; a connection stuck in the middle of a message for longer than the wait
 * limit is closed with 1013, a message over the size limit with 1009, each with a logged reason.
 */
public final class JettyConnection implements Session.Listener, FrameSocket {
    private static final Logger log = LoggerFactory.getLogger(JettyConnection.class);

    /** The server's side of a connection's life. */
    public interface Owner {
        void opened(JettyConnection connection);

        void closed(JettyConnection connection);
    }

    private final Owner owner;
    private final long pingIntervalMs;
    private final String dcJson;
    private final Timers timers;
    private final long sequence;
    private final long maxPendingChars;
    private final long stallTimeoutMs;
    private final int maxHeldMessages;
    private final AtomicLong buffered = new AtomicLong();
    private final AtomicBoolean gone = new AtomicBoolean();
    private volatile Session session;
    private volatile ChannelCore core;

    /** The incoming limits a server gives each of its connections. */
    /**
     * {@code budget} shared by the server's connections; {@code maxMessageBytes} for one message;
     * {@code perConnectionChars} of complete messages a connection may have waiting to be handled
     * before it is read further; {@code waitMillis} a connection may wait for the budget in the middle
     * of a message before it is closed (0 or less: no such limit).
     */
    public record IncomingLimits(IncomingBudget budget, long maxMessageBytes, long perConnectionChars, long waitMillis) {
        public static IncomingLimits none() {
            return new IncomingLimits(new IncomingBudget(0), 0, 0, 0);
        }
    }

    private IncomingLimits incoming = IncomingLimits.none();
    /** The message being assembled (guarded by this): its first piece, then a builder once a second came. */
    private String firstPart;
    private StringBuilder assembled;
    private volatile long partChars;
    private long partBytes;
    private boolean refused;
    /** Charged and not yet given back: pieces held here and messages the sync layer still holds. */
    private final AtomicLong held = new AtomicLong();
    private final AtomicBoolean paused = new AtomicBoolean();
    private final Runnable resume = this::tryResume;
    private Timers.Cancellable waitTimer; // guarded by this

    public JettyConnection(Owner owner, long pingIntervalMs, String datacenter, Timers timers, long sequence,
                           long maxPendingChars, long stallTimeoutMs) {
        this(owner, pingIntervalMs, datacenter, timers, sequence, maxPendingChars, stallTimeoutMs, 0);
    }

    /** As above; {@code maxHeldMessages} bounds what a connection holds before it is handed over (0: no limit). */
    public JettyConnection(Owner owner, long pingIntervalMs, String datacenter, Timers timers, long sequence,
                           long maxPendingChars, long stallTimeoutMs, int maxHeldMessages) {
        this.maxHeldMessages = maxHeldMessages;
        this.maxPendingChars = maxPendingChars;
        this.stallTimeoutMs = stallTimeoutMs;
        this.owner = owner;
        this.pingIntervalMs = pingIntervalMs;
        this.dcJson = JsonWriter.stringify(JsonValue.of(datacenter));
        this.timers = timers;
        this.sequence = sequence;
    }

    /** Sets the incoming limits (before the connection opens). */
    public JettyConnection limitIncoming(IncomingLimits limits) {
        this.incoming = limits;
        return this;
    }

    /** Null until the upgrade completed. */
    public ChannelCore channel() {
        return core;
    }

    // ---- Jetty events ------------------------------------------------------------------------

    @Override
    public void onWebSocketOpen(Session s) {
        session = s;
        // Unique per connection, like the reference server's "<address>@<ISO time>#<n>" peer ids.
        String name = s.getRemoteSocketAddress() + "@" + Instant.now() + "#" + sequence;
        ChannelCore c = new ChannelCore(name, this, false, 0, timers, new ChannelCore.Hooks() {});
        c.limitOutgoing(maxPendingChars, stallTimeoutMs);
        c.limitHeldMessages(maxHeldMessages);
        core = c;
        core.socketOpened();
        if (pingIntervalMs > 0) {
            ping();
        }
        owner.opened(this);
        s.demand();
    }

    @Override
    public void onWebSocketPartialText(String piece, boolean last) {
        String text = null;
        long chars;
        long dropped = -1;
        synchronized (this) {
            if (refused) return;
            long n = piece.length();
            charge(n);
            partBytes += utf8Length(piece);
            partChars += n;
            // Large arrays that die young are reclaimed at once (unlike thousands of small pieces)
            if (firstPart == null && assembled == null) {
                firstPart = piece;
            } else {
                if (assembled == null) {
                    assembled = new StringBuilder(firstPart.length() * 4);
                    assembled.append(firstPart);
                    firstPart = null;
                }
                assembled.append(piece);
            }
            long max = incoming.maxMessageBytes();
            long budget = incoming.budget().limit();
            chars = partChars;
            if (max > 0 && partBytes > max) {
                dropped = refuseLocked(1009, "message larger than " + max + " bytes");
            } else if (budget > 0 && partChars > budget) {
                dropped = refuseLocked(1009, "message larger than the server's incoming budget of " + budget + " chars");
            } else if (last) {
                text = assembled == null ? firstPart : assembled.toString();
                firstPart = null;
                assembled = null;
                partChars = 0;
                partBytes = 0;
            }
        }
        if (dropped >= 0) {
            giveBackDropped(dropped);
            return;
        }
        if (text != null) {
            incoming.budget().messageEnded(this);
            long c = chars;
            core.frameReceived(text, new IncomingBudget.Lease(c, () -> giveBack(c)));
        }
        paused.set(true);
        tryResume();
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        core.binaryFrameReceived(payload.remaining());
        callback.succeed();
        Session s = session;
        if (s != null) s.demand();
    }

    // ---- incoming budget ---------------------------------------------------------------------

    private void charge(long chars) {
        held.addAndGet(chars);
        incoming.budget().charge(chars);
    }

    private void giveBack(long chars) {
        held.addAndGet(-chars);
        incoming.budget().release(chars); // may resume other connections (and this one)
        tryResume();
    }

    /** Asks for the next piece once this connection and the server are within budget. */
    private void tryResume() {
        if (!paused.get() || gone.get()) return;
        long own = incoming.perConnectionChars();
        if (own > 0 && held.get() - partChars >= own) {
            return; // its own messages, handled, give back and call this again
        }
        if (!incoming.budget().hasRoomElseWait(this, partChars > 0, resume)) {
            armWaitTimer();
            return;
        }
        if (!paused.compareAndSet(true, false)) return;
        synchronized (this) {
            if (waitTimer != null) waitTimer.cancel();
            waitTimer = null;
        }
        Session s = session;
        if (s != null && s.isOpen()) s.demand();
    }

    /** Only a connection holding part of a message can block others: it gets a deadline. */
    private synchronized void armWaitTimer() {
        if (waitTimer != null || partChars == 0 || incoming.waitMillis() <= 0 || refused) return;
        waitTimer = timers.schedule(this::waitExpired, incoming.waitMillis());
    }

    private void waitExpired() {
        long dropped;
        synchronized (this) {
            waitTimer = null;
            if (!paused.get() || partChars == 0 || refused) return;
            dropped = refuseLocked(1013, "incoming budget spent for " + incoming.waitMillis()
                    + " ms in the middle of a message of " + partChars + " chars so far (server busy, try again later)");
        }
        giveBackDropped(dropped);
    }

    /**
     * Drops the message being assembled and closes with {@code code}; caller holds the lock and
     * then gives back the characters answered ({@link #giveBackDropped}) once it released it.
     */
    private long refuseLocked(int code, String reason) {
        refused = true;
        log.warn("connection {} refused: {} (close {})", describe(), reason, code);
        long c = dropPartsLocked();
        Session s = session;
        if (s != null) s.close(code, reason.length() > 120 ? reason.substring(0, 120) : reason, Callback.NOOP);
        return c;
    }

    /** Forgets the unfinished message; answers its characters, to give back outside the lock. */
    private long dropPartsLocked() {
        long c = partChars;
        firstPart = null;
        assembled = null;
        partChars = 0;
        partBytes = 0;
        if (waitTimer != null) waitTimer.cancel();
        waitTimer = null;
        return c;
    }

    /** Never called holding this connection's lock: releasing resumes other connections, which take theirs. */
    private void giveBackDropped(long chars) {
        incoming.budget().messageEnded(this);
        if (chars <= 0) return;
        held.addAndGet(-chars);
        incoming.budget().release(chars);
    }

    private static long utf8Length(String s) {
        long n = 0;
        for (int i = 0, len = s.length(); i < len; i++) {
            char ch = s.charAt(i);
            if (ch < 0x80) n++;
            else if (ch < 0x800) n += 2;
            else if (Character.isHighSurrogate(ch)) {
                n += 4;
                i++;
            } else n += 3;
        }
        return n;
    }

    /** Characters this connection holds against the incoming budget. */
    public long heldIncomingChars() {
        return held.get();
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        ChannelCore c = core;
        String why = statusCode + (reason == null || reason.isEmpty() ? "" : " " + LogText.safe(reason, 123));
        // Every close is logged with its code: 1007 (bad UTF-8) and 1009 (too large) come from Jetty itself.
        if (statusCode == 1000 || statusCode == 1001 || statusCode == 1005) {
            log.info("connection {} closed: {}", describe(), why);
        } else {
            log.warn("connection {} closed: {}", describe(), why);
        }
        if (c != null) c.socketClosed("closed (" + why + ")");
        socketGone();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        ChannelCore c = core;
        log.warn("connection {} failed: {}: {}", describe(), cause.getClass().getSimpleName(), LogText.safe(cause.getMessage(), 300));
        io.cojson.storage.FatalErrors.report(cause); // an OutOfMemoryError on a Jetty thread ends the process like on ours
        if (c != null) c.socketClosed("socket error: " + cause.getClass().getSimpleName());
        socketGone();
    }

    private String describe() {
        ChannelCore c = core;
        return c == null ? "#" + sequence + " (not open)" : c.describe();
    }

    /** Told once the socket itself is gone (after a close handshake), so a shutdown can wait for it. */
    private void socketGone() {
        if (gone.compareAndSet(false, true)) {
            incoming.budget().cancel(resume);
            long dropped;
            synchronized (this) {
                dropped = dropPartsLocked();
            }
            giveBackDropped(dropped);
            owner.closed(this);
        }
    }

    // ---- FrameSocket ---------------------------------------------------------------------------

    @Override
    public boolean isOpen() {
        Session s = session;
        return s != null && s.isOpen();
    }

    @Override
    public long bufferedAmount() {
        return buffered.get();
    }

    @Override
    public boolean sendFrame(String frame) {
        Session s = session;
        if (s == null) return false;
        long size = frame.length();
        buffered.addAndGet(size);
        // Jetty queues frames in call order; the callback tells us when this one left.
        s.sendText(frame, Callback.from(() -> buffered.addAndGet(-size), failure -> {
            buffered.addAndGet(-size);
            log.debug("send to {} failed: {}", describe(), LogText.safe(failure, 300));
        }));
        return true;
    }

    @Override
    public void close(int code, String reason) {
        Session s = session;
        if (s != null) s.close(code, reason, Callback.NOOP);
    }

    @Override
    public void abort() {
        Session s = session;
        if (s != null) s.disconnect();
    }

    private void ping() {
        ChannelCore c = core;
        if (c == null || c.isTerminated()) return;
        c.sendRaw("{\"type\":\"ping\",\"time\":" + System.currentTimeMillis() + ",\"dc\":" + dcJson + "}");
        timers.schedule(this::ping, pingIntervalMs);
    }
}
