package io.cojson.sync.recovery;

import io.cojson.core.crypto.Crypto;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.storage.engine.CoValueStorage;
import io.cojson.sync.RecoverySwitches;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the session a node writes with when it starts on existing storage (recovery.md §13): a
 * session the previous process may have sent content of without storing it is at risk — appending
 * to it would fork it from the copy peers already have. So after an unclean shutdown (or a close
 * that dropped queued writes of that session, or a session already set aside that way) the node
 * starts a fresh session and marks the old one at risk for later runs; when the previous process
 * tracked its durability window, only a session that window names is at risk, and only its named
 * values are verified (T4); the old one's lost
 * tail then arrives from the server as an ordinary extension and no fork forms. Both sessions are
 * recorded in the {@link SessionRegistry}, so the old one stays this installation's for recovery.
 * {@code cojson.sessionReuseGuard=false} keeps the old session (crash tests use it to produce forks).
 */
public final class SessionGuard {
    private static final Logger LOG = LoggerFactory.getLogger(SessionGuard.class);

    /** The session to write with; {@code fresh} when it is not the one asked for, with the reason. */
    public record Choice(SessionID session, boolean fresh, String reason) {}

    private SessionGuard() {}

    /**
     * @param storage   the node's storage, just opened (null: a node without storage reuses freely)
     * @param registry  this installation's session registry (receives the chosen and the requested session)
     * @param account   the account (or agent) the sessions belong to
     * @param requested the session the app would continue (typically its last one), or null for a new one
     */
    public static Choice choose(CoValueStorage storage, SessionRegistry registry, Crypto crypto, RawCoID account, SessionID requested) {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(crypto, "crypto");
        Objects.requireNonNull(account, "account");
        if (requested == null) return record(registry, null, new Choice(crypto.newRandomSessionID(account.value()), true, "no session to reuse"));
        String risk = storage == null ? null : atRisk(storage, requested);
        if (risk == null) return record(registry, requested, new Choice(requested, false, null));
        if (!RecoverySwitches.sessionReuseGuard()) {
            LOG.info("session {} is at risk ({}), reused anyway: {}=false", requested, risk, RecoverySwitches.SESSION_REUSE_GUARD);
            return record(registry, requested, new Choice(requested, false, risk + "; guard off"));
        }
        // Until the old session's values are verified (T4), later runs must not take it up again
        // either: the (CoValue, session) entries say so already when the window was tracked.
        if (!storage.previousWindowsKnown() || !namedAtRisk(storage, requested)) storage.markAtRisk(java.util.Set.of("* " + requested.value()));
        SessionID fresh = crypto.newRandomSessionID(account.value());
        LOG.info("session {} is at risk ({}): writing in the new session {}", requested, risk, fresh);
        return record(registry, requested, new Choice(fresh, true, risk));
    }

    private static String atRisk(CoValueStorage storage, SessionID session) {
        // A tracked durability window names what went out unstored: an unclean end without an entry
        // for this session lost nothing a peer has (§13), so the session is safe to continue.
        if (storage.previousShutdownUnclean() && !storage.previousWindowsKnown()) {
            return "the previous process did not close the storage";
        }
        return namedAtRisk(storage, session) ? "marked at risk" : null;
    }

    private static boolean namedAtRisk(CoValueStorage storage, SessionID session) {
        String suffix = " " + session.value();
        for (String s : storage.atRiskSessions()) {
            if (s.endsWith(suffix)) return true;
        }
        return false;
    }

    /** The old session first: it stays "ours" even if the process dies before writing the new one. */
    private static Choice record(SessionRegistry registry, SessionID requested, Choice choice) {
        if (requested != null) registry.record(requested);
        registry.record(choice.session());
        return choice;
    }
}
