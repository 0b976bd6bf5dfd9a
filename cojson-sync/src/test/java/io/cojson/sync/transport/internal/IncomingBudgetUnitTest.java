package io.cojson.sync.transport.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The budget's rules without sockets: room, the leader's allowance, who is woken when, leases. */
class IncomingBudgetUnitTest {
    private final Object a = new Object();
    private final Object b = new Object();

    @Test
    void readersWaitWhileSpentAndAreWokenByARelease() {
        IncomingBudget budget = new IncomingBudget(100, 50);
        AtomicInteger woken = new AtomicInteger();
        budget.charge(100);
        assertFalse(budget.hasRoomElseWait(b, false, woken::incrementAndGet), "not in a message: no lead");
        budget.release(1);
        assertEquals(1, woken.get());
        assertEquals(99, budget.used());
        assertEquals(100, budget.peak());
        assertTrue(budget.hasRoomElseWait(b, false, woken::incrementAndGet));
    }

    @Test
    void oneReaderInTheMiddleOfAMessageLeadsUpToItsAllowanceAndIsWokenBelowIt() {
        IncomingBudget budget = new IncomingBudget(100, 50);
        AtomicInteger leaderWoken = new AtomicInteger();
        AtomicInteger otherWoken = new AtomicInteger();
        budget.charge(120);
        assertTrue(budget.hasRoomElseWait(a, true, leaderWoken::incrementAndGet), "a leads");
        assertFalse(budget.hasRoomElseWait(b, true, otherWoken::incrementAndGet), "only one leads");
        budget.charge(35); // 155: past the allowance
        assertFalse(budget.hasRoomElseWait(a, true, leaderWoken::incrementAndGet));
        budget.release(10); // 145: still over the limit, under limit + allowance: the leader may go on
        assertEquals(1, leaderWoken.get(), "the leader is woken below its allowance");
        assertTrue(budget.hasRoomElseWait(a, true, leaderWoken::incrementAndGet));
        budget.messageEnded(a);
        assertEquals(1, otherWoken.get(), "the end of the leader's message wakes the others");
        assertTrue(budget.hasRoomElseWait(b, true, otherWoken::incrementAndGet), "b leads now");
        budget.messageEnded(a); // not the leader any more: nothing happens
        assertFalse(budget.hasRoomElseWait(a, true, leaderWoken::incrementAndGet));
        budget.cancel(leaderWoken::incrementAndGet); // a different lambda: nothing to take back, no error
    }

    @Test
    void noLimitOnlyCounts() {
        IncomingBudget budget = new IncomingBudget(0);
        budget.charge(1_000_000);
        assertTrue(budget.hasRoomElseWait(a, false, () -> {}));
        assertEquals(1_000_000, budget.peak());
    }

    @Test
    void aLeaseIsGivenBackOnceTheFrameAndEveryMessageAreDoneAndEachCompletionCountsOnce() {
        AtomicInteger released = new AtomicInteger();
        IncomingBudget.Lease lease = new IncomingBudget.Lease(42, released::incrementAndGet);
        Runnable m1 = lease.handled();
        Runnable m2 = lease.handled();
        lease.frameDone();
        m1.run();
        m1.run();
        assertEquals(0, released.get(), "m2 still holds it");
        m2.run();
        assertEquals(1, released.get());
        assertEquals(42, lease.chars());
    }
}
