package io.cojson.sync;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.crypto.Crypto;
import io.cojson.core.ids.AgentSecret;
import io.cojson.core.json.JsonValue;
import io.cojson.core.node.LocalNode;
import io.cojson.sync.transport.InMemoryChannel;
import io.cojson.sync.transport.MessageChannel;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Issue 11 B.6: a server node that holds the values of sync.json's scenario gets sequences of
 * hostile messages (mutations of the valid ones, and arbitrary text) from a client peer. After
 * each sequence: no task failed with an uncaught exception, every value still answers a fresh
 * client's load (nothing stuck), and what the server keeps about the hostile peer is bounded.
 */
class MessageHandlerFuzzProperties {
    private static final AtomicInteger PEERS = new AtomicInteger();
    private static SyncManager server;
    private static List<String> valid;
    private static Set<String> ids;
    private static PrintStream originalErr;
    private static final ByteArrayOutputStream ERR = new ByteArrayOutputStream();

    @BeforeContainer
    static void startServer() throws Exception {
        originalErr = System.err;
        System.setErr(new PrintStream(new OutputStream() { // slf4j-simple writes here; keep what it says
            @Override
            public void write(int b) {
                synchronized (ERR) {
                    if (ERR.size() < 50_000_000) ERR.write(b);
                }
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (ERR) {
                    if (ERR.size() < 50_000_000) ERR.write(b, off, len);
                }
            }
        }, true, StandardCharsets.UTF_8));
        JsonValue.Obj scenario = SyncVectors.obj(SyncVectors.root(), "inMemory");
        Crypto crypto = Crypto.create();
        String secret = SyncVectors.str(SyncVectors.obj(SyncVectors.obj(scenario, "agents"), "server"), "agentSecret");
        server = SyncManager.create(LocalNode.forAgent(crypto, AgentSecret.parse(secret)));
        valid = Mutations.validMessages();
        ids = new LinkedHashSet<>();
        // The clients' side of the scenario: the server ends up holding every value in it.
        for (String client : List.of("Alice", "Bob")) {
            Peer p = Peer.attach(client);
            for (JsonValue m : SyncVectors.arr(scenario, "messages").items()) {
                if (SyncVectors.str(m, "from").equals(client) && SyncVectors.str(m, "to").equals("server")) {
                    p.end.send(SyncVectors.str(m, "wire"));
                    ids.add(SyncVectors.str(SyncVectors.obj(m, "message"), "id"));
                }
            }
        }
        for (String id : ids) assertNotNull(Peer.attach("probe").loadAnswer(id), "the scenario's " + id + " is served");
    }

    @AfterContainer
    static void stopServer() {
        server.close();
        System.setErr(originalErr);
    }

    @Provide
    Arbitrary<List<String>> hostileSequences() {
        Arbitrary<String> mutated = Mutations.arbitrary(valid);
        Arbitrary<String> arbitrary = Arbitraries.strings().all().ofMaxLength(300);
        Arbitrary<String> valid1 = Arbitraries.of(valid);
        return Arbitraries.frequencyOf(Tuple.of(6, mutated), Tuple.of(2, arbitrary), Tuple.of(1, valid1))
                .list().ofMinSize(1).ofMaxSize(25);
    }

    @Property(tries = 150)
    void hostileMessagesNeverFailATaskStickAValueOrGrowWithoutBound(@ForAll("hostileSequences") List<String> messages)
            throws Exception {
        Peer mallory = Peer.attach("mallory");
        for (String m : messages) mallory.end.send(m);
        // Every value still answers a fresh peer: no gate or load is stuck behind the hostile input.
        Peer probe = Peer.attach("probe");
        for (String id : ids) assertNotNull(probe.loadAnswer(id), "no answer to a load of " + id + " after " + messages.size() + " hostile messages");
        assertNotNull(mallory.loadAnswer(ids.iterator().next()), "the hostile peer itself is still served");
        PeerState state = server.peer(mallory.id).orElseThrow();
        assertTrue(state.errors().size() <= 100, "errors kept per peer are bounded");
        for (SyncError e : state.errors()) {
            assertTrue(e.message() == null || e.message().length() <= SyncContext.MAX_ERROR_MESSAGE_CHARS + 30,
                    "an error message of " + e.message().length() + " chars is kept");
        }
        String log;
        synchronized (ERR) {
            log = ERR.toString(StandardCharsets.UTF_8);
        }
        for (String marker : List.of("sync task failed", "sync handler failed", "listener of", "timer task failed", "Exception in thread")) {
            assertTrue(!log.contains(marker), "uncaught failure (" + marker + ") in the log:\n" + tail(log, marker));
        }
        mallory.end.close();
        probe.end.close();
    }

    private static String tail(String log, String marker) {
        int i = log.indexOf(marker);
        return log.substring(Math.max(0, i - 200), Math.min(log.length(), i + 3_000));
    }

    /** One client of the server over an in-memory channel. */
    private static final class Peer {
        final String id;
        final MessageChannel end;
        final BlockingQueue<String> inbox = new LinkedBlockingQueue<>();

        private Peer(String id, MessageChannel end) {
            this.id = id;
            this.end = end;
        }

        static Peer attach(String name) {
            String id = name + "-" + PEERS.incrementAndGet();
            InMemoryChannel.Pair pair = InMemoryChannel.pair(id, "server");
            Peer p = new Peer(id, pair.a());
            pair.a().setListener(new MessageChannel.Listener() {
                @Override
                public void onMessage(String json) {
                    p.inbox.add(json);
                }

                @Override
                public void onClosed(String reason) {}
            });
            server.addPeer(id, PeerRole.CLIENT, pair.b());
            return p;
        }

        /** Sends a load with nothing known and returns the first answer about {@code coValue} (null after 10 s). */
        String loadAnswer(String coValue) throws InterruptedException {
            end.send("{\"action\":\"load\",\"id\":\"" + coValue + "\",\"header\":false,\"sessions\":{}}");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                String m = inbox.poll(100, TimeUnit.MILLISECONDS);
                if (m != null && m.contains("\"id\":\"" + coValue + "\"")) return m;
            }
            return null;
        }
    }

}
