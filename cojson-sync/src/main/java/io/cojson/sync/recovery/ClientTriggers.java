package io.cojson.sync.recovery;

import io.cojson.core.covalue.CoValueCore;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.knownstate.KnownState;
import io.cojson.core.node.LocalNode;
import io.cojson.storage.engine.CoValueStorage;
import io.cojson.sync.PeerState;
import io.cojson.sync.RecoveryHooks;
import io.cojson.sync.RecoverySwitches;
import io.cojson.sync.SyncManager;
import io.cojson.sync.SyncMessage;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client-side triggers T2–T4 of recovery.md §4.2, each ending in a verification fetch whose
 * result goes to the coordinator like a T1 report:
 * <ul>
 *   <li>T2: a server's content for an own session fails as a signature mismatch (case B);</li>
 *   <li>T3: a server's acknowledgement of an own session stays below what was pushed (case A
 *       against a 0.20.19 server, which then ignores the value on that connection: the fetch is
 *       tried once there, then on a fresh connection);</li>
 *   <li>T4: an own session that was at risk when the previous process ended (§13) is verified per
 *       CoValue before anything of it is pushed ("verify before push",
 *       {@code cojson.verifyBeforePush}).</li>
 * </ul>
 * A (CoValue, session) under a trigger is held back from server peers until its recovery ended.
 */
final class ClientTriggers implements RecoveryHooks {
    private static final Logger LOG = LoggerFactory.getLogger(ClientTriggers.class);
    static final String LOCAL_VERIFICATION = "local-verification";
    static final String ACK_SHORTFALL = "ack-shortfall";
    static final String STARTUP_CHECK = "startup-check";
    static final String CONFLICT_CHECK = "conflict-session-check";
    /** How long an acknowledgement may stay short before T3 fires (pipelined pushes catch up sooner). */
    static final Duration SHORTFALL_GRACE = Duration.ofMillis(1500);
    static final Duration FETCH_QUIET = Duration.ofMillis(500);
    static final Duration FETCH_TIMEOUT = Duration.ofSeconds(10);
    /** Fetches of one (CoValue, session) that may fail before it is released unverified. */
    static final int MAX_FETCH_FAILURES = 3;

    interface Submit {
        void submit(PeerState from, SyncMessage.SignatureMismatch version, String trigger);
    }

    private record Key(RawCoID id, SessionID session) {}

    private final SyncManager sync;
    private final LocalNode node;
    private final SessionRegistry registry;
    private final ScheduledExecutorService worker;
    private final Submit submit;
    /** Sessions at risk as a whole (T4): every CoValue with content in them is verified before a push. */
    private final Set<SessionID> atRiskSessions = ConcurrentHashMap.newKeySet();
    /** Held (CoValue, session) → the trigger that holds it. */
    private final Map<Key, String> held = new ConcurrentHashMap<>();
    private final Set<Key> verified = ConcurrentHashMap.newKeySet();
    private final Map<Key, PeerState> fetching = new ConcurrentHashMap<>();
    /** Fetched and handed to the coordinator: held, not fetched again, until its run ends. */
    private final Set<Key> submitted = ConcurrentHashMap.newKeySet();
    private final Map<Key, Integer> failures = new ConcurrentHashMap<>();
    private final Set<Key> shortfallChecks = ConcurrentHashMap.newKeySet();
    private final Set<PeerState> reconnected = ConcurrentHashMap.newKeySet();
    private final CoValueStorage storage;
    /** Pairs the storage's at-risk marker names: the entry goes once the pair is verified (§13). */
    private final Set<Key> marked = ConcurrentHashMap.newKeySet();

    ClientTriggers(SyncManager sync, SessionRegistry registry, CoValueStorage storage, ScheduledExecutorService worker, Submit submit) {
        this.storage = storage;
        this.sync = sync;
        this.node = sync.node();
        this.registry = registry;
        this.worker = worker;
        this.submit = submit;
        if (storage != null && RecoverySwitches.verifyBeforePush()) readAtRisk(storage);
    }

