package io.cojson.storage;

import static io.cojson.storage.TestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.knownstate.KnownState;
import io.cojson.core.node.ContentPiece;
import io.cojson.core.node.LocalNode;
import io.cojson.core.session.Transaction;
import io.cojson.storage.engine.CoValueStorage;
import io.cojson.storage.engine.LoadResult;
import io.cojson.storage.engine.StoreResult;
import io.cojson.storage.engine.internal.NodeContent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store's checkpoint rule at its exact boundary (sync-protocol.md §11): a checkpoint signature is
 * kept once {@code bytesSinceLastSignature + newSize > 102 400}, not at equality, and the counter
 * restarts from 0. Stored one transaction per piece, a load shows where the checkpoints are: each
 * loaded piece ends at one.
 */
class CheckpointRuleTest {
    private static final int LIMIT = 102_400;

    @TempDir
    Path tmp;

    private static List<Integer> loadedPieceSizes(CoValueStorage s, RawCoID id) {
        List<Integer> sizes = new ArrayList<>();
        LoadResult r = s.load(id, p -> sizes.add(p.sessions().get(0).transactions().size()));
        assertTrue(r.found());
        return sizes;
    }

    private static int size(LocalNode node, RawCoID map, int index) {
        Transaction tx = node.get(map).sessions().get(node.sessionID()).transactions().get(index);
        return tx.checkpointSize();
    }

    /** One write, stored at once as its own piece (what a client sending every write does). */
    private static void write(CoValueStorage s, LocalNode node, RawCoID map, String value, KnownState before) {
        TestSupport.set(node, map, "a", value);
        List<ContentPiece> pieces = NodeContent.since(node, map, before);
        assertEquals(1, pieces.size());
        assertEquals(StoreResult.Status.STORED, await(s.store(pieces.get(0))).status());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.cojson.storage.MapDbStorageTest#kinds")
    void aCheckpointIsKeptOnlyBeyondTheLimitAndTheCountRestarts(String kind, Function<Path, CoValueStorage> open) {
        LocalNode node = TestSupport.agentNode();
        RawCoID map = TestSupport.newValue(node, "comap");
        try (CoValueStorage s = open.apply(tmp.resolve(kind))) {
            write(s, node, map, "x".repeat(50_000), KnownState.empty(map));
            int first = size(node, map, 0);
            int overhead = first - 50_000; // the change's JSON around the value
            List<String> values = List.of("x".repeat(LIMIT - first - overhead), "s", "t", "y".repeat(LIMIT - 2 * overhead - 1), "u");
            for (String v : values) write(s, node, map, v, node.get(map).knownState());
            assertEquals(LIMIT, first + size(node, map, 1), "the first two fill the limit exactly");
            assertEquals(LIMIT, size(node, map, 3) + size(node, map, 4), "so do t and y");
            // the limit is reached at 1 but exceeded only at 2 ("s"): a checkpoint after 2; the count restarts
            // at 0, so "t" (3) and "y" (4) reach the limit again, "u" (5) exceeds it; 5 is also the last.
            assertEquals(List.of(3, 3), loadedPieceSizes(s, map));
        }
    }

    /** Private writes count the length of their encryptedChanges (the ciphertext, not the plaintext). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.cojson.storage.MapDbStorageTest#kinds")
    void privateTransactionsCountTheirEncryptedChanges(String kind, Function<Path, CoValueStorage> open) {
        LocalNode alice = io.cojson.core.node.Accounts.create(TestSupport.CRYPTO, "Alice");
        RawCoID group = io.cojson.core.node.GroupOperations.createGroup(alice, null);
        RawCoID map = io.cojson.core.node.Accounts.createOwned(alice, "comap", group, io.cojson.core.json.JsonValue.NULL);
        KnownState before = alice.get(map).knownState();
        try (CoValueStorage s = open.apply(tmp.resolve(kind))) {
            for (ContentPiece p : NodeContent.since(alice, map, KnownState.empty(map))) await(s.store(p));
            for (int i = 0; i < 4; i++) {
                before = alice.get(map).knownState();
                TestSupport.set(alice, map, "a", io.cojson.core.json.JsonValue.of("p".repeat(40_000) + i), true);
                for (ContentPiece p : NodeContent.since(alice, map, before)) assertEquals(StoreResult.Status.STORED, await(s.store(p)).status());
            }
            List<Transaction> txs = alice.get(map).sessions().get(alice.sessionID()).transactions();
            int first = txs.size() - 4;
            for (Transaction tx : txs.subList(first, txs.size())) {
                int n = ((Transaction.Private) tx).encryptedChanges().length();
                assertTrue(n > LIMIT / 2 && n < LIMIT, "each write alone stays below the limit, two exceed it: " + n);
            }
            List<Integer> ends = new ArrayList<>();
            s.load(map, p -> p.sessions().stream().filter(x -> x.sessionID().equals(alice.sessionID()))
                    .forEach(x -> ends.add(x.after() + x.transactions().size() - 1)));
            assertEquals(List.of(first + 1, first + 3), ends, "a checkpoint after every second write");
        }
    }

    /** The reference's storage measures JS string lengths (UTF-16 units), as sync-protocol.md §11 says. */
    private static int jsLength(LocalNode node, RawCoID map, int index) {
        return ((Transaction.Trusting) node.get(map).sessions().get(node.sessionID()).transactions().get(index)).changes().length();
    }

    /**
     * Sizes are JS string lengths of the changes, not UTF-8 bytes: a value of two-byte characters
     * counts each once. The first two writes fill the limit exactly in UTF-16 units (in UTF-8 bytes
     * they exceed it at the second), so the checkpoint comes after the third.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.cojson.storage.MapDbStorageTest#kinds")
    void sizesAreCountedInUtf16UnitsAsInTheReference(String kind, Function<Path, CoValueStorage> open) {
        LocalNode node = TestSupport.agentNode();
        RawCoID map = TestSupport.newValue(node, "comap");
        try (CoValueStorage s = open.apply(tmp.resolve(kind))) {
            write(s, node, map, "\u00e9".repeat(50_000), KnownState.empty(map)); // é: 1 UTF-16 unit, 2 UTF-8 bytes
            int first = jsLength(node, map, 0);
            assertTrue(size(node, map, 0) > first + 40_000, "non-vacuous: UTF-8 counts more");
            int overhead = first - 50_000;
            for (String v : List.of("x".repeat(LIMIT - first - overhead), "s", "u")) write(s, node, map, v, node.get(map).knownState());
            assertEquals(LIMIT, first + jsLength(node, map, 1), "the first two fill the limit exactly");
            assertEquals(List.of(3, 1), loadedPieceSizes(s, map));
        }
    }
}
