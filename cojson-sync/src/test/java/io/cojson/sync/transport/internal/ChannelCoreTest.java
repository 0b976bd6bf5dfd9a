package io.cojson.sync.transport.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.storage.Faults;
import io.cojson.sync.transport.MessageChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The receiving half of createWebSocketPeer, on a fake socket. */
class ChannelCoreTest {
    private static final String LOAD_A = "{\"action\":\"load\",\"id\":\"co_zA\",\"header\":false,\"sessions\":{}}";
    private static final String LOAD_B = "{\"action\":\"load\",\"id\":\"co_zB\",\"header\":false,\"sessions\":{}}";
    private static final String PING = "{\"type\":\"ping\",\"time\":1735736405029,\"dc\":\"unknown\"}";

    private final FakeSocket socket = new FakeSocket();
    private final ManualTimers timers = new ManualTimers();
    private final List<Double> pings = new ArrayList<>();
    private final List<String> terminations = new ArrayList<>();
    private int established;

    @AfterEach
    void faultsOff() {
        Faults.configure(null);
    }

    private ChannelCore channel(boolean batching, long pingTimeoutMs, Timers t) {
        socket.open = true;
        return new ChannelCore("test", socket, batching, pingTimeoutMs, t, new ChannelCore.Hooks() {
            @Override
            public void established() {
                established++;
            }

            @Override
            public void ping(double serverTimeMillis) {
                pings.add(serverTimeMillis);
            }

            @Override
            public void terminated(String reason) {
                terminations.add(reason);
            }
        });
    }

    /** Records what a listener is told. */
    static final class Recorder implements MessageChannel.Listener {
        final List<String> messages = new ArrayList<>();
        final List<String> closed = new ArrayList<>();

        @Override
        public void onMessage(String messageJson) {
            messages.add(messageJson);
        }

        @Override
        public void onClosed(String reason) {
            closed.add(reason);
        }
    }

    @Test
    void garbageFramesAreDroppedWholeAndTheChannelKeepsWorking() {
        ChannelCore ch = channel(false, 0, timers);
        Recorder r = new Recorder();
        ch.setListener(r);
        ch.frameReceived("this is not json");
        ch.frameReceived(LOAD_A + "\n{broken");           // the valid first line is lost with its frame
        ch.frameReceived("{\"action\":\"load\"}\n\n" + LOAD_A); // an empty line is not JSON either
        ch.binaryFrameReceived(12);
        ch.frameReceived("");
        assertEquals(List.of(), r.messages);
        assertEquals(0, established, "no frame decoded yet");
        ch.frameReceived(LOAD_B);
        assertEquals(List.of(LOAD_B), r.messages);
        assertEquals(1, established);
        assertTrue(r.closed.isEmpty());
    }

    @Test
    void pingsAndOtherObjectsAreNotMessagesAndBatchesTurnBatchingOn() {
        ChannelCore ch = channel(false, 0, timers);
        Recorder r = new Recorder();
        ch.setListener(r);
        ch.frameReceived(PING);
        assertEquals(List.of(1735736405029.0), pings);
        assertFalse(ch.isBatching());
        ch.frameReceived(LOAD_A + "\n{\"unrelated\":1}\nnull\n" + LOAD_B);
        assertEquals(List.of(LOAD_A, LOAD_B), r.messages);
        assertTrue(ch.isBatching(), "a multi-message frame switches our batching on");
    }

    @Test
    void messagesWaitForTheListenerAndCloseComesLastOnce() {
        ChannelCore ch = channel(true, 0, timers);
        ch.frameReceived(LOAD_A);
        ch.frameReceived(LOAD_B);
        ch.socketClosed("closed by peer");
        ch.socketClosed("again");
        ch.frameReceived(LOAD_A); // after close: nothing more
        Recorder r = new Recorder();
        ch.setListener(r);
        assertEquals(List.of(LOAD_A, LOAD_B), r.messages);
        assertEquals(List.of("closed by peer"), r.closed);
        assertEquals(List.of("closed by peer"), terminations);
    }

