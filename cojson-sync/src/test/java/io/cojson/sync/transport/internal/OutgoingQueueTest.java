package io.cojson.sync.transport.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutgoingQueueTest {
    private static String content(String tag, int priority, int padding) {
        return "{\"action\":\"content\",\"id\":\"co_z" + tag + "\",\"priority\":" + priority + ",\"new\":{\"p\":\"" + "x".repeat(padding) + "\"}}";
    }

    private static String load(String tag) {
        return "{\"action\":\"load\",\"id\":\"co_z" + tag + "\",\"header\":false,\"sessions\":{}}";
    }

    /** Compares frames without printing megabytes on failure. */
    private static void assertFrames(List<String> expected, List<String> actual) {
        List<String> e = new ArrayList<>();
        List<String> a = new ArrayList<>();
        expected.forEach(f -> e.add(f.length() + ":" + f.hashCode()));
        actual.forEach(f -> a.add(f.length() + ":" + f.hashCode()));
        assertEquals(e, a);
    }

    @Test
    void queuedMessagesLeaveByPriorityHighMediumLowFifoWithin() {
        FakeSocket s = new FakeSocket();
        OutgoingQueue q = new OutgoingQueue(s, new ManualTimers(), false, 25_000);
        String first = content("First", 6, 1);
        String low = content("Low", 6, 1);
        String reconcile = "{\"action\":\"reconcile\",\"id\":\"x\",\"priority\":0}";
        String med1 = content("M1", 3, 1);
        String high = load("H");
        String med2 = content("M2", 3, 1);
        String high2 = content("H2", 0, 1);
        for (String m : List.of(first, low, reconcile, med1, high, med2, high2)) q.push(m);
        s.open = true;
        q.onOpen();
        // batching off (server default): one frame per message
        assertEquals(List.of(first, high, high2, med1, med2, low, reconcile), s.frames);
    }

    @Test
    void fastPathSendsSingleFramesEvenWithBatchingOn() {
        FakeSocket s = new FakeSocket();
        s.open = true;
        OutgoingQueue q = new OutgoingQueue(s, new ManualTimers(), true, 25_000);
        q.push(load("A"));
        q.push(load("B"));
        assertEquals(List.of(load("A"), load("B")), s.frames);
    }

    @Test
    void theCountQuirkLetsBatchesGrowFarBeyondTheChunkLimit() {
        // 12 messages of ~4 200 chars: each check is (count + one length) ≤ 25 000, so all 12 share a frame.
        FakeSocket s = new FakeSocket();
        OutgoingQueue q = new OutgoingQueue(s, new ManualTimers(), true, 25_000);
        List<String> ms = new ArrayList<>();
        for (int i = 0; i < 12; i++) ms.add(content("Q" + i, 3, 4_150));
        ms.forEach(q::push);
        s.open = true;
        q.onOpen();
        assertEquals(1, s.frames.size());
        assertTrue(s.frames.get(0).length() > 50_000, "one frame of " + s.frames.get(0).length() + " chars");
        assertEquals(String.join("\n", ms), s.frames.get(0));
    }

    @Test
    void aMessageAtTheLimitFlushesTheBacklogAndGoesAlone() {
        FakeSocket s = new FakeSocket();
        OutgoingQueue q = new OutgoingQueue(s, new ManualTimers(), true, 25_000);
        String a = load("A");
        String big = content("Big", 3, 30_000);
        String b = load("B");
        q.push(a);
        q.push(big);
        q.push(b);
        s.open = true;
        q.onOpen();
        // a was taken first; load B (HIGH) overtakes the big content (MEDIUM) and joins a's batch
        assertFrames(List.of(a + "\n" + b, big), s.frames);
        s.frames.clear();
        OutgoingQueue q2 = new OutgoingQueue(s, new ManualTimers(), true, 25_000);
        s.buffered = 200_000;
        q2.push(content("C", 3, 10));
        q2.push(big);
        q2.push(content("D", 3, 10));
        s.buffered = 0;
        q2.onOpen();
        assertFrames(List.of(content("C", 3, 10), big, content("D", 3, 10)), s.frames);
    }

    @Test
    void closeFlushesWhatIsQueuedThenIgnoresMore() {
        FakeSocket s = new FakeSocket();
        s.open = true;
        s.buffered = 200_000;
        ManualTimers timers = new ManualTimers();
        OutgoingQueue q = new OutgoingQueue(s, timers, true, 25_000);
        q.push(load("A"));
        q.push(load("B"));
        q.close();
        assertEquals(List.of(load("A") + "\n" + load("B")), s.frames);
        q.push(load("C"));
        timers.runDue();
        assertEquals(1, s.frames.size());
    }

    @Test
    void neverOpenedSocketSendsNothingOnClose() {
        FakeSocket s = new FakeSocket();
        OutgoingQueue q = new OutgoingQueue(s, new ManualTimers(), true, 25_000);
        q.push(load("A"));
        q.close();
        s.open = true;
        q.onOpen();
        assertTrue(s.frames.isEmpty());
    }
}
