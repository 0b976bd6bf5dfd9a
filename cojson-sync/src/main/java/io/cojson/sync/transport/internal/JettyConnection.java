package io.cojson.sync.transport.internal;

import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import io.cojson.sync.internal.LogText;
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
 */
public final class JettyConnection implements Session.Listener.AutoDemanding, FrameSocket {
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
    }

    @Override
    public void onWebSocketText(String text) {
        core.frameReceived(text);
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        core.binaryFrameReceived(payload.remaining());
        callback.succeed();
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
        if (c != null) c.socketClosed("socket error: " + cause.getClass().getSimpleName());
        socketGone();
    }

    private String describe() {
        ChannelCore c = core;
        return c == null ? "#" + sequence + " (not open)" : c.describe();
    }

    /** Told once the socket itself is gone (after a close handshake), so a shutdown can wait for it. */
    private void socketGone() {
        if (gone.compareAndSet(false, true)) owner.closed(this);
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
