package io.cojson.sync.transport.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.sync.Mutations;
import io.cojson.sync.transport.MessageChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Issue 11 B.6: the receiving half of a connection (frame splitting, JSON parsing, ping and
 * batching detection) on arbitrary text and on mutations of sync.json's frames and messages:
 * it never throws, never ends the connection over bad input, and hands on only whole lines.
 */
class FrameFuzzProperties {
    private static final List<String> FRAMES = Mutations.validFrames();
    private static final List<String> MESSAGES = Mutations.validMessages();

    @Provide
    Arbitrary<String> frames() {
        Arbitrary<String> mutatedFrame = Combinators.combine(Arbitraries.of(FRAMES), Arbitraries.longs(), Arbitraries.integers().between(1, 4))
                .as(Mutations::mutate);
        Arbitrary<String> batch = Mutations.arbitrary(MESSAGES).list().ofMinSize(1).ofMaxSize(10).map(l -> String.join("\n", l));
        Arbitrary<String> text = Arbitraries.strings().all().ofMaxLength(2_000);
        Arbitrary<String> syntax = Arbitraries.strings().withChars("{}[]\":,\n\\0123456789.eE-+ntrufalsx ").ofMaxLength(500);
        return Arbitraries.frequencyOf(Tuple.of(4, mutatedFrame), Tuple.of(3, batch), Tuple.of(2, text), Tuple.of(2, syntax),
                Tuple.of(1, Arbitraries.of(FRAMES)));
    }

    @Property(tries = 1_000)
    void anyFrameIsDecodedOrDroppedWithoutThrowing(@ForAll("frames") String frame) {
        FakeSocket socket = new FakeSocket();
        socket.open = true;
        ChannelCore core = new ChannelCore("fuzz", socket, false, 0, new ManualTimers(), new ChannelCore.Hooks() {});
        List<String> delivered = new ArrayList<>();
        core.setListener(new MessageChannel.Listener() {
            @Override
            public void onMessage(String json) {
                delivered.add(json);
            }

            @Override
            public void onClosed(String reason) {}
        });
        core.frameReceived(frame);
        List<String> lines = Arrays.asList(frame.split("\n", -1));
        assertTrue(delivered.size() <= lines.size(), "more messages than lines");
        int from = 0;
        for (String m : delivered) { // whole lines, in frame order
            int at = lines.subList(from, lines.size()).indexOf(m);
            assertTrue(at >= 0, "delivered text that is not a line of the frame, in order");
            from += at + 1;
        }
        assertFalse(core.isTerminated(), "bad input never ends the connection");
        assertTrue(socket.frames.isEmpty() && socket.closeCode == -1 && !socket.aborted, "nothing sent back, nothing closed");
    }
}
