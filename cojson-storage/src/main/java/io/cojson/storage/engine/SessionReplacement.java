package io.cojson.storage.engine;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.node.ContentPiece.SessionPiece;
import java.util.List;

/**
 * The recovery unit (recovery.md §5.4): in one commit, append the new conflict-session
 * transactions (skipping ones already stored identically), replace every stored transaction,
 * checkpoint signature and the row of {@code session} with the verified server version (a
 * checkpoint signature at every piece boundary), keep only the tombstone if the CoValue is deleted,
 * and write the journal record. The caller verified everything; storage does not re-verify.
 *
 * @param serverVersion the server's version of the session as consecutive pieces from index 0, each
 *                      ending at a signature (may be empty: the session is removed)
 * @param conflict      transactions for the conflict session ({@code session + "!"}), starting at
 *                      {@code conflict.after()}; null when the divergent tail is empty. When
 *                      {@code session} is itself a conflict session that forked (recovery.md §5.8),
 *                      the tail goes to the new active session the journal entry names instead.
 */
public record SessionReplacement(RawCoID id, SessionID session, List<SessionPiece> serverVersion, SessionPiece conflict,
        RecoveryJournalEntry journal) {
    public SessionReplacement {
        if (id == null || session == null || journal == null) throw new IllegalArgumentException("id, session and journal are required");
        if (session.isDeleteSession()) throw new IllegalArgumentException("a delete session is never replaced: " + session);
        if (!journal.id().equals(id) || !journal.session().equals(session)) {
            throw new IllegalArgumentException("journal entry is about " + journal.id() + " / " + journal.session());
        }
        serverVersion = List.copyOf(serverVersion);
        int next = 0;
        for (SessionPiece p : serverVersion) {
            if (!p.sessionID().equals(session)) throw new IllegalArgumentException("server piece of " + p.sessionID() + ", expected " + session);
            if (p.after() != next) throw new IllegalArgumentException("server pieces must be consecutive from 0: piece at " + p.after() + ", expected " + next);
            if (p.transactions().isEmpty()) throw new IllegalArgumentException("empty server piece at " + p.after());
            next += p.transactions().size();
        }
        if (conflict != null) {
            if (!conflict.sessionID().equals(journal.conflictSession())) {
                throw new IllegalArgumentException("conflict piece of " + conflict.sessionID() + ", expected " + journal.conflictSession());
            }
            if (conflict.transactions().isEmpty()) throw new IllegalArgumentException("empty conflict piece");
        }
    }

    /** Length of the server version. */
    public int serverLength() {
        return serverVersion.isEmpty() ? 0 : serverVersion.get(serverVersion.size() - 1).after()
                + serverVersion.get(serverVersion.size() - 1).transactions().size();
    }
}
