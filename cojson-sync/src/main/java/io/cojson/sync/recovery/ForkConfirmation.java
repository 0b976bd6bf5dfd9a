package io.cojson.sync.recovery;

import io.cojson.core.ids.SessionID;
import io.cojson.core.session.Transaction;
import java.util.List;
import java.util.Set;

/**
 * Fork confirmation (recovery.md §4.3 steps 3 and 4) on a normalized, verified server version:
 * the longest common prefix with the local log by the canonical bytes that feed the session hash,
 * and ownership through the session registry.
 */
public final class ForkConfirmation {
    private ForkConfirmation() {}

    /** What comparing the two versions showed. */
    public enum Outcome {
        /** Both are the same log. */
        IDENTICAL,
        /** The server version is a prefix of the local one: normal sync pushes the rest. */
        SERVER_IS_PREFIX,
        /** The local log is a prefix of the server version: its extra transactions are ordinary content. */
        LOCAL_IS_PREFIX,
        /** Neither is a prefix of the other: recovery (§5) runs from the common prefix. */
        FORK
    }

    /** The comparison: outcome and the common prefix length P. */
    public record Comparison(Outcome outcome, int commonPrefix, int localLength, int serverLength) {}

    /** Longest common prefix of two logs by canonical transaction bytes. */
    public static int commonPrefix(List<Transaction> local, List<Transaction> server) {
        int n = Math.min(local.size(), server.size());
        int p = 0;
        while (p < n && sameBytes(local.get(p), server.get(p))) p++;
        return p;
    }

    private static boolean sameBytes(Transaction a, Transaction b) {
        return a == b || a.canonicalJson().equals(b.canonicalJson());
    }

    public static Comparison compare(List<Transaction> local, List<Transaction> server) {
        int p = commonPrefix(local, server);
        Outcome o;
        if (p == local.size() && p == server.size()) o = Outcome.IDENTICAL;
        else if (p == server.size()) o = Outcome.SERVER_IS_PREFIX;
        else if (p == local.size()) o = Outcome.LOCAL_IS_PREFIX;
        else o = Outcome.FORK;
        return new Comparison(o, p, local.size(), server.size());
    }

    /**
     * Whether this installation wrote {@code session} (§4.3 step 4): it is in the registry. Delete
     * and conflict sessions are never recovered.
     */
    public static boolean recoverable(SessionID session, Set<SessionID> ownSessions) {
        return !session.isDeleteSession() && !session.isConflictSession() && ownSessions.contains(session);
    }

    /**
     * Whether {@code session} is the conflict session of one of this installation's sessions: one
     * that should never fork (§5.8) but can, e.g. when two installations share a storage copy. Its
     * divergent tail is re-signed into a new active session, never into a conflict session of a
     * conflict session.
     */
    public static boolean ownConflictSession(SessionID session, Set<SessionID> ownSessions) {
        return session.isConflictSession() && ownSessions.contains(session.baseSession());
    }
}
