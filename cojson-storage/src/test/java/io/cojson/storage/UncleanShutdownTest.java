package io.cojson.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.storage.engine.AsyncMapDbStorage;
import io.cojson.storage.engine.MapDbStorage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** recovery.md §13: the store tells whether the previous process closed it (the unclean-shutdown flag). */
class UncleanShutdownTest {
    @TempDir
    Path tmp;

    @Test
    @DisplayName("§13 a new store and a cleanly closed store open with the flag clear, on both storage kinds")
    void cleanClosesLeaveNoFlag() {
        Path dir = tmp.resolve("clean");
        try (MapDbStorage s = MapDbStorage.open(dir)) {
            assertFalse(s.previousShutdownUnclean(), "a new store");
        }
        try (AsyncMapDbStorage s = AsyncMapDbStorage.open(dir)) {
            assertFalse(s.previousShutdownUnclean(), "after a clean close of the inline store");
        }
        try (MapDbStorage s = MapDbStorage.open(dir)) {
            assertFalse(s.previousShutdownUnclean(), "after a clean close of the async store");
        }
    }

    @Test
    @DisplayName("§13 a store whose process was killed (child JVM, SIGKILL) opens with the flag set, once")
    void aKilledHolderLeavesTheFlagUntilTheNextCleanClose() throws Exception {
        Path dir = tmp.resolve("killed");
        Process holder = TestSupport.startChild(CrashChild.class, List.of(), Map.of(), "hold", dir.toString());
        CountDownLatch ready = new CountDownLatch(1);
        TestSupport.pump(holder.getInputStream(), line -> {
            if (line.equals("READY")) ready.countDown();
        });
        TestSupport.pump(holder.getErrorStream(), line -> {});
        try {
            assertTrue(ready.await(30, TimeUnit.SECONDS), "the child opened the store");
        } finally {
            holder.destroyForcibly(); // SIGKILL on Linux
            assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
        }
        assertEquals(137, holder.exitValue(), "killed by SIGKILL");
        try (AsyncMapDbStorage s = AsyncMapDbStorage.open(dir)) {
            assertTrue(s.previousShutdownUnclean(), "the killed process never closed the store");
            assertTrue(s.previousShutdownUnclean(), "fixed for the whole open");
        }
        try (MapDbStorage s = MapDbStorage.open(dir)) {
            assertFalse(s.previousShutdownUnclean(), "the open after the kill closed cleanly");
        }
    }
}
