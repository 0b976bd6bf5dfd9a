package io.cojson.sync;

import static io.cojson.sync.SyncTestKit.CRYPTO;
import static io.cojson.sync.SyncTestKit.set;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.content.CoMapContent;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.knownstate.KnownState;
import io.cojson.core.node.Accounts;
import io.cojson.core.node.ContentPiece;
import io.cojson.core.node.GroupOperations;
import io.cojson.core.node.LocalNode;
import io.cojson.core.session.AddResult;
import io.cojson.sync.internal.ContentProducer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** sync-protocol §4: pieces cut at checkpoint signatures, header first, expectContentUntil. */
class ContentProducerTest {
    private final LocalNode alice = Accounts.create(CRYPTO, "Alice");
    private final RawCoID group = GroupOperations.createGroup(alice, null);
    private final RawCoID map = Accounts.createOwned(alice, "comap", group, JsonValue.NULL);

    private ContentProducer.Pieces since(KnownState known) {
        return alice.locked(() -> ContentProducer.newContentSince(alice.require(map), known, null));
    }

    @Test
    void twelveLargeTransactionsGoAsThreeCheckpointPieces() {
        String big = "x".repeat(30_000);
        for (int i = 0; i < 12; i++) { // trusting, so that each transaction is ~30 000 characters
            alice.write(map, List.of(CoMapContent.setChange("k" + i, JsonValue.of(big))), null, false);
        }
        SessionID s = alice.sessionID();

        ContentProducer.Pieces all = since(null);
        assertEquals(3, all.pieces().size(), "the reference observed after=0/4/8, n=4 each");
        for (int i = 0; i < 3; i++) {
            ContentPiece p = all.pieces().get(i);
            assertEquals(i == 0, p.header() != null, "header only in the first piece");
            assertEquals(1, p.sessions().size());
            assertEquals(4 * i, p.sessions().get(0).after());
            assertEquals(4, p.sessions().get(0).transactions().size());
        }
        assertEquals(Map.of(s, 12), all.expectContentUntil());
        assertEquals(3, all.priority());

        List<SyncMessage.Content> messages = all.toMessages();
        assertNotNull(messages.get(0).expectContentUntil());
        assertNull(messages.get(1).expectContentUntil());

        ContentProducer.Pieces rest = since(new KnownState(map, true, Map.of(s, 5)));
        assertEquals(2, rest.pieces().size());
        assertEquals(5, rest.pieces().get(0).sessions().get(0).after());
        assertEquals(3, rest.pieces().get(0).sessions().get(0).transactions().size(), "up to the checkpoint at 7");
        assertNull(rest.pieces().get(0).header());
        assertEquals(Map.of(s, 12), rest.expectContentUntil());
    }

    @Test
    void everyPieceVerifiesOnAFreshNodeInOrder() {
        String big = "y".repeat(40_000);
        for (int i = 0; i < 9; i++) set(alice, map, "k" + i, JsonValue.of(big));
        LocalNode bob = LocalNode.forAgent(CRYPTO, CRYPTO.newRandomAgentSecret());
        for (RawCoID id : List.of(alice.accountID(), group)) {
            for (ContentPiece p : alice.locked(() -> ContentProducer.newContentSince(alice.require(id), null, null)).pieces()) {
                bob.importContent(p);
            }
        }
        for (ContentPiece p : since(null).pieces()) {
            for (AddResult r : bob.importContent(p)) assertTrue(r.isAdded(), r.toString());
        }
        assertEquals(alice.require(map).knownState(), bob.require(map).knownState());
    }

    @Test
    void nothingToSendAndHeaderOnly() {
        assertEquals(1, since(null).pieces().size(), "an empty value still sends its header");
        assertTrue(since(null).pieces().get(0).sessions().isEmpty());
        assertTrue(since(KnownState.empty(map).withHeader(true)).isEmpty());
        set(alice, map, "a", JsonValue.of(1));
        KnownState ours = alice.require(map).knownState();
        assertTrue(since(ours).isEmpty());
        assertNull(since(null).expectContentUntil(), "a single piece needs no expectContentUntil");
    }

    @Test
    void aSendableLimitCutsAtTheLastCheckpointWithinIt() {
        String big = "x".repeat(30_000);
        for (int i = 0; i < 12; i++) alice.write(map, List.of(CoMapContent.setChange("k" + i, JsonValue.of(big))), null, false);
        SessionID s = alice.sessionID();
        java.util.function.IntFunction<ContentProducer.Pieces> limited = n -> alice.locked(() -> ContentProducer.newContentSince(
                alice.require(map), null, null, new KnownState(map, true, Map.of(s, n))));

        assertEquals(List.of(), sessionPieces(limited.apply(3)), "below the first checkpoint (after index 3): nothing of S");
        assertEquals(List.of(4), ends(limited.apply(4)));
        assertEquals(List.of(4, 8), ends(limited.apply(11)), "not at a signature: back to the checkpoint after index 7");
        assertEquals(List.of(4, 8, 12), ends(limited.apply(12)));
        ContentProducer.Pieces partial = limited.apply(9);
        assertEquals(Map.of(s, 8), partial.expectContentUntil(), "the stream announces only what may go out");
        assertNotNull(partial.pieces().get(0).header(), "the header is not held back");
    }

    private static List<ContentPiece.SessionPiece> sessionPieces(ContentProducer.Pieces p) {
        return p.pieces().stream().flatMap(x -> x.sessions().stream()).toList();
    }

    private static List<Integer> ends(ContentProducer.Pieces p) {
        return sessionPieces(p).stream().map(x -> x.after() + x.transactions().size()).toList();
    }
}
