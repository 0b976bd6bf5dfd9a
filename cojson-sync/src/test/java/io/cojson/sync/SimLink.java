package io.cojson.sync;

import io.cojson.sync.transport.MessageChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * One connection of a deterministic run: what each end sends waits in flight until the test
 * delivers, drops, duplicates or reorders it (reliability.md §2.3). Delivery and close
 * notifications happen on the test's thread; the receiving sync manager queues them on the shared
 * {@link SimScheduler}. A close by one end is graceful, as over TCP (also for a killed process):
 * what it sent can still be delivered, then the other end learns of the close; {@link #cut} is
 * abrupt and loses what is in flight.
 */
final class SimLink {
    final End client;
    final End server;
    private boolean closed;
    /** The end that closed gracefully while its messages were still in flight; null while open. */
    private End closing;

    SimLink(String name) {
        client = new End(name + "/client");
        server = new End(name + "/server");
        client.other = server;
        server.other = client;
    }

    boolean isClosed() {
        return closed;
    }

    /** Messages waiting to reach {@code to}. */
    List<String> inFlightTo(End to) {
        return to.other.outbox;
    }

    int inFlight() {
        return client.outbox.size() + server.outbox.size();
    }

    /** Delivers the {@code index}-th waiting message to {@code to} (index > 0 overtakes the ones before it). */
    boolean deliver(End to, int index, boolean keepCopy) {
        List<String> box = to.other.outbox;
        if (closed || to == closing || to.listener == null || box.isEmpty()) return false;
        int i = Math.min(index, box.size() - 1);
        String m = keepCopy ? box.get(i) : box.remove(i);
        to.listener.onMessage(m);
        if (closing != null && box.isEmpty()) cut("closed by " + closing.name);
        return true;
    }

    boolean drop(End to, int index) {
        List<String> box = to.other.outbox;
        if (box.isEmpty()) return false;
        box.remove(Math.min(index, box.size() - 1));
        return true;
    }

    /** Cuts the connection: what is in flight is lost, both ends are told. */
    void cut(String reason) {
        if (closed) return;
        closed = true;
        client.outbox.clear();
        server.outbox.clear();
        for (End e : List.of(client, server)) {
            if (e.listener != null) e.listener.onClosed(reason);
        }
    }

    final class End implements MessageChannel {
        private final String name;
        private final List<String> outbox = new ArrayList<>();
        private End other;
        private Listener listener;

        End(String name) {
            this.name = name;
        }

        @Override
        public void send(String messageJson) {
            if (!closed && closing == null) outbox.add(messageJson);
        }

        @Override
        public void setListener(Listener l) {
            listener = l;
            if (closed && l != null) l.onClosed("closed");
        }

        @Override
        public String describe() {
            return name;
        }

        @Override
        public void close() {
            if (closed || closing != null) return;
            other.outbox.clear(); // nobody reads for this end any more
            if (outbox.isEmpty()) {
                cut("closed by " + name);
            } else {
                closing = this; // what it sent still arrives, then the close
            }
        }
    }
}
