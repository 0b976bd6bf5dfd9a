package io.cojson.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.knownstate.KnownState;
import io.cojson.core.node.LocalNode;
import io.cojson.core.session.VerificationFailure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a client does with a server's content of its own session that forks from its version
 * (recovery.md §4.2, T2), and the verification fetch that takes such content instead of the node.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ServerContentForRecoveryTest {
    private final ForkedSession f = new ForkedSession();
    private final List<SyncError> errors = new CopyOnWriteArrayList<>();
    private SyncManager alice;
    private LocalNode restarted;
    private RawPeer server;

    private record Rejected(RawCoID id, SessionID session, int serverLength) {}

    private final List<Rejected> rejected = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        if (alice != null) alice.close();
    }

    /**
     * Alice's session with one write, and a restarted alice's version of it with two other
     * writes after the common prefix: content the server holds of alice's session.
     */
    private SyncMessage.Content forkedOnServer() {
        ForkedSession.set(f.alice, f.map, "a", "1");
        KnownState common = SyncTestKit.known(f.alice, f.map);
        restarted = f.restart();
        ForkedSession.set(f.alice, f.map, "b", "alice");
        ForkedSession.set(restarted, f.map, "b", "restarted");
        ForkedSession.set(restarted, f.map, "c", "restarted");
        KnownState before = common.withSession(f.alice.sessionID(), common.count(f.alice.sessionID()));
        List<SyncMessage.Content> c = ForkedSession.contentSince(restarted, f.map, before);
        assertEquals(1, c.size());
        return c.get(0);
    }

    private void connect(boolean recoveryTakesIt) {
        alice = SyncManager.create(f.alice, SyncOptions.defaults());
        alice.onError(errors::add);
        alice.setRecoveryHooks(new RecoveryHooks() {
            @Override
            public boolean ownSessionRejected(PeerState peer, RawCoID id, SessionID session, int serverLength) {
                assertEquals("server", peer.id());
                rejected.add(new Rejected(id, session, serverLength));
                return recoveryTakesIt;
            }
        });
        server = RawPeer.attach(alice, "server", PeerRole.SERVER);
        SyncTestKit.await("the server peer added", () -> alice.peer("server").isPresent());
    }

    private int ownCount() {
        return SyncTestKit.known(f.alice, f.map).count(f.alice.sessionID());
    }

    @Test
    void aServersForkOfTheOwnSessionGoesToRecoveryInsteadOfAnError() {
        SyncMessage.Content fork = forkedOnServer();
        int common = fork.sessions().values().iterator().next().after();
        connect(true);
        server.send(fork);
        server.next(SyncMessage.Known.class);
        SyncTestKit.await("the hook called", () -> !rejected.isEmpty());
        assertEquals(List.of(new Rejected(f.map, f.alice.sessionID(), common + 2)), rejected, "where the server's version ends");
        assertEquals(List.of(), errors, "recovery takes it over: no rejection reported");
        assertEquals(1, alice.signatureMismatchStats().detected());
        assertEquals(common + 1, ownCount(), "nothing of the fork applied");
    }

    @Test
    void aForkRecoveryDeclinesIsRejectedAsASignatureMismatch() {
        SyncMessage.Content fork = forkedOnServer();
        connect(false);
        server.send(fork);
        server.next(SyncMessage.Known.class);
        SyncTestKit.await("the rejection reported", () -> !errors.isEmpty());
        assertEquals(1, rejected.size());
        assertEquals(SyncError.Kind.REJECTED_SESSION, errors.get(0).kind());
        assertEquals(VerificationFailure.Kind.SIGNATURE_MISMATCH, errors.get(0).failure().kind());
        assertEquals(1, alice.signatureMismatchStats().detected());
    }

    @Test
    void theVerificationFetchTakesTheServersVersionAwayFromTheNode() throws Exception {
        SyncMessage.Content fork = forkedOnServer();
        connect(true);
        PeerState peer = alice.peer("server").orElseThrow();
        CompletableFuture<SyncMessage.SignatureMismatch> fetch = alice.fetchServerVersion(peer, f.map, f.alice.sessionID(), 0,
                Duration.ofMillis(100), Duration.ofSeconds(20));
        SyncMessage.Load load = server.next(SyncMessage.Load.class);
        // (after the announcements of everything alice has) the map without that session: all of it is asked for
        while (!load.coValueId().equals(f.map) || load.knownState().count(f.alice.sessionID()) != 0) load = server.next(SyncMessage.Load.class);
        int common = fork.sessions().values().iterator().next().after();
        // the server's version from index 0: the common prefix, then the fork
        SyncMessage.Content whole = ForkedSession.contentSince(restarted, f.map, KnownState.empty(f.map)).get(0);
        server.send(new SyncMessage.Content(f.map, null, 0, whole.sessions(), null));
        SyncMessage.SignatureMismatch report = fetch.get(5, TimeUnit.SECONDS);
        assertEquals(common + 2, report.content().stream().mapToInt(e -> e.after() + e.count()).max().orElse(0),
                "the fetch holds the server's whole version");
        assertEquals(common + 1, ownCount(), "the node never saw it");
        assertTrue(rejected.isEmpty());
        assertEquals(List.of(), errors);
    }

    @Test
    void aFetchTheServerAnswersWithoutTheSessionEndsAfterTheQuietTimeNotTheTimeout() throws Exception {
        ForkedSession.set(f.alice, f.map, "a", "1");
        connect(true);
        PeerState peer = alice.peer("server").orElseThrow();
        CompletableFuture<SyncMessage.SignatureMismatch> fetch = alice.fetchServerVersion(peer, f.map, f.alice.sessionID(), 0,
                Duration.ofMillis(100), Duration.ofSeconds(20));
        while (!server.next(SyncMessage.Load.class).coValueId().equals(f.map)) { /* announcements */ }
        server.send(new SyncMessage.Content(f.map, null, 0, Map.of(), null)); // content, but none of that session
        SyncMessage.SignatureMismatch report = fetch.get(5, TimeUnit.SECONDS);
        assertEquals(List.of(), report.content());
        assertFalse(fetch.isCompletedExceptionally());
    }
}
