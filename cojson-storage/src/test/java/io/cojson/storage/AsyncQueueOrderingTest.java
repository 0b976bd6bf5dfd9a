package io.cojson.storage;

import static io.cojson.storage.TestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.knownstate.KnownState;
import io.cojson.core.node.ContentPiece;
import io.cojson.core.node.LocalNode;
import io.cojson.core.session.SessionLog;
import io.cojson.storage.engine.AsyncMapDbStorage;
import io.cojson.storage.engine.CloseReport;
import io.cojson.storage.engine.CoValueStorage;
import io.cojson.storage.engine.ReplaceResult;
import io.cojson.storage.engine.StoreResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The recovery unit in the asynchronous queue: the orderings of recovery.md §5.4 (O1–O8) and §12.3. */
class AsyncQueueOrderingTest {
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

    private static void release(String point) throws Exception {
        AsyncStorageTest.release(point);
    }

    /** Takes {@code n} load permits; fails at once with the loader's own error if it died. */
    private static void awaitLoads(Semaphore loads, int n, AtomicReference<Throwable> failure, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (int got = 0; got < n; ) {
            checkLoader(failure);
            assertTrue(System.nanoTime() < deadline, what);
            if (loads.tryAcquire(20, TimeUnit.MILLISECONDS)) got++;
        }
    }

    private static void checkLoader(AtomicReference<Throwable> failure) {
        if (failure.get() != null) throw new AssertionError("the loader thread failed: " + failure.get(), failure.get());
    }

    private static void storeAll(CoValueStorage s, List<ContentPiece> pieces) {
        SessionReplacementTest.storeAll(s, pieces);
    }

    @Test
    @org.junit.jupiter.api.DisplayName("RS-1 Waits behind in-flight work: the replacement runs after the store in flight and storage reflects it")
    void RS1_replacementWaitsForInFlightStoresAndWins() {
        Fork f = Fork.task();
        Path dir = tmp.resolve("rs1");
        try (AsyncMapDbStorage s = AsyncMapDbStorage.open(dir)) {
            List<CompletableFuture<StoreResult>> stores = new ArrayList<>();
            for (ContentPiece p : f.localContent()) stores.add(s.store(p)); // not awaited: in flight
            CompletableFuture<ReplaceResult> unit = s.replaceSession(f.replacement(1));
            await(unit);
            for (CompletableFuture<StoreResult> st : stores) assertTrue(st.isDone(), "everything enqueued before the unit is durable first (O1)");
        }
        try (AsyncMapDbStorage s = AsyncMapDbStorage.open(dir)) {
            assertEquals(SessionReplacementTest.REPAIRED, TestSupport.view(TestSupport.reload(s, f.id), f.id));
        }
    }

    @Test
    @org.junit.jupiter.api.DisplayName("RS-2 Back-to-back replacements: the durable result is the last one")
    void RS2_backToBackReplacementsEndWithTheLastOne() {
        Fork f = Fork.task();
        SessionLog versionB = f.server.copy();
        f.set(versionB, "due=friday", 1_800_000_000_000L);
        Path dir = tmp.resolve("rs2");
        try (AsyncMapDbStorage s = AsyncMapDbStorage.open(dir)) {
            storeAll(s, f.localContent());
            CompletableFuture<ReplaceResult> a = s.replaceSession(f.replacement(1, f.server));
            CompletableFuture<ReplaceResult> b = s.replaceSession(f.replacement(1, versionB));
            assertEquals(3, await(a).stored().count(f.s));
            assertEquals(4, await(b).stored().count(f.s));
        }
        try (AsyncMapDbStorage s = AsyncMapDbStorage.open(dir)) {
            LocalNode fresh = TestSupport.reload(s, f.id);
            assertEquals(versionB.lastSignature(), fresh.get(f.id).sessions().get(f.s).lastSignature());
            assertTrue(TestSupport.view(fresh, f.id).contains("\"due\":\"friday\""));
        }
    }

    @Test
    @org.junit.jupiter.api.DisplayName("RS-3 Different CoValues: replacements of two maps enqueued together both land")
    void RS3_replacementsOfTwoValuesEnqueuedTogetherBothLand() {
        Fork one = new Fork(new String[] {"title=Task one"}, new String[] {"status=review"}, new String[] {"assignee=bob"});
        Fork two = new Fork(new String[] {"title=Task two"}, new String[] {"status=done"}, new String[] {"assignee=carol"});
        Path dir = tmp.resolve("rs3");
        try (AsyncMapDbStorage s = AsyncMapDbStorage.open(dir)) {
            storeAll(s, one.localContent());
            storeAll(s, two.localContent());
            CompletableFuture<ReplaceResult> a = s.replaceSession(one.replacement(1));
            CompletableFuture<ReplaceResult> b = s.replaceSession(two.replacement(1));
            await(CompletableFuture.allOf(a, b));
        }
        try (AsyncMapDbStorage s = AsyncMapDbStorage.open(dir)) {
            assertEquals("{\"title\":\"Task one\",\"status\":\"review\",\"assignee\":\"bob\"}", TestSupport.view(TestSupport.reload(s, one.id), one.id));
            assertEquals("{\"title\":\"Task two\",\"status\":\"done\",\"assignee\":\"carol\"}", TestSupport.view(TestSupport.reload(s, two.id), two.id));
        }
    }

