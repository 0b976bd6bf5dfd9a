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
}
