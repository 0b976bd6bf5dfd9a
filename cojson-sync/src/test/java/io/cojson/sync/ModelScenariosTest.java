package io.cojson.sync;

import static io.cojson.sync.ModelCrashes.crash;
import static io.cojson.sync.ModelCrashes.restartDead;
import static io.cojson.sync.ModelDeviceActions.delete;
import static io.cojson.sync.ModelDeviceActions.deliverAll;
import static io.cojson.sync.ModelDeviceActions.edit;
import static io.cojson.sync.ModelDeviceActions.groupEdit;
import static io.cojson.sync.ModelDeviceActions.importFrom;
import static io.cojson.sync.ModelDeviceActions.network;
import static io.cojson.sync.ModelDeviceActions.persist;
import static io.cojson.sync.ModelHeal.heal;
import static io.cojson.sync.ModelHeal.liveness;
import static io.cojson.sync.ModelInvariants.present;
import static io.cojson.sync.ModelInvariants.safety;
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
    private static void sync(ModelWorld w) {
        for (int i = 0; i < 20; i++) {
            for (int d = 0; d < w.devices.size(); d++) deliverAll(w, d);
            w.tick(250);
        }
    }

    @Test
    @DisplayName("An at-risk session's private edit waits while the group's key rotation in that session is held: a crash then loses neither the key nor makes the edit unreadable")
    void aPrivateEditIsNotPushedBeforeTheHeldRotationOfItsKey() throws InterruptedException {
        ModelWorld w = new ModelWorld("comap", true);
        try {
            sync(w);
            crash(w, 0, false); // a session that has written nothing to the group yet
            edit(w, 0);
            sync(w);
            persist(w, 0);
            crash(w, 0, true); // restarts in the same session, at risk: verified before anything of it is pushed
            sync(w);
            assertEquals(0, w.devices.get(0).rc.pending(), "the value's session was verified");
            Thread.sleep(3); // the rotation's readKey must be newer than the group's first (same-millisecond ties go by session ID)
            groupEdit(w, 0); // the member joins...
            groupEdit(w, 0); // ...and leaves: a new read key, revealed in the group's at-risk session (held: not verified yet)
            edit(w, 0); // encrypted with the new key
            w.tick(5);
            crash(w, 0, true, Integer.MAX_VALUE);
            // whatever was sent arrives; the rotation was neither stored nor sent
            safety(w);
            heal(w);
            assertDoesNotThrow(() -> liveness(w), "everything the server holds is readable by every device");
        } finally {
            ModelWorld.CURRENT.remove();
            w.close();
        }
    }

    @Test
    @DisplayName("The private edit held with its group's rotation goes out, without a reconnect, once the rotation was verified")
    void theHeldEditGoesOutAfterItsGroup() throws InterruptedException {
        ModelWorld w = new ModelWorld("comap", true);
        try {
            sync(w);
            crash(w, 0, false);
            edit(w, 0);
            sync(w);
            persist(w, 0);
            crash(w, 0, true);
            sync(w);
            Thread.sleep(3);
            groupEdit(w, 0);
            groupEdit(w, 0);
            edit(w, 0); // op2, held with the rotation
            sync(w); // deliveries and time only: no reconnect
            assertEquals(List.of("op1", "op2"), present(w, w.devices.get(1).node).stream().sorted().toList(), "the other device reads it");
            safety(w);
        } finally {
            ModelWorld.CURRENT.remove();
            w.close();
        }
    }

    @Test
    @DisplayName("A delete made while the group's at-risk session is held waits for it: sent first, the server refused it as NotAdmin for good (same session and new session after the crash)")
    void aDeleteWaitsForTheHeldGroupSession() {
        for (boolean sameSession : List.of(true, false)) {
            ModelWorld w = new ModelWorld("comap", false, true);
            try {
                crash(w, 0, sameSession, 0); // nothing delivered yet: the group's creation (its admin role) is at risk and held
                delete(w, 0);
                safety(w);
                heal(w);
                assertDoesNotThrow(() -> liveness(w), "the server and the other device hold the tombstone (same session: " + sameSession + ")");
            } finally {
                ModelWorld.CURRENT.remove();
                w.close();
            }
        }
    }

    @Test
    @DisplayName("A private edit that reaches the server without the key rotation it uses (that message lost) is not acknowledged: the writer crashing before sending the rotation loses an unacknowledged edit, never leaves an acknowledged one nobody can read")
    void aPrivateEditWhoseRotationIsLostIsNotAcknowledged() throws InterruptedException {
        ModelWorld w = new ModelWorld("comap", true);
        try {
            sync(w);
            groupEdit(w, 0); // the member joins
            sync(w);
            persist(w, 0);
            Thread.sleep(3); // the rotation's readKey must be newer than the group's first
            groupEdit(w, 0); // ...and leaves: a new read key, in the group's message
            edit(w, 0); // encrypted with the new key, in the value's message
            w.tick(5);
            SimLink link = w.devices.get(0).link;
            List<String> toServer = link.inFlightTo(link.server);
            assertEquals(2, toServer.size(), "the group's message, then the value's: " + toServer.size());
            assertTrue(toServer.get(0).contains(w.group.value()) && toServer.get(1).contains(w.id.value()), "group first, then value");
            network(w, 0, true, 2, 0); // the group's message is lost
            network(w, 0, true, 0, 0); // the value's arrives
            w.settle();
            crash(w, 0, true, 0); // before the device answers the server or stores anything more
            safety(w);
            heal(w);
            assertDoesNotThrow(() -> liveness(w), "everything the server acknowledged is readable by every device");
        } finally {
            ModelWorld.CURRENT.remove();
            w.close();
        }
    }

    @Test
    @DisplayName("A listener is not called again by content it already has: the import of the other device's export, everything of which it holds")
    void anImportOfHeldContentDoesNotCallTheListenerAgain() {
        ModelWorld w = new ModelWorld("comap", false);
        try {
            edit(w, 0);
            sync(w);
            var b = w.devices.get(1);
            b.listener.subscribe(b.node);
            importFrom(w, 1); // B holds all of it already
            assertEquals(1, w.imports, "the import ran");
            assertEquals(0, b.listener.events, "nothing new: B's listener is not called");
            edit(w, 0);
            sync(w);
            assertEquals(1, b.listener.events, "A's new edit reaches B: one call");
            safety(w);
            heal(w);
            assertDoesNotThrow(() -> liveness(w));
        } finally {
            ModelWorld.CURRENT.remove();
            w.close();
        }
    }

    /** One step of a schedule, as the property runs it: the action, a little time, restarts, safety. */
    private static void step(ModelWorld w, java.util.function.Consumer<ModelWorld> f) {
        f.accept(w);
        w.tick(5);
        restartDead(w);
        safety(w);
        ModelActions.noteReload(w);
    }

    @Test
    @DisplayName("A delete reaching a server that holds its group as a bare header (the other device's at-risk session held, the server restarted on a slow storage) is asked again after the group came, not refused as NotAdmin for good")
    void aDeleteCheckedAgainstAPartialGroupIsRetried() {
        ModelWorld w = new ModelWorld("comap", false, true);
        try {
            step(w, x -> delete(x, 1)); // nothing delivered yet: the server has neither the value nor its group
            step(w, x -> ModelActions.slowRestart(x, 5000));
            step(w, x -> network(x, 1, true, 0, 0));
            step(w, x -> crash(x, 0, true, 3)); // A's session is at risk: A sends the group's header, its transactions held
            step(w, x -> network(x, 1, true, 0, 2));
            heal(w);
            assertDoesNotThrow(() -> liveness(w), "the server and A hold B's tombstone");
        } finally {
            ModelWorld.CURRENT.remove();
            w.close();
        }
    }

    /** {@code device}'s messages delivered both ways and time moving on, nobody else's (bounded). */
    private static void syncOnly(ModelWorld w, int device) {
        for (int i = 0; i < 10; i++) {
            deliverAll(w, device);
            w.tick(50);
        }
    }

    @Test
    @DisplayName("Two processes of one session (a storage clone): after the clone's recovery shortened its copy of the session, the server sends it the other process's later transaction of it (the recovery tells the server its new state with a correction)")
    void aRecoveredCloneReceivesTheOtherProcesssLaterTransactionsOfTheSession() {
        ModelWorld w = new ModelWorld("comap", false);
        try {
            sync(w);
            ModelForkSource.cloneAndEdit(w, 1); // B' writes S[0]
            syncOnly(w, 2); // the server holds B''s S[0]
            for (int i = 0; i < 3; i++) edit(w, 1); // B's S[0..3), forked from it
            syncOnly(w, 1); // B recovers: S! = its 3, sent
            edit(w, 1); // B's S[1], after its recovery: on the server
            syncOnly(w, 1);
            ModelForkSource.cloneEdits(w, false);
            ModelForkSource.cloneEdits(w, false); // B''s S[1..3): longer, forked
            w.tick(5);
            SimLink l = w.devices.get(2).link;
            while (l.deliver(l.server, 0, false)) w.settle(); // B''s push reaches the server, which answers SignatureMismatch
            int last = l.inFlightTo(l.client).size() - 1;
            assertTrue(last > 0, "the server's S! and SignatureMismatch wait for B'");
            network(w, 2, false, 0, last); // the report first: B' recovers (its S shortened to the server's 2)
            w.tick(50);
            safety(w);
            heal(w); // then B's next edit, S[2]: the server must send it to B', which it believed held 3
            assertDoesNotThrow(() -> liveness(w), "B' holds B's S[2], everyone converged");
        } finally {
            ModelWorld.CURRENT.remove();
            w.close();
        }
    }
}
