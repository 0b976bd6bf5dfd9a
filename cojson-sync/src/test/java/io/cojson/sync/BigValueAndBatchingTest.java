package io.cojson.sync;

import static io.cojson.sync.SyncTestKit.CRYPTO;
import static io.cojson.sync.SyncTestKit.connect;
import static io.cojson.sync.SyncTestKit.get;
import static io.cojson.sync.SyncTestKit.known;
import static io.cojson.sync.SyncTestKit.set;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.cojson.core.content.BinaryStreamContent;
import io.cojson.core.covalue.TransactionDecoder;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.node.Accounts;
import io.cojson.core.node.GroupOperations;
import io.cojson.core.node.LocalNode;
import io.cojson.sync.transport.InMemoryChannel;
import java.time.Duration;
import java.util.List;
import java.util.ArrayList;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A value of more than 5 MB travels in pieces; a burst of local writes goes out as few messages. */
class BigValueAndBatchingTest {
    private final LocalNode serverNode = LocalNode.forAgent(CRYPTO, CRYPTO.newRandomAgentSecret());
    private final SyncManager server = SyncManager.create(serverNode);
    private final LocalNode alice = Accounts.create(CRYPTO, "Alice");
    private final List<SyncError> errors = new CopyOnWriteArrayList<>();
    private final List<SyncManager> clients = new CopyOnWriteArrayList<>();

    BigValueAndBatchingTest() {
        server.onError(errors::add);
    }

    @AfterEach
    void close() {
        clients.forEach(SyncManager::close);
        server.close();
    }

    private SyncManager client(LocalNode node, SyncOptions options) {
        SyncManager s = SyncManager.create(node, options);
        s.onError(errors::add);
        clients.add(s);
        return s;
    }

    /** The content messages about {@code id} that one end of a channel sends. */
    private static List<SyncMessage.Content> contentSentBy(InMemoryChannel end, RawCoID id) {
        List<SyncMessage.Content> out = new CopyOnWriteArrayList<>();
        end.tap(json -> {
            if (SyncMessage.parse(json) instanceof SyncMessage.Content c && c.id().equals(id)) out.add(c);
        });
        return out;
    }

    @Test
    void aFiveMegabyteBinaryStreamGoesInPiecesBothWays() {
        SyncManager aliceSync = client(alice, SyncOptions.defaults());
        LocalNode bob = Accounts.create(CRYPTO, "Bob");
        SyncManager bobSync = client(bob, SyncOptions.defaults());
        RawCoID group = GroupOperations.createGroup(alice, null);
        GroupOperations.addMember(alice, group, "everyone", "reader");
        RawCoID stream = Accounts.createOwned(alice, "costream", group, JsonValue.obj("type", JsonValue.of("binary")));
        InMemoryChannel.Pair up = connect(aliceSync, server);
        InMemoryChannel.Pair down = connect(bobSync, server);
        List<SyncMessage.Content> uploaded = contentSentBy(up.a(), stream);
        List<SyncMessage.Content> downloaded = contentSentBy(down.b(), stream);

        byte[] data = new byte[5 * 1024 * 1024 + 123];
        new Random(42).nextBytes(data);
        alice.write(stream, List.of(BinaryStreamContent.startChange("application/octet-stream", "big.bin", (long) data.length)), null, true);
        for (int off = 0; off < data.length; off += 100_000) {
            byte[] chunk = java.util.Arrays.copyOfRange(data, off, Math.min(data.length, off + 100_000));
            alice.write(stream, List.of(BinaryStreamContent.chunkChange(chunk)), null, true);
        }
        alice.write(stream, List.of(BinaryStreamContent.endChange()), null, true);
        get(aliceSync.waitForSync(stream, "server"));
        assertTrue(uploaded.size() > 40, "uploaded in pieces: " + uploaded.size());

        assertTrue(get(bobSync.load(stream)).isPresent());
        assertEquals(known(alice, stream), known(bob, stream), "the load completed only after the whole stream");
        assertTrue(downloaded.size() > 40, "downloaded in pieces: " + downloaded.size());
        assertNotNull(downloaded.get(0).header());
        assertNotNull(downloaded.get(0).expectContentUntil(), "the first piece announces the stream's end");
        for (SyncMessage.Content c : downloaded.subList(1, downloaded.size())) {
            assertNull(c.header());
            assertNull(c.expectContentUntil());
            assertEquals(6, c.priority(), "binary streams have LOW priority");
        }
        byte[] received = bob.locked(() -> {
            BinaryStreamContent view = new BinaryStreamContent();
            view.add(TransactionDecoder.decode(bob.require(stream), bob, bob.keys()));
            return view.bytes();
        });
        assertArrayEquals(data, received);
        assertEquals(List.of(), errors);
    }

