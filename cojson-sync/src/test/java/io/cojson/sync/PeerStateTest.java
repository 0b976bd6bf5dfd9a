package io.cojson.sync;

import static io.cojson.sync.SyncTestKit.CRYPTO;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.knownstate.KnownState;
import io.cojson.core.node.Accounts;
import io.cojson.sync.transport.InMemoryChannel;
import io.cojson.sync.transport.MessageChannel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link PeerState}'s public view of a peer and its incoming-queue limit (reliability.md RL-17). */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class PeerStateTest {
    private final RawCoID id = Accounts.create(CRYPTO, "Alice").accountID();

    private static PeerState peer(String name, PeerRole role, boolean persistent) {
        return new PeerState(name, role, persistent, InMemoryChannel.pair(name, "other").a());
    }

    @Test
    void sentAndReceivedMessagesAreCountedPerAction() {
        InMemoryChannel.Pair pair = InMemoryChannel.pair("p", "far");
        List<String> far = new CopyOnWriteArrayList<>();
        pair.b().setListener(new MessageChannel.Listener() {
            @Override
            public void onMessage(String json) {
                far.add(json);
            }

            @Override
            public void onClosed(String reason) {}
        });
        PeerState p = new PeerState("p", PeerRole.SERVER, false, pair.a());
        assertSame(pair.a(), p.channel());
        assertEquals(0, p.sentCount("load"));
        p.send(new SyncMessage.Load(KnownState.empty(id)));
        p.send(new SyncMessage.Load(KnownState.empty(id)));
        p.send(new SyncMessage.Known(KnownState.empty(id)));
        assertEquals(2, p.sentCount("load"));
        assertEquals(1, p.sentCount("known"));
        assertEquals(0, p.sentCount("content"));
        SyncTestKit.await("both loads and the known arrive", () -> far.size() == 3);

        p.countReceived("content");
        p.countReceived("content");
        assertEquals(2, p.receivedCount("content"));
        assertEquals(0, p.receivedCount("load"));

        p.markClosed();
        p.send(new SyncMessage.Load(KnownState.empty(id)));
        assertEquals(2, p.sentCount("load"), "nothing is sent (nor counted) once closed");
    }

    @Test
    void roleClosedAndPersistenceAreReported() {
        PeerState p = peer("srv", PeerRole.SERVER, true);
        assertTrue(p.isPersistent());
        assertFalse(peer("c", PeerRole.CLIENT, false).isPersistent());
        assertFalse(p.isClosed());
        assertEquals("peer srv (SERVER)", p.toString());
        p.markClosed();
        assertTrue(p.isClosed());
        assertEquals("peer srv (SERVER, closed)", p.toString());
    }

    @Test
    void theMostRecentHundredErrorsAreKeptOldestFirst() {
        PeerState p = peer("c", PeerRole.CLIENT, false);
        assertEquals(List.of(), p.errors());
        for (int i = 0; i < 105; i++) {
            p.recordError(new SyncError("c", id, null, SyncError.Kind.INVALID_MESSAGE, null, "e" + i), false);
            if (i == 1) assertEquals(List.of("e0", "e1"), p.errors().stream().map(SyncError::message).toList());
        }
        List<SyncError> errors = p.errors();
        assertEquals(100, errors.size());
        assertEquals("e5", errors.get(0).message());
        assertEquals("e104", errors.get(99).message());
        assertFalse(p.hasErrored(id), "only a rejected session with sticky errors marks the value");
        p.recordError(new SyncError("c", id, null, SyncError.Kind.REJECTED_SESSION, null, "r"), true);
        assertTrue(p.hasErrored(id));
    }

    @Test
    void aLoadIsAwaitedUntilAnswered() {
        PeerState p = peer("srv", PeerRole.SERVER, false);
        assertFalse(p.awaitsLoad(id));
        p.loadSent(id);
        assertTrue(p.awaitsLoad(id));
        assertTrue(p.answeredLoad(id));
        assertFalse(p.awaitsLoad(id));
        assertFalse(p.answeredLoad(id), "answered once");
    }

    /** Starts a thread entering the incoming queue of {@code p}; waits until it blocks or is done. */
    private static Thread enter(PeerState p, int limit) {
        Thread t = new Thread(() -> p.enterIncoming(limit), "reader");
        t.setDaemon(true);
        t.start();
        SyncTestKit.await("the reader blocks or passes", () -> t.getState() == Thread.State.WAITING || !t.isAlive());
        return t;
    }

    @Test
    void theReaderWaitsWhileTheLimitIsReachedAndGoesOnOnceRoomIsMade() throws InterruptedException {
        PeerState p = peer("c", PeerRole.CLIENT, false);
        p.enterIncoming(2);
        p.enterIncoming(2);
        Thread third = enter(p, 2);
        assertTrue(third.isAlive(), "the third message waits: two already wait to be handled");
        p.leaveIncoming();
        third.join(5_000);
        assertFalse(third.isAlive(), "room was made");
        assertEquals(2, p.incomingHighWater(), "never more than the limit waited at once");
        p.leaveIncoming();
        p.leaveIncoming();
        p.enterIncoming(1); // all three handled: the queue is empty again
        assertEquals(2, p.incomingHighWater());

        PeerState unlimited = peer("u", PeerRole.CLIENT, false);
        for (int i = 0; i < 5; i++) unlimited.enterIncoming(0);
        assertEquals(5, unlimited.incomingHighWater());
    }

    @Test
    void closingOrInterruptingReleasesAWaitingReader() throws InterruptedException {
        PeerState p = peer("c", PeerRole.CLIENT, false);
        p.enterIncoming(1);
        Thread blocked = enter(p, 1);
        assertTrue(blocked.isAlive());
        p.markClosed();
        blocked.join(5_000);
        assertFalse(blocked.isAlive(), "closing the peer lets its reader go on");
        p.enterIncoming(1); // closed: no wait at all

        PeerState q = peer("d", PeerRole.CLIENT, false);
        q.enterIncoming(1);
        boolean[] interruptedAfter = new boolean[1];
        Thread t = new Thread(() -> {
            q.enterIncoming(1);
            interruptedAfter[0] = Thread.currentThread().isInterrupted();
        });
        t.setDaemon(true);
        t.start();
        SyncTestKit.await("the reader blocks", () -> t.getState() == Thread.State.WAITING);
        t.interrupt();
        t.join(5_000);
        assertFalse(t.isAlive(), "an interrupted reader queues its message anyway");
        assertTrue(interruptedAfter[0], "and keeps its interrupt status for the transport");
        assertEquals(2, q.incomingHighWater());
    }
}
