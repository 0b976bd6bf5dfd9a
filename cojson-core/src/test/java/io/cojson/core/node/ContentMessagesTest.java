package io.cojson.core.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cojson.core.crypto.Crypto;
import io.cojson.core.crypto.CryptoProviders;
import io.cojson.core.ids.AgentSecret;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.json.Json;
import io.cojson.core.json.JsonStrings;
import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import io.cojson.core.session.AddResult;
import io.cojson.core.session.CanonicalSlices;
import io.cojson.core.testing.Vectors;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link ContentMessages}: the streaming reader gives exactly the pieces (and errors) of the tree
 * path, its canonical slices are the transactions' canonical JSON byte for byte, and what it reads
 * imports with every signature verified.
 */
class ContentMessagesTest {
    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (JsonNode c : Vectors.cases("covalues.json", "cases")) out.add(Arguments.of(c.get("name").textValue(), c));
        assertTrue(out.size() > 0);
        return out.stream();
    }

    private static List<JsonValue> messages(JsonNode c) {
        List<JsonValue> out = new ArrayList<>();
        for (JsonNode cv : c.get("coValues")) for (JsonNode msg : cv.get("contentMessages")) out.add(Vectors.toJsonValue(msg));
        return out;
    }

    private static List<ContentPiece> treePath(String text) {
        List<ContentPiece> out = new ArrayList<>();
        for (JsonValue m : ((JsonValue.Arr) Json.parse(text)).items()) out.add(ContentPiece.fromContentMessage(m));
        return out;
    }

    private static LocalNode readerNode(JsonNode c) {
        JsonNode agent = c.get("agents").get(c.get("expected").get(0).get("readAs").textValue());
        return LocalNode.forAccount(new Crypto(CryptoProviders.auto()), new RawCoID(agent.get("accountID").textValue()),
                AgentSecret.parse(agent.get("agentSecret").textValue()), new SessionID(agent.get("sessionID").textValue()));
    }

    /** Every known slice is the UTF-8 of the transaction's canonical JSON; returns how many were known. */
    private static int assertSlicesCanonical(List<ContentPiece> pieces) {
        int known = 0;
        for (ContentPiece p : pieces) {
            for (ContentPiece.SessionPiece s : p.sessions()) {
                CanonicalSlices cs = s.canonical();
                if (cs == null) continue;
                for (int i = 0; i < cs.size(); i++) {
                    if (cs.starts()[i] < 0) continue;
                    known++;
                    String slice = cs.text().substring(cs.starts()[i], cs.ends()[i]);
                    assertTrue(slice.chars().allMatch(ch -> ch < 0x80), "slices are ASCII: " + slice);
                    assertArrayEquals(s.transactions().get(i).canonicalJson().getBytes(StandardCharsets.UTF_8),
                            slice.getBytes(StandardCharsets.UTF_8));
                }
            }
        }
        return known;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void referenceContentReadsLikeTheTreePathAndImports(String name, JsonNode c) {
        String text = JsonWriter.stringify(new JsonValue.Arr(messages(c)));
        List<ContentPiece> streamed = ContentMessages.parseArray(text);
        assertEquals(treePath(text), streamed);
        int txs = streamed.stream().flatMap(p -> p.sessions().stream()).mapToInt(s -> s.transactions().size()).sum();
        int known = assertSlicesCanonical(streamed);
        if (text.chars().allMatch(ch -> ch < 0x80)) assertEquals(txs, known, "every reference transaction is canonical");
        LocalNode node = readerNode(c);
        for (ContentPiece p : streamed) {
            for (AddResult r : node.importContent(p)) assertTrue(r.isAdded(), r.toString());
        }
        // one message at a time (a sync frame) gives the same pieces
        for (JsonValue m : messages(c)) assertEquals(ContentPiece.fromContentMessage(m), ContentMessages.parse(JsonWriter.stringify(m)));
    }

    private static JsonNode caseWithTransactions() {
        for (JsonNode c : Vectors.cases("covalues.json", "cases")) {
            if (c.get("name").textValue().toLowerCase().contains("comap")) return c;
        }
        return Vectors.cases("covalues.json", "cases").get(0);
    }

    /**
     * The same values written another way (whitespace, a needless {@code \/} escape, meta null):
     * equal pieces, no slice for those transactions, and the import still verifies (the hash is
     * over the canonical form, not over these bytes).
     */
    @Test
    void nonCanonicalLayoutsAreReserializedAndStillVerify() {
        JsonNode c = caseWithTransactions();
        String text = JsonWriter.stringify(new JsonValue.Arr(messages(c)));
        // "op" written as "\u006fp" inside the changes string, spaces around madeAt, meta null
        String changed = text.replace("{\"changes\":\"[{\\\"op\\\"", "{\"changes\":\"[{\\\"\\u006fp\\\"")
                .replace(",\"madeAt\":", ", \"madeAt\" : ")
                .replace("\"privacy\":\"trusting\"}", "\"privacy\":\"trusting\",\"meta\":null}");
        assertTrue(!changed.equals(text), "the case has trusting transactions to rewrite");
        List<ContentPiece> streamed = ContentMessages.parseArray(changed);
        assertEquals(treePath(text), streamed);
        assertEquals(treePath(changed), streamed);
        assertEquals(0, assertSlicesCanonical(streamed));
        LocalNode node = readerNode(c);
        for (ContentPiece p : streamed) for (AddResult r : node.importContent(p)) assertTrue(r.isAdded(), r.toString());

        // only some changes strings escaped needlessly: layout canonical, those strings not
        String escaped = text.replace("\\\"key\\\"", "\\\"k\\u0065y\\\"");
        List<ContentPiece> e = ContentMessages.parseArray(escaped);
        assertEquals(treePath(text), e);
        assertTrue(!escaped.equals(text));
        assertTrue(assertSlicesCanonical(e) < assertSlicesCanonical(ContentMessages.parseArray(text)));
        LocalNode node2 = readerNode(c);
        for (ContentPiece p : e) for (AddResult r : node2.importContent(p)) assertTrue(r.isAdded(), r.toString());
    }

    @Test
    void unusualShapesAndErrorsAreTheTreePaths() {
        JsonNode c = caseWithTransactions();
        String text = JsonWriter.stringify(new JsonValue.Arr(messages(c)));
        // a duplicate key: JSON.parse keeps the last value
        String dup = text.replaceFirst("\\{\"action\":\"content\",", "{\"action\":\"known\",\"action\":\"content\",");
        assertEquals(treePath(dup), ContentMessages.parseArray(dup));
        // a repeated unknown field, and a repeated session (JSON.parse keeps one piece)
        String dupUnknown = text.replaceFirst("\\{\"action\":\"content\",", "{\"action\":\"content\",\"x\":1,\"x\":[2],");
        assertEquals(treePath(dupUnknown), ContentMessages.parseArray(dupUnknown));
        JsonValue.Obj withNew = null;
        for (JsonValue m : messages(c)) {
            if (((JsonValue.Obj) m).get("new") instanceof JsonValue.Obj n && !n.fields().isEmpty()) withNew = (JsonValue.Obj) m;
        }
        JsonValue.Obj news = (JsonValue.Obj) withNew.get("new");
        String session = news.fields().keySet().iterator().next();
        String piece = JsonStrings.quote(session) + ":" + JsonWriter.stringify(news.get(session));
        String one = JsonWriter.stringify(withNew);
        assertTrue(one.contains("\"new\":{" + piece), one);
        String twice = "[" + one.replace("\"new\":{" + piece, "\"new\":{" + piece + "," + piece) + "]";
        assertEquals(treePath(twice), ContentMessages.parseArray(twice));
        assertEquals(news.fields().size(), ContentMessages.parseArray(twice).get(0).sessions().size());
        // a syntax error after a malformed transaction: the syntax error is reported, as before
        String cut = text.replaceFirst("\"madeAt\":\\d+", "\"madeAt\":-1");
        String bad = cut.substring(0, cut.length() - 3);
        Exception tree = assertThrows(RuntimeException.class, () -> treePath(bad));
        Exception streamed = assertThrows(RuntimeException.class, () -> ContentMessages.parseArray(bad));
        assertEquals(tree.getClass(), streamed.getClass());
        assertEquals(tree.getMessage(), streamed.getMessage());
        // a malformed transaction alone
        String malformed = text.replaceFirst("\"madeAt\":\\d+", "\"madeAt\":-1");
        Exception t2 = assertThrows(RuntimeException.class, () -> treePath(malformed));
        Exception s2 = assertThrows(RuntimeException.class, () -> ContentMessages.parseArray(malformed));
        assertEquals(t2.getClass(), s2.getClass());
        assertEquals(t2.getMessage(), s2.getMessage());
        // not content
        assertThrows(RuntimeException.class, () -> ContentMessages.parseArray("[{\"action\":\"load\",\"id\":\"co_zx\"}]"));
        assertEquals(List.of(), ContentMessages.parseArray(" [ ] "));
    }

    @Test
    void nonAsciiTransactionsAreReserialized() {
        JsonNode c = caseWithTransactions();
        String text = JsonWriter.stringify(new JsonValue.Arr(messages(c)));
        // "key" spelled with a non-ASCII letter in some changes: those are hashed from their
        // re-serialized UTF-8, the others from the text
        String nonAscii = text.replace("\\\"key\\\"", "\\\"k\u00e9y\\\"").replaceFirst("\"priority\":\\d+", "\"priority\":\"\u00e9\"");
        assertTrue(!nonAscii.equals(text));
        List<ContentPiece> streamed = ContentMessages.parseArray(nonAscii);
        assertEquals(treePath(nonAscii), streamed);
        int known = assertSlicesCanonical(streamed);
        int all = assertSlicesCanonical(ContentMessages.parseArray(text));
        assertTrue(known < all, known + " of " + all);
        for (ContentPiece p : streamed) {
            for (ContentPiece.SessionPiece s : p.sessions()) {
                for (int i = 0; i < s.transactions().size(); i++) {
                    boolean ascii = s.transactions().get(i).canonicalJson().chars().allMatch(ch -> ch < 0x80);
                    if (!ascii) assertTrue(s.canonical().starts()[i] < 0, "a non-ASCII transaction has no slice");
                }
            }
        }
    }

    /**
     * A stored run ({@code TransactionCodec.toJsonArray}) of ASCII transactions reads as
     * {@code parseArray} reads it, with a slice per transaction that is its canonical JSON; any
     * other form (non-ASCII, a needless escape, whitespace, meta null, an unknown field) gives null,
     * so that {@code parseArray} decides.
     */
    @Test
    void canonicalTransactionArraysReadLikeParseArray() {
        List<io.cojson.core.session.Transaction> txs = List.of(
                new io.cojson.core.session.Transaction.Trusting("[{\"op\":\"set\",\"key\":\"a\\\"b\",\"value\":1}]", 1700000000000L, null),
                new io.cojson.core.session.Transaction.Trusting("[]", 0L, "{\"x\":\"?\"}"),
                new io.cojson.core.session.Transaction.Private("encrypted_Uabc", "key_z1", 5L, null),
                new io.cojson.core.session.Transaction.Private("encrypted_Uabc", "key_z1", 6L, "encrypted_Umeta"));
        String text = io.cojson.core.session.TransactionCodec.toJsonArray(txs);
        CanonicalSlices.Run run = ContentMessages.canonicalTransactionArray(text);
        assertNotNull(run);
        assertEquals(io.cojson.core.session.TransactionCodec.parseArray(text), run.transactions());
        assertEquals(txs, run.transactions());
        for (int i = 0; i < txs.size(); i++) {
            CanonicalSlices cs = run.canonical();
            assertEquals(txs.get(i).canonicalJson(), cs.text().substring(cs.starts()[i], cs.ends()[i]));
            assertEquals(txs.get(i).checkpointSize(), cs.checkpointSize(i, txs.get(i)));
        }
        assertEquals(List.of(), ContentMessages.canonicalTransactionArray("[]").transactions());
        for (String other : List.of(
                text.replace("\"value\\\":1", "\"value\\\":\u00e9"),
                text.replace("[{\\\"op", "[{\\\"\\u006fp"),
                text.replace(",\"madeAt\":", ", \"madeAt\":"),
                text.replace(",\"privacy\":\"trusting\"}", ",\"meta\":null,\"privacy\":\"trusting\"}"),
                text.replace(",\"privacy\":\"private\"}", ",\"privacy\":\"private\",\"x\":1}"),
                text + " ", "[" + text)) {
            assertTrue(!other.equals(text), other);
            assertNull(ContentMessages.canonicalTransactionArray(other), other);
        }
    }
}
