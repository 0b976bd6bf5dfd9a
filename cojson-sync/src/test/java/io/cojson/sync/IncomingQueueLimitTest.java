package io.cojson.sync;

import static io.cojson.sync.SyncTestKit.CRYPTO;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.header.CoValueHeader;
import io.cojson.core.header.Ruleset;
import io.cojson.core.json.JsonValue;
import io.cojson.core.node.LocalNode;
import io.cojson.sync.transport.MessageChannel;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The per-client incoming limit (reliability.md RL-17) never makes the sync thread wait for itself. */
class IncomingQueueLimitTest {
    private static final int LIMIT = 2;
    private static final int MESSAGES = 20;

    @Test
    @DisplayName("A channel that delivers more than the incoming limit while its listener is being set (what a server's connection held before ready) is answered in full, with at most the limit queued")
    void heldMessagesBeyondTheLimitAreDeliveredWithoutDeadlock() throws Exception {
        LocalNode server = LocalNode.forAgent(CRYPTO, CRYPTO.newRandomAgentSecret());
        try (SyncManager sync = SyncManager.create(server, SyncOptions.defaults().withIncomingQueueLimit(LIMIT))) {
            HeldMessages channel = new HeldMessages(MESSAGES);
            // addPeer sets the listener; the channel then delivers all it held, on the setting thread
            CompletableFuture<PeerState> added = CompletableFuture.supplyAsync(() -> sync.addPeer("client", PeerRole.CLIENT, channel));
            PeerState peer = added.get(20, TimeUnit.SECONDS);
            SyncTestKit.await("every held load is answered", () -> channel.sent.size() >= MESSAGES);
            assertEquals(MESSAGES, channel.sent.size(), "one answer per load: " + channel.sent);
            for (String reply : channel.sent) assertTrue(reply.contains("\"action\":\"known\""), reply);
            int high = peer.incomingHighWater();
            assertTrue(high >= 1 && high <= LIMIT, "queued at once: " + high);
        }
    }

    private static String unknownId() {
        CoValueHeader h = CoValueHeader.create("comap", new Ruleset.UnsafeAllowAll(), JsonValue.NULL,
                CoValueHeader.isoTimestamp(System.currentTimeMillis()), JsonValue.of(CRYPTO.newUniqueness()));
        return h.id(CRYPTO).value();
    }

    /** Holds {@code n} loads of unknown values and delivers them all, in order, when its listener is set. */
    private static final class HeldMessages implements MessageChannel {
        final List<String> sent = new CopyOnWriteArrayList<>();
        private final List<String> held = new java.util.ArrayList<>();

        HeldMessages(int n) {
            for (int i = 0; i < n; i++) held.add("{\"action\":\"load\",\"id\":\"" + unknownId() + "\",\"header\":false,\"sessions\":{}}");
        }

        @Override
        public void send(String messageJson) {
            sent.add(messageJson);
        }

        @Override
        public void setListener(Listener listener) {
            for (String m : held) listener.onMessage(m, null, () -> {});
        }

        @Override
        public String describe() {
            return "held messages";
        }

        @Override
        public void close() {}
    }
}