    /** The sessions and (CoValue, session) pairs the previous process left at risk (§13). */
    private void readAtRisk(CoValueStorage storage) {
        // With the guard on, the current session is fresh or was not at risk (SessionGuard marked the old one "* S").
        if (storage.previousShutdownUnclean() && !storage.previousWindowsKnown() && !RecoverySwitches.sessionReuseGuard()) {
            atRiskSessions.add(node.sessionID()); // the window is unknown: every value of the reused session
        }
        for (String entry : storage.atRiskSessions()) {
            String[] parts = entry.split(" ", 2);
            if (parts.length != 2) continue;
            try {
                SessionID s = SessionID.parse(parts[1]);
                // Only this installation writes its marker, for its own sessions (the account's agent session included).
                if (!registry.ownSessions().contains(s)) registry.record(s);
                if (parts[0].equals("*")) atRiskSessions.add(s);
                else {
                    Key key = new Key(RawCoID.parse(parts[0]), s);
                    held.put(key, STARTUP_CHECK);
                    marked.add(key);
                }
            } catch (IllegalArgumentException e) {
                LOG.warn("at-risk marker entry ignored: {}", e.getMessage());
            }
        }
        if (!atRiskSessions.isEmpty() || !held.isEmpty()) {
            LOG.info("verify before push: sessions {} and {} (CoValue, session) pairs at risk", atRiskSessions, held.size());
        }
    }

    /** T4 for {@code session} from now on: each value with content in it is verified before a push (switch permitting). */
    void verifyBeforePush(SessionID session) {
        if (RecoverySwitches.verifyBeforePush()) atRiskSessions.add(session);
    }

    /** (CoValue, session) pairs held back until a check or recovery ends. */
    int pending() {
        return held.size() + submitted.size();
    }

    // ---- RecoveryHooks (sync executor) ----

    @Override
    public boolean ownSessionRejected(PeerState server, RawCoID id, SessionID session, int serverLength) {
        // an own S! too (§5.8): two processes of one session (a storage copy) that both recovered into it
        Set<SessionID> own = registry.ownSessions();
        if (!ForkConfirmation.recoverable(session, own) && !ForkConfirmation.ownConflictSession(session, own)) return false;
        Key key = new Key(id, session);
        if (held.putIfAbsent(key, LOCAL_VERIFICATION) != null) return true; // a fetch or recovery of it is under way
        verified.remove(key);
        fetch(server, key, serverLength, LOCAL_VERIFICATION);
        return true;
    }

