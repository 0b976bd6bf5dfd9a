package io.cojson.sync;

import static org.junit.jupiter.api.Assertions.fail;

import io.cojson.core.content.CoMapContent;
import io.cojson.core.covalue.CoValueCore;
import io.cojson.core.covalue.TransactionDecoder;
import io.cojson.core.crypto.Crypto;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import io.cojson.core.knownstate.KnownState;
import io.cojson.core.node.LocalNode;
import io.cojson.sync.transport.InMemoryChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Helpers for syncing in-memory nodes in tests. */
final class SyncTestKit {
    static final Crypto CRYPTO = Crypto.create();
    private static final AtomicInteger CONNECTIONS = new AtomicInteger();

    private SyncTestKit() {}

    /** Connects a client manager to a server manager; returns the pair (a = client end). */
    static InMemoryChannel.Pair connect(SyncManager client, SyncManager server) {
        int n = CONNECTIONS.incrementAndGet();
        InMemoryChannel.Pair pair = InMemoryChannel.pair("client-" + n, "server-" + n);
        server.addPeer("client-" + n, PeerRole.CLIENT, pair.b());
        client.addPeer("server", PeerRole.SERVER, pair.a());
        return pair;
    }

    static void set(LocalNode node, RawCoID map, String key, JsonValue value) {
        node.write(map, List.of(CoMapContent.setChange(key, value)), null, true);
    }

    static String mapJson(LocalNode node, RawCoID id) {
        return node.locked(() -> {
            CoValueCore core = node.get(id);
            if (core == null) return null;
            CoMapContent m = new CoMapContent();
            m.add(TransactionDecoder.decode(core, node, node.keys()));
            return JsonWriter.stringify(m.toJson());
        });
    }

    static KnownState known(LocalNode node, RawCoID id) {
        return node.locked(() -> node.get(id) == null ? null : node.get(id).knownState());
    }

    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) fail("timed out waiting for " + what);
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
    }

    static <T> void awaitEquals(String what, T expected, Supplier<T> actual) {
        await(what + ": expected " + expected, () -> expected.equals(actual.get()));
    }

    static <T> T get(java.util.concurrent.CompletableFuture<T> f) {
        try {
            return f.get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("future failed: " + e, e);
        }
    }

    static Duration ms(long n) {
        return Duration.ofMillis(n);
    }
}
