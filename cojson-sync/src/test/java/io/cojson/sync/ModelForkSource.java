package io.cojson.sync;

import io.cojson.core.ids.SessionID;
import io.cojson.sync.ModelWorld.Device;
import java.util.HashMap;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Combinators;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChainArbitrary;

/**
 * The rare "fork source" of reliability.md §4: a device's storage is copied (a file copy of what
 * its disk committed, session registry included) into a second process that logs in with the
 * SAME session, the at-risk guard bypassed as a real copy would; both then write that session, so
 * it forks for real, and so can its conflict session (recovery.md §5.8: re-signed into a fresh
 * session). At most one clone per schedule, appended to the world's devices (the other actions
 * draw only the first two): the same action afterwards lets the clone edit, its messages
 * delivered or not. Liveness then also holds each device to one conflict record per recovery
 * round ({@link #checkOneRecordPerRound}).
 */
final class ModelForkSource {
    private ModelForkSource() {}

    /**
     * Whether the schedules may draw the action: on by default ({@code -Dcojson.simModel.clones=false}
     * turns it off). What it found is fixed: a server that never sent a recovered clone the rest of
     * its session (SyncManager.sessionRecovered,
     * ModelScenariosTest.aRecoveredCloneReceivesTheOtherProcesssLaterTransactionsOfTheSession); both
     * processes recovering into S! at equal length, which length-based sync never shows (seed
     * 20261207, schedule 395: S! is now checked against the server before it goes out,
     * ClientTriggers CONFLICT_CHECK); a longer S! from the server that does not verify left stuck
     * (ConflictSessionForkTest.aLongerForkedConflictSessionSentByTheServerIsRecoveredToo).
     */
    static final boolean CLONES = Boolean.parseBoolean(System.getProperty("cojson.simModel.clones", "true"));
    /** The clone's index in {@link ModelWorld#devices}. */
    static final int CLONE = 2;

    static ActionChainArbitrary<ModelWorld> withActions(ActionChainArbitrary<ModelWorld> chain) {
        if (!CLONES) return chain;
        // one draw in four makes the clone (once); the others let an existing clone edit: rare, as §4 says
        Action.Independent<ModelWorld> cloneOrEdit = () -> Combinators.combine(Arbitraries.integers().between(0, 1),
                Arbitraries.integers().between(0, 3), Arbitraries.of(true, false)).as((d, what, deliver) -> what == 0
                        ? DeterministicRecoveryModelProperties.step("clone " + d + "'s storage into a process with the same session, it edits",
                                w -> cloneAndEdit(w, d))
                        : DeterministicRecoveryModelProperties.step("the clone edits" + (deliver ? ", its messages delivered" : ""),
                                w -> cloneEdits(w, deliver)));
        return chain.withAction(1, cloneOrEdit);
    }

    /** Copies {@code device}'s disk into a new device in its current session (nothing if there is a clone already). */
    static void cloneAndEdit(ModelWorld w, int device) {
        if (w.devices.size() > CLONE) return;
        Device source = w.devices.get(device);
        SessionID session = source.node.sessionID();
        Device clone = new Device(source.name + "'", w.clone(source.disk, session));
        for (SessionID s : source.registry.ownSessions()) clone.registry.record(s); // the registry is in the copied storage
        clone.disk = w.clone(clone.node, session);
        w.devices.add(w.start(clone)); // no verifyBeforePush: a copied file knows nothing of the other process
        w.clonedSession = session;
        w.clones++;
        ModelDeviceActions.edit(w, CLONE);
        w.cloneEdits++;
    }

    static void cloneEdits(ModelWorld w, boolean deliver) {
        if (w.devices.size() <= CLONE) return;
        ModelDeviceActions.edit(w, CLONE);
        w.cloneEdits++;
        if (deliver) {
            w.tick(5);
            ModelDeviceActions.deliverAll(w, CLONE);
        }
    }

    /**
     * After heal converged, each process writing the cloned session edits once more, one at a
     * time, and {@code heal} runs again after each. Two versions of a session of equal length are
     * invisible to length-based sync (recovery.md §2, case C: "nobody [notices], until T4 or the
     * next edit"); the clone has no T4 (a copy bypasses the guard), so it is the next edit, made
     * when its writer holds all the server has (then it is longer: case A), that shows the fork.
     */
    static void nextEdits(ModelWorld w, Runnable heal) {
        if (w.devices.size() <= CLONE || w.deleted) return;
        for (int i = 0; i < w.devices.size(); i++) {
            if (!w.devices.get(i).node.sessionID().equals(w.clonedSession)) continue;
            w.log.add("  (after heal: the next edit of " + w.devices.get(i).name + ")");
            ModelDeviceActions.edit(w, i);
            heal.run();
        }
    }

    /**
     * Liveness, for every device: each recovery round this incarnation committed left exactly one
     * conflict record (recovery.md §11), none twice for one (value, session, round), none missing.
     * Counts the rounds on the cloned session (its S! and re-signed sessions included) for the summary.
     */
    static void checkOneRecordPerRound(ModelWorld w, Device d) {
        var records = d.rc.conflicts().all();
        Map<String, Integer> perRound = new HashMap<>();
        for (var r : records) {
            perRound.merge(r.coValueId() + " " + r.session() + " round " + r.round(), 1, Integer::sum);
            if (w.clonedSession != null && r.session().baseSession().equals(w.clonedSession.baseSession())) w.cloneForks++;
        }
        perRound.forEach((round, n) -> {
            if (n != 1) throw new AssertionError(d.name + " holds " + n + " conflict records for " + round + "\n" + w.describe());
        });
        if (records.size() != d.rc.stats().committed()) {
            throw new AssertionError(d.name + " committed " + d.rc.stats().committed() + " recovery rounds but holds " + records.size()
                    + " conflict records " + perRound + "\n" + w.describe());
        }
    }
}
