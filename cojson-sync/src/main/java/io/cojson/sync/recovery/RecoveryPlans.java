package io.cojson.sync.recovery;

import io.cojson.core.covalue.CoValueCore;
import io.cojson.core.ids.SessionID;
import io.cojson.core.node.ContentPiece.SessionPiece;
import io.cojson.core.node.LocalNode;
import io.cojson.core.session.SessionLog;
import io.cojson.core.session.Transaction;
import io.cojson.storage.engine.RecoveryJournalEntry;
import io.cojson.storage.engine.ReplaceResult;
import io.cojson.storage.engine.CoValueStorage;
import io.cojson.storage.engine.SessionReplacement;
import io.cojson.sync.recovery.RecoveryCoordinator.Job;
import io.cojson.sync.recovery.RecoveryCoordinator.Key;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one recovery run of {@link RecoveryCoordinator} writes: the plan, fixed under the node's
 * lock (the fork confirmed, the divergent tail re-signed into S!, or nothing when the value is
 * deleted: §4.3, §5.2, §5.3), where the tail goes (§5.8), and the recovery unit that replaces the
 * session in storage and appends S! with its journal entry in one commit (§5.4), numbered by
 * round (§5.7).
 */
final class RecoveryPlans {
    /** The coordinator's logger: these lines are part of its log. */
    private static final Logger LOG = LoggerFactory.getLogger(RecoveryCoordinator.class);

    private final LocalNode node;
    private final SessionRegistry registry;
    private final CoValueStorage storage;

    RecoveryPlans(LocalNode node, SessionRegistry registry, CoValueStorage storage) {
        this.node = node;
        this.registry = registry;
        this.storage = storage;
    }

    /** A run that cannot plan (the value not loaded, a tail that does not decode): it fails without retry. */
    static final class PlanFailure extends RuntimeException {
        PlanFailure(String message) {
            super(message, null, false, false);
        }
    }

    /** What one recovery writes, fixed under the node's lock. */
    record Plan(ForkConfirmation.Comparison comparison, int localLength, String localLastSignature,
            SessionPiece conflict, boolean deleted) {}

    /** The plan of {@code job} against the server's {@code version}; call under the node's lock. */
    Plan plan(Job job, ServerVersion version) {
        Key key = job.key;
        CoValueCore core = node.get(key.id());
        if (core == null) throw new PlanFailure("CoValue is not loaded");
        SessionLog local = core.sessions().get(key.session());
        List<Transaction> localTxs = local == null ? List.of() : local.transactions();
        ForkConfirmation.Comparison c = ForkConfirmation.compare(localTxs, version.transactions());
        String localSig = local == null || local.size() == 0 ? null : local.lastSignature().value();
        if (c.outcome() != ForkConfirmation.Outcome.FORK) return new Plan(c, localTxs.size(), localSig, null, core.isDeleted());
        SessionPiece conflict = null;
        if (!core.isDeleted()) { // deletion wins: no S! (§5.3)
            try {
                conflict = ConflictSessionBuilder.build(node, core, key.session(), c.commonPrefix(),
                        List.copyOf(localTxs.subList(c.commonPrefix(), localTxs.size())), target(job));
            } catch (ConflictSessionBuilder.UndecodableTail e) {
                throw new PlanFailure("divergent tail cannot be decoded: " + e.getMessage());
            }
        }
        return new Plan(c, localTxs.size(), localSig, conflict, core.isDeleted());
    }

    /**
     * S! for a session S. For S! itself (a conflict session should never fork, but two
     * installations sharing a storage copy can make it, §5.8): a brand-new random session of the
     * same author, recorded as this installation's before anything is written to it; the tail is
     * re-signed there, never into a conflict session of a conflict session.
     */
    SessionID target(Job job) {
        SessionID s = job.key.session();
        if (!s.isConflictSession()) return s.conflictSession();
        if (job.target == null) {
            SessionID fresh = node.crypto().newRandomSessionID(s.baseSession().author());
            registry.record(fresh);
            LOG.warn("conflict session {} of {} forked: its divergent tail is re-signed into the new session {}", s, job.key.id(), fresh);
            job.target = fresh;
        }
        return job.target;
    }

    /** Writes the plan's recovery unit, journal entry included, in one storage commit (the caller waits for it). */
    CompletableFuture<ReplaceResult> commit(Job job, Plan plan, ServerVersion version, int round) {
        Key key = job.key;
        ForkConfirmation.Comparison c = plan.comparison();
        SessionPiece conflict = plan.conflict();
        int conflictFrom = conflict == null ? 0 : conflict.after();
        int conflictTo = conflict == null ? 0 : conflict.after() + conflict.transactions().size();
        RecoveryJournalEntry entry = new RecoveryJournalEntry(key.id(), key.session(), round, c.commonPrefix(), version.length(),
                version.lastSignature(), c.commonPrefix(), plan.localLength(), plan.localLastSignature(), conflictFrom, conflictTo,
                job.trigger, System.currentTimeMillis(), RecoveryJournalEntry.COMMITTED, target(job));
        SessionReplacement unit = new SessionReplacement(key.id(), key.session(), version.pieces(), conflict, entry);
        return storage.replaceSession(unit);
    }

    /** The journal round: a re-run of a round already journaled (same local tail) keeps its number (§5.7). */
    int roundFor(Key key, Plan plan, ServerVersion version) {
        int max = 0;
        for (RecoveryJournalEntry e : storage.journal(key.id())) {
            if (!e.session().equals(key.session())) continue;
            if (Objects.equals(e.localTailLastSignature(), plan.localLastSignature())
                    && Objects.equals(e.serverLastSignature(), version.lastSignature())) {
                return e.round();
            }
            max = Math.max(max, e.round());
        }
        return max + 1;
    }
}
