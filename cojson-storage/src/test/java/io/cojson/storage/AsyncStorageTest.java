package io.cojson.storage;

import static io.cojson.storage.TestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.knownstate.KnownState;
import io.cojson.core.node.ContentPiece;
import io.cojson.core.node.LocalNode;
import io.cojson.storage.engine.AsyncMapDbStorage;
import io.cojson.storage.engine.CloseReport;
import io.cojson.storage.engine.StorageOptions;
import io.cojson.storage.engine.StoreResult;
import io.cojson.storage.engine.internal.NodeContent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The asynchronous queue: back-pressure, writers on many threads, graceful close (RL-14). */
class AsyncStorageTest {
    @TempDir
    Path tmp;

    @BeforeEach
    void faultsDir() {
        System.setProperty("cojson.faults.dir", tmp.resolve("faults").toString());
    }

    @AfterEach
    void faultsOff() {
        Faults.configure(null);
    }

    /** Lets a paused fault point go on (idempotent). */
    static void release(String point) throws java.io.IOException {
        Files.createDirectories(Faults.faultsDir());
        Path file = Faults.faultsDir().resolve("release-" + point);
        if (!Files.exists(file)) Files.createFile(file);
    }

    /** {@code n} single-transaction pieces of one map, in order (the first with the header). */
    static List<ContentPiece> writes(LocalNode node, RawCoID map, int n) {
        List<ContentPiece> out = new ArrayList<>();
        KnownState k = KnownState.empty(map);
        for (int i = 0; i < n; i++) {
            TestSupport.set(node, map, "k" + (i % 10), i);
            out.addAll(NodeContent.since(node, map, k));
            k = node.get(map).knownState();
        }
        return out;
    }

    @Test
    void aFullQueueBlocksWritersOrRejectsThemAfterTheConfiguredWait() throws Exception {
        LocalNode node = TestSupport.agentNode();
        RawCoID map = TestSupport.newValue(node, "comap");
        List<ContentPiece> w = writes(node, map, 8);
        StorageOptions opts = StorageOptions.defaults().withQueueCapacity(2).withEnqueueTimeout(Duration.ofMillis(200));
        try (AsyncMapDbStorage s = AsyncMapDbStorage.open(tmp.resolve("bp"), opts)) {
            Faults.configure("storage.queue.beforeEntry=pause");
            CompletableFuture<StoreResult> first;
            CompletableFuture<StoreResult> second;
            CompletableFuture<StoreResult> third;
            try {
                first = s.store(w.get(0)); // taken by the writer, which pauses
                assertTrue(Faults.awaitPaused("storage.queue.beforeEntry", 1, Duration.ofSeconds(30)), "the writer took the first entry");
                second = s.store(w.get(1));
                third = s.store(w.get(2)); // queue (capacity 2) now full
                long t0 = System.nanoTime();
                CompletableFuture<StoreResult> rejected = s.store(w.get(3));
                assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(150), "the writer waited for space");
                CompletionException e = assertThrows(CompletionException.class, rejected::join);
                assertTrue(e.getCause() instanceof StorageRejectedException, e.toString());
                assertFalse(first.isDone());
            } finally {
                release("storage.queue.beforeEntry"); // also after a failed check: close() would wait for the paused writer
            }
            await(CompletableFuture.allOf(first, second, third));
            assertEquals(3, s.knownState(map).count(node.sessionID()));
        }
    }

    @Test
    void writersOnManyThreadsKeepPerValueOrder() throws Exception {
        int threads = 6;
        int perThread = 150;
        List<LocalNode> nodes = new ArrayList<>();
        List<RawCoID> maps = new ArrayList<>();
        List<List<ContentPiece>> work = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            LocalNode n = TestSupport.agentNode();
            RawCoID m = TestSupport.newValue(n, "comap");
            nodes.add(n);
            maps.add(m);
            work.add(writes(n, m, perThread));
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (AsyncMapDbStorage s = AsyncMapDbStorage.open(tmp.resolve("mt"), StorageOptions.defaults().withQueueCapacity(16))) {
            List<Future<List<CompletableFuture<StoreResult>>>> submitted = new ArrayList<>();
            for (List<ContentPiece> pieces : work) {
                submitted.add(pool.submit(() -> {
                    List<CompletableFuture<StoreResult>> fs = new ArrayList<>();
                    for (ContentPiece p : pieces) fs.add(s.store(p)); // no waiting in between: order comes from the queue
                    return fs;
                }));
            }
            for (Future<List<CompletableFuture<StoreResult>>> f : submitted) {
                for (CompletableFuture<StoreResult> r : f.get()) assertEquals(StoreResult.Status.STORED, await(r).status());
            }
            for (int t = 0; t < threads; t++) assertEquals(nodes.get(t).get(maps.get(t)).knownState(), s.knownState(maps.get(t)));
        } finally {
            pool.shutdown();
        }
    }

    @Test
    @DisplayName("RL-14 Graceful shutdown flushes queued writes: 2,000 writes with storage.queue.beforeEntry=delay:1* all present after close with a budget; with 10 ms the rest is reported, never persisted, and the session flagged at risk")
    void RL14_gracefulCloseFlushesQueuedWritesAndReportsWhatDidNotFit() {
        LocalNode node = TestSupport.agentNode();
        RawCoID map = TestSupport.newValue(node, "comap");
        List<ContentPiece> w = writes(node, map, 2000);
        Path dir = tmp.resolve("flush");
        List<CompletableFuture<StoreResult>> fs = new ArrayList<>();
        AsyncMapDbStorage s = AsyncMapDbStorage.open(dir, StorageOptions.defaults().withQueueCapacity(4096));
        Faults.configure("storage.queue.beforeEntry=delay:1*");
        for (ContentPiece p : w) fs.add(s.store(p));
        CloseReport report = s.close(Duration.ofSeconds(120)); // returns once flushed; generous for a loaded machine
        Faults.configure(null);
        assertEquals(0, report.dropped());
        for (CompletableFuture<StoreResult> f : fs) assertTrue(f.isDone() && !f.isCompletedExceptionally());
        try (AsyncMapDbStorage again = AsyncMapDbStorage.open(dir)) {
            assertEquals(2000, again.knownState(map).count(node.sessionID()));
        }

        RawCoID map2 = TestSupport.newValue(node, "comap");
        List<ContentPiece> w2 = writes(node, map2, 2000);
        Path dir2 = tmp.resolve("budget");
        List<CompletableFuture<StoreResult>> fs2 = new ArrayList<>();
        s = AsyncMapDbStorage.open(dir2, StorageOptions.defaults().withQueueCapacity(4096));
        Faults.configure("storage.queue.beforeEntry=delay:1*");
        for (ContentPiece p : w2) fs2.add(s.store(p));
        report = s.close(Duration.ofMillis(10));
        Faults.configure(null);
        assertTrue(report.dropped() > 0, report.toString());
        int acked = 0;
        for (CompletableFuture<StoreResult> f : fs2) {
            assertTrue(f.isDone());
            if (!f.isCompletedExceptionally()) {
                acked++;
            } else {
                CompletionException e = assertThrows(CompletionException.class, f::join);
                assertTrue(e.getCause() instanceof StorageClosedException);
            }
        }
        assertEquals(2000, acked + report.dropped());
        try (AsyncMapDbStorage again = AsyncMapDbStorage.open(dir2)) {
            assertTrue(again.knownState(map2).count(node.sessionID()) >= acked, "every acknowledged write is present");
            assertEquals(java.util.Set.of(map2.value() + " " + node.sessionID().value()), again.atRiskSessions());
        }
    }
}
