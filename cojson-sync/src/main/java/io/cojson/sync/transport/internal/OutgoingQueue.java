package io.cojson.sync.transport.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Port of cojson-transport-ws {@code BatchedOutgoingMessages}: a fast path (socket open, little
 * buffered, nothing queued: one message per frame) and a slow path (priority queue drained once
 * the socket is open and {@code bufferedAmount} is low, batching into {@code \n}-joined frames when
 * batching is on). The reference's quirks are kept where they shape frames: the batch limit adds
 * the <em>number</em> of batched messages to the new message's length, and the message that starts
 * a drain is taken out of the queue before the wait, so it goes first whatever its priority.
 *
 * <p>Not in the reference, for peers that read slowly or not at all (the server sets them, see
 * {@link #limit}): a content message identical to one still queued is dropped (a peer that
 * repeats a {@code load} gets one copy, not one per request); what is pending (queued, batched
 * and buffered in the socket) is bounded by a budget; and a queue that made no progress for the
 * stall timeout ends the connection. Either end is reported once to the overflow callback.
 */
public final class OutgoingQueue {
    /** {@code WEBSOCKET_CONFIG.MAX_OUTGOING_MESSAGES_CHUNK_BYTES}. */
    public static final int MAX_OUTGOING_MESSAGES_CHUNK_BYTES = 25_000;
    /** {@code BUFFER_LIMIT}: above this many buffered bytes, messages queue. */
    public static final long BUFFER_LIMIT = 100_000;
    /** {@code BUFFER_LIMIT_POLLING_INTERVAL}. */
    public static final long BUFFER_LIMIT_POLLING_INTERVAL_MS = 10;
    /**
     * Not in the reference: a batch is flushed before it would pass this many characters, because
     * OkHttp refuses (and closes the socket on) anything that would push its send queue past
     * 16 MiB. Frames that the reference's rule produces in practice stay far below it.
     */
    public static final long MAX_BATCH_CHARS = 4_000_000;

    private static final Logger log = LoggerFactory.getLogger(OutgoingQueue.class);
    private static final int HIGH = 0;
    private static final int MEDIUM = 1;
    private static final int LOW = 2;

    private final FrameSocket socket;
    private final Timers timers;
    private final int chunkLimit;
    private final List<ArrayDeque<String>> queues = List.of(new ArrayDeque<>(), new ArrayDeque<>(), new ArrayDeque<>());
    private final List<String> backlog = new ArrayList<>();
    private long backlogChars;
    private boolean batching;
    private boolean processing;
    private boolean closed;
    private boolean pollScheduled;
    private String inHand;
    private long framesSent;
    /** Characters in {@link #queues} and {@link #inHand} (the backlog has its own count). */
    private long queuedChars;
    /** Content messages in {@link #queues} or {@link #inHand}, with how many copies: for coalescing. */
    private final Map<String, Integer> queuedContent = new HashMap<>();
    private long coalesced;
    private long peakPending;
    private long maxPendingChars;
    private long stallTimeoutNanos;
    private Consumer<String> onOverflow;
    private long stalledSinceNanos;
    private long lastBuffered;

    public OutgoingQueue(FrameSocket socket, Timers timers, boolean batching, int chunkLimit) {
        this.socket = socket;
        this.timers = timers;
        this.batching = batching;
        this.chunkLimit = chunkLimit;
    }

    /**
     * Bounds what may be pending for this peer: {@code maxPendingChars} (0: no bound) over the
     * queue, the batch being built and the socket's buffer, and {@code stallTimeoutMillis} (0:
     * none) without progress while messages wait. On a breach nothing more is queued and
     * {@code onOverflow} gets the reason (once, outside this queue's lock); it should end the
     * connection. A single message larger than the budget still goes when nothing else is pending.
     */
    public synchronized void limit(long maxPendingChars, long stallTimeoutMillis, Consumer<String> onOverflow) {
        this.maxPendingChars = maxPendingChars;
        this.stallTimeoutNanos = stallTimeoutMillis * 1_000_000L;
        this.onOverflow = onOverflow;
    }

    /** Queues or sends one message ({@code push}). Ignored after close. */
    public void push(String message) {
        String overflow;
        synchronized (this) {
            if (closed) return;
            if (!queuedContent.isEmpty() && queuedContent.containsKey(message)) {
                coalesced++; // the same content is still waiting to go: one copy is enough
                return;
            }
            overflow = overBudget(message.length());
            if (overflow == null) {
                pushNow(message);
                peakPending = Math.max(peakPending, pendingChars());
                return;
            }
        }
        overflowed(overflow);
    }

    private void pushNow(String message) {
        if (processing) {
            enqueue(message);
            return;
        }
        if (socket.isOpen() && !tooMuchBuffered()) {
            processMessage(message, true);
            return;
        }
        enqueue(message);
        processing = true;
        inHand = pull();
        resume();
    }

    /** Characters queued, batched and not yet written by the socket. */
    public synchronized long pendingChars() {
        return queuedChars + backlogChars + socket.bufferedAmount();
    }

    /** The most {@link #pendingChars()} ever was right after a push. */
    public synchronized long peakPendingChars() {
        return peakPending;
    }

    /** Content messages dropped because an identical copy was still queued. */
    public synchronized long coalescedMessages() {
        return coalesced;
    }

    private String overBudget(long size) {
        if (maxPendingChars <= 0) return null;
        long pending = pendingChars();
        if (pending == 0 || pending + size <= maxPendingChars) return null;
        return "outgoing budget exceeded: " + pending + " chars pending, " + size + " more would pass " + maxPendingChars;
    }

    private void overflowed(String reason) {
        Consumer<String> callback;
        synchronized (this) {
            if (closed) return;
            closed = true;
            callback = onOverflow;
        }
        discard();
        if (callback != null) callback.accept(reason);
    }

    /** The socket opened: a drain that waited for it goes on. */
    public synchronized void onOpen() {
        if (processing) resume();
    }

    /** Turned on when the peer sent a multi-message frame (it understands batches). */
    public synchronized void setBatching(boolean enabled) {
        batching = enabled;
    }

    public synchronized boolean isBatching() {
        return batching;
    }

    /** Sends a frame outside the queue (server pings), in order with the queue's own frames. */
    public synchronized void sendRaw(String frame) {
        if (!closed && socket.isOpen()) send(frame);
    }

    /** {@code close()}: flushes what is queued if the socket is open, then accepts nothing more. */
    public synchronized void close() {
        if (closed) return;
        if (socket.isOpen()) {
            // Unlike the reference, the message a waiting drain already took out goes too, first.
            if (inHand != null) processMessage(inHand, false);
            for (String m = pull(); m != null; m = pull()) processMessage(m, false);
            sendMessagesInBulk();
        }
        discard();
    }

    /** The socket is gone: forget everything queued. */
    public synchronized void discard() {
        closed = true;
        inHand = null;
        for (ArrayDeque<String> q : queues) q.clear();
        queuedContent.clear();
        queuedChars = 0;
        backlog.clear();
        backlogChars = 0;
    }

    public synchronized long framesSent() {
        return framesSent;
    }

    private void resume() {
        while (inHand != null) {
            if (closed || !socket.isOpen()) return; // onOpen resumes; close ends it
            if (tooMuchBuffered()) {
                schedulePoll();
                return;
            }
            String m = inHand;
            inHand = null;
            dequeued(m);
            processMessage(m, false);
            inHand = pull();
        }
        sendMessagesInBulk();
        processing = false;
        stalledSinceNanos = 0;
    }

    private void schedulePoll() {
        if (pollScheduled) return;
        pollScheduled = true;
        timers.schedule(() -> {
            String stalled;
            synchronized (this) {
                pollScheduled = false;
                if (!processing) return;
                stalled = stalled();
                if (stalled == null) resume();
            }
            if (stalled != null) overflowed(stalled);
        }, BUFFER_LIMIT_POLLING_INTERVAL_MS);
    }

    /** Why the queue counts as stuck (nothing written since the stall timeout), or null. */
    private String stalled() {
        if (stallTimeoutNanos <= 0) return null;
        long now = System.nanoTime();
        long buffered = socket.bufferedAmount();
        if (stalledSinceNanos == 0 || buffered < lastBuffered) stalledSinceNanos = now; // progress
        lastBuffered = buffered;
        long waited = now - stalledSinceNanos;
        if (waited < stallTimeoutNanos) return null;
        return "peer reads nothing: " + pendingChars() + " chars pending, no progress for " + waited / 1_000_000 + " ms";
    }

    private boolean tooMuchBuffered() {
        return socket.bufferedAmount() > BUFFER_LIMIT && socket.isOpen();
    }

    private void processMessage(String message, boolean skipBatching) {
        if (!batching || skipBatching) {
            send(message);
            return;
        }
        int size = message.length();
        if (!backlog.isEmpty() && (backlog.size() + size > chunkLimit || backlogChars + size > MAX_BATCH_CHARS)) {
            sendMessagesInBulk();
        }
        backlog.add(message);
        backlogChars += size;
        if (size >= chunkLimit) sendMessagesInBulk();
    }

    private void sendMessagesInBulk() {
        if (!backlog.isEmpty() && socket.isOpen()) {
            send(backlog.size() == 1 ? backlog.get(0) : FrameCodec.encode(backlog));
            backlog.clear();
            backlogChars = 0;
        }
    }

    private void send(String frame) {
        framesSent++;
        if (!socket.sendFrame(frame)) log.debug("socket refused a frame of {} chars", frame.length());
    }

    /** {@code PriorityBasedMessageQueue.push}: content by priority, the rest HIGH, reconcile LOW. */
    private void enqueue(String message) {
        FrameCodec.Head h = FrameCodec.outgoingHead(message);
        int q;
        if ("reconcile".equals(h.action)) q = LOW;
        else if (h.priority == null || h.priority <= 0) q = HIGH;
        else q = h.priority <= 3 ? MEDIUM : LOW;
        queues.get(q).add(message);
        queuedChars += message.length();
        if ("content".equals(h.action)) queuedContent.merge(message, 1, Integer::sum);
    }

    /** Takes the next message; it still counts as queued (in hand) until {@link #dequeued}. */
    private String pull() {
        for (ArrayDeque<String> q : queues) {
            if (!q.isEmpty()) return q.poll();
        }
        return null;
    }

    /** A queued message leaves for the batch or the socket. */
    private void dequeued(String message) {
        queuedChars -= message.length();
        if (!queuedContent.isEmpty()) queuedContent.computeIfPresent(message, (k, n) -> n == 1 ? null : n - 1);
    }
}