    @Test
    void o4StaleWritesQueuedBehindTheUnitAreFencedAndNewOnesPassAfterTheSwap() {
        Fork f = Fork.task();
        try (AsyncMapDbStorage s = AsyncMapDbStorage.open(tmp.resolve("o4"))) {
            storeAll(s, f.localContent());
            CompletableFuture<ReplaceResult> unit = s.replaceSession(f.replacement(1));
            f.set(f.local, "assignee=dave", 1_750_000_000_000L); // the old chain keeps growing in memory (quarantine)
            CompletableFuture<StoreResult> stale = s.store(new ContentPiece(f.id, null, Fork.pieces(f.local, 4)));
            ReplaceResult r = await(unit);
            StoreResult st = await(stale);
            assertEquals(Set.of(f.s), st.fenced(), "the old chain's write never reaches the replaced session");
            assertEquals(3, s.knownState(f.id).count(f.s));

            s.advanceChainEpoch(f.id, f.s, r.epoch()); // the memory swap
            f.set(f.server, "due=friday", 1_760_000_000_000L); // the new chain continues
            StoreResult fresh = await(s.store(new ContentPiece(f.id, null, Fork.pieces(f.server, 3))));
            assertEquals(StoreResult.Status.STORED, fresh.status());
            String view = TestSupport.view(TestSupport.reload(s, f.id), f.id);
            assertTrue(view.contains("\"due\":\"friday\"") && !view.contains("dave"), view);
        }
    }

    @Test
    void o7WaitsForTheReplacedHistoryFailInsteadOfCompletingOnCounts() {
        Fork f = Fork.task(); // common prefix 2; alice's tail at 2..3; the server's S has 3
        try (AsyncMapDbStorage s = AsyncMapDbStorage.open(tmp.resolve("o7-wait"))) {
            storeAll(s, f.localContent());
            CompletableFuture<KnownState> staleTail = s.whenStored(KnownState.empty(f.id).withHeader(true).withSession(f.s, 3));
            await(staleTail); // alice's index 2 is stored (old chain)
            CompletableFuture<KnownState> pending = s.whenStored(KnownState.empty(f.id).withHeader(true).withSession(f.s, 5));
            CompletableFuture<KnownState> prefixOnly = s.whenStored(KnownState.empty(f.id).withHeader(true).withSession(f.s, 2));
            await(s.replaceSession(f.replacement(1)));
            java.util.concurrent.CompletionException e = assertThrows(java.util.concurrent.CompletionException.class, pending::join);
            assertTrue(e.getCause() instanceof SessionReplacedException, e.toString());
            await(prefixOnly);
            CompletableFuture<KnownState> afterUnit = s.whenStored(KnownState.empty(f.id).withHeader(true).withSession(f.s, 3)
                    .withSession(f.s.conflictSession(), 2));
            await(afterUnit); // a wait created after the unit is judged against the new history
        }
    }

    @Test
    @org.junit.jupiter.api.DisplayName("RX-4 A replacement enqueued while the queue is processing completes only after its own commit")
    void RX4_theUnitsFutureCompletesOnlyAfterItsOwnCommit() throws Exception {
        Fork f = Fork.task();
        LocalNode other = TestSupport.agentNode();
        RawCoID x = TestSupport.newValue(other, "comap");
        TestSupport.set(other, x, "a", 1);
        try (AsyncMapDbStorage s = AsyncMapDbStorage.open(tmp.resolve("rx4"))) {
            storeAll(s, f.localContent());
            KnownState before = s.knownState(f.id);
            Faults.configure("storage.replace.mid=pause");
            CompletableFuture<StoreResult> earlier = s.store(new ContentPiece(x, other.get(x).header(), List.of()));
            CompletableFuture<ReplaceResult> unit = s.replaceSession(f.replacement(1));
            CompletableFuture<StoreResult> later = s.store(
                    io.cojson.storage.engine.internal.NodeContent.since(other, x, KnownState.empty(x).withHeader(true)).get(0));
            try {
                await(earlier);
                assertTrue(Faults.awaitPaused("storage.replace.mid", 1, Duration.ofSeconds(30)),
                        "the writer reached the pause inside the unit, before its commit");
                assertFalse(unit.isDone(), "queue is busy with the unit: its future must not complete early (the 0.20.19 bug)");
                assertFalse(later.isDone());
                assertEquals(before, s.knownState(f.id), "nothing of the unit is visible before its commit");
            } finally {
                release("storage.replace.mid"); // also after a failed check: close() would wait for the paused writer
            }
            assertEquals(3, await(unit).stored().count(f.s));
            await(later);
        }
    }

