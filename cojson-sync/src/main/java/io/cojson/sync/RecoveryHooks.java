package io.cojson.sync;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import java.util.Set;

/**
 * Where crash recovery plugs into sync for the client-side triggers T2–T4 of recovery.md §4.2
 * (T1, a {@code SignatureMismatch} from a server, arrives through
 * {@link SyncManager#onSignatureMismatch}). Every method runs on the sync executor: it must be
 * quick and never block. Installed with {@link SyncManager#setRecoveryHooks}.
 */
public interface RecoveryHooks {
    /** No recovery: every trigger is ignored and rejected content marks the value errored as before. */
    RecoveryHooks NONE = new RecoveryHooks() {};

    /**
     * T2: content of {@code session} from the server peer {@code server} does not verify against
     * this node's log as a signature mismatch (case B: the server holds a tail this node lost and
     * wrote over). {@code serverLength} is where that content ends. Return true when recovery takes
     * it over (a verification fetch follows): the value is then not marked errored for the peer.
     */
    default boolean ownSessionRejected(PeerState server, RawCoID id, SessionID session, int serverLength) {
        return false;
    }

    /**
     * T3: a non-correction {@code known} from {@code server} holds fewer transactions of
     * {@code session} than this node has pushed to it. Pipelined pushes make this common and
     * harmless; the hook decides whether the shortfall lasts.
     */
    default void acknowledgementShortfall(PeerState server, RawCoID id, SessionID session, int pushed, int acknowledged) {}

    /**
     * T4: sessions of {@code id} that must not be pushed to {@code server} until they are verified
     * against the server's version (empty: push everything). Called before every push to a server
     * peer, so it must be cheap when nothing is at risk.
     */
    default Set<SessionID> holdBeforePush(PeerState server, RawCoID id) {
        return Set.of();
    }

    /**
     * Whether a session of {@code id} is held back until a check or recovery ends: then a server's
     * equal count of it proves nothing (a fork of the same length), and {@code waitForSync} waits.
     */
    default boolean holding(RawCoID id) {
        return false;
    }
}
