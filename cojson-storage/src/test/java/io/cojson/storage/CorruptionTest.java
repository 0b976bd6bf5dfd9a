package io.cojson.storage;

import static io.cojson.storage.TestSupport.CRYPTO;
import static io.cojson.storage.TestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.knownstate.KnownState;
import io.cojson.core.node.Accounts;
import io.cojson.core.node.GroupOperations;
import io.cojson.core.node.LocalNode;
import io.cojson.core.session.Transaction;
import io.cojson.storage.engine.IntegrityCheck;
import io.cojson.storage.engine.IntegrityReport;
import io.cojson.storage.engine.LoadReport;
import io.cojson.storage.engine.MapDbStorage;
import io.cojson.storage.engine.NodePersistence;
import io.cojson.storage.engine.StorageTestSupport;
import io.cojson.storage.engine.internal.NodeLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged files (truncated, bytes flipped, emptied) are reported with a typed error naming the
 * file, or the data comes back complete and verified; nothing is silently dropped. A stored
 * transaction altered behind the storage's back (RL-23) fails verification and is never served.
 */
class CorruptionTest {
    @TempDir
    Path tmp;
    private Path original;
    private final Map<RawCoID, KnownState> expected = new LinkedHashMap<>();
    private RawCoID bigMap;
    private SessionID bigSession;

    @BeforeEach
    void buildStore() {
        original = tmp.resolve("original");
        LocalNode alice = Accounts.create(CRYPTO, "Alice");
        RawCoID group = GroupOperations.createGroup(alice, null);
        LocalNode agent = TestSupport.agentNode();
        bigMap = TestSupport.newValue(agent, "comap");
        bigSession = agent.sessionID();
        for (int i = 0; i < 60; i++) TestSupport.set(agent, bigMap, "k" + i % 9, "x".repeat(4_000) + i);
        try (MapDbStorage s = MapDbStorage.open(original); NodePersistence pa = NodePersistence.attach(alice, s);
                NodePersistence pb = NodePersistence.attach(agent, s)) {
            for (int m = 0; m < 4; m++) {
                RawCoID map = Accounts.createOwned(alice, "comap", group, JsonValue.NULL);
                for (int i = 0; i < 10; i++) TestSupport.set(alice, map, "k" + i, JsonValue.of(i), i % 2 == 0);
            }
            await(pa.persistedAll());
            await(pb.persistedAll());
            for (RawCoID id : s.coValueIDs(0, 1000)) expected.put(id, s.knownState(id));
        }
    }

    private Path copy(String name) throws IOException {
        Path dst = tmp.resolve(name);
        Files.createDirectories(dst);
        try (Stream<Path> files = Files.list(original)) {
            for (Path f : (Iterable<Path>) files::iterator) Files.copy(f, dst.resolve(f.getFileName()));
        }
        return dst;
    }

    /** Either a typed error naming the data file, or everything intact and verified. */
    private String outcome(Path dir) {
        Path data = dir.resolve("cojson.mapdb");
        try (MapDbStorage s = MapDbStorage.open(dir)) {
            IntegrityReport r = IntegrityCheck.run(s, CRYPTO);
            if (!r.ok()) {
                assertTrue(r.problems().stream().anyMatch(p -> p.contains(data.toString()) || p.contains("does not verify")
                        || p.contains("unreadable") || p.contains("missing")), r.problems().toString());
                return "reported";
            }
            Map<RawCoID, KnownState> now = new LinkedHashMap<>();
            for (RawCoID id : s.coValueIDs(0, 1000)) now.put(id, s.knownState(id));
            assertEquals(expected, now, "the store opened and verified, so it must hold everything");
            return "intact";
        } catch (StorageCorruptedException e) {
            assertEquals(data, e.file(), e.getMessage());
            assertTrue(e.getMessage().contains(data.toString()));
            return "error";
        }
    }

