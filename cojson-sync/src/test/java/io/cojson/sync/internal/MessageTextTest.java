package io.cojson.sync.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.content.CoMapContent;
import io.cojson.core.crypto.Crypto;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import io.cojson.core.node.Accounts;
import io.cojson.core.node.ContentPiece;
import io.cojson.core.node.GroupOperations;
import io.cojson.core.node.LocalNode;
import io.cojson.core.session.Transaction;
import io.cojson.sync.SyncMessage;
import io.cojson.sync.transport.internal.FrameCodec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Content and whole-session SignatureMismatch messages are read and written without a JSON tree, byte for byte as the tree path would. */
class MessageTextTest {
    private static final Crypto CRYPTO = Crypto.create();

    private static SyncMessage.SignatureMismatch report(int transactions) {
        LocalNode alice = Accounts.create(CRYPTO, "Alice");
        RawCoID group = GroupOperations.createGroup(alice, null);
        RawCoID map = Accounts.createOwned(alice, "comap", group, JsonValue.NULL);
        for (int i = 0; i < transactions; i++) {
            alice.write(map, List.of(CoMapContent.setChange("k" + (i % 7), JsonValue.of("v \"" + i + "\" é\n"))), null, i % 2 == 0);
        }
        SessionID s = alice.sessionID();
        List<ContentPiece.SessionPiece> pieces = new ArrayList<>();
        for (ContentPiece p : alice.exportContent(map)) {
            for (ContentPiece.SessionPiece sp : p.sessions()) if (sp.sessionID().equals(s)) pieces.add(sp);
        }
        return SyncMessage.SignatureMismatch.of(map, s, pieces, "a reason with \"quotes\"");
    }

    private static List<Transaction> all(SyncMessage.SignatureMismatch m) {
        List<Transaction> out = new ArrayList<>();
        for (SyncMessage.SessionEntry e : m.content()) out.addAll(e.toSessionPiece().transactions());
        return out;
    }

    @Test
    @DisplayName("§4.1 written from the transactions = the generic writer's bytes; read back without a tree, to the same transactions and bytes")
    void writesAndReadsAWholeSessionWithoutATree() {
        SyncMessage.SignatureMismatch m = report(3_000); // several pieces, private and trusting
        assertTrue(m.content().size() > 1, "pieces: " + m.content().size());
        String text = m.toJson();
        assertEquals(JsonWriter.stringify(MessageCodec.toJson(m)), text, "the same bytes as through a JSON tree");
        SyncMessage.SignatureMismatch back = (SyncMessage.SignatureMismatch) SyncMessage.parse(text);
        for (SyncMessage.SessionEntry e : back.content()) assertNotNull(e.transactions(), "read straight into transactions");
        assertEquals(all(m), all(back));
        assertEquals(m.reason(), back.reason());
        assertEquals(text, back.toJson(), "re-serializes byte for byte");
    }

    @Test
    @DisplayName("§4.1 a transaction in another key order goes the tree path, which keeps its bytes; a broken message gets the tree path's typed error")
    void anUnusualTransactionLayoutKeepsItsBytes() {
        SyncMessage.SignatureMismatch m = report(3);
        Transaction.Trusting t = (Transaction.Trusting) all(m).stream().filter(x -> x instanceof Transaction.Trusting).findFirst().orElseThrow();
        String canonical = t.canonicalJson();
        String reordered = "{\"madeAt\":" + t.madeAt() + ",\"changes\":" + JsonWriter.stringify(JsonValue.of(t.changes()))
                + ",\"privacy\":\"trusting\"}";
        String text = m.toJson().replace(canonical, reordered);
        SyncMessage.SignatureMismatch back = (SyncMessage.SignatureMismatch) SyncMessage.parse(text);
        assertTrue(back.content().stream().anyMatch(e -> e.transactions() == null), "the tree path read it");
        assertEquals(text, back.toJson(), "as received");
        assertEquals(all(m), all(back));
        assertNull(MessageText.read(text.substring(0, text.length() - 1)));
        io.cojson.sync.InvalidSyncMessageException e = org.junit.jupiter.api.Assertions.assertThrows(
                io.cojson.sync.InvalidSyncMessageException.class, () -> SyncMessage.parse(text.replace("\"SignatureMismatch\"", "\"Other\"")));
        assertEquals(io.cojson.sync.InvalidSyncMessageException.Kind.INVALID_FIELD, e.kind());
    }

    @Test
    @DisplayName("content messages (header, private and trusting pieces, expectContentUntil) read straight into transactions equal the tree path's, and write back byte for byte")
    void contentMessagesWithoutATree() {
        LocalNode alice = Accounts.create(CRYPTO, "Alice");
        RawCoID group = GroupOperations.createGroup(alice, null);
        RawCoID map = Accounts.createOwned(alice, "comap", group, JsonValue.NULL);
        for (int i = 0; i < 4_000; i++) {
            alice.write(map, List.of(CoMapContent.setChange("k" + (i % 5), JsonValue.of("v\t" + i + " ü"))), null, i % 3 == 0);
        }
        List<SyncMessage.Content> messages = alice.locked(() -> SyncMessage.Content.allOf(alice.require(map)));
        assertTrue(messages.size() > 1);
        SyncMessage.Content last = messages.get(messages.size() - 1);
        java.util.Map<SessionID, Integer> expect = java.util.Map.of(alice.sessionID(), 4_000);
        List<SyncMessage.Content> all = new ArrayList<>(messages);
        all.add(new SyncMessage.Content(last.id(), last.header(), last.priority(), last.sessions(), expect));
        for (SyncMessage.Content m : all) {
            String text = m.toJson();
            assertEquals(JsonWriter.stringify(MessageCodec.toJson(m)), text, "the same bytes as through a JSON tree");
            SyncMessage.Content fast = (SyncMessage.Content) MessageText.read(text);
            assertNotNull(fast, "read straight into transactions");
            for (SyncMessage.SessionEntry e : fast.sessions().values()) assertNotNull(e.transactions());
            SyncMessage.Content tree = (SyncMessage.Content) MessageCodec.fromJson(io.cojson.core.json.Json.parse(text));
            assertEquals(tree, fast, "the same message as the tree path's");
            assertEquals(text, fast.toJson());
            assertEquals(m.impliedKnownState(), fast.impliedKnownState());
        }
        String withExtraKey = all.get(0).toJson().replaceFirst("\\{\"after\":", "{\"x\":1,\"after\":");
        assertNull(MessageText.read(withExtraKey), "an unusual shape goes the tree path");
        assertEquals(MessageCodec.fromJson(io.cojson.core.json.Json.parse(withExtraKey)), SyncMessage.parse(withExtraKey));
    }

    @Test
    @DisplayName("§4.1 the WebSocket frame decoder checks a mismatch line is JSON but builds no tree for it; a broken one drops the frame")
    void theFrameDecoderBuildsNoTreeForAMismatch() {
        String text = report(50).toJson();
        FrameCodec.Decoded d = FrameCodec.decode(text);
        assertNull(d.error);
        assertEquals("error", d.lines.get(0).action);
        assertNull(d.lines.get(0).value, "the protocol layer reads the text itself");
        assertNotNull(FrameCodec.decode(text.substring(0, text.length() - 2)).error);
    }
}