    @Test
    void aThrowingListenerIsLoggedNotFatal() {
        ChannelCore ch = channel(true, 0, timers);
        List<String> seen = new ArrayList<>();
        ch.setListener(new MessageChannel.Listener() {
            @Override
            public void onMessage(String m) {
                seen.add(m);
                throw new IllegalStateException("boom");
            }

            @Override
            public void onClosed(String reason) {}
        });
        ch.frameReceived(LOAD_A + "\n" + LOAD_B);
        assertEquals(List.of(LOAD_A, LOAD_B), seen);
    }

    @Test
    void closeFlushesAndClosesNormally() {
        ChannelCore ch = channel(true, 0, timers);
        Recorder r = new Recorder();
        ch.setListener(r);
        socket.buffered = 1_000_000; // force the queue
        ch.send(LOAD_A);
        ch.send(LOAD_B);
        ch.close();
        assertEquals(List.of(LOAD_A + "\n" + LOAD_B), socket.frames);
        assertEquals(1000, socket.closeCode);
        assertEquals(List.of("closed locally"), r.closed);
        ch.send(LOAD_A);
        assertEquals(1, socket.frames.size());
    }

    @Test
    void closeWhileConnectingFlushesOnceTheSocketOpens() {
        ChannelCore ch = channel(true, 0, timers);
        socket.open = false;
        Recorder r = new Recorder();
        ch.setListener(r);
        ch.send(LOAD_A);
        ch.send(LOAD_B);
        ch.close();
        assertEquals(List.of("closed locally"), r.closed, "closed for its user at once");
        ch.send(LOAD_A);
        assertTrue(socket.frames.isEmpty());
        socket.open = true;
        ch.socketOpened();
        assertEquals(List.of(LOAD_A + "\n" + LOAD_B), socket.frames);
        assertEquals(1000, socket.closeCode);
    }

    @Test
    void silenceLongerThanThePingTimeoutClosesTheChannel() {
        ChannelCore ch = channel(true, 400, timers);
        Recorder r = new Recorder();
        ch.setListener(r);
        timers.advance(600);
        assertTrue(r.closed.isEmpty(), "the deadline is armed by the first frame");
        assertEquals(0, timers.pending(), "nothing armed before a frame");
        ch.frameReceived(PING); // t = 600: deadline 1000
        for (int i = 0; i < 6; i++) {
            timers.advance(100);
            ch.frameReceived(PING); // every frame pushes the deadline back; the last at t = 1200
        }
        assertEquals(List.of(), r.closed, "closed although frames kept coming");
        timers.advance(399); // t = 1599: 399 ms of silence
        assertEquals(List.of(), r.closed, "closed before the timeout");
        assertFalse(socket.aborted);
        timers.advance(1); // t = 1600: 400 ms of silence
        assertEquals(List.of("ping timeout"), r.closed);
        assertEquals(List.of("ping timeout"), terminations);
        assertTrue(socket.aborted);
        assertEquals(0, timers.pending(), "the watchdog is gone");
    }

    @Test
    void transportFaultPointsDropDuplicateAndFail() {
        ChannelCore ch = channel(false, 0, timers);
        Recorder r = new Recorder();
        ch.setListener(r);
        Faults.configure("transport.in.load=drop,transport.out=dup@2");
        ch.frameReceived(LOAD_A); // dropped: first load in
        ch.frameReceived(LOAD_B);
        assertEquals(List.of(LOAD_B), r.messages);
        ch.send(LOAD_A);
        ch.send(LOAD_B); // second send: duplicated
        assertEquals(List.of(LOAD_A, LOAD_B, LOAD_B), socket.frames);

        Faults.configure("transport.out.known=throw:io");
        ch.send(LOAD_A);
        assertTrue(r.closed.isEmpty(), "only known messages are affected");
        ch.send("{\"action\":\"known\",\"id\":\"co_zA\",\"header\":false,\"sessions\":{}}");
        assertEquals(1, r.closed.size());
        assertTrue(r.closed.get(0).startsWith("send failed"), r.closed.get(0));
        assertTrue(socket.aborted);
    }
}
