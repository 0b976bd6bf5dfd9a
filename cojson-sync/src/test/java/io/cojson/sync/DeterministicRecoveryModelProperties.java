package io.cojson.sync;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;

/**
 * The model-based recovery property on the deterministic in-process harness (reliability.md §2.3
 * and §4, issue 11 A.2): one Java server, two devices of one account editing a CoMap, a CoList
 * or a CoStream (trusting or private) owned by a group they add a member to and remove it from
 * again (so the read key rotates), and every event under the schedule's control. One {@link SimScheduler}
 * runs all sync and recovery work on the test's thread on a virtual clock; each connection is a
 * {@link SimLink} whose messages wait until an action delivers, duplicates, drops or delivers one
 * out of order; a device crash keeps only its disk (what it persisted, and what a recovery unit
 * committed) and restarts with the same session (the at-risk guard off, so forks happen) or a new
 * one — between actions, or armed at one of {@link ModelCrashes#CRASH_POINTS}: the device then dies right where
 * its code reaches that fault point (seen through {@code Faults.intercept}), with the disk storage
 * would hold there (after the swap: the recovery unit). Every listed point must be crashed at in a
 * CI run (checked after the class). Safety after every action: no sync or recovery task failed,
 * nobody holds a value twice or one nobody wrote. After the schedule, heal (fresh connections, everything delivered in order, time
 * moved on, bounded) and check liveness: everyone converges with the server (the value and its
 * group), every recovery ended,
 * and everything the server or a disk ever held, or the server acknowledged, is present exactly
 * once everywhere. A device may also import the other's export (a bundle of what the server
 * acknowledged to the exporter) instead of syncing it. With deletes on (the default)
 * half the schedules may also delete the value (the group's admin): edits of a value known deleted
 * are refused, what the server acknowledged before the delete stays committed, and after heal the
 * server and every device hold the tombstone (I4), and every edit of a device's own that a
 * deletion arriving by sync or recovery discarded was reported ({@link ModelDiscards}). A device
 * may subscribe to the value and unsubscribe (no change told twice, nothing after unsubscribing,
 * the last change told: {@link ModelSubscriptions}); the server's collector may unload the value
 * and the server may restart on a storage that opens late ({@link ModelActions}).
 *
 * <p>Runs without threads or sleeps, so a schedule replays the same way from its seed: 500 per CI
 * run from a fixed seed (about 30 s), counted with {@link RecoveryModelProperties}' in
 * {@code target/recovery-model.json}. Long runs: {@code -Dcojson.simModel.schedules=N
 * -Dcojson.simModel.seed=S}.
 *
 * <p>This class holds the schedules and the property; the world and its setup are in
 * {@link ModelWorld}, the devices' and the network's actions in {@link ModelDeviceActions}, crashes
 * and restarts in {@link ModelCrashes}, safety in {@link ModelInvariants}, heal and liveness in
 * {@link ModelHeal}.
 */
class DeterministicRecoveryModelProperties {
    static final int TRIES = Integer.getInteger("cojson.simModel.schedules", 500);
    static final long SEED = Long.getLong("cojson.simModel.seed", 20261207L);
    /**
     * Whether half of the schedules may delete the value (on; {@code -Dcojson.simModel.deletes=false}
     * draws the schedules of before). It found that a delete sent while its group's at-risk session
     * was held was refused as NotAdmin for good (ModelScenariosTest.aDeleteWaitsForTheHeldGroupSession).
     */
    static final boolean DELETES = Boolean.parseBoolean(System.getProperty("cojson.simModel.deletes", "true"));
    /** Whether a device may import the other's export (on; {@code -Dcojson.simModel.imports=false} draws the schedules of before). */
    static final boolean IMPORTS = Boolean.parseBoolean(System.getProperty("cojson.simModel.imports", "true"));

    static Transformer<ModelWorld> step(String what, java.util.function.Consumer<ModelWorld> f) {
        return Transformer.mutate(what, w -> {
            w.log.add(what);
            f.accept(w);
            w.tick(5); // a little time passes with every action
            ModelCrashes.restartDead(w);
            ModelInvariants.safety(w);
            ModelActions.noteReload(w);
        });
    }

