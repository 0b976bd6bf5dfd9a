package io.cojson.sync.internal.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link SerialExecutor}: one task at a time, in order, whichever thread runs it. */
class SerialExecutorTest {
    private final ExecutorService backing = Executors.newSingleThreadExecutor(SerialExecutor.daemonThreads("serial-test"));

    @AfterEach
    void stop() throws InterruptedException {
        backing.shutdownNow();
        assertTrue(backing.awaitTermination(10, TimeUnit.SECONDS));
    }

    @Test
    void executeHereRunsOnTheCallingThreadWhenIdle() {
        SerialExecutor exec = new SerialExecutor(backing);
        AtomicReference<Thread> ran = new AtomicReference<>();
        AtomicReference<Boolean> inside = new AtomicReference<>();
        exec.executeHere(() -> {
            ran.set(Thread.currentThread());
            inside.set(exec.inExecutor());
        });
        assertSame(Thread.currentThread(), ran.get(), "an idle executor runs the task before executeHere returns");
        assertTrue(inside.get(), "the calling thread counts as the executor while it runs the task");
        assertFalse(exec.inExecutor(), "and no longer afterwards");
    }

    @Test
    void executeHereQueuesBehindARunningTaskAndKeepsOrder() throws Exception {
        SerialExecutor exec = new SerialExecutor(backing);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        AtomicReference<Thread> second = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        exec.execute(() -> {
            started.countDown();
            await(release);
            order.add("first");
        });
        assertTrue(started.await(10, TimeUnit.SECONDS));
        exec.executeHere(() -> {
            order.add("second");
            second.set(Thread.currentThread());
            done.countDown();
        });
        assertEquals(List.of(), order, "the caller did not run its task beside the running one");
        release.countDown();
        assertTrue(done.await(10, TimeUnit.SECONDS));
        assertEquals(List.of("first", "second"), order);
        assertNotSame(Thread.currentThread(), second.get(), "the busy executor's thread ran it");
    }

    @Test
    void aTaskThatSubmitsWhileRunningHereDoesNotRunItNested() {
        SerialExecutor exec = new SerialExecutor(backing);
        List<String> order = new ArrayList<>();
        exec.executeHere(() -> {
            exec.executeHere(() -> order.add("inner"));
            order.add("outer");
        });
        assertEquals(List.of("outer", "inner"), order, "the inner task ran after the outer one, on this thread's drain");
    }

    @Test
    void manyThreadsMixingExecuteAndExecuteHereNeverOverlapAndKeepEachSubmittersOrder() throws Exception {
        SerialExecutor exec = new SerialExecutor(backing);
        int threads = 4;
        int perThread = 2_000;
        AtomicInteger running = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        int[] last = new int[threads];
        java.util.Arrays.fill(last, -1);
        AtomicInteger outOfOrder = new AtomicInteger();
        CountDownLatch finished = new CountDownLatch(threads * perThread);
        ExecutorService submitters = Executors.newFixedThreadPool(threads);
        try {
            for (int t = 0; t < threads; t++) {
                int who = t;
                submitters.execute(() -> {
                    for (int i = 0; i < perThread; i++) {
                        int seq = i;
                        Runnable task = () -> {
                            if (running.incrementAndGet() != 1) overlaps.incrementAndGet();
                            if (last[who] != seq - 1) outOfOrder.incrementAndGet();
                            last[who] = seq; // only ever touched inside the executor
                            running.decrementAndGet();
                            finished.countDown();
                        };
                        if (i % 2 == 0) exec.executeHere(task);
                        else exec.execute(task);
                    }
                });
            }
            assertTrue(finished.await(30, TimeUnit.SECONDS), "every task ran");
        } finally {
            submitters.shutdownNow();
        }
        assertEquals(0, overlaps.get(), "tasks never ran at the same time");
        assertEquals(0, outOfOrder.get(), "each submitter's tasks ran in submission order");
        for (int t = 0; t < threads; t++) assertEquals(perThread - 1, last[t]);
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) throw new AssertionError("not released");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
