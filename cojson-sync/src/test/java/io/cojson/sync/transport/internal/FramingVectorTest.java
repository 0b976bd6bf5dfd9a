package io.cojson.sync.transport.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.json.Json;
import io.cojson.core.json.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The raw frames of sync.json {@code webSocket} (cojson-transport-ws 0.20.19): every frame decodes
 * to its messages, and our outgoing queue, fed the client's messages in the order the reference's
 * node pushed them, produces the same frames byte for byte in each step.
 */
class FramingVectorTest {
    private static List<JsonValue.Obj> frames;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = FramingVectorTest.class.getResourceAsStream("/vectors/sync.json")) {
            JsonValue.Obj root = (JsonValue.Obj) Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            JsonValue.Arr arr = (JsonValue.Arr) ((JsonValue.Obj) root.get("webSocket")).get("frames");
            frames = new ArrayList<>();
            for (JsonValue v : arr.items()) frames.add((JsonValue.Obj) v);
        }
    }

    private static String str(JsonValue.Obj o, String key) {
        return ((JsonValue.Str) o.get(key)).value();
    }

    private static List<String> clientFrames(String step) {
        return frames.stream().filter(f -> str(f, "from").equals("client") && str(f, "step").equals(step))
                .map(f -> str(f, "data")).collect(Collectors.toList());
    }

    private static List<String> messagesOf(List<String> fs) {
        List<String> out = new ArrayList<>();
        for (String f : fs) out.addAll(Arrays.asList(f.split("\n")));
        return out;
    }

    @Test
    void everyFrameDecodesToItsMessagesAndPingsAreNotMessages() {
        for (JsonValue.Obj f : frames) {
            FrameCodec.Decoded d = FrameCodec.decode(str(f, "data"));
            assertNull(d.error, str(f, "name"));
            assertEquals((long) ((JsonValue.Num) f.get("messageCount")).value(), d.lines.size(), str(f, "name"));
            List<JsonValue> actions = ((JsonValue.Arr) f.get("actions")).items();
            for (int i = 0; i < d.lines.size(); i++) {
                FrameCodec.Head h = d.lines.get(i);
                String expected = ((JsonValue.Str) actions.get(i)).value();
                if (expected.equals("(ping)")) {
                    assertTrue(h.hasTime && !h.hasAction, "ping: " + h.text);
                } else {
                    assertEquals(expected, h.action, str(f, "name"));
                }
            }
        }
    }

    @Test
    void queuedWhileConnectingThenOneBatchedFrameThenSingleFrames() {
        FakeSocket socket = new FakeSocket();
        ManualTimers timers = new ManualTimers();
        OutgoingQueue q = new OutgoingQueue(socket, timers, true, OutgoingQueue.MAX_OUTGOING_MESSAGES_CHUNK_BYTES);
        List<String> expected = clientFrames("socket-opens");
        List<String> firstBurst = Arrays.asList(expected.get(0).split("\n"));
        firstBurst.forEach(q::push);
        assertTrue(socket.frames.isEmpty(), "nothing goes out while connecting");
        socket.open = true;
        q.onOpen();
        for (String single : expected.subList(1, expected.size())) q.push(single); // fast path
        assertEquals(expected, socket.frames);

        socket.frames.clear();
        clientFrames("live-update").forEach(q::push);
        assertEquals(clientFrames("live-update"), socket.frames);
    }

    @Test
    void backPressureQueuesThenFlushesOneFrameTakingTheFirstMessageFirst() {
        FakeSocket socket = new FakeSocket();
        ManualTimers timers = new ManualTimers();
        socket.open = true;
        OutgoingQueue q = new OutgoingQueue(socket, timers, true, OutgoingQueue.MAX_OUTGOING_MESSAGES_CHUNK_BYTES);
        socket.buffered = 100_001;
        List<String> expected = clientFrames("backpressure-batch");
        // map (priority 3), group (0), map (3): the first was taken before the wait, then priority.
        messagesOf(expected).forEach(q::push);
        timers.runDue();
        assertTrue(socket.frames.isEmpty(), "still above the buffer limit");
        socket.buffered = 0;
        timers.runDue();
        assertEquals(expected, socket.frames);
    }

    @Test
    void batchSplitsWhereTheReferenceCountsMessagesNotBytes() {
        FakeSocket socket = new FakeSocket();
        ManualTimers timers = new ManualTimers();
        socket.open = true;
        OutgoingQueue q = new OutgoingQueue(socket, timers, true, 700); // the vector lowered the limit to 700
        socket.buffered = 100_001;
        List<String> expected = clientFrames("backpressure-batch-split");
        assertEquals(3, expected.size());
        messagesOf(expected).forEach(q::push);
        socket.buffered = 0;
        timers.runDue();
        assertEquals(expected, socket.frames);
        assertEquals(0, timers.pending(), "drain finished");
    }
}