    @Provide
    Arbitrary<ActionChain<ModelWorld>> schedules() {
        Arbitrary<Integer> device = Arbitraries.integers().between(0, 1);
        Action.Independent<ModelWorld> edit = () -> device.map(d -> step("edit " + d, w -> ModelDeviceActions.edit(w, d)));
        Action.Independent<ModelWorld> persist = () -> device.map(d -> step("persist " + d, w -> ModelDeviceActions.persist(w, d)));
        Action.Independent<ModelWorld> net = () -> Combinators.combine(device, Arbitraries.of(true, false),
                Arbitraries.integers().between(0, 8).map(x -> x < 6 ? 0 : x < 8 ? 1 : 2), // mostly deliveries
                Arbitraries.integers().between(0, 2))
                .as((d, up, kind, index) -> step((kind == 0 ? "deliver " : kind == 1 ? "duplicate " : "drop ") + "#" + index
                        + (up ? " to the server from " : " from the server to ") + d, w -> ModelDeviceActions.network(w, d, up, kind, index)));
        Action.Independent<ModelWorld> flush = () -> device.map(d -> step("deliver all of " + d, w -> ModelDeviceActions.deliverAll(w, d)));
        Action.Independent<ModelWorld> reconnect = () -> device.map(d -> step("reconnect " + d, w -> w.reconnect(d)));
        Action.Independent<ModelWorld> delete = new Action.Independent<>() {
            @Override
            public boolean precondition(ModelWorld w) {
                return w.deletable;
            }

            @Override
            public Arbitrary<Transformer<ModelWorld>> transformer() {
                return device.map(d -> step("admin delete by " + d, w -> ModelDeviceActions.delete(w, d)));
            }
        };
        Action.Independent<ModelWorld> importFrom = () -> device.map(d -> step("import by " + d + " of the other's export", w -> ModelDeviceActions.importFrom(w, d)));
        Action.Independent<ModelWorld> groupEdit = () -> device.map(d -> step("group member added or removed by " + d, w -> ModelDeviceActions.groupEdit(w, d)));
        // the fork's recovery, later in the schedule, may be interrupted by a crash at one of its points
        Action.Independent<ModelWorld> sentThenCrash = () -> Combinators.combine(device, Arbitraries.of(ModelCrashes.RECOVERY_CRASH_POINTS).injectNull(0.4),
                Arbitraries.of(true, false), Arbitraries.of(true, false)).as((d, point, reuse, drive) -> step("edit, sent, crash " + d
                        + " (same session)" + (point == null ? "" : ", then crash it at " + point + (reuse ? " (same session)" : " (new session)")
                        + (drive ? ", an edit, its messages delivered until it recovered or died" : "")), w -> {
                            ModelDeviceActions.sentThenCrash(w, d);
                            if (point == null) return;
                            ModelCrashes.arm(w, d, point, reuse, 0);
                            if (drive) ModelDeviceActions.edit(w, d); // diverges from what the server got: a fork to recover
                            if (drive) ModelDeviceActions.driveRecovery(w, d);
                        }));
        Action.Independent<ModelWorld> crashAt = () -> Combinators.combine(device, Arbitraries.of(ModelCrashes.CRASH_POINTS), Arbitraries.of(true, false),
                Arbitraries.integers().between(0, 3))
                .as((d, point, reuse, reaching) -> step("crash " + d + " at " + point + (reuse ? " (same session)" : " (new session)")
                        + ", " + reaching + " in-flight messages still reach the server", w -> ModelCrashes.arm(w, d, point, reuse, reaching)));
        Action.Independent<ModelWorld> serverCrash = () -> Arbitraries.of(ModelCrashes.SERVER_CRASH_POINTS).injectNull(0.3).map(point -> point == null
                ? step("crash the server", ModelCrashes::crashServer)
                : step("crash the server at " + point, w -> ModelCrashes.arm(w, ModelCrashes.SERVER, point, false, 0)));
        Action.Independent<ModelWorld> tick = () -> Arbitraries.of(1L, 20L, 250L, 5_000L).map(ms -> step("tick " + ms + " ms", w -> w.tick(ms)));
        Action.Independent<ModelWorld> crash = () -> Combinators.combine(device, Arbitraries.of(true, false), Arbitraries.integers().between(0, 3))
                .as((d, reuse, reaching) -> step("crash " + d + (reuse ? " (same session)" : " (new session)") + ", " + reaching
                        + " in-flight messages still reach the server", w -> ModelCrashes.crash(w, d, reuse, reaching)));
        // kind: the type, trusting or private, and (half of the schedules) whether the value may be deleted
        return Arbitraries.integers().between(0, DELETES ? 11 : 5).flatMap(kind -> ModelForkSource.withActions(ModelActions.withActions(withNewActions(ActionChain
                .startWith(() -> new ModelWorld(TYPES.get(kind % 3), kind % 6 >= 3, kind >= 6))
                .withAction(5, edit).withAction(2, persist).withAction(8, net).withAction(3, flush).withAction(1, reconnect)
                .withAction(2, tick).withAction(3, crash).withAction(1, sentThenCrash).withAction(1, groupEdit)
                .withAction(2, crashAt).withAction(1, serverCrash), delete, importFrom)))
                .withMaxTransformations(24));
    }

