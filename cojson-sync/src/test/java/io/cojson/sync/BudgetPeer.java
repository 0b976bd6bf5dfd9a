package io.cojson.sync;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.cojson.sync.transport.MessageChannel;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The far end of a peer whose transport keeps an incoming budget, as the WebSocket one does:
 * each message it delivers to the {@link SyncManager} counts in {@link #held} until the manager
 * runs its {@code handled} completion (sync-protocol handling gives it back once the message was
 * processed or dropped, also when the content first waited for its dependencies).
 */
final class BudgetPeer implements MessageChannel {
    /** Messages delivered whose {@code handled} the manager has not run yet. */
    final AtomicInteger held = new AtomicInteger();
    private final BlockingQueue<String> inbox = new LinkedBlockingQueue<>();
    private final ExecutorService delivery = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "budget-peer");
        t.setDaemon(true);
        return t;
    });
    private volatile Listener listener;
    /** The manager's view of this peer. */
    PeerState state;

    static BudgetPeer attach(SyncManager manager, String id, PeerRole role) {
        BudgetPeer p = new BudgetPeer();
        p.state = manager.addPeer(id, role, p);
        return p;
    }

    /** The connection drops (the transport reports it closed). */
    void closeFromFarEnd() {
        delivery.execute(() -> listener.onClosed("closed by the far end"));
    }

    /** Sends {@code m} to the manager, counting it against the budget. */
    void deliver(SyncMessage m) {
        String json = m.toJson();
        held.incrementAndGet();
        AtomicBoolean once = new AtomicBoolean();
        delivery.execute(() -> listener.onMessage(json, null, () -> {
            if (once.compareAndSet(false, true)) held.decrementAndGet();
        }));
    }

    /** The next message the manager sent, skipping those that are not of {@code type}. */
    <T extends SyncMessage> T next(Class<T> type) {
        while (true) {
            try {
                String s = inbox.poll(10, TimeUnit.SECONDS);
                assertNotNull(s, "expected a " + type.getSimpleName());
                SyncMessage m = SyncMessage.parse(s);
                if (type.isInstance(m)) return type.cast(m);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    java.util.List<SyncMessage> takeAll() {
        java.util.List<String> out = new java.util.ArrayList<>();
        inbox.drainTo(out);
        return out.stream().map(SyncMessage::parse).toList();
    }

    @Override
    public void send(String messageJson) {
        inbox.add(messageJson);
    }

    @Override
    public void setListener(Listener listener) {
        this.listener = listener;
    }

    @Override
    public String describe() {
        return "budget peer";
    }

    @Override
    public void close() {
        delivery.shutdown();
    }
}
