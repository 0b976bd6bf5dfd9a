package io.cojson.sync;

import static io.cojson.sync.SyncTestKit.CRYPTO;

import io.cojson.core.ids.SessionID;
import io.cojson.core.node.LocalNode;
import io.cojson.sync.ModelWorld.Device;
import io.cojson.sync.recovery.RecoveryCoordinator;
import io.cojson.sync.recovery.RecoveryStatus;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Crashes and restarts in the deterministic model: a device or the server dies between actions,
 * or is armed to die where its code reaches one of the fault points (seen through
 * {@code Faults.intercept}), with the disk storage would hold there (after the swap: the recovery
 * unit); a device restarts on its disk with the same session (the at-risk guard off, so forks
 * happen) or a new one, and what it had in flight may still reach the server.
 */
final class ModelCrashes {
    private ModelCrashes() {}


    record Armed(int device, String point, boolean reuseSession, int reaching) {}

    /** A death at a fault point: the recovery rounds committed up to then, how to restart. */
    record Death(String point, long committed, boolean reuseSession, int reaching) {}

    /**
     * The client-side fault points this in-process model goes through, each a crash point of the
     * "crash at P" action. Not here: {@code recovery.beforeUnit} and {@code recovery.afterUnitCommit}
     * (only reached with a {@code CoValueStorage}; the model's devices recover in memory and their
     * disk is a copy), the storage points, {@code server.beforeAck} (a server with storage) and the
     * {@code transport.*} points (WebSocket channels) — see {@code RecoveryKillPointsTest} and the
     * RL crash tests for those.
     */
    static final List<String> CRASH_POINTS = List.of(
            io.cojson.sync.transport.FaultPoints.SYNC_LOCAL_BATCH_AFTER_SEND_BEFORE_STORE_COMMIT,
            io.cojson.sync.transport.FaultPoints.SYNC_INCOMING_BEFORE_HANDLE,
            RecoveryCoordinator.DETECTED, RecoveryCoordinator.AFTER_SWAP, RecoveryCoordinator.AFTER_PROPAGATE);
    /** {@link Armed#device} of a crash of the server. */
    static final int SERVER = -1;
    /**
     * The server's crash points (its storage commits before it acknowledges, RL-21; with unloads, the
     * collector's {@code gc.beforeUnmount}); counted as {@code server:<point>}.
     */
    static final List<String> SERVER_CRASH_POINTS = ModelActions.UNLOADS
            ? List.of(io.cojson.sync.transport.FaultPoints.SERVER_BEFORE_ACK, io.cojson.sync.transport.FaultPoints.SYNC_INCOMING_BEFORE_HANDLE,
                    SyncManager.GC_BEFORE_UNMOUNT)
            : List.of(io.cojson.sync.transport.FaultPoints.SERVER_BEFORE_ACK, io.cojson.sync.transport.FaultPoints.SYNC_INCOMING_BEFORE_HANDLE);
    static final String SERVER_PREFIX = "server:";
    static final List<String> RECOVERY_CRASH_POINTS = CRASH_POINTS.stream().filter(p -> p.startsWith("recovery.")).toList();
    /** Crashes that really happened at each point, over this JVM's run (the summary and the coverage check read them). */
    static final Map<String, Long> CRASHED_AT = new java.util.TreeMap<>();

    /**
     * The server process dies: what it was handling and storing is gone (its queued stores never
     * commit), what it sent may still reach the devices, what was on its way to it is lost; it
     * restarts on its storage and every device reconnects.
     */
    static void crashServer(ModelWorld w) {
        w.clock.kill(w.serverOwner);
        for (Device d : w.devices) if (d.link != null) d.link.server.close();
        for (SimLink l : w.orphans) l.cut("server gone");
        w.orphans.clear();
        restartServer(w);
    }

    static void restartServer(ModelWorld w) {
        for (Device d : w.devices) { // the server's last messages arrive, then the close
            SimLink l = d.link;
            for (int i = 0; i < 10_000 && l.deliver(l.client, 0, false); i++) w.settle();
            l.cut("server gone");
        }
        w.settle();
        w.server.close();
        w.startServer();
        for (Device d : w.devices) w.connect(d);
        w.serverCrashes++;
        w.crashes++;
    }

    /** A crashed device's connection: one late message reaches the server, or (last) the connection ends. */
    static void orphan(ModelWorld w, int which) {
        if (w.orphans.isEmpty()) return;
        SimLink l = w.orphans.get(which % w.orphans.size());
        if (!l.deliver(l.server, 0, false)) l.cut("crashed peer gone");
        if (l.isClosed()) w.orphans.remove(l);
    }