    /** The chain with the delete and import actions when their switches are on (none: the schedules drawn before them). */
    private static net.jqwik.api.state.ActionChainArbitrary<ModelWorld> withNewActions(net.jqwik.api.state.ActionChainArbitrary<ModelWorld> chain, Action.Independent<ModelWorld> delete,
            Action.Independent<ModelWorld> importFrom) {
        if (DELETES) chain = chain.withAction(1, delete);
        if (IMPORTS) chain = chain.withAction(2, importFrom); // most draws find the exporter with something unacknowledged
        return chain;
    }

    private static final List<String> TYPES = List.of("comap", "colist", "costream");

    @Property(tries = 500, seed = "20261207", shrinking = net.jqwik.api.ShrinkingMode.BOUNDED)
    @net.jqwik.api.lifecycle.AddLifecycleHook(RunSize.class)
    void reorderedDuplicatedDroppedMessagesAndCrashesNeverLoseWhatTheServerOrADiskHeld(@ForAll("schedules") ActionChain<ModelWorld> chain) {
        try {
            ModelWorld w = chain.run();
            ModelHeal.heal(w);
            ModelHeal.liveness(w);
            ModelSummary.add(1, w.crashes, w.devices.stream().mapToLong(d -> d.forks).sum(), 0);
            if (w.deleted) ModelSummary.DELETED.incrementAndGet();
            ModelSummary.IMPORTS.addAndGet(w.imports);
            ModelSummary.added(w);
        } catch (AssertionError | RuntimeException e) {
            ModelSummary.add(0, 0, 0, 1);
            throw e;
        } finally {
            ModelWorld made = ModelWorld.CURRENT.get();
            ModelWorld.CURRENT.remove();
            if (made != null) made.close();
        }
    }

    /** Applies {@code -Dcojson.simModel.schedules} and {@code -Dcojson.simModel.seed} (annotation values must be constants). */
    static final class RunSize implements net.jqwik.api.lifecycle.AroundPropertyHook {
        @Override
        public net.jqwik.api.lifecycle.PropertyExecutionResult aroundProperty(net.jqwik.api.lifecycle.PropertyLifecycleContext context,
                net.jqwik.api.lifecycle.PropertyExecutor property) {
            context.attributes().setTries(TRIES);
            context.attributes().setSeed(Long.toString(SEED));
            return property.execute();
        }
    }

    /** Below this many schedules (a short local run) the coverage of the crash points is not required. */
    static final int COVERAGE_MIN_SCHEDULES = 200;

    @AfterContainer
    static void writeSummary() throws java.io.IOException {
        io.cojson.storage.Faults.intercept(null); // never left behind for the next test class of this JVM
        ModelSummary.write(RecoveryModelProperties.SEED);
        // Every listed point must have been crashed at in a CI-sized run: a renamed or unreached point fails the build
        if (TRIES < COVERAGE_MIN_SCHEDULES) return;
        if ((DELETES && ModelSummary.DELETED.get() == 0) || (IMPORTS && ModelSummary.IMPORTS.get() == 0)) {
            throw new AssertionError("no schedule ended deleted or imported a bundle (deleted " + ModelSummary.DELETED + ", imports "
                    + ModelSummary.IMPORTS + ")");
        }
        ModelSummary.checkNewActionsRan();
        synchronized (ModelCrashes.CRASHED_AT) {
            List<String> all = new ArrayList<>(ModelCrashes.CRASH_POINTS);
            for (String p : ModelCrashes.SERVER_CRASH_POINTS) all.add(ModelCrashes.SERVER_PREFIX + p);
            for (String point : all) {
                if (ModelCrashes.CRASHED_AT.getOrDefault(point, 0L) == 0) {
                    throw new AssertionError("no schedule crashed a device at " + point + " (crashes per point: " + ModelCrashes.CRASHED_AT + ")");
                }
            }
        }
    }
}
