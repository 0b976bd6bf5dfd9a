package io.cojson.sync;

import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChainArbitrary;

/**
 * The deterministic model's actions on listeners and on the server's memory and storage
 * (reliability.md §4): a device subscribes to the value or unsubscribes (checked by
 * {@link ModelSubscriptions}); the server's garbage collector unloads the value, so that the next
 * use reads it back from storage (RL-05, RL-07); the server restarts on a storage that opens
 * slowly, every storage call of the new process waiting on the virtual clock until it opened
 * (RL-01, RL-03). What each did is counted on the {@link ModelWorld}, from what actually happened.
 */
final class ModelActions {
    private ModelActions() {}

    /** Whether the schedules may draw these actions (on; {@code -Dcojson.simModel.listeners=false} etc. draw the schedules of before). */
    static final boolean LISTENERS = Boolean.parseBoolean(System.getProperty("cojson.simModel.listeners", "true"));
    static final boolean UNLOADS = Boolean.parseBoolean(System.getProperty("cojson.simModel.unloads", "true"));

    static ActionChainArbitrary<ModelWorld> withActions(ActionChainArbitrary<ModelWorld> chain) {
        Arbitrary<Integer> device = Arbitraries.integers().between(0, 1);
        if (LISTENERS) {
            Action.Independent<ModelWorld> subscribe = () -> device.map(d -> DeterministicRecoveryModelProperties.step(
                    "subscribe or unsubscribe " + d, w -> toggleSubscription(w, d)));
            chain = chain.withAction(2, subscribe);
        }
        if (UNLOADS) {
            Action.Independent<ModelWorld> unload = () -> Arbitraries.just(DeterministicRecoveryModelProperties.step(
                    "the server unloads the value", ModelActions::unload));
            Action.Independent<ModelWorld> slowRestart = () -> Arbitraries.of(50L, 500L, 5_000L).map(ms -> DeterministicRecoveryModelProperties
                    .step("crash the server, its storage opens after " + ms + " ms", w -> slowRestart(w, ms)));
            chain = chain.withAction(2, unload).withAction(1, slowRestart);
        }
        return chain;
    }

    /** A device subscribes to the value, or (when it is subscribed) unsubscribes. */
    static void toggleSubscription(ModelWorld w, int device) {
        var d = w.devices.get(device);
        if (d.listener.subscribed()) d.listener.unsubscribe();
        else d.listener.subscribe(d.node);
    }

    /** The server's collector unloads the value (it refuses unless storage committed all of it). */
    static void unload(ModelWorld w) {
        if (w.serverDeath != null || w.server.node().get(w.id) == null) return;
        w.server.unload(w.id);
        w.settle();
        if (w.serverDeath == null && w.server.node().get(w.id) == null) {
            w.unloads++;
            w.unloaded = true;
            w.log.add("  (unloaded)");
        }
    }

    /** After every action: a value unloaded and in memory again was read back from storage. */
    static void noteReload(ModelWorld w) {
        if (w.unloaded && w.server.node().get(w.id) != null) {
            w.unloaded = false;
            w.reloads++;
        }
    }

    /** The server dies; the next one's storage answers nothing before {@code millis} of virtual time passed. */
    static void slowRestart(ModelWorld w, long millis) {
        w.storageOpensAfter = millis;
        ModelCrashes.crashServer(w);
    }

    /**
     * {@code exec}, with every call submitted before {@code openAt} run at {@code openAt} (in
     * submission order, as the scheduler runs equal times); {@code delayed} counts them.
     */
    static Executor opensAt(SimScheduler.Owned exec, SimScheduler clock, long openAt, Runnable delayed) {
        return r -> {
            long wait = openAt - clock.now();
            if (wait <= 0) {
                exec.execute(r);
                return;
            }
            delayed.run();
            exec.schedule(r, wait, TimeUnit.MILLISECONDS);
        };
    }
}
