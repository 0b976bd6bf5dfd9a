package io.cojson.storage;

import static io.cojson.storage.TestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.node.ContentPiece;
import io.cojson.core.node.LocalNode;
import io.cojson.storage.engine.AsyncMapDbStorage;
import io.cojson.storage.engine.MapDbStorage;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fault-point mechanism (reliability.md §2.1) and the storage's points. */
class FaultsTest {
    @TempDir
    Path tmp;

    @AfterEach
    void off() {
        Faults.configure(null);
        Faults.intercept(null);
    }

    @Test
    void anInterceptorSeesEveryHitBeforeThePlanAndCanEndTheCaller() {
        assertFalse(Faults.active(), "nothing configured, nothing installed");
        List<String> seen = new java.util.ArrayList<>();
        Faults.intercept(seen::add);
        assertTrue(Faults.active(), "an interceptor alone activates the points (callers check active() first)");
        assertEquals(Faults.Effect.NONE, Faults.hit("x.one"));
        Faults.configure("x.two=drop");
        assertEquals(Faults.Effect.DROP, Faults.hit("x.two"), "the plan still applies");
        assertEquals(List.of("x.one", "x.two"), seen);
        Faults.intercept(p -> {
            throw new IllegalStateException("died at " + p);
        });
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Faults.hit("x.two"));
        assertEquals("died at x.two", e.getMessage());
        Faults.intercept(null);
        Faults.configure(null);
        assertFalse(Faults.active(), "removed: the points are inert again");
        assertEquals(Faults.Effect.NONE, Faults.hit("x.two"));
    }

    @Test
    void aPausedThreadGoesOnWhenThePlanIsConfiguredAgain() throws Exception {
        System.setProperty("cojson.faults.dir", tmp.resolve("faults-reconfigure").toString()); // no release file there
        try {
            Faults.configure("p.reconfigured=pause");
            Thread parked = new Thread(() -> Faults.hit("p.reconfigured"), "parked-by-a-fault");
            parked.setDaemon(true);
            parked.start();
            assertTrue(Faults.awaitPaused("p.reconfigured", 1, java.time.Duration.ofSeconds(20)), "parked");
            parked.join(200);
            assertTrue(parked.isAlive(), "still parked while the plan stands and no release file exists");
            Faults.configure(null); // what every test's clean-up does
            parked.join(20_000);
            assertFalse(parked.isAlive(), "a new plan ends the pause, so a failed test never leaves a writer parked");
        } finally {
            System.clearProperty("cojson.faults.dir");
        }
    }

    @Test
    void entriesFireOnTheFirstTheNthOrEveryHit() {
        Faults.configure("a=throw:io, b=throw:io@3, c=throw:io*");
        assertThrows(Faults.InjectedFault.class, () -> Faults.hit("a"));
        assertEquals(Faults.Effect.NONE, Faults.hit("a"));
        Faults.hit("b");
        Faults.hit("b");
        Faults.InjectedFault f = assertThrows(Faults.InjectedFault.class, () -> Faults.hit("b"));
        assertEquals("b", f.point());
        assertEquals("io", f.kind());
        Faults.hit("b");
        for (int i = 0; i < 3; i++) assertThrows(Faults.InjectedFault.class, () -> Faults.hit("c"));
    }

    @Test
    void afterArmsAnEntryOnlyOnceTheOtherPointWasHit() {
        Faults.configure("after:x.begin/y=drop*, z=dup");
        assertEquals(Faults.Effect.NONE, Faults.hit("y"));
        Faults.hit("x.begin");
        assertEquals(Faults.Effect.DROP, Faults.hit("y"));
        assertEquals(Faults.Effect.DROP, Faults.hit("y"));
        assertEquals(Faults.Effect.DUP, Faults.hit("z"));
        assertEquals(Faults.Effect.NONE, Faults.hit("z"));
    }

    @Test
    void malformedSpecsAreRejectedAndKeepTheOldConfiguration() {
        Faults.configure("q=throw:io@2");
        Faults.hit("q");
        assertThrows(IllegalArgumentException.class, () -> Faults.configure("p=explode"));
        assertThrows(IllegalArgumentException.class, () -> Faults.configure("p=throw:boom"));
        assertThrows(IllegalArgumentException.class, () -> Faults.configure("p=delay"));
        assertThrows(IllegalArgumentException.class, () -> Faults.configure("p=pause@0"));
        assertThrows(IllegalArgumentException.class, () -> Faults.configure("after:x=drop"));
        assertTrue(Faults.active(), "a rejected spec leaves the old configuration in place");
        assertThrows(Faults.InjectedFault.class, () -> Faults.hit("q"), "...with its hit count");
    }

    /** Off means inert: nothing fires, nothing is counted or armed, and a new plan counts from zero. */
    @Test
    void offMeansInertAndReconfiguringStartsTheCountsOver() {
        for (String off : new String[] {"", "  ", null}) {
            Faults.configure("storage.tx.begin=throw:io*");
            Faults.configure(off);
            assertFalse(Faults.active(), "'" + off + "' turns faults off");
            for (String point : new String[] {"storage.tx.begin", "storage.tx.mid", "storage.tx.beforeCommit", "x.begin", "y"}) {
                for (int i = 0; i < 5; i++) assertEquals(Faults.Effect.NONE, Faults.hit(point), point);
            }
        }
        Faults.configure("y=throw:io@2, after:x.begin/z=drop");
        assertEquals(Faults.Effect.NONE, Faults.hit("y"), "the 5 inert hits of y above were not counted");
        assertThrows(Faults.InjectedFault.class, () -> Faults.hit("y"));
        assertEquals(Faults.Effect.NONE, Faults.hit("z"), "the inert hits of x.begin did not arm z");
        Faults.configure("y=throw:io@2");
        assertEquals(Faults.Effect.NONE, Faults.hit("y"), "reconfiguring starts the count over");
        assertThrows(Faults.InjectedFault.class, () -> Faults.hit("y"));
    }

    @Test
    void loadPointsFailTheLoadWithoutHandingOverDamagedContent() {
        LocalNode node = TestSupport.agentNode();
        RawCoID map = TestSupport.newValue(node, "comap");
        for (int i = 0; i < 120; i++) TestSupport.set(node, map, "k" + i % 5, "y".repeat(3_000) + i); // several pieces
        try (MapDbStorage s = MapDbStorage.open(tmp.resolve("load"))) {
            for (ContentPiece p : io.cojson.storage.engine.internal.NodeContent.since(node, map, io.cojson.core.knownstate.KnownState.empty(map))) {
                await(s.store(p));
            }
            List<ContentPiece> seen = new java.util.ArrayList<>();
            Faults.configure("storage.load.afterRead=throw:io");
            assertThrows(StorageIOException.class, () -> s.load(map, seen::add));
            assertEquals(0, seen.size(), "the fault is hit before the first piece is handed over");
            Faults.configure("storage.stream.afterChunk=throw:closed@2");
            assertThrows(StorageClosedException.class, () -> s.load(map, seen::add));
            assertEquals(2, seen.size());
            Faults.configure(null);
            seen.clear();
            assertTrue(s.load(map, seen::add).pieces() > 2);
        }
    }

    @Test
    void storagePointsThrowTheStoragesOwnExceptionsAndRollBack() {
        LocalNode node = TestSupport.agentNode();
        RawCoID map = TestSupport.newValue(node, "comap");
        TestSupport.set(node, map, "a", 1);
        List<ContentPiece> pieces = io.cojson.storage.engine.internal.NodeContent.since(node, map, io.cojson.core.knownstate.KnownState.empty(map));
        try (AsyncMapDbStorage s = AsyncMapDbStorage.open(tmp.resolve("s"))) {
            String[][] cases = {{"storage.tx.begin", "io"}, {"storage.tx.mid", "closed"}, {"storage.tx.beforeCommit", "rejected"},
                {"storage.queue.beforeEntry", "interrupted"}};
            for (String[] c : cases) {
                Faults.configure(c[0] + "=throw:" + c[1]);
                CompletionException e = assertThrows(CompletionException.class, () -> s.store(pieces.get(0)).join());
                Class<?> expected = switch (c[1]) {
                    case "io" -> StorageIOException.class;
                    case "closed" -> StorageClosedException.class;
                    case "rejected" -> StorageRejectedException.class;
                    default -> StorageInterruptedException.class;
                };
                assertEquals(expected, e.getCause().getClass(), c[0]);
                assertFalse(s.knownState(map).header(), "rolled back: nothing of the unit is stored");
            }
            Faults.configure("storage.tx.afterCommit=throw:io");
            assertThrows(CompletionException.class, () -> s.store(pieces.get(0)).join());
            assertEquals(node.get(map).knownState(), s.knownState(map), "a failure after the commit keeps the commit (and the cache)");
            Faults.configure(null);
            await(s.store(pieces.get(0)));
            assertEquals(node.get(map).knownState(), s.knownState(map));
        }
    }
}
