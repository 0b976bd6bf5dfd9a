package io.cojson.sync.recovery;

import io.cojson.core.ids.SessionID;
import io.cojson.storage.engine.CoValueStorage;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * This installation's own session IDs, current and previous (recovery.md §4.3 step 4): only these
 * are ever recovered. Other devices of the same account share the agent key, so "authored by my
 * account" would let two installations each rewrite the same foreign session.
 */
public interface SessionRegistry {

    /** Every session recorded so far. */
    Set<SessionID> ownSessions();

    /** Records {@code session} as this installation's (durable on return where the registry is persistent). */
    void record(SessionID session);

    default boolean owns(SessionID session) {
        return ownSessions().contains(session);
    }

    /** A registry that lives as long as the process (a node without storage). */
    static SessionRegistry inMemory() {
        Set<SessionID> set = Collections.synchronizedSet(new LinkedHashSet<>());
        return new SessionRegistry() {
            @Override
            public Set<SessionID> ownSessions() {
                synchronized (set) {
                    return Set.copyOf(set);
                }
            }

            @Override
            public void record(SessionID session) {
                set.add(Objects.requireNonNull(session));
            }
        };
    }

    /** The registry kept by {@code storage} (a file beside its database), surviving restarts. */
    static SessionRegistry of(CoValueStorage storage) {
        Objects.requireNonNull(storage, "storage");
        return new SessionRegistry() {
            @Override
            public Set<SessionID> ownSessions() {
                return storage.ownSessions();
            }

            @Override
            public void record(SessionID session) {
                storage.recordOwnSession(Objects.requireNonNull(session));
            }
        };
    }
}
