package io.cojson.sync;

import static io.cojson.sync.SyncTestKit.CRYPTO;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.node.Accounts;
import io.cojson.core.node.GroupOperations;
import io.cojson.core.node.LocalNode;
import org.junit.jupiter.api.Test;

/**
 * A session piece is equal whether read from the wire (JSON transactions) or built from parsed
 * transactions (a whole-session SignatureMismatch), and only then.
 */
class SessionEntryEqualityTest {
    private final LocalNode alice = Accounts.create(CRYPTO, "Alice");
    private final RawCoID group = GroupOperations.createGroup(alice, null);
    private final RawCoID map = Accounts.createOwned(alice, "comap", group, JsonValue.NULL);

    private SyncMessage.SessionEntry wireEntry() {
        SyncMessage.Content c = InvalidInputTest.contentOf(alice, map).get(0);
        // through the wire text, as a peer's message arrives
        SyncMessage.Content parsed = (SyncMessage.Content) SyncMessage.parse(c.toJson());
        SyncMessage.SessionEntry e = parsed.sessions().values().iterator().next();
        // the transactions as JSON only (the form a piece has before it is used)
        return new SyncMessage.SessionEntry(e.session(), e.after(), e.newTransactions(), e.lastSignature());
    }

    @Test
    void wireAndParsedFormsOfOnePieceAreEqual() {
        SyncTestKit.set(alice, map, "a", JsonValue.of(1));
        SyncTestKit.set(alice, map, "b", JsonValue.of(2));
        SyncMessage.SessionEntry json = wireEntry();
        SyncMessage.SessionEntry json2 = wireEntry();
        SyncMessage.SessionEntry parsed = SyncMessage.SessionEntry.of(json.toSessionPiece());
        SyncMessage.SessionEntry parsed2 = SyncMessage.SessionEntry.of(json2.toSessionPiece());

        assertTrue(json.equals(json), "reflexive");
        assertTrue(parsed.equals(parsed), "reflexive");
        assertTrue(json.equals(json2), "two JSON readings");
        assertTrue(parsed.equals(parsed2), "two parsed forms");
        assertTrue(json.equals(parsed) && parsed.equals(json), "JSON and parsed, both ways");
        assertEquals(json.hashCode(), parsed.hashCode());
        assertEquals(json.hashCode(), json2.hashCode());
        assertFalse(json.equals(null));
        assertFalse(json.equals("not an entry"));
    }

    @Test
    void piecesDifferingInAnyPartAreNotEqual() {
        SyncTestKit.set(alice, map, "a", JsonValue.of(1));
        SyncTestKit.set(alice, map, "b", JsonValue.of(2));
        SyncMessage.SessionEntry json = wireEntry();
        SyncMessage.SessionEntry parsed = SyncMessage.SessionEntry.of(json.toSessionPiece());
        var txs = json.toSessionPiece().transactions();

        SyncMessage.SessionEntry otherAfter = new SyncMessage.SessionEntry(json.session(), 1, json.newTransactions(), json.lastSignature());
        SyncMessage.SessionEntry otherSession = new SyncMessage.SessionEntry(json.session() + "x", 0, json.newTransactions(), json.lastSignature());
        SyncMessage.SessionEntry otherSignature = new SyncMessage.SessionEntry(json.session(), 0, json.newTransactions(), "signature_zOther");
        SyncMessage.SessionEntry fewerJson = new SyncMessage.SessionEntry(json.session(), 0,
                new JsonValue.Arr(json.newTransactions().items().subList(0, 1)), json.lastSignature());
        SyncMessage.SessionEntry fewerParsed = new SyncMessage.SessionEntry(json.session(), 0, null, json.lastSignature(), txs.subList(0, 1));
        SyncMessage.SessionEntry swappedParsed = new SyncMessage.SessionEntry(json.session(), 0, null, json.lastSignature(),
                java.util.List.of(txs.get(1), txs.get(0)));

        for (SyncMessage.SessionEntry other : java.util.List.of(otherAfter, otherSession, otherSignature, fewerJson, fewerParsed, swappedParsed)) {
            assertFalse(json.equals(other), "JSON vs " + other);
            assertFalse(parsed.equals(other), "parsed vs " + other);
            assertFalse(other.equals(json), other + " vs JSON");
            assertFalse(other.equals(parsed), other + " vs parsed");
        }
        // same count, different transactions: told apart as JSON and as parsed transactions
        SyncMessage.SessionEntry swappedJson = new SyncMessage.SessionEntry(json.session(), 0,
                new JsonValue.Arr(java.util.List.of(json.newTransactions().items().get(1), json.newTransactions().items().get(0))), json.lastSignature());
        assertNotEquals(json, swappedJson);
        assertNotEquals(swappedJson, json);
        // the hash tells pieces apart by session, position and size
        assertNotEquals(json.hashCode(), otherAfter.hashCode());
        assertNotEquals(json.hashCode(), fewerJson.hashCode());
    }
}
