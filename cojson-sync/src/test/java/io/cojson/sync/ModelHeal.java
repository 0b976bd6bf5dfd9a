package io.cojson.sync;

import io.cojson.core.ids.SessionID;
import io.cojson.core.node.LocalNode;
import io.cojson.sync.ModelWorld.Device;
import io.cojson.sync.recovery.RecoveryState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The end of a schedule of the deterministic model: heal (fresh connections, everything delivered
 * in order, time moved on, bounded), then liveness: everyone converges with the server (the value
 * and its group) or, after a delete, holds the tombstone (I4); every recovery ended; everything
 * that had to survive is present exactly once everywhere; every edit a deletion discarded was
 * reported ({@link ModelDiscards}); every listener was told the last change ({@link ModelSubscriptions}).
 */
final class ModelHeal {
    private ModelHeal() {}

    /** Heal: fresh connections, everything delivered in order, time moving on; bounded rounds. */
    static void heal(ModelWorld w) {
        w.armed = null;
        ModelCrashes.restartDead(w);
        for (SimLink l : w.orphans) {
            for (int i = 0; i < 10_000 && l.deliver(l.server, 0, false); i++) w.settle();
            l.cut("crashed peer gone");
        }
        w.orphans.clear();
        w.settle();
        for (Device d : w.devices) w.connect(d);
        deliverUntilConverged(w);
        ModelForkSource.nextEdits(w, () -> deliverUntilConverged(w));
    }

    /** Everything delivered in order, time moving on, until everyone converged; bounded rounds. */
    static void deliverUntilConverged(ModelWorld w) {
        for (int round = 0; round < 400; round++) {
            boolean moved = false;
            for (Device d : w.devices) {
                SimLink l = d.link;
                while (l.deliver(l.server, 0, false) | l.deliver(l.client, 0, false)) {
                    moved = true;
                    w.settle();
                }
            }
            w.settle();
            if (converged(w)) return;
            if (!moved) w.tick(250); // timers: batch windows, retries, load timeouts
        }
        throw new AssertionError("no convergence after healing\n" + w.describe());
    }

    static boolean converged(ModelWorld w) {
        if (w.deleted) return tombstonesEverywhere(w);
        var ks = SyncTestKit.known(w.server.node(), w.id);
        var gs = SyncTestKit.known(w.server.node(), w.group); // its read keys too: without them a private edit reads as nothing
        if (ks == null || gs == null) return false;
        for (Device d : w.devices) {
            if (d.link.inFlight() > 0 || d.rc.pending() > 0 || !ks.equals(SyncTestKit.known(d.node, w.id))
                    || !gs.equals(SyncTestKit.known(d.node, w.group))) return false;
            for (var st : d.rc.statuses()) {
                if (st.state() != RecoveryState.DONE && st.state() != RecoveryState.IDLE) return false;
            }
        }
        return true;
    }

    /** The delete sessions of the value that {@code n} holds (null: it lacks the value). */
    static Map<SessionID, Integer> deleteSessions(ModelWorld w, LocalNode n) {
        var ks = SyncTestKit.known(n, w.id);
        if (ks == null) return null;
        Map<SessionID, Integer> out = new java.util.TreeMap<>(java.util.Comparator.comparing(SessionID::value));
        ks.sessions().forEach((s, c) -> {
            if (s.isDeleteSession()) out.put(s, c);
        });
        return out;
    }

    /** After a delete: the server and every device hold the value deleted, each with the server's delete sessions; nothing pending. */
    static boolean tombstonesEverywhere(ModelWorld w) {
        var gs = SyncTestKit.known(w.server.node(), w.group);
        var del = deleteSessions(w, w.server.node());
        if (gs == null || del == null || !ModelInvariants.isDeleted(w, w.server.node())) return false;
        for (Device d : w.devices) {
            var mine = deleteSessions(w, d.node); // a device may hold a second delete the server ignored: the value is deleted anyway
            if (d.link.inFlight() > 0 || d.rc.pending() > 0 || !ModelInvariants.isDeleted(w, d.node) || !mine.entrySet().containsAll(del.entrySet())
                    || !gs.equals(SyncTestKit.known(d.node, w.group))) return false;
            for (var st : d.rc.statuses()) {
                if (st.state() != RecoveryState.DONE && st.state() != RecoveryState.IDLE) return false;
            }
        }
        return true;
    }

    static void liveness(ModelWorld w) {
        ModelInvariants.safety(w);
        ModelActions.noteReload(w);
        for (Device d : w.devices) d.listener.checkLive(w::describe);
        for (Device d : w.devices) ModelForkSource.checkOneRecordPerRound(w, d);
        if (w.deleted) { // heal reached the tombstones; what the server acknowledged before the delete is still committed
            List<String> stored = ModelInvariants.serverStored(w);
            for (String v : w.ackedAtDelete) {
                if (java.util.Collections.frequency(stored, v) != 1) {
                    throw new AssertionError(v + " acknowledged before the delete is no longer stored exactly once\n" + w.describe());
                }
            }
            for (Device d : w.devices) {
                d.forks += d.rc.stats().committed();
                d.discards.collect(d.rc);
                d.discards.check(w::describe);
            }
            return;
        }
        List<List<String>> all = new ArrayList<>();
        all.add(ModelInvariants.serverValues(w));
        for (Device d : w.devices) all.add(ModelInvariants.present(w, d.node));
        for (List<String> values : all) {
            Map<String, Integer> counts = new HashMap<>();
            for (String v : values) counts.merge(v, 1, Integer::sum);
            for (String v : w.mustSurvive) {
                if (counts.getOrDefault(v, 0) != 1) throw new AssertionError(v + " must be present exactly once\n" + w.describe());
            }
        }
        for (Device d : w.devices) d.forks += d.rc.stats().committed();
    }
}
