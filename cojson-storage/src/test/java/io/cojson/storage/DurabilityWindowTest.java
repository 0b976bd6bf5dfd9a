package io.cojson.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.storage.engine.AsyncMapDbStorage;
import io.cojson.storage.engine.MapDbStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * recovery.md §13, the durability-window marker: what a killed process (child JVM, SIGKILL) had
 * sent unstored becomes at risk at the next open, and only that; a clean close leaves nothing.
 */
class DurabilityWindowTest {
    private static final String MAP = "co_zMapOfTheWindowTest1";
    private static final String OTHER = "co_zOtherValueOfTheTest2";
    private static final String S = "co_zAccountOfTheTest3_session_zAbc";

    @TempDir
    Path tmp;

    private static String pair(String id, String session) {
        return id + "+" + session; // the child turns '+' into the space of an entry
    }

    private void killWhileHolding(Path dir, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("window", dir.toString()));
        all.addAll(List.of(args));
        Process holder = TestSupport.startChild(CrashChild.class, List.of(), Map.of(), all.toArray(String[]::new));
        CountDownLatch ready = new CountDownLatch(1);
        List<String> err = java.util.Collections.synchronizedList(new ArrayList<>());
        TestSupport.pump(holder.getInputStream(), line -> {
            if (line.equals("READY")) ready.countDown();
        });
        TestSupport.pump(holder.getErrorStream(), err::add);
        try {
            assertTrue(ready.await(30, TimeUnit.SECONDS), "the child marked its window: " + err);
        } finally {
            holder.destroyForcibly(); // SIGKILL on Linux
            assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
        }
        assertEquals(137, holder.exitValue(), "killed by SIGKILL");
    }

    @Test
    @DisplayName("§13 a kill with the window open: exactly the pairs it named are at risk at the next open, and stay until removed one by one")
    void aKillWithTheWindowOpenMakesItsPairsAtRisk() throws Exception {
        Path dir = tmp.resolve("open");
        killWhileHolding(dir, "tracked", pair(OTHER, S), "clear", pair(MAP, S));
        try (MapDbStorage s = MapDbStorage.open(dir)) {
            assertTrue(s.previousShutdownUnclean());
            assertTrue(s.previousWindowsKnown());
            assertEquals(Set.of(MAP + " " + S), s.atRiskSessions(), "the pair of the closed window is not at risk");
        }
        try (MapDbStorage s = MapDbStorage.open(dir)) {
            assertFalse(s.previousShutdownUnclean());
            assertEquals(Set.of(MAP + " " + S), s.atRiskSessions(), "kept across clean runs until verified");
            s.markAtRisk(Set.of("* " + S));
            s.removeAtRisk(Set.of(MAP + " " + S));
            assertEquals(Set.of("* " + S), s.atRiskSessions(), "only the verified entry goes");
        }
    }

    @Test
    @DisplayName("§13 a kill with the window closed leaves nothing at risk; a process that never tracked leaves the window unknown")
    void aClosedWindowProvesNothingWasLostAndAnUntrackedOneProvesNothing() throws Exception {
        Path closed = tmp.resolve("closed");
        killWhileHolding(closed, "tracked", pair(MAP, S), "clear");
        try (MapDbStorage s = MapDbStorage.open(closed)) {
            assertTrue(s.previousShutdownUnclean());
            assertTrue(s.previousWindowsKnown());
            assertEquals(Set.of(), s.atRiskSessions());
        }
        Path untracked = tmp.resolve("untracked");
        killWhileHolding(untracked, "untracked", pair(MAP, S));
        try (MapDbStorage s = MapDbStorage.open(untracked)) {
            assertTrue(s.previousShutdownUnclean());
            assertFalse(s.previousWindowsKnown(), "the killed process never said it tracked its window");
            assertEquals(Set.of(), s.atRiskSessions());
        }
    }

    @Test
    @DisplayName("§13 a clean close with the window open removes the marker (the close committed or reported every queued write); a torn line is ignored")
    void aCleanCloseLeavesNoMarkerAndATornLineIsIgnored() throws Exception {
        Path dir = tmp.resolve("clean");
        try (AsyncMapDbStorage s = AsyncMapDbStorage.open(dir)) {
            s.trackDurabilityWindow();
            assertTrue(s.tracksDurabilityWindow());
            s.markDurabilityWindow(Set.of(MAP + " " + S));
        }
        assertFalse(Files.exists(dir.resolve("durability-window")));
        try (MapDbStorage s = MapDbStorage.open(dir)) {
            assertFalse(s.previousShutdownUnclean());
            assertEquals(Set.of(), s.atRiskSessions());
        }
        Path torn = tmp.resolve("torn");
        killWhileHolding(torn, "tracked", pair(MAP, S));
        Files.writeString(torn.resolve("durability-window"), "co_zHalfWritt", java.nio.file.StandardOpenOption.APPEND);
        try (MapDbStorage s = MapDbStorage.open(torn)) {
            assertEquals(Set.of(MAP + " " + S), s.atRiskSessions(), "the torn line was being written when the process died");
        }
    }
}
