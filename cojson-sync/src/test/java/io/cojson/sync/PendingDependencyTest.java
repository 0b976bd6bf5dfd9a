package io.cojson.sync;

import static io.cojson.sync.SyncTestKit.CRYPTO;
import static io.cojson.sync.SyncTestKit.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.node.Accounts;
import io.cojson.core.node.GroupOperations;
import io.cojson.core.node.LocalNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 11 B.2: a client's content that waits for a dependency the client never supplies does not
 * hold its CoValue for the other peers, and one client cannot make unboundedly many wait.
 */
class PendingDependencyTest {
    private final LocalNode alice = Accounts.create(CRYPTO, "Alice");
    private final LocalNode serverNode = LocalNode.forAgent(CRYPTO, CRYPTO.newRandomAgentSecret());
    private final List<SyncError> errors = new CopyOnWriteArrayList<>();
    private SyncManager server;

    @AfterEach
    void close() {
        if (server != null) server.close();
    }

    @Test
    void contentWaitingForItsSendersAnswerNeitherBlocksOthersNorPilesUp() {
        server = SyncManager.create(serverNode, SyncOptions.defaults().withLoadTimeout(Duration.ofSeconds(60)));
        server.onError(errors::add);
        RawPeer mallory = RawPeer.attach(server, "mallory", PeerRole.CLIENT);
        RawPeer bob = RawPeer.attach(server, "bob", PeerRole.CLIENT);
        int sent = ContentHandler.MAX_WAITING_PER_CLIENT + 8;
        List<RawCoID> groups = new ArrayList<>();
        for (int i = 0; i < sent; i++) {
            RawCoID g = GroupOperations.createGroup(alice, null);
            groups.add(g);
            // Alice's account is not on the server: it asks mallory, who never answers.
            mallory.send(InvalidInputTest.contentOf(alice, g).get(0));
        }
        await("the contents beyond the per-client bound are dropped with a typed error",
                () -> errors.stream().filter(e -> e.kind() == SyncError.Kind.DEPENDENCY_UNAVAILABLE).count() == 8);
        // Bob is answered about a value whose content waits for mallory, well before the 60 s load timeout.
        bob.send(new SyncMessage.Load(io.cojson.core.knownstate.KnownState.empty(groups.get(0))));
        SyncMessage.Known answer = bob.next(SyncMessage.Known.class);
        assertEquals(groups.get(0), answer.knownState().id());
        assertFalse(answer.knownState().header(), "not there yet: its author is still missing");
        // Once bob supplies the author, every held content of mallory goes through.
        for (SyncMessage.Content m : InvalidInputTest.contentOf(alice, alice.accountID())) bob.send(m);
        await("the held contents are applied", () -> groups.subList(0, ContentHandler.MAX_WAITING_PER_CLIENT).stream()
                .allMatch(g -> serverNode.get(g) != null));
        assertEquals(8, errors.stream().filter(e -> e.kind() == SyncError.Kind.DEPENDENCY_UNAVAILABLE).count());
    }

    /**
     * On virtual time (the deterministic harness): contents of one client that wait for the same
     * author it never supplies are all given up after one load timeout. They used to ask for it one
     * after another, each with a fresh timeout, so the k-th waited k timeouts (and held its memory).
     */
    @Test
    void contentsWaitingForTheSameMissingAuthorAreAllGivenUpAfterOneLoadTimeout() {
        SimScheduler clock = new SimScheduler();
        server = SyncManager.create(serverNode, SyncOptions.defaults().withExecutor(clock).withScheduler(clock)
                .withLoadTimeout(Duration.ofSeconds(60)));
        server.onError(errors::add);
        SimLink link = new SimLink("mallory");
        link.client.setListener(new io.cojson.sync.transport.MessageChannel.Listener() {
            @Override
            public void onMessage(String json) {} // mallory reads what it is sent and never answers

            @Override
            public void onClosed(String reason) {}
        });
        server.addPeer("mallory", PeerRole.CLIENT, link.server);
        clock.runReady(100_000);
        // A value the server has, and sessions of an account it does not have (mallory never sends it).
        RawCoID g = GroupOperations.createGroup(alice, null);
        for (RawCoID v : alice.ids()) for (var piece : alice.exportContent(v)) serverNode.importContent(piece);
        String nobody = Accounts.create(CRYPTO, "Nobody").accountID().value();
        int sent = 5;
        for (int i = 0; i < sent; i++) { // all about one value: they apply in order, each waiting for the same author
            link.client.send("{\"action\":\"content\",\"id\":\"" + g.value() + "\",\"priority\":0,\"new\":{\"" + nobody
                    + "_session_zWaiting" + i + "\":{\"after\":0,\"newTransactions\":[{\"privacy\":\"trusting\",\"changes\":\"[]\","
                    + "\"madeAt\":1}],\"lastSignature\":\"signature_z1111\"}}}");
        }
        for (int i = 0; i < 1_000 && link.deliver(link.server, 0, false); i++) clock.runReady(100_000);
        // given up: its session rejected (its author unknown)
        java.util.function.LongSupplier givenUp = () -> errors.stream().filter(e -> e.kind() == SyncError.Kind.REJECTED_SESSION)
                .map(SyncError::session).distinct().count();
        clock.advance(59_000, 1_000_000);
        assertEquals(0, givenUp.getAsLong(), "nothing given up before the load timeout: " + errors);
        clock.advance(2_000, 1_000_000);
        assertEquals(sent, givenUp.getAsLong(), "every waiting content given up after one load timeout: " + errors);
    }
}
