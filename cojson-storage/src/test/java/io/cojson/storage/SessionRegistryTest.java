package io.cojson.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.crypto.Crypto;
import io.cojson.core.ids.SessionID;
import io.cojson.storage.engine.AsyncMapDbStorage;
import io.cojson.storage.engine.MapDbStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The session registry (recovery.md §4.3): own session IDs survive a reopen, on both storage kinds. */
class SessionRegistryTest {
    private static final Crypto CRYPTO = TestSupport.CRYPTO;

    @TempDir
    Path dir;

    private static SessionID session() {
        return CRYPTO.newRandomSessionID(CRYPTO.getAgentID(CRYPTO.newRandomAgentSecret()).value());
    }

    @Test
    void ownSessionsSurviveAReopenInOrderWithoutDuplicates() {
        SessionID first = session();
        SessionID second = session();
        try (MapDbStorage s = MapDbStorage.open(dir)) {
            assertEquals(Set.of(), s.ownSessions());
            s.recordOwnSession(first);
            s.recordOwnSession(second);
            s.recordOwnSession(first);
        }
        try (AsyncMapDbStorage s = AsyncMapDbStorage.open(dir)) {
            assertEquals(List.of(first, second), List.copyOf(s.ownSessions()));
        }
    }

    @Test
    void aLeftoverTemporaryFileFromACrashedWriteDoesNotCount() throws Exception {
        SessionID kept = session();
        try (MapDbStorage s = MapDbStorage.open(dir)) {
            s.recordOwnSession(kept);
        }
        Files.writeString(dir.resolve("session-registry.tmp"), session().value()); // a write killed before its rename
        try (MapDbStorage s = MapDbStorage.open(dir)) {
            assertEquals(Set.of(kept), s.ownSessions());
            SessionID next = session();
            s.recordOwnSession(next);
            assertTrue(s.ownSessions().contains(next));
            assertEquals(2, s.ownSessions().size());
        }
    }

    @Test
    void discardedDeletedRecordsSurviveAReopenOnceEachInOrder() {
        try (AsyncMapDbStorage s = AsyncMapDbStorage.open(dir)) {
            assertEquals(List.of(), s.discardedDeleted());
            s.recordDiscardedDeleted("{\"id\":\"a\"}");
            s.recordDiscardedDeleted("{\"id\":\"b\"}");
            s.recordDiscardedDeleted("{\"id\":\"a\"}");
        }
        try (MapDbStorage s = MapDbStorage.open(dir)) {
            assertEquals(List.of("{\"id\":\"a\"}", "{\"id\":\"b\"}"), s.discardedDeleted());
        }
    }

    @Test
    void serverAcknowledgementsSurviveAReopenAndOnlyGrow() {
        SessionID s1 = session();
        String key = "co_zTest " + s1.value();
        try (MapDbStorage s = MapDbStorage.open(dir)) {
            assertEquals(java.util.Map.of(), s.serverAcknowledged());
            s.recordServerAcknowledged(java.util.Map.of(key, 3));
            s.recordServerAcknowledged(java.util.Map.of(key, 2)); // an older confirmation never lowers it
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> s.recordServerAcknowledged(java.util.Map.of("no-space", 1)));
        }
        try (AsyncMapDbStorage s = AsyncMapDbStorage.open(dir)) {
            assertEquals(java.util.Map.of(key, 3), s.serverAcknowledged());
            s.recordServerAcknowledged(java.util.Map.of(key, 5));
            assertEquals(java.util.Map.of(key, 5), s.serverAcknowledged());
        }
    }
}
