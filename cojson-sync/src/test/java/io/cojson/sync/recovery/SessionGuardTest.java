package io.cojson.sync.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.content.CoMapContent;
import io.cojson.core.crypto.Crypto;
import io.cojson.core.ids.AgentSecret;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.node.Accounts;
import io.cojson.core.node.ContentPiece;
import io.cojson.core.node.GroupOperations;
import io.cojson.core.node.LocalNode;
import io.cojson.storage.engine.CloseReport;
import io.cojson.storage.Faults;
import io.cojson.storage.engine.AsyncMapDbStorage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** recovery.md §13: which session a node restarting on its storage writes with. */
class SessionGuardTest {
    private static final Crypto CRYPTO = Crypto.create();

    @TempDir
    Path dir;

    @AfterEach
    void reset() {
        Faults.configure(null);
    }

    private static void storeAll(AsyncMapDbStorage s, LocalNode node) throws Exception {
        for (RawCoID id : node.ids()) for (ContentPiece p : node.exportContent(id)) s.store(p).get(10, TimeUnit.SECONDS);
    }

    @Test
    @DisplayName("§13 after a clean close the session is reused; after a close that dropped queued writes of it, a new session is taken and both are recorded as this installation's")
    void aCloseThatDroppedWritesOfTheSessionPutsItAtRisk() throws Exception {
        AgentSecret secret = CRYPTO.newRandomAgentSecret();
        LocalNode alice = Accounts.create(CRYPTO, secret, "Alice");
        RawCoID group = GroupOperations.createGroup(alice, null);
        RawCoID map = Accounts.createOwned(alice, "comap", group, JsonValue.NULL);
        SessionID s = alice.sessionID();
        alice.write(map, List.of(CoMapContent.setChange("title", JsonValue.of("Task"))), null, true);
        try (AsyncMapDbStorage disk = AsyncMapDbStorage.open(dir)) {
            storeAll(disk, alice);
        }
        try (AsyncMapDbStorage disk = AsyncMapDbStorage.open(dir)) {
            assertFalse(disk.previousShutdownUnclean());
            SessionGuard.Choice c = SessionGuard.choose(disk, SessionRegistry.of(disk), CRYPTO, alice.accountID(), s);
            assertEquals(new SessionGuard.Choice(s, false, null), c, "nothing at risk: the same session");
            assertEquals(List.of(s), List.copyOf(disk.ownSessions()));
        }

        int before = alice.locked(() -> alice.require(map).sessions().get(s).size());
        alice.write(map, List.of(CoMapContent.setChange("status", JsonValue.of("review"))), null, true);
        AsyncMapDbStorage disk = AsyncMapDbStorage.open(dir);
        Faults.configure("storage.queue.beforeEntry=delay:300*");
        for (int i = 0; i < 3; i++) disk.flush();
        for (ContentPiece p : alice.exportContent(map)) disk.store(p);
        CloseReport report = disk.close(Duration.ofMillis(50));
        Faults.configure(null);
        assertTrue(report.dropped() >= 1, report.toString());

        try (AsyncMapDbStorage again = AsyncMapDbStorage.open(dir)) {
            assertFalse(again.previousShutdownUnclean(), "the close itself was orderly");
            assertEquals(before, again.knownState(map).count(s), "the new transaction was dropped");
            SessionGuard.Choice c = SessionGuard.choose(again, SessionRegistry.of(again), CRYPTO, alice.accountID(), s);
            assertTrue(c.fresh(), c.toString());
            assertNotEquals(s, c.session());
            assertEquals("marked at risk", c.reason());
            assertEquals(List.of(s, c.session()), List.copyOf(again.ownSessions()));
        }
    }
}