    @Override
    public void acknowledgementShortfall(PeerState server, RawCoID id, SessionID session, int pushed, int acknowledged) {
        if (session.isDeleteSession() || session.isConflictSession()) return;
        Key key = new Key(id, session);
        if (held.containsKey(key) || !shortfallChecks.add(key)) return;
        worker.schedule(() -> {
            shortfallChecks.remove(key);
            KnownState theirs = server.knownState(id);
            if (server.isClosed() || (theirs != null && theirs.count(session) >= pushed)) return; // caught up
            if (!ForkConfirmation.recoverable(session, registry.ownSessions())) return;
            LOG.info("acknowledgement shortfall: {} holds {} of {} session {} after {} were pushed", server.id(),
                    theirs == null ? 0 : theirs.count(session), id, session, pushed);
            held.putIfAbsent(key, ACK_SHORTFALL);
            verified.remove(key);
            // A 0.20.19 server that rejected the push ignores the value on this connection for good:
            // a reconnecting peer goes to a fresh connection at once (its first push fetches there).
            if (server.isPersistent() && reconnected.add(server)) {
                LOG.info("reconnecting to {} for the verification fetch of {} session {}", server.id(), id, session);
                sync.reconnect(server);
            } else {
                fetch(server, key, theirs == null ? 0 : theirs.count(session), ACK_SHORTFALL);
            }
        }, SHORTFALL_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public Set<SessionID> holdBeforePush(PeerState server, RawCoID id) {
        if (held.isEmpty() && atRiskSessions.isEmpty()) return Set.of();
        Set<SessionID> hold = new HashSet<>();
        if (!atRiskSessions.isEmpty()) {
            Set<SessionID> present = node.locked(() -> {
                CoValueCore core = node.get(id);
                return core == null ? Set.<SessionID>of() : Set.copyOf(core.sessions().keySet());
            });
            for (SessionID s : atRiskSessions) {
                Key key = new Key(id, s);
                if (present.contains(s) && !verified.contains(key)) held.putIfAbsent(key, STARTUP_CHECK);
            }
        }
        for (Map.Entry<Key, String> e : held.entrySet()) {
            Key key = e.getKey();
            if (!key.id().equals(id)) continue;
            hold.add(key.session());
            KnownState theirs = server.knownState(id);
            fetch(server, key, theirs == null ? 0 : theirs.count(key.session()), e.getValue());
        }
        return hold;
    }

    @Override
    public boolean holding(RawCoID id) {
        if (held.isEmpty() && submitted.isEmpty()) return false;
        for (Key k : held.keySet()) if (k.id().equals(id)) return true;
        for (Key k : submitted) if (k.id().equals(id)) return true;
        return false;
    }

    // ---- fetch and its end ----

    private void fetch(PeerState server, Key key, int minLength, String trigger) {
        if (submitted.contains(key) || fetching.putIfAbsent(key, server) != null) return;
        Duration timeout = ACK_SHORTFALL.equals(trigger) && !reconnected.contains(server) ? Duration.ofSeconds(3) : FETCH_TIMEOUT;
        sync.fetchServerVersion(server, key.id(), key.session(), minLength, FETCH_QUIET, timeout).whenCompleteAsync((version, err) -> {
            fetching.remove(key, server);
            if (err != null) {
                fetchFailed(server, key, trigger, err);
            } else if (version.content().isEmpty()) {
                LOG.info("{} holds nothing of {} session {}: nothing to verify", server.id(), key.id(), key.session());
                release(key);
                checked(key);
                sync.sessionRecovered(key.id(), key.session(), 0, null);
                pushOwnedBy(key.id());
            } else {
                submitted.add(key);
                submit.submit(server, version, trigger);
            }
        }, worker);
    }

    private void fetchFailed(PeerState server, Key key, String trigger, Throwable err) {
        int n = failures.merge(key, 1, Integer::sum);
        LOG.info("verification fetch of {} session {} ({}) failed ({} of {}): {}", key.id(), key.session(), trigger, n,
                MAX_FETCH_FAILURES, err.getMessage());
        if (n >= MAX_FETCH_FAILURES) {
            LOG.warn("{} session {} released unverified after {} failed fetches", key.id(), key.session(), n);
            release(key);
            sync.sessionRecovered(key.id(), key.session(), server.knownState(key.id()) == null ? 0
                    : server.knownState(key.id()).count(key.session()), null);
            pushOwnedBy(key.id());
            return;
        }
        // A 0.20.19 server that errored the value ignores it on this connection: once per peer, a fresh one (§4.2).
        if (!server.isClosed() && reconnected.add(server)) {
            LOG.info("reconnecting to {} for the verification fetch of {} session {}", server.id(), key.id(), key.session());
            sync.reconnect(server);
        }
        // Still held: the next push to a server (on the new connection) fetches again.
    }

    /**
     * After a group's session was released: the values it owns held the same session back with
     * it (a private transaction may use a key only that session reveals), so they are pushed too,
     * after the group.
     */
    private void pushOwnedBy(RawCoID group) {
        List<RawCoID> owned = node.locked(() -> {
            CoValueCore g = node.get(group);
            if (g == null || !g.isGroupOrAccount()) return List.<RawCoID>of();
            List<RawCoID> out = new java.util.ArrayList<>();
            for (RawCoID id : node.ids()) {
                CoValueCore c = node.get(id);
                if (c != null && c.header().ruleset() instanceof io.cojson.core.header.Ruleset.OwnedByGroup o && o.group().equals(group)) {
                    out.add(id);
                }
            }
            return out;
        });
        for (RawCoID id : owned) sync.push(id);
    }

    private void release(Key key) {
        submitted.remove(key);
        held.remove(key);
        failures.remove(key);
        verified.add(key);
    }

    /** {@code key} was verified against a server (no fork, or recovered): its at-risk entry goes. */
    private void checked(Key key) {
        if (!marked.remove(key) || storage == null) return;
        try {
            storage.removeAtRisk(Set.of(key.id().value() + " " + key.session().value()));
        } catch (RuntimeException e) {
            LOG.warn("at-risk entry of {} session {} not removed (checked again next start): {}", key.id(), key.session(), e.toString());
        }
    }

    /** The coordinator's runs: a run that ended (recovered, no fork, or failed) releases its (CoValue, session). */
    void statusChanged(RecoveryStatus s) {
        switch (s.state()) {
            case DONE, FAILED, IDLE -> {
                Key key = new Key(s.id(), s.session());
                if (held.containsKey(key) || submitted.contains(key)) {
                    release(key);
                    if (s.state() != RecoveryState.FAILED) checked(key);
                    if (s.state() == RecoveryState.DONE && s.preserved() > 0 && !s.session().isConflictSession()) {
                        // §5.8: another process of this session (a copy of this storage) may have written
                        // S! too, as long as this one: sync compares lengths and would never notice, so S!
                        // is checked against the server's version before it goes out (found by the model's
                        // fork source)
                        Key conflict = new Key(s.id(), s.session().conflictSession());
                        verified.remove(conflict);
                        held.putIfAbsent(conflict, CONFLICT_CHECK);
                    }
                    sync.push(s.id()); // what was held back from the servers goes out now
                    pushOwnedBy(s.id());
                }
            }
            default -> { }
        }
    }
}
