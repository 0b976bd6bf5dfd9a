package io.cojson.core.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.json.InvalidJsonException;
import io.cojson.core.json.Json;
import io.cojson.core.json.JsonCursor;
import io.cojson.core.json.JsonStrings;
import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import io.cojson.core.node.ContentMessages;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * A trusting transaction read from a content text keeps its changes as the literal they arrived
 * in ({@link Transaction.Trusting#ofCanonicalLiteral}): it must be indistinguishable from one made
 * from the decoded changes (changes, equality, hash code, string form, canonical JSON, wire JSON,
 * checkpoint size, parsed changes), for any changes text, and be kept as a literal exactly when the
 * literal is canonical ASCII.
 */
class LiteralChangesProperties {

    @Property(tries = 1500)
    void aTransactionReadFromTextIsTheOneMadeFromItsChanges(@ForAll("transactions") List<Transaction.Trusting> txs) {
        String text = TransactionCodec.toJsonArray(new ArrayList<>(txs));
        CanonicalSlices.Run run = ContentMessages.canonicalTransactionArray(text);
        assertEquals(txs.stream().allMatch(LiteralChangesProperties::readable), run != null, text);
        if (run == null) return; // TransactionCodec.parseArray's path, as before
        assertEquals(txs.size(), run.transactions().size());
        for (int i = 0; i < txs.size(); i++) {
            Transaction.Trusting plain = txs.get(i);
            Transaction.Trusting read = (Transaction.Trusting) run.transactions().get(i);
            boolean canonicalAscii = canonicalAscii(JsonStrings.quote(plain.changes()));
            // parsed first, before anything decodes the literal
            assertParsedAlike(plain, read);
            assertEquals(read.literalLength() >= 0, canonicalAscii, plain.changes());
            assertEquals(plain.checkpointSize(), read.checkpointSize());
            assertEquals(plain.jsLength(), read.jsLength());
            assertEquals(plain.checkpointSize(), run.canonical().checkpointSize(i, read));
            assertEquals(plain.canonicalJson(), read.canonicalJson());
            assertEquals(plain.canonicalJson(), text.substring(run.canonical().starts()[i], run.canonical().ends()[i]));
            assertEquals(plain.changes(), read.changes());
            assertEquals(plain, read);
            assertEquals(read, plain);
            assertEquals(plain.hashCode(), read.hashCode());
            assertEquals(plain.toString(), read.toString());
            assertEquals(plain.toJson(), read.toJson());
            assertEquals(plain.madeAt(), read.madeAt());
            assertEquals(plain.meta(), read.meta());
            assertParsedAlike(plain, read); // and again once decoded
        }
    }

    /** Read through the public single-transaction entry point (sync frames) as well. */
    @Property(tries = 500)
    void oneTransactionAtACursorToo(@ForAll("transactions") List<Transaction.Trusting> txs) {
        Transaction.Trusting plain = txs.get(0);
        String text = "[" + plain.canonicalJson() + ",1]";
        JsonCursor c = new JsonCursor(text);
        c.expect('[');
        Transaction read = ContentMessages.canonicalTransaction(c);
        assertEquals(readable(plain), read != null, text);
        if (read == null) return;
        assertEquals(plain, read);
        assertEquals(text.indexOf(",1]"), c.pos());
        Transaction.Trusting kept = (Transaction.Trusting) read;
        if (kept.literalLength() >= 0) { // a frame's transaction keeps its own body, never the frame
            assertEquals(JsonStrings.quote(plain.changes()).length() - 2, kept.keptTextLength());
        }
        assertParsedAlike(plain, (Transaction.Trusting) read);
    }

    @Example
    void literalBodiesAreCheckedWhenMade() {
        String text = "x\"[\\\"a\\\\\\\"]\"y";
        Transaction.Trusting t = Transaction.Trusting.ofCanonicalLiteral(text, 2, text.length() - 2, 6, 1, null);
        assertEquals("[\"a\\\"]", t.changes());
        assertThrows(IllegalArgumentException.class, () -> Transaction.Trusting.ofCanonicalLiteral(text, 2, text.length() + 1, 6, 1, null));
        assertThrows(IllegalArgumentException.class, () -> Transaction.Trusting.ofCanonicalLiteral(text, 5, 2, 0, 1, null));
        assertThrows(MalformedTransactionException.class, () -> Transaction.Trusting.ofCanonicalLiteral(text, 2, 4, 2, -1, null));
        // a wrong decoded length is caught when decoding, never a silently different text
        assertThrows(IllegalArgumentException.class, () -> Transaction.Trusting.ofCanonicalLiteral(text, 2, text.length() - 2, 5, 1, null).changes());
        assertThrows(IllegalArgumentException.class, () -> Transaction.Trusting.ofCanonicalLiteral(text, 2, text.length() - 2, 7, 1, null).changes());
    }

    /** Whether the streaming reader takes it: canonical ASCII strings, madeAt of at most 15 digits. */
    private static boolean readable(Transaction.Trusting t) {
        return canonicalAscii(JsonStrings.quote(t.changes())) && (t.meta() == null || canonicalAscii(JsonStrings.quote(t.meta())))
                && t.madeAt() < 1_000_000_000_000_000L;
    }

    /** Whether a literal has only chars U+0020..U+007F and no escape but {@code \"} and {@code \\}. */
    private static boolean canonicalAscii(String literal) {
        for (int i = 1; i < literal.length() - 1; i++) {
            char c = literal.charAt(i);
            if (c < 0x20 || c > 0x7f) return false;
            if (c == '\\') {
                char e = literal.charAt(++i);
                if (e != '"' && e != '\\') return false;
            }
        }
        return true;
    }

    private static void assertParsedAlike(Transaction.Trusting plain, Transaction.Trusting read) {
        JsonValue expected;
        try {
            expected = Json.parse(plain.changes());
        } catch (InvalidJsonException e) {
            InvalidJsonException other = assertThrows(InvalidJsonException.class, read::parsedChanges);
            assertEquals(e.getMessage(), other.getMessage());
            return;
        }
        JsonValue actual = read.parsedChanges();
        assertEquals(expected, actual, plain.changes());
        assertEquals(JsonWriter.stringify(expected), JsonWriter.stringify(actual), plain.changes()); // key order, number form
        assertEquals(expected, plain.parsedChanges());
    }

    @Provide
    Arbitrary<List<Transaction.Trusting>> transactions() {
        Arbitrary<String> keys = Arbitraries.oneOf(Arbitraries.of("k0", "k1", "a", "", "x\"y", "a\\b", "a/b", "\u00e9", "\ud83d\ude00", "\ud800", "t\tab", "\u007f"),
                Arbitraries.strings().ofMaxLength(12), Arbitraries.strings().ascii().ofMaxLength(12));
        Arbitrary<JsonValue> values = Arbitraries.oneOf(
                Arbitraries.longs().between(-999_999_999_999_999L, 999_999_999_999_999L).map(JsonValue::of),
                Arbitraries.of(0.5, -0.0, 1e21, 1_000_000_000_000_000.0).map(JsonValue::of),
                keys.map(JsonValue::of),
                Arbitraries.of(JsonValue.TRUE, JsonValue.FALSE, JsonValue.NULL, JsonValue.arr(JsonValue.of(1)), JsonValue.obj("a", JsonValue.of("b"))));
        Arbitrary<JsonValue> set = Combinators.combine(keys, values).as((k, v) -> JsonValue.obj("op", JsonValue.of("set"), "key", JsonValue.of(k), "value", v));
        Arbitrary<JsonValue> del = keys.map(k -> JsonValue.obj("op", JsonValue.of("del"), "key", JsonValue.of(k)));
        Arbitrary<JsonValue> app = values.map(v -> JsonValue.obj("op", JsonValue.of("app"), "value", v, "after", JsonValue.of("start")));
        Arbitrary<JsonValue> opID = Combinators.combine(keys, Arbitraries.integers().between(0, 50), Arbitraries.of("", "co_zBranch"))
                .as((s, i, b) -> b.isEmpty() ? JsonValue.obj("sessionID", JsonValue.of(s), "txIndex", JsonValue.of(i), "changeIdx", JsonValue.of(i + 1))
                        : JsonValue.obj("sessionID", JsonValue.of(s), "txIndex", JsonValue.of(i), "branch", JsonValue.of(b), "changeIdx", JsonValue.of(i + 1)));
        Arbitrary<JsonValue> appAfter = Combinators.combine(values, opID).as((v, o) -> JsonValue.obj("op", JsonValue.of("app"), "value", v, "after", o));
        Arbitrary<JsonValue> pre = Combinators.combine(values, opID).as((v, o) -> JsonValue.obj("op", JsonValue.of("pre"), "value", v, "before", o));
        Arbitrary<JsonValue> listDel = opID.map(o -> JsonValue.obj("op", JsonValue.of("del"), "insertion", o));
        Arbitrary<String> listChanges = Arbitraries.frequencyOf(Tuple.of(3, app), Tuple.of(3, appAfter), Tuple.of(1, pre), Tuple.of(1, listDel))
                .list().ofMinSize(1).ofMaxSize(4).map(l -> JsonWriter.stringify(new JsonValue.Arr(l)));
        Arbitrary<String> mapChanges = Arbitraries.frequencyOf(Tuple.of(6, set), Tuple.of(2, del), Tuple.of(1, app))
                .list().ofMinSize(1).ofMaxSize(4).map(l -> JsonWriter.stringify(new JsonValue.Arr(l)));
        // also texts that are not valid JSON, or JSON of another shape
        Arbitrary<String> changes = Arbitraries.frequencyOf(Tuple.of(6, mapChanges), Tuple.of(4, listChanges), Tuple.of(1, keys),
                Tuple.of(1, Arbitraries.of("[]", "[1,2]", "{}", "[{\"op\":\"set\",\"key\":\"a\",\"value\":1} ]", "[{\"op\":\"set\"", "\\", "\"",
                        "[{\"op\":\"app\",\"value\":1,\"after\":\"start\"},]", "[{\"op\":\"del\",\"insertion\":{\"sessionID\":\"s\"}]")));
        Arbitrary<String> meta = Arbitraries.oneOf(Arbitraries.just(null), Arbitraries.of("{\"a\":1}", "{\"x\":\"\\\"\"}", "{\"\u00e9\":2}"));
        Arbitrary<Transaction.Trusting> tx = Combinators.combine(changes, Arbitraries.oneOf(Arbitraries.longs().between(0, 999_999_999_999_999L), Arbitraries.longs().between(0, 1L << 53)), meta)
                .as(Transaction.Trusting::new);
        return tx.list().ofMinSize(1).ofMaxSize(4);
    }
}
