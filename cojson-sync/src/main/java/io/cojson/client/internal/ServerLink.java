package io.cojson.client.internal;

import io.cojson.core.json.JsonValue;
import io.cojson.sync.PeerRole;
import io.cojson.sync.SyncManager;
import io.cojson.sync.transport.MessageChannel;
import io.cojson.sync.transport.ReconnectingClient;
import io.cojson.sync.transport.WebSocketClientChannel;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The connection to one sync server: a {@link ReconnectingClient} whose every channel becomes the
 * sync manager's peer {@code peerId}, each channel watched so that the {@link ConnectionTracker}
 * learns when it answered and why it ended.
 */
public final class ServerLink implements AutoCloseable {
    private final String url;
    private final String peerId;
    private final SyncManager sync;
    private volatile ConnectionTracker tracker;
    private final AtomicLong channelSeq = new AtomicLong();
    /** The last channel that ended: a late "connected" for it must not override its end. */
    private volatile long endedSeq;
    private volatile boolean closing;
    private ReconnectingClient client;

    public ServerLink(String url, String peerId, SyncManager sync, ConnectionTracker tracker) {
        this.url = url;
        this.peerId = peerId;
        this.sync = sync;
        this.tracker = tracker;
    }

    public String url() {
        return url;
    }

    public String peerId() {
        return peerId;
    }

    /**
     * Reports to {@code next} from now on (an account made ready beside the client's one becomes
     * the client's), telling it where this connection stands.
     */
    public void retarget(ConnectionTracker next) {
        tracker = next;
        if (closing || client == null) return;
        if (client.isConnected()) next.connected(url);
        else next.connecting(url);
    }

    /** An unstarted link to the same server for the same peer (a link starts once). */
    public ServerLink fresh() {
        return new ServerLink(url, peerId, sync, tracker);
    }

    /** Starts connecting; returns once the first channel is the sync manager's peer (so waits that follow see it). */
    public void start() {
        tracker.connecting(url);
        client = ReconnectingClient.builder(url)
                .onChannel(ch -> sync.addPeer(peerId, PeerRole.SERVER, new Watched(ch, channelSeq.incrementAndGet())))
                .onConnectionChange(up -> {
                    if (up && !closing && endedSeq != channelSeq.get()) tracker.connected(url);
                })
                .start();
    }

    /**
     * Whether a connection is open now: established, or its socket open with the first frame
     * still to come (the tracker says CONNECTED only once it came).
     */
    public boolean isOpen() {
        ReconnectingClient c = client;
        return c != null && !closing && (c.isConnected() || (c.current() instanceof WebSocketClientChannel w && w.isOpen()));
    }

    /** Stops reconnecting, closes the current channel and waits (bounded) for the reconnect thread to end. */
    @Override
    public void close() {
        closing = true;
        ReconnectingClient c = client;
        if (c == null) return;
        c.close();
        try {
            c.awaitTermination(Duration.ofSeconds(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A channel whose end (and its reason) reaches the tracker before the sync manager hears of it. */
    private final class Watched implements MessageChannel {
        private final MessageChannel ch;
        private final long seq;

        Watched(MessageChannel ch, long seq) {
            this.ch = ch;
            this.seq = seq;
        }

        @Override
        public void send(String messageJson) {
            ch.send(messageJson);
        }

        @Override
        public void setListener(Listener listener) {
            ch.setListener(new Listener() {
                @Override
                public void onMessage(String messageJson) {
                    listener.onMessage(messageJson);
                }

                @Override
                public void onMessage(String messageJson, JsonValue parsed) {
                    listener.onMessage(messageJson, parsed);
                }

                @Override
                public void onMessage(String messageJson, JsonValue parsed, Runnable handled) {
                    listener.onMessage(messageJson, parsed, handled);
                }

                @Override
                public void onClosed(String reason) {
                    // a late end of a replaced channel says nothing about the current one
                    if (!closing && seq == channelSeq.get()) {
                        endedSeq = seq;
                        tracker.ended(url, reason);
                    }
                    listener.onClosed(reason);
                }
            });
        }

        @Override
        public String describe() {
            return ch.describe();
        }

        @Override
        public void close() {
            ch.close();
        }
    }
}
