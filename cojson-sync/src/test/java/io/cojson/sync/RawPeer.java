package io.cojson.sync;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.cojson.sync.transport.InMemoryChannel;
import io.cojson.sync.transport.MessageChannel;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** The far end of a channel to a {@link SyncManager}, driven message by message by a test. */
final class RawPeer {
    final InMemoryChannel channel;
    private final BlockingQueue<String> inbox = new LinkedBlockingQueue<>();

    private RawPeer(InMemoryChannel channel) {
        this.channel = channel;
        channel.setListener(new MessageChannel.Listener() {
            @Override
            public void onMessage(String json) {
                inbox.add(json);
            }

            @Override
            public void onClosed(String reason) {}
        });
    }

    /** A peer that {@code manager} sees with {@code role} under {@code id}. */
    static RawPeer attach(SyncManager manager, String id, PeerRole role) {
        return attach(manager, id, role, false);
    }

    /** As {@link #attach(SyncManager, String, PeerRole)}; a persistent peer may come back under the same id. */
    static RawPeer attach(SyncManager manager, String id, PeerRole role, boolean persistent) {
        InMemoryChannel.Pair pair = InMemoryChannel.pair(id, "manager");
        manager.addPeer(id, role, pair.b(), persistent);
        return new RawPeer(pair.a());
    }

    void send(SyncMessage m) {
        channel.send(m.toJson());
    }

    void sendRaw(String json) {
        channel.send(json);
    }

    SyncMessage next() {
        return SyncMessage.parse(nextText());
    }

    /** The next message as it arrived on the wire. */
    String nextText() {
        try {
            String s = inbox.poll(10, TimeUnit.SECONDS);
            assertNotNull(s, "expected a message");
            return s;
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** The next message, skipping those that are not of {@code type}. */
    <T extends SyncMessage> T next(Class<T> type) {
        while (true) {
            SyncMessage m = next();
            if (type.isInstance(m)) return type.cast(m);
        }
    }

    /** The next message within {@code ms}, or null. */
    SyncMessage poll(long ms) {
        try {
            String s = inbox.poll(ms, TimeUnit.MILLISECONDS);
            return s == null ? null : SyncMessage.parse(s);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    void expectSilence(long ms) {
        try {
            String s = inbox.poll(ms, TimeUnit.MILLISECONDS);
            assertNull(s, "expected no message");
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    void drain() {
        inbox.clear();
    }

    /** Every message received so far, without waiting. */
    java.util.List<String> takeAll() {
        java.util.List<String> out = new java.util.ArrayList<>();
        inbox.drainTo(out);
        return out;
    }
}
