package io.cojson.sync.transport;

import io.cojson.sync.internal.support.LogText;
import io.cojson.sync.transport.internal.ChannelCore;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a connection to one sync server, like the reference's {@code WebSocketPeerWithReconnection}:
 * each attempt creates a fresh {@link WebSocketClientChannel} and hands it to {@code onChannel} at
 * once (messages sent before the socket opens go out batched when it does), so the protocol layer
 * adds it as a peer and re-handshakes. When that channel ends, for any reason (server gone, ping
 * timeout, the protocol layer closing it), the next attempt follows after a {@link Backoff} delay;
 * the attempt counter resets when a channel receives its first frame.
 *
 * <p>Callbacks run on this client's own thread, never on a socket thread. The URL is checked when
 * the builder is made ({@link InvalidUrlException}); {@link Builder#start()} returns once the first
 * channel has been handed to {@code onChannel}, so a peer added there is in place for what follows.
 */
public final class ReconnectingClient implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReconnectingClient.class);
    /** How long {@link Builder#start()} waits for the first {@code onChannel} call to return. */
    public static final Duration FIRST_ATTEMPT_WAIT = Duration.ofSeconds(10);

    private final String url;
    private final WebSocketClientChannel.Builder channels;
    private final Backoff backoff;
    private final Consumer<MessageChannel> onChannel;
    private final Consumer<Boolean> onConnectionChange;
    private final ScheduledExecutorService executor;
    private final Object lock = new Object();
    private WebSocketClientChannel current;
    private ScheduledFuture<?> pendingAttempt;
    private int attempts;
    private long connections;
    private boolean connected;
    private boolean closed;

    private ReconnectingClient(Builder b) {
        this.url = b.url;
        this.channels = WebSocketClientChannel.builder(b.url).okHttpClient(b.client).pingTimeout(b.pingTimeout);
        this.backoff = b.backoff;
        this.onChannel = Objects.requireNonNull(b.onChannel, "onChannel");
        this.onConnectionChange = b.onConnectionChange;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cojson-reconnect");
            t.setDaemon(true);
            return t;
        });
    }

    public static Builder builder(String url) {
        return new Builder(url);
    }

    /** Options; {@link #onChannel} is required. */
    public static final class Builder {
        private final String url;
        private OkHttpClient client;
        private Duration pingTimeout = WebSocketClientChannel.DEFAULT_PING_TIMEOUT;
        private Backoff backoff = Backoff.defaults();
        private Consumer<MessageChannel> onChannel;
        private Consumer<Boolean> onConnectionChange;

        private Builder(String url) {
            this.url = WebSocketClientChannel.checkUrl(url);
        }

        public Builder okHttpClient(OkHttpClient client) {
            this.client = client;
            return this;
        }

        public Builder pingTimeout(Duration timeout) {
            this.pingTimeout = timeout;
            return this;
        }

        public Builder backoff(Backoff backoff) {
            this.backoff = Objects.requireNonNull(backoff, "backoff");
            return this;
        }

        /** Receives the channel of every connection attempt, the first one included. */
        public Builder onChannel(Consumer<MessageChannel> onChannel) {
            this.onChannel = onChannel;
            return this;
        }

        /** Told {@code true} when a channel receives its first frame, {@code false} when it ends. */
        public Builder onConnectionChange(Consumer<Boolean> listener) {
            this.onConnectionChange = listener;
            return this;
        }

        /**
         * Starts the first attempt at once and returns when {@code onChannel} has received its
         * channel (waiting at most {@link #FIRST_ATTEMPT_WAIT} for a slow callback): a peer added
         * there is known to the sync manager before anything the caller does next.
         */
        public ReconnectingClient start() {
            ReconnectingClient c = new ReconnectingClient(this);
            try {
                c.executor.submit(c::attempt).get(FIRST_ATTEMPT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                log.warn("first connection attempt to {} has not handed out its channel: {}", url, e.toString());
            }
            return c;
        }
    }

    /** A channel of this client has received a frame and not ended since. */
    public boolean isConnected() {
        synchronized (lock) {
            return connected;
        }
    }

    /** Waits (bounded) until connected; returns whether it is. */
    public boolean awaitConnected(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (!connected && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return false;
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            return connected;
        }
    }

    /** Failed attempts since the last successful connection (0 while connected). */
    public int attempts() {
        synchronized (lock) {
            return attempts;
        }
    }

    /** Channels handed out so far. */
    public long connections() {
        synchronized (lock) {
            return connections;
        }
    }

    /** The current attempt's channel, or null between attempts. */
    public MessageChannel current() {
        synchronized (lock) {
            return current;
        }
    }

    /** Stops reconnecting and closes the current channel (flushing what it has queued). */
    @Override
    public void close() {
        WebSocketClientChannel ch;
        synchronized (lock) {
            if (closed) return;
            closed = true;
            if (pendingAttempt != null) pendingAttempt.cancel(false);
            ch = current;
            current = null;
            lock.notifyAll();
        }
        if (ch != null) ch.close();
        executor.shutdown();
    }

    /**
     * After {@link #close}: waits (bounded) until this client's thread has run its last task, so
     * no further attempt can start; returns whether it has.
     */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return executor.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void attempt() {
        Hooks hooks = new Hooks();
        WebSocketClientChannel ch;
        synchronized (lock) {
            if (closed) return;
            try {
                ch = channels.connect(hooks);
            } catch (RuntimeException e) { // never silent: log it and try again after the backoff
                log.warn("cannot open a connection to {}", url, e);
                scheduleNext();
                return;
            }
            hooks.channel = ch;
            current = ch;
            connections++;
        }
        try {
            onChannel.accept(ch);
        } catch (RuntimeException e) {
            log.error("onChannel failed for {}", url, e);
        }
    }

    private void established(WebSocketClientChannel ch) {
        synchronized (lock) {
            if (ch != current || connected) return;
            attempts = 0;
            connected = true;
            lock.notifyAll();
        }
        notifyChange(true);
    }

    private void ended(WebSocketClientChannel ch, String reason) {
        boolean wasConnected;
        long delay;
        synchronized (lock) {
            if (ch != current) return;
            current = null;
            wasConnected = connected;
            connected = false;
            if (closed) return;
            delay = scheduleNext();
            if (delay < 0) return; // closing
        }
        log.info("connection to {} ended ({}); attempt {} in {} ms", url, LogText.safe(reason, 300), attempts, delay);
        if (wasConnected) notifyChange(false);
    }

    /** Schedules the next attempt after the backoff; its delay, or -1 when closing. Under {@code lock}. */
    private long scheduleNext() {
        attempts++;
        long delay = backoff.delayMillis(attempts, () -> ThreadLocalRandom.current().nextDouble());
        try {
            pendingAttempt = executor.schedule(this::attempt, delay, TimeUnit.MILLISECONDS);
            return delay;
        } catch (RejectedExecutionException e) {
            return -1;
        }
    }

    private void notifyChange(boolean up) {
        if (onConnectionChange == null) return;
        try {
            onConnectionChange.accept(up);
        } catch (RuntimeException e) {
            log.error("onConnectionChange failed for {}", url, e);
        }
    }

    private void post(Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            // closed: nothing more to do
        }
    }

    /** Socket-thread events of one channel, moved onto this client's thread. */
    private final class Hooks implements ChannelCore.Hooks {
        volatile WebSocketClientChannel channel;

        @Override
        public void established() {
            post(() -> ReconnectingClient.this.established(channel));
        }

        @Override
        public void terminated(String reason) {
            post(() -> ended(channel, reason));
        }
    }
}