    @Test
    void aBurstOfLocalWritesIsCoalescedIntoOneContentMessage() {
        ManualExecutor exec = new ManualExecutor();
        SyncManager aliceSync = client(alice, SyncOptions.defaults().withExecutor(exec).withLocalBatchDelay(Duration.ZERO));
        InMemoryChannel.Pair pair = connect(aliceSync, server);
        pump(exec, () -> known(alice, alice.accountID()).equals(known(serverNode, alice.accountID())));

        RawCoID group = GroupOperations.createGroup(alice, null);
        RawCoID map = Accounts.createOwned(alice, "comap", group, JsonValue.NULL);
        List<SyncMessage.Content> sent = contentSentBy(pair.a(), map);
        for (int i = 0; i < 200; i++) set(alice, map, "k" + (i % 10), JsonValue.of(i));
        pump(exec, () -> known(serverNode, map) != null && known(serverNode, map).equals(known(alice, map)));
        assertEquals(1, sent.size(), "one content message for 200 transactions");
        assertNotNull(sent.get(0).header());
        assertEquals(200, sent.get(0).sessions().values().iterator().next().count());
        assertEquals(List.of(), errors);
    }

    /**
     * A burst that never pauses is not held back until its end: whenever a write completes a
     * content piece (its signature is an in-between checkpoint), what is pending goes out as one
     * content message that ends exactly at that checkpoint (the pause timer is set far beyond the
     * test, so only checkpoints can trigger a send during the burst).
     */
    @Test
    void aLongBurstStreamsOneMessagePerCompletedPiece() {
        ManualExecutor exec = new ManualExecutor();
        SyncManager aliceSync = client(alice, SyncOptions.defaults().withExecutor(exec).withLocalBatchDelay(Duration.ofHours(1)));
        InMemoryChannel.Pair pair = connect(aliceSync, server);
        pump(exec, () -> known(alice, alice.accountID()).equals(known(serverNode, alice.accountID())));
        RawCoID group = GroupOperations.createGroup(alice, null);
        RawCoID map = Accounts.createOwned(alice, "comap", group, JsonValue.NULL);
        get(pumpUntilDone(exec, aliceSync.waitForSync(map, "server")));
        List<SyncMessage.Content> sent = contentSentBy(pair.a(), map);

        int n = 5000; // three checkpoints (one every ~100 kB, ~1600 of these transactions)
        for (int i = 0; i < n; i++) {
            set(alice, map, "k" + (i % 100), JsonValue.of(i));
            exec.runAll(); // the sync executor keeps up with the writer
        }
        List<Integer> cuts = alice.locked(() -> new ArrayList<>(alice.require(map).sessions().values().iterator().next().signatureAfter().keySet()));
        assertTrue(cuts.size() >= 2, "checkpoints " + cuts);
        assertEquals(cuts.size(), sent.size(), "one message per completed piece during the burst: " + cuts);
        int txs = 0;
        for (int i = 0; i < sent.size(); i++) {
            SyncMessage.SessionEntry e = sent.get(i).sessions().values().iterator().next();
            assertEquals(txs, e.after(), "messages are contiguous");
            txs += e.count();
            assertEquals(cuts.get(i) + 1, txs, "message " + i + " ends at checkpoint " + cuts.get(i));
        }
        // the rest goes with the next flush (waitForSync flushes local writes first)
        get(pumpUntilDone(exec, aliceSync.waitForSync(map, "server")));
        assertEquals(cuts.size() + 1, sent.size());
        assertEquals(n, txs + sent.get(sent.size() - 1).sessions().values().iterator().next().count());
        assertEquals(known(alice, map), known(serverNode, map));
        assertEquals(List.of(), errors);
    }

    private static <T> java.util.concurrent.CompletableFuture<T> pumpUntilDone(ManualExecutor exec, java.util.concurrent.CompletableFuture<T> f) {
        pump(exec, f::isDone);
        return f;
    }

    @Test
    void aTightWriteLoopSendsFarFewerMessagesThanTransactions() {
        SyncManager aliceSync = client(alice, SyncOptions.defaults());
        InMemoryChannel.Pair pair = connect(aliceSync, server);
        RawCoID group = GroupOperations.createGroup(alice, null);
        RawCoID map = Accounts.createOwned(alice, "comap", group, JsonValue.NULL);
        get(aliceSync.waitForSync(map, "server"));
        List<SyncMessage.Content> sent = contentSentBy(pair.a(), map);
        int n = 2000;
        for (int i = 0; i < n; i++) set(alice, map, "k" + (i % 100), JsonValue.of(i));
        get(aliceSync.waitForSync(map, "server"));
        System.out.println(n + " writes -> " + sent.size() + " content messages");
        assertEquals(known(alice, map), known(serverNode, map));
        assertTrue(sent.size() < n / 4, n + " writes went out as " + sent.size() + " content messages");
        assertEquals(List.of(), errors);
    }

    private static void pump(ManualExecutor exec, BooleanSupplier done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) fail("timed out pumping the sync executor");
            if (exec.runAll() == 0) {
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }
        }
        exec.runAll();
    }
}