    static void crash(ModelWorld w, int device, boolean reuseSession) {
        crash(w, device, reuseSession, Integer.MAX_VALUE);
    }

    /** Arms a crash of {@code device} at {@code point}: it dies when its code next reaches the point (if ever). */
    static void arm(ModelWorld w, int device, String point, boolean reuseSession, int reaching) {
        w.armed = new Armed(device, point, reuseSession, reaching);
    }

    /**
     * Every fault point hit in this JVM while the world lives. The armed device dies at its
     * point: its tasks never run again, what it sent stays in flight and nothing more leaves,
     * its disk keeps what storage had committed by then (after the swap: the recovery unit,
     * recovery.md §5.4–5.5). What is left of the running task finishes unseen.
     */
    static void faultHit(ModelWorld w, String point) {
        Armed armed = w.armed;
        if (Thread.currentThread() != w.thread || armed == null || !armed.point().equals(point)) return;
        if (armed.device() == SERVER) {
            if (w.serverDeath != null || !w.serverOwner.equals(w.clock.running())) return;
            w.serverDeath = point;
            w.armed = null;
            w.clock.kill(w.serverOwner);
            for (Device d : w.devices) if (d.link != null) d.link.server.close();
            synchronized (CRASHED_AT) {
                CRASHED_AT.merge(SERVER_PREFIX + point, 1L, Long::sum);
            }
            w.log.add("  (the server died at " + point + ")");
            return;
        }
        Device d = w.devices.get(armed.device());
        if (d.death != null || !d.owner.equals(w.clock.running())) return;
        d.death = new Death(point, d.rc.stats().committed(), armed.reuseSession(), armed.reaching());
        d.listener.died();
        d.discards.collect(d.rc); // its records die with it (no storage)
        d.discards.detach();
        w.armed = null;
        w.clock.kill(d.owner);
        if (point.equals(RecoveryCoordinator.AFTER_SWAP) && d.swapping != null) d.disk = withUnit(w, d, d.swapping);
        d.link.client.close();
        synchronized (CRASHED_AT) {
            CRASHED_AT.merge(point, 1L, Long::sum);
        }
        w.log.add("  (" + d.name + " died at " + point + ")");
    }

    /** The disk plus the recovery unit of {@code st}: its session replaced by the server's version, S! appended. */
    static LocalNode withUnit(ModelWorld w, Device d, RecoveryStatus st) {
        SessionID s = st.session();
        // a forked S! is re-signed into a fresh session (§5.8): rare, the whole node stands for the unit then
        if (s.isConflictSession()) return w.clone(d.node, d.node.sessionID());
        return ModelSupport.copy(d.disk, w.first, w.secret, d.node.sessionID(), st.id(), Set.of(s, s.conflictSession()), d.node);
    }

    /** Restarts the devices that died at a fault point during the action. */
    static void restartDead(ModelWorld w) {
        if (w.serverDeath != null) {
            for (SimLink l : w.orphans) l.cut("server gone");
            w.orphans.clear();
            restartServer(w);
        }
        for (int i = 0; i < w.devices.size(); i++) {
            Death death = w.devices.get(i).death;
            if (death != null) crash(w, i, death.reuseSession(), death.reaching());
        }
    }

    /** {@code reaching}: how many of the messages in flight to the server still arrive (the rest are lost). */
    static void crash(ModelWorld w, int device, boolean reuseSession, int reaching) {
        Device d = w.devices.get(device);
        d.forks += d.death != null ? d.death.committed() : d.rc.stats().committed(); // a dead one's later rounds never happened
        d.link.client.close(); // the process dies: what it sent may still arrive, then the close
        if (!d.link.isClosed()) w.orphans.add(d.link);
        for (int i = 0; i < reaching && !w.orphans.isEmpty(); i++) orphan(w, w.orphans.size() - 1);
        for (SimLink l : w.orphans) l.cut("crashed peer gone");
        w.orphans.clear();
        w.settle();
        d.listener.died();
        if (d.death == null) d.discards.collect(d.rc);
        d.discards.detach();
        d.rc.close();
        d.sync.close();
        SessionID last = d.node.sessionID();
        SessionID session = reuseSession ? last : CRYPTO.newRandomSessionID(w.first.accountID().value());
        d.registry.record(last);
        d.atRisk.add(last);
        d.node = w.clone(d.disk, session);
        d.link = null;
        w.start(d);
        w.crashes++;
    }
}
