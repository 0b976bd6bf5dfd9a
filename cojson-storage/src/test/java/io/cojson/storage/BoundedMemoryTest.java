package io.cojson.storage;

import static io.cojson.storage.TestSupport.CRYPTO;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.header.CoValueHeader;
import io.cojson.core.header.Ruleset;
import io.cojson.core.ids.AgentSecret;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.node.ContentPiece;
import io.cojson.core.session.SessionLog;
import io.cojson.core.session.Transaction;
import io.cojson.storage.engine.AsyncMapDbStorage;
import io.cojson.storage.engine.StorageOptions;
import io.cojson.storage.engine.StoreResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * 10,000 small CoValues and one CoValue with 100,000 transactions load in a child JVM with a small
 * heap: storage streams them piece by piece (its own footprint stays flat), and a node loading
 * everything needs about what it holds, not a second copy.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES) // 10 000 values through small-heap child JVMs
class BoundedMemoryTest {
    static final int SMALL = 10_000;
    static final int BIG_TXS = 100_000;

    @TempDir
    Path tmp;

    /** Writes the data set straight into storage (signed sessions built without a node: faster). */
    static void generate(Path dir, int small, int bigTxs) {
        AgentSecret agent = CRYPTO.newRandomAgentSecret();
        SessionID session = CRYPTO.newRandomSessionID(CRYPTO.getAgentID(agent).value());
        try (AsyncMapDbStorage s = AsyncMapDbStorage.open(dir, StorageOptions.defaults().withSyncOnCommit(false).withQueueCapacity(4096))) {
            List<CompletableFuture<StoreResult>> pending = new ArrayList<>();
            CoValueHeader bigHeader = header("colist", 0);
            RawCoID bigId = bigHeader.id(CRYPTO);
            pending.add(s.store(new ContentPiece(bigId, bigHeader, List.of())));
            for (ContentPiece.SessionPiece p : signedPieces(agent, session, bigTxs, 1_000)) pending.add(s.store(new ContentPiece(bigId, null, List.of(p))));
            for (int i = 0; i < small; i++) {
                CoValueHeader h = header("comap", i + 1);
                SessionLog log = new SessionLog(CRYPTO, session, CRYPTO.getAgentID(agent).signer());
                log.appendTrusting(agent.signer(), "[{\"op\":\"set\",\"key\":\"n\",\"value\":" + i + "}]", 1_700_000_000_000L, null);
                pending.add(s.store(new ContentPiece(h.id(CRYPTO), h, List.of(new ContentPiece.SessionPiece(session, 0,
                        List.<Transaction>copyOf(log.transactions()), log.lastSignature().value())))));
            }
            for (CompletableFuture<StoreResult> f : pending) assertEquals(StoreResult.Status.STORED, TestSupport.await(f).status());
        }
    }

    /**
     * A session of {@code n} list appends cut into pieces of {@code perPiece}, signed only at each
     * piece's end (wire-format §9: Ed25519 over the quoted running BLAKE3 hash), which is all a
     * receiver verifies; signing every transaction would cost 100,000 signatures.
     */
    static List<ContentPiece.SessionPiece> signedPieces(AgentSecret agent, SessionID session, int n, int perPiece) {
        List<ContentPiece.SessionPiece> out = new ArrayList<>();
        io.cojson.core.crypto.Blake3Hasher hasher = CRYPTO.provider().newBlake3();
        List<Transaction> piece = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Transaction t = new Transaction.Trusting("[{\"op\":\"app\",\"value\":" + i + ",\"after\":\"start\"}]", 1_700_000_000_000L + i, null);
            hasher.update(t.canonicalJson().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            piece.add(t);
            if (piece.size() == perPiece || i == n - 1) {
                String hash = io.cojson.core.ids.Hash.fromBytes(hasher.digest()).value();
                String sig = CRYPTO.sign(agent.signer(), JsonValue.of(hash)).value();
                out.add(new ContentPiece.SessionPiece(session, i + 1 - piece.size(), piece, sig));
                piece = new ArrayList<>();
            }
        }
        return out;
    }

    static CoValueHeader header(String type, int n) {
        return CoValueHeader.create(type, new Ruleset.UnsafeAllowAll(), JsonValue.NULL, CoValueHeader.isoTimestamp(1_700_000_000_000L),
                JsonValue.of("u" + n));
    }

    private static String runChild(String mode, Path dir, String xmx) throws Exception {
        Process p = TestSupport.startChild(MemoryChild.class, List.of("-Xmx" + xmx), Map.of(), mode, dir.toString());
        StringBuilder out = new StringBuilder();
        StringBuilder err = new StringBuilder();
        Thread o = TestSupport.pump(p.getInputStream(), out::append);
        Thread e = TestSupport.pump(p.getErrorStream(), l -> err.append(l).append('\n'));
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child finished");
        o.join(5000);
        e.join(5000);
        assertEquals(0, p.exitValue(), mode + " with -Xmx" + xmx + " failed: " + err);
        System.out.println(out);
        return out.toString();
    }

    @Test
    void loadsTenThousandValuesAndOneHundredThousandTransactionsInASmallHeap() throws Exception {
        Path dir = tmp.resolve("store");
        long t0 = System.nanoTime();
        generate(dir, SMALL, BIG_TXS);
        System.out.printf("{\"generateSeconds\":%.1f}%n", (System.nanoTime() - t0) / 1e9);
        String streamed = runChild("stream", dir, System.getProperty("cojson.memory.streamXmx", "32m"));
        assertTrue(streamed.contains("\"coValues\":" + (SMALL + 1)) && streamed.contains("\"transactions\":" + (SMALL + BIG_TXS)), streamed);
        String loaded = runChild("node", dir, System.getProperty("cojson.memory.nodeXmx", "160m"));
        assertTrue(loaded.contains("\"coValues\":" + (SMALL + 1)) && loaded.contains("\"transactions\":" + (SMALL + BIG_TXS)), loaded);
    }
}
