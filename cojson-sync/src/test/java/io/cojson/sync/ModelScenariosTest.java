package io.cojson.sync;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Schedules of the deterministic recovery model written out by hand: the failures the random
 * schedules found, kept as fixed examples (reliability.md §2.4), with the model's own heal and
 * liveness checks.
 */
class ModelScenariosTest {
    /** Everything delivered both ways, time moving on, until quiet (bounded). */
    private static void sync(DeterministicRecoveryModelProperties.World w) {
        for (int i = 0; i < 20; i++) {
            for (int d = 0; d < w.devices.size(); d++) w.deliverAll(d);
            w.tick(250);
        }
    }

    @Test
    @DisplayName("An at-risk session's private edit waits while the group's key rotation in that session is held: a crash then loses neither the key nor makes the edit unreadable")
    void aPrivateEditIsNotPushedBeforeTheHeldRotationOfItsKey() throws InterruptedException {
        DeterministicRecoveryModelProperties.World w = new DeterministicRecoveryModelProperties.World("comap", true);
        try {
            sync(w);
            w.crash(0, false); // a session that has written nothing to the group yet
            w.edit(0);
            sync(w);
            w.persist(0);
            w.crash(0, true); // restarts in the same session, at risk: verified before anything of it is pushed
            sync(w);
            assertEquals(0, w.devices.get(0).rc.pending(), "the value's session was verified");
            Thread.sleep(3); // the rotation's readKey must be newer than the group's first (same-millisecond ties go by session ID)
            w.groupEdit(0); // the member joins...
            w.groupEdit(0); // ...and leaves: a new read key, revealed in the group's at-risk session (held: not verified yet)
            w.edit(0); // encrypted with the new key
            w.tick(5);
            w.crash(0, true, Integer.MAX_VALUE);
            // whatever was sent arrives; the rotation was neither stored nor sent
            w.safety();
            w.heal();
            assertDoesNotThrow(w::liveness, "everything the server holds is readable by every device");
        } finally {
            DeterministicRecoveryModelProperties.CURRENT.remove();
            w.close();
        }
    }

    @Test
    @DisplayName("The private edit held with its group's rotation goes out, without a reconnect, once the rotation was verified")
    void theHeldEditGoesOutAfterItsGroup() throws InterruptedException {
        DeterministicRecoveryModelProperties.World w = new DeterministicRecoveryModelProperties.World("comap", true);
        try {
            sync(w);
            w.crash(0, false);
            w.edit(0);
            sync(w);
            w.persist(0);
            w.crash(0, true);
            sync(w);
            Thread.sleep(3);
            w.groupEdit(0);
            w.groupEdit(0);
            w.edit(0); // op2, held with the rotation
            sync(w); // deliveries and time only: no reconnect
            assertEquals(List.of("op1", "op2"), w.present(w.devices.get(1).node).stream().sorted().toList(), "the other device reads it");
            w.safety();
        } finally {
            DeterministicRecoveryModelProperties.CURRENT.remove();
            w.close();
        }
    }

    @Test
    @DisplayName("A delete made while the group's at-risk session is held waits for it: sent first, the server refused it as NotAdmin for good (same session and new session after the crash)")
    void aDeleteWaitsForTheHeldGroupSession() {
        for (boolean sameSession : List.of(true, false)) {
            DeterministicRecoveryModelProperties.World w = new DeterministicRecoveryModelProperties.World("comap", false, true);
            try {
                w.crash(0, sameSession, 0); // nothing delivered yet: the group's creation (its admin role) is at risk and held
                w.delete(0);
                w.safety();
                w.heal();
                assertDoesNotThrow(w::liveness, "the server and the other device hold the tombstone (same session: " + sameSession + ")");
            } finally {
                DeterministicRecoveryModelProperties.CURRENT.remove();
                w.close();
            }
        }
    }

    @Test
    @DisplayName("A private edit that reaches the server without the key rotation it uses (that message lost) is not acknowledged: the writer crashing before sending the rotation loses an unacknowledged edit, never leaves an acknowledged one nobody can read")
    void aPrivateEditWhoseRotationIsLostIsNotAcknowledged() throws InterruptedException {
        DeterministicRecoveryModelProperties.World w = new DeterministicRecoveryModelProperties.World("comap", true);
        try {
            sync(w);
            w.groupEdit(0); // the member joins
            sync(w);
            w.persist(0);
            Thread.sleep(3); // the rotation's readKey must be newer than the group's first
            w.groupEdit(0); // ...and leaves: a new read key, in the group's message
            w.edit(0); // encrypted with the new key, in the value's message
            w.tick(5);
            SimLink link = w.devices.get(0).link;
            List<String> toServer = link.inFlightTo(link.server);
            assertEquals(2, toServer.size(), "the group's message, then the value's: " + toServer.size());
            assertTrue(toServer.get(0).contains(w.group.value()) && toServer.get(1).contains(w.id.value()), "group first, then value");
            w.network(0, true, 2, 0); // the group's message is lost
            w.network(0, true, 0, 0); // the value's arrives
            w.settle();
            w.crash(0, true, 0); // before the device answers the server or stores anything more
            w.safety();
            w.heal();
            assertDoesNotThrow(w::liveness, "everything the server acknowledged is readable by every device");
        } finally {
            DeterministicRecoveryModelProperties.CURRENT.remove();
            w.close();
        }
    }

    @Test
    @DisplayName("A listener is not called again by content it already has: the import of the other device's export, everything of which it holds")
    void anImportOfHeldContentDoesNotCallTheListenerAgain() {
        DeterministicRecoveryModelProperties.World w = new DeterministicRecoveryModelProperties.World("comap", false);
        try {
            w.edit(0);
            sync(w);
            var b = w.devices.get(1);
            b.listener.subscribe(b.node);
            w.importFrom(1); // B holds all of it already
            assertEquals(1, w.imports, "the import ran");
            assertEquals(0, b.listener.events, "nothing new: B's listener is not called");
            w.edit(0);
            sync(w);
            assertEquals(1, b.listener.events, "A's new edit reaches B: one call");
            w.safety();
            w.heal();
            assertDoesNotThrow(w::liveness);
        } finally {
            DeterministicRecoveryModelProperties.CURRENT.remove();
            w.close();
        }
    }

    /** One step of a schedule, as the property runs it: the action, a little time, restarts, safety. */
    private static void step(DeterministicRecoveryModelProperties.World w, java.util.function.Consumer<DeterministicRecoveryModelProperties.World> f) {
        f.accept(w);
        w.tick(5);
        w.restartDead();
        w.safety();
        ModelActions.noteReload(w);
    }

    @Test
    @DisplayName("A delete reaching a server that holds its group as a bare header (the other device's at-risk session held, the server restarted on a slow storage) is asked again after the group came, not refused as NotAdmin for good")
    void aDeleteCheckedAgainstAPartialGroupIsRetried() {
        DeterministicRecoveryModelProperties.World w = new DeterministicRecoveryModelProperties.World("comap", false, true);
        try {
            step(w, x -> x.delete(1)); // nothing delivered yet: the server has neither the value nor its group
            step(w, x -> ModelActions.slowRestart(x, 5000));
            step(w, x -> x.network(1, true, 0, 0));
            step(w, x -> x.crash(0, true, 3)); // A's session is at risk: A sends the group's header, its transactions held
            step(w, x -> x.network(1, true, 0, 2));
            w.heal();
            assertDoesNotThrow(w::liveness, "the server and A hold B's tombstone");
        } finally {
            DeterministicRecoveryModelProperties.CURRENT.remove();
            w.close();
        }
    }
}
