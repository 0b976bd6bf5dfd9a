package io.cojson.sync;

import io.cojson.core.groups.GroupView;
import static io.cojson.sync.SyncTestKit.CRYPTO;

import io.cojson.core.content.DecodedTx;
import io.cojson.core.covalue.TransactionDecoder;
import io.cojson.core.ids.AgentSecret;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.node.Accounts;
import io.cojson.core.node.GroupOperations;
import io.cojson.core.node.LocalNode;
import io.cojson.sync.recovery.RecoveryCoordinator;
import io.cojson.sync.recovery.RecoveryState;
import io.cojson.sync.recovery.RecoveryStatus;
import io.cojson.sync.recovery.SessionRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * one — between actions, or armed at one of {@link #CRASH_POINTS}: the device then dies right where
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
 */
class DeterministicRecoveryModelProperties {
    static final int TRIES = Integer.getInteger("cojson.simModel.schedules", 500);
    static final long SEED = Long.getLong("cojson.simModel.seed", 20261207L);
    private static final int MAX_TASKS = 200_000;
    /**
     * Whether half of the schedules may delete the value (on; {@code -Dcojson.simModel.deletes=false}
     * draws the schedules of before). It found that a delete sent while its group's at-risk session
     * was held was refused as NotAdmin for good (ModelScenariosTest.aDeleteWaitsForTheHeldGroupSession).
     */
    static final boolean DELETES = Boolean.parseBoolean(System.getProperty("cojson.simModel.deletes", "true"));
    /** Whether a device may import the other's export (on; {@code -Dcojson.simModel.imports=false} draws the schedules of before). */
    static final boolean IMPORTS = Boolean.parseBoolean(System.getProperty("cojson.simModel.imports", "true"));

    static final class Device {
        final String name;
        final SessionRegistry registry = SessionRegistry.inMemory();
        final Set<SessionID> atRisk = new HashSet<>();
        LocalNode node;
        LocalNode disk;
        SyncManager sync;
        RecoveryCoordinator rc;
        SimLink link;
        long forks;
        /** This incarnation's tasks on the shared clock (a new one per start, so a dead one's never run). */
        Object owner;
        /** The (CoValue, session) of the recovery about to swap memory, for the unit a crash after it keeps. */
        RecoveryStatus swapping;
        /** Set when the device died at a fault point; it restarts at the end of the action. */
        Death death;
        /** The app's listener on the value, and what a deletion discarded (set by the first start). */
        ModelSubscriptions listener;
        ModelDiscards discards;

        Device(String name, LocalNode node) {
            this.name = name;
            this.node = node;
        }
    }

    /** How an armed device dies at {@code point}: restart with the same session or a new one; in-flight messages that still arrive. */
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

    static final class World {
        final SimScheduler clock = new SimScheduler();
        /** {@code comap}, {@code colist} or {@code costream}. */
        final String type;
        final boolean privateTx;
        final AgentSecret secret = CRYPTO.newRandomAgentSecret();
        final LocalNode first = Accounts.create(CRYPTO, secret, "Alice");
        final AgentSecret serverSecret = CRYPTO.newRandomAgentSecret();
        /** The server's storage: it survives a server crash with what it committed (a store whose task never ran did not). */
        final MemoryStorage serverDisk = new MemoryStorage();
        SyncManager server;
        Object serverOwner;
        /** Set when the server died at a fault point; it restarts at the end of the action. */
        String serverDeath;
        int serverCrashes;
        /** The thread that runs the schedule: fault hits from any other thread (another test's) are not ours. */
        final Thread thread = Thread.currentThread();
        /** A crash waiting for its point; cleared when it fires (or at heal). */
        Armed armed;
        final RawCoID id;
        /** The group that owns the value; a member is added and removed (the read key rotates) by the schedule. */
        final RawCoID group;
        final String member = CRYPTO.getAgentID(CRYPTO.newRandomAgentSecret()).value();
        final List<Device> devices = new ArrayList<>();
        final List<String> written = new ArrayList<>();
        final Set<String> mustSurvive = new HashSet<>();
        final List<String> log = new ArrayList<>();
        /** Whether the schedule may delete the value (an admin delete by a device). */
        final boolean deletable;
        /** Set by the first delete: from then on nothing new must survive (the tombstone erases it, recovery.md I4). */
        boolean deleted;
        /** What the server had acknowledged to a device or committed when the value was deleted. */
        final Set<String> ackedAtDelete = new HashSet<>();
        int deletes;
        int imports;
        /**
         * Connections of crashed devices whose last messages may still reach the server (a socket's
         * buffers outlive a killed process). They arrive before the restarted device's first message:
         * a restart takes far longer than a buffer takes to drain. (Arriving after the restarted
         * device verified its session, they make a fork of the same length that counts cannot show;
         * the session guard avoids reusing a session with anything in flight. See the note of issue 11.)
         */
        final List<SimLink> orphans = new ArrayList<>();
        /** Each written transaction's payload (its encrypted changes when private) and the value it writes. */
        final Map<String, String> byPayload = new HashMap<>();
        int next;
        int crashes;
        int connections;
        int incarnations;
        /** {@link ModelActions}: unloads by the server's collector, reads back from storage after one, restarts on a slow storage. */
        int unloads;
        int reloads;
        int slowOpens;
        /** Whether the server unloaded the value and has not read it back yet. */
        boolean unloaded;
        /** Set by a slow restart: the next server's storage answers nothing before this many ms. */
        long storageOpensAfter;

        World(String type, boolean privateTx) {
            this(type, privateTx, false);
        }

        World(String type, boolean privateTx, boolean deletable) {
            this.deletable = deletable;
            CURRENT.set(this); // closed by the property even when the schedule fails half-way
            io.cojson.storage.Faults.intercept(this::faultHit); // removed by close(), in the property's finally
            startServer();
            this.type = type;
            this.privateTx = privateTx;
            group = GroupOperations.createGroup(first, null);
            id = Accounts.createOwned(first, type, group, JsonValue.NULL);
            devices.add(start(new Device("A", first)));
            devices.add(start(new Device("B", clone(first, null))));
            for (Device d : devices) d.disk = clone(d.node, d.node.sessionID());
            settle();
        }

        void startServer() {
            serverOwner = "server#" + (++incarnations);
            serverDeath = null;
            SimScheduler.Owned exec = clock.owned(serverOwner);
            java.util.concurrent.Executor storage = exec;
            if (storageOpensAfter > 0) { // counted once a call really waited
                boolean[] waited = {false};
                storage = ModelActions.opensAt(exec, clock, clock.now() + storageOpensAfter, () -> {
                    if (!waited[0]) slowOpens++;
                    waited[0] = true;
                });
                storageOpensAfter = 0;
            }
            unloaded = false; // a restarted server reads everything from storage anyway
            server = SyncManager.create(LocalNode.forAgent(CRYPTO, serverSecret), options(serverOwner).withStorage(serverDisk.on(storage)));
        }

        /**
         * The server process dies: what it was handling and storing is gone (its queued stores never
         * commit), what it sent may still reach the devices, what was on its way to it is lost; it
         * restarts on its storage and every device reconnects.
         */
        void crashServer() {
            clock.kill(serverOwner);
            for (Device d : devices) if (d.link != null) d.link.server.close();
            for (SimLink l : orphans) l.cut("server gone");
            orphans.clear();
            restartServer();
        }

        void restartServer() {
            for (Device d : devices) { // the server's last messages arrive, then the close
                SimLink l = d.link;
                for (int i = 0; i < 10_000 && l.deliver(l.client, 0, false); i++) settle();
                l.cut("server gone");
            }
            settle();
            server.close();
            startServer();
            for (Device d : devices) connect(d);
            serverCrashes++;
            crashes++;
        }

        SyncOptions options(Object owner) {
            SimScheduler.Owned exec = clock.owned(owner);
            // No local batch delay: its quiet-period check reads the real clock; zero sends on the next task
            return SyncOptions.defaults().withExecutor(exec).withScheduler(exec).withLocalBatchDelay(Duration.ZERO);
        }

        LocalNode clone(LocalNode from, SessionID session) {
            return ModelSupport.copy(from, first, secret, session);
        }

        Device start(Device d) {
            d.owner = d.name + "#" + (++incarnations);
            d.death = null;
            d.swapping = null;
            d.sync = SyncManager.create(d.node, options(d.owner));
            d.rc = RecoveryCoordinator.install(d.sync, d.registry, null,
                    RecoveryCoordinator.Options.defaults().withWorker(clock.owned(d.owner)).withBatchWindow(Duration.ofMillis(20)));
            LocalNode mine = d.node;
            d.rc.onStatus(st -> {
                if (d.node != mine || d.death != null) return; // a dead incarnation's disk is frozen
                if (st.state() == RecoveryState.SWAPPING) d.swapping = st;
                // the recovery unit commits to storage before anything propagates (§5.4, §5.6)
                if (st.state() == RecoveryState.PROPAGATING) d.disk = clone(mine, mine.sessionID());
            });
            for (SessionID s : d.atRisk) d.rc.verifyBeforePush(s);
            if (d.listener == null) d.listener = new ModelSubscriptions(id, d.name);
            else d.listener.restarted(d.node); // the app subscribes again on start
            if (d.discards == null) d.discards = new ModelDiscards(id, d.name, d.registry);
            d.discards.attach(d.node, d.sync);
            connect(d);
            return d;
        }

        void connect(Device d) {
            if (d.link != null) d.link.cut("reconnect");
            int n = ++connections;
            d.link = new SimLink("c" + n);
            server.addPeer("client-" + n, PeerRole.CLIENT, d.link.server);
            d.sync.addPeer("server", PeerRole.SERVER, d.link.client);
        }

        /** Runs everything due now (bounded). */
        void settle() {
            clock.runReady(MAX_TASKS);
        }

        // ---- actions ----

        void edit(int device) {
            Device d = devices.get(device);
            if (isDeleted(d.node)) {
                refusedEdit(d);
                return;
            }
            String v = "op" + (++next);
            written.add(v);
            ModelSupport.edit(d.node, id, type, v, privateTx);
            d.node.locked(() -> {
                var mine = d.node.require(id).sessions().get(d.node.sessionID());
                byPayload.put(payload(mine.get(mine.size() - 1)), v);
                return null;
            });
        }

        boolean isDeleted(LocalNode n) {
            return n.locked(() -> n.get(id) != null && n.require(id).isDeleted());
        }

        /** An edit of a value this device knows deleted must be refused, with nothing signed (RI-9). */
        void refusedEdit(Device d) {
            var before = SyncTestKit.known(d.node, id);
            try {
                ModelSupport.edit(d.node, id, type, "refused", privateTx);
            } catch (io.cojson.core.node.CoValueDeletedException e) {
                if (!before.equals(SyncTestKit.known(d.node, id))) throw new AssertionError("a refused edit changed the value\n" + describe());
                return;
            }
            throw new AssertionError(d.name + " edited a value it knows deleted\n" + describe());
        }

        /**
         * The group's admin (both devices are the account that made the group) deletes the value and
         * its storage commits the delete (so it survives a crash). Before the delete, everything the
         * server acknowledged must be in its storage, exactly once; after it nothing new must survive.
         */
        void delete(int device) {
            Device d = devices.get(device);
            if (!deleted) {
                noteMustSurvive();
                List<String> stored = serverStored();
                for (Device e : devices) ackedAtDelete.addAll(acknowledged(e));
                ackedAtDelete.addAll(stored);
                for (String v : ackedAtDelete) {
                    if (java.util.Collections.frequency(stored, v) != 1) {
                        throw new AssertionError(v + " acknowledged before the delete but not stored exactly once by the server\n" + describe());
                    }
                }
            }
            d.discards.selfDeleted = true; // its own delete discards nothing it must be told of
            d.node.deleteCoValue(id);
            if (!isDeleted(d.node)) throw new AssertionError(d.name + "'s delete left the value undeleted\n" + describe());
            deleted = true;
            deletes++;
            d.disk = clone(d.node, d.node.sessionID());
        }

        /**
         * {@code device} imports the other device's export of the group and the value (a bundle,
         * RL-04) through its sync manager instead of receiving it by sync. A piece of a session the
         * two hold in different versions (a fork) is rejected and left to recovery.
         */
        void importFrom(int device) {
            Device d = devices.get(device);
            Device source = devices.get(1 - device);
            // Content the server has not acknowledged may be lost with its author and written again
            // differently: a peer that got it directly stays forked (recovery.md §6, known
            // limitation). The model's bundles hold only what the server acknowledged to the exporter.
            if (source.rc.pending() > 0 || !serverHasAll(source, id) || !serverHasAll(source, group)) return;
            LocalNode from = source.node;
            List<io.cojson.core.node.ContentPiece> pieces = new ArrayList<>();
            for (RawCoID v : List.of(group, id)) {
                if (from.locked(() -> from.get(v) != null)) pieces.addAll(from.exportContent(v));
            }
            d.discards.importing = true; // a deletion in a bundle is not one that arrived by sync
            var done = d.sync.importContent(pieces);
            settle();
            d.discards.importing = false;
            if (done.isCompletedExceptionally()) {
                throw new AssertionError("the import failed\n" + describe(), done.handle((x, e) -> e).join());
            }
            imports++;
        }

        /** Whether the server acknowledged to {@code d} all it holds of {@code v}, and nothing of it is held back. */
        boolean serverHasAll(Device d, RawCoID v) {
            var acked = d.sync.peer("server").map(p -> p.knownState(v)).orElse(null);
            var mine = SyncTestKit.known(d.node, v);
            if (acked == null || mine == null || d.sync.holdsSyncOf(v)) return false;
            for (var e : mine.sessions().entrySet()) if (acked.count(e.getKey()) < e.getValue()) return false;
            return true;
        }

        /** Adds the member as a reader, or removes it again (rotating the group's read key). */
        void groupEdit(int device) {
            LocalNode n = devices.get(device).node;
            String role = n.locked(() -> GroupView.of(n.require(group), n).getString(member, null));
            if ("reader".equals(role)) GroupOperations.removeMember(n, group, member);
            else GroupOperations.addMember(n, group, member, "reader");
        }

        void persist(int device) {
            Device d = devices.get(device);
            if (d.death == null) d.disk = clone(d.node, d.node.sessionID());
        }

        /** kind: 0 deliver, 1 duplicate, 2 drop; toServer: the direction; index: how many waiting ones it overtakes. */
        void network(int device, boolean toServer, int kind, int index) {
            SimLink l = devices.get(device).link;
            SimLink.End to = toServer ? l.server : l.client;
            if (kind == 2) l.drop(to, index);
            else l.deliver(to, index, kind == 1);
        }

        void deliverAll(int device) {
            SimLink l = devices.get(device).link;
            for (int i = 0; i < 10_000 && l.inFlight() > 0; i++) {
                if (!l.deliver(l.server, 0, false) && !l.deliver(l.client, 0, false)) break;
                settle();
            }
        }

        /** A crashed device's connection: one late message reaches the server, or (last) the connection ends. */
        void orphan(int which) {
            if (orphans.isEmpty()) return;
            SimLink l = orphans.get(which % orphans.size());
            if (!l.deliver(l.server, 0, false)) l.cut("crashed peer gone");
            if (l.isClosed()) orphans.remove(l);
        }

        /** The classic fork: an edit reaches the server, the device dies before storing it and comes back with its session. */
        void sentThenCrash(int device) {
            edit(device);
            tick(5);
            SimLink l = devices.get(device).link;
            while (l.deliver(l.server, 0, false)) settle();
            crash(device, true);
        }

        /** Delivers {@code device}'s messages both ways and lets time pass (bounded) until its recovery ended or it died. */
        void driveRecovery(int device) {
            Device d = devices.get(device);
            for (int round = 0; round < 20 && d.death == null; round++) {
                deliverAll(device);
                tick(50);
                if (d.death == null && d.rc.pending() == 0 && d.link.inFlight() == 0) return;
            }
        }

        void reconnect(int device) {
            connect(devices.get(device));
        }

        void tick(long millis) {
            clock.advance(millis, MAX_TASKS);
        }

        void crash(int device, boolean reuseSession) {
            crash(device, reuseSession, Integer.MAX_VALUE);
        }

        /** Arms a crash of {@code device} at {@code point}: it dies when its code next reaches the point (if ever). */
        void arm(int device, String point, boolean reuseSession, int reaching) {
            armed = new Armed(device, point, reuseSession, reaching);
        }

        /**
         * Every fault point hit in this JVM while the world lives. The armed device dies at its
         * point: its tasks never run again, what it sent stays in flight and nothing more leaves,
         * its disk keeps what storage had committed by then (after the swap: the recovery unit,
         * recovery.md §5.4–5.5). What is left of the running task finishes unseen.
         */
        void faultHit(String point) {
            if (Thread.currentThread() != thread || armed == null || !armed.point().equals(point)) return;
            if (armed.device() == SERVER) {
                if (serverDeath != null || !serverOwner.equals(clock.running())) return;
                serverDeath = point;
                armed = null;
                clock.kill(serverOwner);
                for (Device d : devices) if (d.link != null) d.link.server.close();
                synchronized (CRASHED_AT) {
                    CRASHED_AT.merge(SERVER_PREFIX + point, 1L, Long::sum);
                }
                log.add("  (the server died at " + point + ")");
                return;
            }
            Device d = devices.get(armed.device());
            if (d.death != null || !d.owner.equals(clock.running())) return;
            d.death = new Death(point, d.rc.stats().committed(), armed.reuseSession(), armed.reaching());
            d.listener.died();
            d.discards.collect(d.rc); // its records die with it (no storage)
            d.discards.detach();
            armed = null;
            clock.kill(d.owner);
            if (point.equals(RecoveryCoordinator.AFTER_SWAP) && d.swapping != null) d.disk = withUnit(d, d.swapping);
            d.link.client.close();
            synchronized (CRASHED_AT) {
                CRASHED_AT.merge(point, 1L, Long::sum);
            }
            log.add("  (" + d.name + " died at " + point + ")");
        }

        /** The disk plus the recovery unit of {@code st}: its session replaced by the server's version, S! appended. */
        LocalNode withUnit(Device d, RecoveryStatus st) {
            SessionID s = st.session();
            // a forked S! is re-signed into a fresh session (§5.8): rare, the whole node stands for the unit then
            if (s.isConflictSession()) return clone(d.node, d.node.sessionID());
            return ModelSupport.copy(d.disk, first, secret, d.node.sessionID(), st.id(), Set.of(s, s.conflictSession()), d.node);
        }

        /** Restarts the devices that died at a fault point during the action. */
        void restartDead() {
            if (serverDeath != null) {
                for (SimLink l : orphans) l.cut("server gone");
                orphans.clear();
                restartServer();
            }
            for (int i = 0; i < devices.size(); i++) {
                Death death = devices.get(i).death;
                if (death != null) crash(i, death.reuseSession(), death.reaching());
            }
        }

        /** {@code reaching}: how many of the messages in flight to the server still arrive (the rest are lost). */
        void crash(int device, boolean reuseSession, int reaching) {
            Device d = devices.get(device);
            d.forks += d.death != null ? d.death.committed() : d.rc.stats().committed(); // a dead one's later rounds never happened
            d.link.client.close(); // the process dies: what it sent may still arrive, then the close
            if (!d.link.isClosed()) orphans.add(d.link);
            for (int i = 0; i < reaching && !orphans.isEmpty(); i++) orphan(orphans.size() - 1);
            for (SimLink l : orphans) l.cut("crashed peer gone");
            orphans.clear();
            settle();
            d.listener.died();
            if (d.death == null) d.discards.collect(d.rc);
            d.discards.detach();
            d.rc.close();
            d.sync.close();
            SessionID last = d.node.sessionID();
            SessionID session = reuseSession ? last : CRYPTO.newRandomSessionID(first.accountID().value());
            d.registry.record(last);
            d.atRisk.add(last);
            d.node = clone(d.disk, session);
            d.link = null;
            start(d);
            crashes++;
        }

        // ---- invariants ----

        List<String> present(LocalNode n) {
            return ModelSupport.values(n, id, tx -> true);
        }

        /**
         * The server's values as the account reads them: the server is no member of the group, so
         * private transactions are read from a copy of its content in a node of the account.
         */
        List<String> serverValues() {
            if (!privateTx) return present(server.node());
            for (Device d : devices) learnPayloads(d.node); // recovery re-encrypts a divergent tail into S!
            LocalNode n = server.node();
            return n.locked(() -> {
                List<String> out = new ArrayList<>();
                if (n.get(id) == null) return out;
                for (var log : n.require(id).sessions().values()) {
                    if (log.sessionID().isDeleteSession()) continue; // a delete marker writes no value
                    for (int i = 0; i < log.size(); i++) out.add(byPayload.getOrDefault(payload(log.get(i)), "?unknown transaction"));
                }
                return out;
            });
        }

        /** The values of the transactions the server's storage committed. */
        List<String> serverStored() {
            for (Device d : devices) learnPayloads(d.node);
            List<String> out = new ArrayList<>();
            for (var piece : serverDisk.committed(id)) {
                for (var sp : piece.sessions()) {
                    if (sp.sessionID().isDeleteSession()) continue;
                    for (var tx : sp.transactions()) out.add(byPayload.getOrDefault(payload(tx), "?unknown transaction"));
                }
            }
            return out;
        }

        /** The values of {@code d}'s transactions that the server has acknowledged to it, as {@code waitForSync} counts them. */
        List<String> acknowledged(Device d) {
            var acked = d.sync.peer("server").map(p -> p.knownState(id)).orElse(null);
            // While a session is held back for a check or recovery, waitForSync waits: an equal count proves nothing then
            if (acked == null || d.rc.pending() > 0 || d.sync.holdsSyncOf(id)) return List.of();
            return ModelSupport.values(d.node, id, tx -> tx.txID().txIndex() < acked.count(tx.txID().sessionID()));
        }

        /** Notes the payload of every transaction {@code n} can read, with the value it writes. */
        void learnPayloads(LocalNode n) {
            n.locked(() -> {
                if (n.get(id) == null) return null;
                var core = n.require(id);
                for (DecodedTx tx : TransactionDecoder.decode(core, n, n.keys())) {
                    var log = core.sessions().get(tx.txID().sessionID());
                    for (JsonValue c : tx.changes()) {
                        String v = c instanceof JsonValue.Str item ? item.value()
                                : c instanceof JsonValue.Obj o && o.get("value") instanceof JsonValue.Str str ? str.value() : null;
                        if (v != null) byPayload.put(payload(log.get(tx.txID().txIndex())), v);
                    }
                }
                return null;
            });
        }

        static String payload(io.cojson.core.session.Transaction tx) {
            return tx instanceof io.cojson.core.session.Transaction.Private p ? p.encryptedChanges()
                    : ((io.cojson.core.session.Transaction.Trusting) tx).changes();
        }

        /** Safety after every action; also notes what must survive: whatever the server or a disk holds. */
        void safety() {
            if (!clock.failures().isEmpty()) throw new AssertionError("a sync or recovery task failed", clock.failures().get(0));
            List<List<String>> all = new ArrayList<>();
            all.add(serverValues());
            for (Device d : devices) all.add(present(d.node));
            for (List<String> p : all) {
                if (new HashSet<>(p).size() != p.size()) throw new AssertionError("a value twice: " + p + "\n" + describe());
                if (!written.containsAll(p)) throw new AssertionError("a value nobody wrote: " + p + "\n" + describe());
            }
            for (Device d : devices) d.listener.check(this::describe);
            if (!deleted) noteMustSurvive();
        }

        void noteMustSurvive() {
            mustSurvive.addAll(serverStored()); // its memory may die with it; what it committed may not
            for (Device d : devices) {
                mustSurvive.addAll(present(d.disk));
                mustSurvive.addAll(acknowledged(d));
            }
        }

        /** Heal: fresh connections, everything delivered in order, time moving on; bounded rounds. */
        void heal() {
            armed = null;
            restartDead();
            for (SimLink l : orphans) {
                for (int i = 0; i < 10_000 && l.deliver(l.server, 0, false); i++) settle();
                l.cut("crashed peer gone");
            }
            orphans.clear();
            settle();
            for (Device d : devices) connect(d);
            for (int round = 0; round < 400; round++) {
                boolean moved = false;
                for (Device d : devices) {
                    SimLink l = d.link;
                    while (l.deliver(l.server, 0, false) | l.deliver(l.client, 0, false)) {
                        moved = true;
                        settle();
                    }
                }
                settle();
                if (converged()) return;
                if (!moved) tick(250); // timers: batch windows, retries, load timeouts
            }
            throw new AssertionError("no convergence after healing\n" + describe());
        }

        boolean converged() {
            if (deleted) return tombstonesEverywhere();
            var ks = SyncTestKit.known(server.node(), id);
            var gs = SyncTestKit.known(server.node(), group); // its read keys too: without them a private edit reads as nothing
            if (ks == null || gs == null) return false;
            for (Device d : devices) {
                if (d.link.inFlight() > 0 || d.rc.pending() > 0 || !ks.equals(SyncTestKit.known(d.node, id))
                        || !gs.equals(SyncTestKit.known(d.node, group))) return false;
                for (var st : d.rc.statuses()) {
                    if (st.state() != RecoveryState.DONE && st.state() != RecoveryState.IDLE) return false;
                }
            }
            return true;
        }

        /** The delete sessions of {@code id} that {@code n} holds (null: it lacks the value). */
        Map<SessionID, Integer> deleteSessions(LocalNode n) {
            var ks = SyncTestKit.known(n, id);
            if (ks == null) return null;
            Map<SessionID, Integer> out = new java.util.TreeMap<>(java.util.Comparator.comparing(SessionID::value));
            ks.sessions().forEach((s, c) -> {
                if (s.isDeleteSession()) out.put(s, c);
            });
            return out;
        }

        /** After a delete: the server and every device hold the value deleted, each with the server's delete sessions; nothing pending. */
        boolean tombstonesEverywhere() {
            var gs = SyncTestKit.known(server.node(), group);
            var del = deleteSessions(server.node());
            if (gs == null || del == null || !isDeleted(server.node())) return false;
            for (Device d : devices) {
                var mine = deleteSessions(d.node); // a device may hold a second delete the server ignored: the value is deleted anyway
                if (d.link.inFlight() > 0 || d.rc.pending() > 0 || !isDeleted(d.node) || !mine.entrySet().containsAll(del.entrySet())
                        || !gs.equals(SyncTestKit.known(d.node, group))) return false;
                for (var st : d.rc.statuses()) {
                    if (st.state() != RecoveryState.DONE && st.state() != RecoveryState.IDLE) return false;
                }
            }
            return true;
        }

        void liveness() {
            safety();
            ModelActions.noteReload(this);
            for (Device d : devices) d.listener.checkLive(this::describe);
            if (deleted) { // heal reached the tombstones; what the server acknowledged before the delete is still committed
                List<String> stored = serverStored();
                for (String v : ackedAtDelete) {
                    if (java.util.Collections.frequency(stored, v) != 1) {
                        throw new AssertionError(v + " acknowledged before the delete is no longer stored exactly once\n" + describe());
                    }
                }
                for (Device d : devices) {
                    d.forks += d.rc.stats().committed();
                    d.discards.collect(d.rc);
                    d.discards.check(this::describe);
                }
                return;
            }
            List<List<String>> all = new ArrayList<>();
            all.add(serverValues());
            for (Device d : devices) all.add(present(d.node));
            for (List<String> values : all) {
                Map<String, Integer> counts = new HashMap<>();
                for (String v : values) counts.merge(v, 1, Integer::sum);
                for (String v : mustSurvive) {
                    if (counts.getOrDefault(v, 0) != 1) throw new AssertionError(v + " must be present exactly once\n" + describe());
                }
            }
            for (Device d : devices) d.forks += d.rc.stats().committed();
        }

        String describe() {
            StringBuilder b = new StringBuilder(type + " private=" + privateTx + " deleted=" + deleted + " t=" + clock.now() + "ms written=" + written
                    + " mustSurvive=" + mustSurvive + "\n  steps: " + log);
            for (Device d : devices) b.append("\n  ").append(d.name).append(' ').append(SyncTestKit.known(d.node, id)).append(' ')
                    .append(present(d.node)).append(" in flight ").append(d.link == null ? 0 : d.link.inFlight()).append(' ')
                    .append(d.rc.statuses());
            b.append("\n  server ").append(SyncTestKit.known(server.node(), id)).append(' ').append(serverValues());
            b.append("\n  group: server ").append(SyncTestKit.known(server.node(), group));
            for (Device d : devices) b.append(", ").append(d.name).append(' ').append(SyncTestKit.known(d.node, group));
            return b.toString();
        }

        void close() {
            io.cojson.storage.Faults.intercept(null);
            for (Device d : devices) {
                d.rc.close();
                d.sync.close();
            }
            server.close();
        }
    }

    static Transformer<World> step(String what, java.util.function.Consumer<World> f) {
        return Transformer.mutate(what, w -> {
            w.log.add(what);
            f.accept(w);
            w.tick(5); // a little time passes with every action
            w.restartDead();
            w.safety();
            ModelActions.noteReload(w);
        });
    }

    @Provide
    Arbitrary<ActionChain<World>> schedules() {
        Arbitrary<Integer> device = Arbitraries.integers().between(0, 1);
        Action.Independent<World> edit = () -> device.map(d -> step("edit " + d, w -> w.edit(d)));
        Action.Independent<World> persist = () -> device.map(d -> step("persist " + d, w -> w.persist(d)));
        Action.Independent<World> net = () -> Combinators.combine(device, Arbitraries.of(true, false),
                Arbitraries.integers().between(0, 8).map(x -> x < 6 ? 0 : x < 8 ? 1 : 2), // mostly deliveries
                Arbitraries.integers().between(0, 2))
                .as((d, up, kind, index) -> step((kind == 0 ? "deliver " : kind == 1 ? "duplicate " : "drop ") + "#" + index
                        + (up ? " to the server from " : " from the server to ") + d, w -> w.network(d, up, kind, index)));
        Action.Independent<World> flush = () -> device.map(d -> step("deliver all of " + d, w -> w.deliverAll(d)));
        Action.Independent<World> reconnect = () -> device.map(d -> step("reconnect " + d, w -> w.reconnect(d)));
        Action.Independent<World> delete = new Action.Independent<>() {
            @Override
            public boolean precondition(World w) {
                return w.deletable;
            }

            @Override
            public Arbitrary<Transformer<World>> transformer() {
                return device.map(d -> step("admin delete by " + d, w -> w.delete(d)));
            }
        };
        Action.Independent<World> importFrom = () -> device.map(d -> step("import by " + d + " of the other's export", w -> w.importFrom(d)));
        Action.Independent<World> groupEdit = () -> device.map(d -> step("group member added or removed by " + d, w -> w.groupEdit(d)));
        // the fork's recovery, later in the schedule, may be interrupted by a crash at one of its points
        Action.Independent<World> sentThenCrash = () -> Combinators.combine(device, Arbitraries.of(RECOVERY_CRASH_POINTS).injectNull(0.4),
                Arbitraries.of(true, false), Arbitraries.of(true, false)).as((d, point, reuse, drive) -> step("edit, sent, crash " + d
                        + " (same session)" + (point == null ? "" : ", then crash it at " + point + (reuse ? " (same session)" : " (new session)")
                        + (drive ? ", an edit, its messages delivered until it recovered or died" : "")), w -> {
                            w.sentThenCrash(d);
                            if (point == null) return;
                            w.arm(d, point, reuse, 0);
                            if (drive) w.edit(d); // diverges from what the server got: a fork to recover
                            if (drive) w.driveRecovery(d);
                        }));
        Action.Independent<World> crashAt = () -> Combinators.combine(device, Arbitraries.of(CRASH_POINTS), Arbitraries.of(true, false),
                Arbitraries.integers().between(0, 3))
                .as((d, point, reuse, reaching) -> step("crash " + d + " at " + point + (reuse ? " (same session)" : " (new session)")
                        + ", " + reaching + " in-flight messages still reach the server", w -> w.arm(d, point, reuse, reaching)));
        Action.Independent<World> serverCrash = () -> Arbitraries.of(SERVER_CRASH_POINTS).injectNull(0.3).map(point -> point == null
                ? step("crash the server", World::crashServer)
                : step("crash the server at " + point, w -> w.arm(SERVER, point, false, 0)));
        Action.Independent<World> tick = () -> Arbitraries.of(1L, 20L, 250L, 5_000L).map(ms -> step("tick " + ms + " ms", w -> w.tick(ms)));
        Action.Independent<World> crash = () -> Combinators.combine(device, Arbitraries.of(true, false), Arbitraries.integers().between(0, 3))
                .as((d, reuse, reaching) -> step("crash " + d + (reuse ? " (same session)" : " (new session)") + ", " + reaching
                        + " in-flight messages still reach the server", w -> w.crash(d, reuse, reaching)));
        // kind: the type, trusting or private, and (half of the schedules) whether the value may be deleted
        return Arbitraries.integers().between(0, DELETES ? 11 : 5).flatMap(kind -> ModelActions.withActions(withNewActions(ActionChain
                .startWith(() -> new World(TYPES.get(kind % 3), kind % 6 >= 3, kind >= 6))
                .withAction(5, edit).withAction(2, persist).withAction(8, net).withAction(3, flush).withAction(1, reconnect)
                .withAction(2, tick).withAction(3, crash).withAction(1, sentThenCrash).withAction(1, groupEdit)
                .withAction(2, crashAt).withAction(1, serverCrash), delete, importFrom))
                .withMaxTransformations(24));
    }

    /** The chain with the delete and import actions when their switches are on (none: the schedules drawn before them). */
    private static net.jqwik.api.state.ActionChainArbitrary<World> withNewActions(net.jqwik.api.state.ActionChainArbitrary<World> chain, Action.Independent<World> delete,
            Action.Independent<World> importFrom) {
        if (DELETES) chain = chain.withAction(1, delete);
        if (IMPORTS) chain = chain.withAction(2, importFrom); // most draws find the exporter with something unacknowledged
        return chain;
    }

    static final ThreadLocal<World> CURRENT = new ThreadLocal<>();
    private static final List<String> TYPES = List.of("comap", "colist", "costream");

    @Property(tries = 500, seed = "20261207", shrinking = net.jqwik.api.ShrinkingMode.BOUNDED)
    @net.jqwik.api.lifecycle.AddLifecycleHook(RunSize.class)
    void reorderedDuplicatedDroppedMessagesAndCrashesNeverLoseWhatTheServerOrADiskHeld(@ForAll("schedules") ActionChain<World> chain) {
        try {
            World w = chain.run();
            w.heal();
            w.liveness();
            ModelSummary.add(1, w.crashes, w.devices.stream().mapToLong(d -> d.forks).sum(), 0);
            if (w.deleted) ModelSummary.DELETED.incrementAndGet();
            ModelSummary.IMPORTS.addAndGet(w.imports);
            ModelSummary.added(w);
        } catch (AssertionError | RuntimeException e) {
            ModelSummary.add(0, 0, 0, 1);
            throw e;
        } finally {
            World made = CURRENT.get();
            CURRENT.remove();
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
        synchronized (CRASHED_AT) {
            List<String> all = new ArrayList<>(CRASH_POINTS);
            for (String p : SERVER_CRASH_POINTS) all.add(SERVER_PREFIX + p);
            for (String point : all) {
                if (CRASHED_AT.getOrDefault(point, 0L) == 0) {
                    throw new AssertionError("no schedule crashed a device at " + point + " (crashes per point: " + CRASHED_AT + ")");
                }
            }
        }
    }
}