    @Test
    void truncatedOrEmptiedDataFilesAreReportedNamingTheFile() throws Exception {
        long size = Files.size(original.resolve("cojson.mapdb"));
        List<String> outcomes = new ArrayList<>();
        for (long cut : new long[] {size / 2, size - 1, 4096, 64, 0}) {
            Path dir = copy("cut-" + cut);
            try (var ch = java.nio.channels.FileChannel.open(dir.resolve("cojson.mapdb"), java.nio.file.StandardOpenOption.WRITE)) {
                ch.truncate(cut);
            }
            outcomes.add(cut + ":" + assertTimeoutPreemptively(Duration.ofSeconds(30), () -> outcome(dir)));
        }
        Path gone = copy("deleted");
        Files.delete(gone.resolve("cojson.mapdb"));
        outcomes.add("deleted:" + outcome(gone));
        for (String o : outcomes) assertFalse(o.endsWith("intact") && !o.startsWith(size - 1 + ":"), outcomes.toString());
        assertTrue(outcomes.contains("0:error") && outcomes.contains("deleted:error"), outcomes.toString());
    }

    @Test
    void flippedBytesAreDetectedOrHarmless() throws Exception {
        byte[] data = Files.readAllBytes(original.resolve("cojson.mapdb"));
        List<Integer> used = new ArrayList<>();
        for (int i = 0; i < data.length; i++) if (data[i] != 0) used.add(i);
        Random random = new Random(Long.getLong("cojson.corruption.seed", 42));
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (int trial = 0; trial < 40; trial++) {
            Path dir = copy("flip-" + trial);
            byte[] damaged = data.clone();
            int at = used.get(random.nextInt(used.size()));
            damaged[at] ^= (byte) (1 + random.nextInt(255));
            Files.write(dir.resolve("cojson.mapdb"), damaged);
            String o = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> outcome(dir), "flip at " + at);
            counts.merge(o, 1, Integer::sum);
        }
        assertTrue(counts.getOrDefault("error", 0) + counts.getOrDefault("reported", 0) > 0, counts.toString());
        System.out.println("{\"test\":\"flips\",\"outcomes\":\"" + counts + "\"}");
    }

    @Test
    void aTransactionAlteredBehindTheStoragesBackFailsVerificationAndIsNotServed() throws Exception {
        Path dir = copy("tampered");
        try (MapDbStorage s = MapDbStorage.open(dir)) {
            LocalNode reader = TestSupport.agentNode();
            new NodeLoader(reader, s).load(bigMap);
            Transaction.Trusting t = (Transaction.Trusting) reader.get(bigMap).sessions().get(bigSession).get(40);
            Transaction.Trusting altered = new Transaction.Trusting(t.changes().replace("xxxx", "xxxy"), t.madeAt(), t.meta());
            assertTrue(StorageTestSupport.rewriteTransaction(s, bigMap, bigSession, 40, altered));
            assertTrue(s.verifyIntegrity().ok(), "the rows are well-formed: only signatures can tell");

            LocalNode fresh = TestSupport.agentNode();
            LoadReport report = new NodeLoader(fresh, s).load(bigMap).report();
            assertEquals(1, report.rejected().size(), report.toString());
            assertEquals(bigSession.value(), report.rejected().get(0).session());
            int served = fresh.get(bigMap).sessions().containsKey(bigSession) ? fresh.get(bigMap).sessions().get(bigSession).size() : 0;
            assertTrue(served <= 40, "nothing from the damaged range on is served: " + served);
            if (served > 0) {
                for (Transaction tx : fresh.get(bigMap).sessions().get(bigSession).transactions()) assertFalse(tx.canonicalJson().contains("xxxy"));
            }
            IntegrityReport full = IntegrityCheck.run(s, CRYPTO);
            assertFalse(full.ok());
            assertTrue(full.problems().stream().anyMatch(p -> p.contains(bigSession.value())), full.problems().toString());
        }
    }
}
