package io.cojson.sync;

import static io.cojson.sync.SyncTestKit.CRYPTO;

import io.cojson.core.ids.AgentSecret;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.node.Accounts;
import io.cojson.core.node.GroupOperations;
import io.cojson.core.node.LocalNode;
import io.cojson.sync.ModelCrashes.Armed;
import io.cojson.sync.ModelCrashes.Death;
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

/**
 * The world of {@link DeterministicRecoveryModelProperties}: one Java server on a storage that
 * keeps what it committed, two devices of one account (each with its disk: what it persisted),
 * the value and its group, one {@link SimScheduler} running all sync and recovery work on the
 * test's thread on a virtual clock, each connection a {@link SimLink}. What the schedule did and
 * what must survive are kept here; the actions are in {@link ModelDeviceActions}, crashes and
 * restarts in {@link ModelCrashes}, the checks in {@link ModelInvariants} and {@link ModelHeal}.
 */
final class ModelWorld {
    static final int MAX_TASKS = 200_000;
    /** The world the running schedule made: closed by the property even when the schedule fails half-way. */
    static final ThreadLocal<ModelWorld> CURRENT = new ThreadLocal<>();

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
    /** {@link ModelForkSource}: clones made, edits by the clone, recovery rounds on the cloned session; the session both write. */
    int clones;
    int cloneEdits;
    long cloneForks;
    SessionID clonedSession;

    ModelWorld(String type, boolean privateTx) {
        this(type, privateTx, false);
    }

    ModelWorld(String type, boolean privateTx, boolean deletable) {
        this.deletable = deletable;
        CURRENT.set(this); // closed by the property even when the schedule fails half-way
        io.cojson.storage.Faults.intercept(p -> ModelCrashes.faultHit(this, p)); // removed by close(), in the property's finally
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

    void reconnect(int device) {
        connect(devices.get(device));
    }

    void tick(long millis) {
        clock.advance(millis, MAX_TASKS);
    }

    String describe() {
        StringBuilder b = new StringBuilder(type + " private=" + privateTx + " deleted=" + deleted + " t=" + clock.now() + "ms written=" + written
                + " mustSurvive=" + mustSurvive + "\n  steps: " + log);
        for (Device d : devices) b.append("\n  ").append(d.name).append(' ').append(SyncTestKit.known(d.node, id)).append(' ')
                .append(ModelInvariants.present(this, d.node)).append(" in flight ").append(d.link == null ? 0 : d.link.inFlight()).append(' ')
                .append(d.rc.statuses());
        b.append("\n  server ").append(SyncTestKit.known(server.node(), id)).append(' ').append(ModelInvariants.serverValues(this));
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