    @Test
    void o7LoadsRacingTheUnitSeeBeforeOrAfterNeverAMix() throws Exception {
        String big = "w".repeat(30_000);
        String[] serverTail = new String[10];
        String[] localTail = new String[10];
        for (int i = 0; i < 10; i++) {
            serverTail[i] = "s" + i + "=" + big;
            localTail[i] = "l" + i + "=" + big;
        }
        Fork f = new Fork(new String[] {"title=Task"}, serverTail, localTail);
        try (AsyncMapDbStorage s = AsyncMapDbStorage.open(tmp.resolve("o7"))) {
            storeAll(s, f.localContent());
            String pre = TestSupport.view(TestSupport.reload(s, f.id), f.id);
            List<String> seen = new CopyOnWriteArrayList<>();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Throwable> loaderFailure = new AtomicReference<>();
            Semaphore loads = new Semaphore(0); // one permit per finished load
            Thread loader = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        seen.add(TestSupport.view(TestSupport.reload(s, f.id), f.id)); // throws on a mix it cannot load
                        loads.release();
                    }
                } catch (Throwable t) {
                    loaderFailure.set(t);
                }
            });
            loader.start();
            try {
                awaitLoads(loads, 1, loaderFailure, "a load finished before the unit");
                await(s.replaceSession(f.replacement(1)));
                loads.drainPermits();
                // two more finished loads: the second one started after the unit's commit
                awaitLoads(loads, 2, loaderFailure, "loads ran after the unit");
            } finally {
                stop.set(true);
                loader.join(30_000);
            }
            assertFalse(loader.isAlive(), "the loader stopped");
            checkLoader(loaderFailure);
            String post = TestSupport.view(TestSupport.reload(s, f.id), f.id);
            assertNotEquals(pre, post, "the unit changed the view");
            assertTrue(seen.contains(pre) && seen.contains(post), "loads saw the state before and after the unit");
            for (String v : seen) assertTrue(v.equals(pre) || v.equals(post), "a load saw a mix");
        }
    }

    @Test
    void o8CloseFinishesAQueuedUnitWithinTheBudgetOrDropsItEntirely() {
        Fork kept = Fork.task();
        Path dirKept = tmp.resolve("o8-kept");
        try (AsyncMapDbStorage s = AsyncMapDbStorage.open(dirKept)) {
            storeAll(s, kept.localContent());
            Faults.configure("storage.queue.beforeEntry=delay:30*");
            s.replaceSession(kept.replacement(1));
            CloseReport report = s.close(Duration.ofSeconds(10));
            assertEquals(0, report.dropped());
        }
        Faults.configure(null);
        try (AsyncMapDbStorage s = AsyncMapDbStorage.open(dirKept)) {
            assertEquals(SessionReplacementTest.REPAIRED, TestSupport.view(TestSupport.reload(s, kept.id), kept.id));
        }

        Fork dropped = Fork.task();
        Path dirDropped = tmp.resolve("o8-dropped");
        CompletableFuture<ReplaceResult> unit;
        KnownState before;
        try (AsyncMapDbStorage s = AsyncMapDbStorage.open(dirDropped)) {
            storeAll(s, dropped.localContent());
            before = s.knownState(dropped.id);
            Faults.configure("storage.queue.beforeEntry=delay:300*");
            for (int i = 0; i < 3; i++) s.flush();
            unit = s.replaceSession(dropped.replacement(1));
            CloseReport report = s.close(Duration.ofMillis(50));
            assertTrue(report.dropped() >= 1);
            assertTrue(report.atRiskSessions().contains(dropped.id.value() + " " + dropped.s.value()), report.toString());
        }
        Faults.configure(null);
        assertThrows(StorageClosedException.class, () -> await(unit));
        try (AsyncMapDbStorage s = AsyncMapDbStorage.open(dirDropped)) {
            assertEquals(before, s.knownState(dropped.id), "the dropped unit left nothing behind");
            assertTrue(s.journal(dropped.id).isEmpty());
            assertTrue(s.atRiskSessions().contains(dropped.id.value() + " " + dropped.s.value()));
            s.clearAtRisk();
            assertTrue(s.atRiskSessions().isEmpty());
        }
    }
}
