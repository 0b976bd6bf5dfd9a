package io.cojson.storage;

import static io.cojson.storage.TestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.knownstate.KnownState;
import io.cojson.core.node.LocalNode;
import io.cojson.storage.engine.AsyncMapDbStorage;
import io.cojson.storage.engine.MapDbStorage;
import io.cojson.storage.engine.internal.NodeContent;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RL-06: one writer per storage directory, across processes and within one. */
class LockTest {
    @TempDir
    Path tmp;

    @Test
    @DisplayName("RL-06 Only one process writes a storage directory: a second process fails fast (exit 3) with a typed error naming the holder; the first keeps serving; integrity holds")
    void RL06_aSecondProcessGetsATypedErrorNamingTheHolderAndTheFirstKeepsWorking() throws Exception {
        Path dir = tmp.resolve("store");
        LocalNode node = TestSupport.agentNode();
        RawCoID map = TestSupport.newValue(node, "comap");
        TestSupport.set(node, map, "a", 1);
        try (AsyncMapDbStorage first = AsyncMapDbStorage.open(dir)) {
            Process second = TestSupport.startChild(CrashChild.class, List.of(), Map.of(), "open", dir.toString());
            StringBuilder err = new StringBuilder();
            Thread e = TestSupport.pump(second.getErrorStream(), line -> err.append(line));
            TestSupport.pump(second.getInputStream(), line -> {});
            // Fails rather than waits: it exits while this process still holds the lock (a child
            // that blocked on the lock could only end when `first` closes, after this assertion).
            assertTrue(second.waitFor(30, TimeUnit.SECONDS), "the second process gave up while the lock is held");
            e.join(5000);
            assertEquals(3, second.exitValue(), err.toString());
            assertTrue(err.toString().startsWith("StorageLockedException"), err.toString());
            assertTrue(err.toString().contains("pid=" + ProcessHandle.current().pid()), "names the holder: " + err);

            StorageLockedException inProcess = assertThrows(StorageLockedException.class, () -> MapDbStorage.open(dir));
            assertTrue(inProcess.holder().startsWith("this process"), inProcess.holder());
            assertEquals(dir.resolve("cojson.lock"), inProcess.file());

            for (var p : NodeContent.since(node, map, KnownState.empty(map))) await(first.store(p)); // still serving
            assertTrue(first.verifyIntegrity().ok());
        }
        try (MapDbStorage again = MapDbStorage.open(dir)) {
            assertEquals(node.get(map).knownState(), again.knownState(map));
        }
    }

    @Test
    void aStoreHeldByAnotherProcessIsRefusedUntilThatProcessDies() throws Exception {
        Path dir = tmp.resolve("held");
        Process holder = TestSupport.startChild(CrashChild.class, List.of(), Map.of(), "hold", dir.toString());
        CountDownLatch ready = new CountDownLatch(1);
        TestSupport.pump(holder.getInputStream(), line -> {
            if (line.equals("READY")) ready.countDown();
        });
        TestSupport.pump(holder.getErrorStream(), line -> {});
        try {
            assertTrue(ready.await(30, TimeUnit.SECONDS));
            StorageLockedException e = assertThrows(StorageLockedException.class, () -> AsyncMapDbStorage.open(dir));
            assertTrue(e.holder().contains("pid=" + holder.pid()), e.getMessage());
            assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
        } finally {
            holder.destroyForcibly();
            holder.waitFor(30, TimeUnit.SECONDS);
        }
        try (MapDbStorage s = MapDbStorage.open(dir)) { // the OS released the dead holder's lock
            assertTrue(s.verifyIntegrity().ok());
        }
    }
}
