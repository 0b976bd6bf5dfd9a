package io.cojson.core.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.json.Json;
import io.cojson.core.json.JsonValue;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Reading received transactions with the reference's rules (wire-format §8.1, §8.3, §9.3). */
class TransactionCodecTest {
    private static final String T = "{\"changes\":\"[]\",\"madeAt\":%s,\"privacy\":\"trusting\"}";

    private static String trustingWithMadeAt(String madeAtLiteral) {
        return "[" + String.format(T, madeAtLiteral) + "]";
    }

    static Stream<Arguments> rejectedArrays() {
        return Stream.of(
                Arguments.of("madeAt in exponent notation", trustingWithMadeAt("1e3"), "Failed to convert made_at to u64"),
                Arguments.of("madeAt 1E3", trustingWithMadeAt("1E3"), "Failed to convert made_at to u64"),
                Arguments.of("madeAt with a fraction", trustingWithMadeAt("1.5"), "Failed to convert made_at to u64"),
                Arguments.of("madeAt with a zero fraction", trustingWithMadeAt("1704067200000.0"), "Failed to convert made_at to u64"),
                Arguments.of("negative madeAt", trustingWithMadeAt("-5"), "Failed to convert made_at to u64"),
                Arguments.of("madeAt -0", trustingWithMadeAt("-0"), "Failed to convert made_at to u64"),
                Arguments.of("madeAt as a string", trustingWithMadeAt("\"1704067200000\""), "Failed to convert made_at to u64"),
                Arguments.of("madeAt null", trustingWithMadeAt("null"), "Failed to convert made_at to u64"),
                Arguments.of("madeAt beyond 63 bits", trustingWithMadeAt("18446744073709551616"), "Failed to convert made_at to u64"),
                Arguments.of("madeAt with a leading zero", trustingWithMadeAt("01"), "Serialization error"),
                Arguments.of("madeAt with a plus sign", trustingWithMadeAt("+1"), "Serialization error"),
                Arguments.of("missing madeAt", "[{\"changes\":\"[]\",\"privacy\":\"trusting\"}]", "did not match any variant"),
                Arguments.of("missing changes", "[{\"madeAt\":1,\"privacy\":\"trusting\"}]", "did not match any variant"),
                Arguments.of("missing privacy", "[{\"changes\":\"[]\",\"madeAt\":1}]", "did not match any variant"),
                Arguments.of("private without keyUsed", "[{\"encryptedChanges\":\"encrypted_UAA==\",\"madeAt\":1,\"privacy\":\"private\"}]",
                        "did not match any variant"),
                Arguments.of("private without encryptedChanges", "[{\"keyUsed\":\"key_zA\",\"madeAt\":1,\"privacy\":\"private\"}]",
                        "did not match any variant"),
                Arguments.of("trusting shape with privacy private", "[{\"changes\":\"[]\",\"madeAt\":1,\"privacy\":\"private\"}]",
                        "privacy"),
                Arguments.of("private shape with privacy trusting",
                        "[{\"encryptedChanges\":\"encrypted_UAA==\",\"keyUsed\":\"key_zA\",\"madeAt\":1,\"privacy\":\"trusting\"}]", "privacy"),
                Arguments.of("unknown privacy", "[{\"changes\":\"[]\",\"madeAt\":1,\"privacy\":\"public\"}]", "privacy"),
                Arguments.of("changes not a string", "[{\"changes\":[],\"madeAt\":1,\"privacy\":\"trusting\"}]", "not a string"),
                Arguments.of("meta not a string", "[{\"changes\":\"[]\",\"madeAt\":1,\"meta\":{},\"privacy\":\"trusting\"}]", "not a string"),
                Arguments.of("privacy not a string", "[{\"changes\":\"[]\",\"madeAt\":1,\"privacy\":1}]", "not a string"),
                Arguments.of("duplicate changes", "[{\"changes\":\"[]\",\"changes\":\"[1]\",\"madeAt\":1,\"privacy\":\"trusting\"}]",
                        "duplicate field `changes`"),
                Arguments.of("duplicate madeAt", "[{\"changes\":\"[]\",\"madeAt\":1,\"madeAt\":2,\"privacy\":\"trusting\"}]",
                        "duplicate field `madeAt`"),
                Arguments.of("not an array", String.format(T, "1"), "array"),
                Arguments.of("an item that is not an object", "[1]", "not an object"),
                Arguments.of("trailing content", trustingWithMadeAt("1") + "]", "Serialization error"),
                Arguments.of("invalid JSON", "[{\"changes\":\"[]\",", "Serialization error"),
                Arguments.of("empty text", "", "array"));
    }

    @ParameterizedTest(name = "parseArray rejects: {0}")
    @MethodSource
    void rejectedArrays(String label, String json, String messagePart) {
        MalformedTransactionException e = assertThrows(MalformedTransactionException.class, () -> TransactionCodec.parseArray(json));
        assertTrue(e.getMessage().contains(messagePart), e.getMessage());
    }

    @Test
    void plainIntegerMadeAtIsAccepted() {
        List<Transaction> txs = TransactionCodec.parseArray(trustingWithMadeAt("1704067200000"));
        assertEquals(List.of(new Transaction.Trusting("[]", 1704067200000L, null)), txs);
        assertEquals(0, TransactionCodec.parseArray(trustingWithMadeAt("0")).get(0).madeAt());
        assertEquals(Long.MAX_VALUE, TransactionCodec.parseArray(trustingWithMadeAt(Long.toString(Long.MAX_VALUE))).get(0).madeAt());
        assertEquals(List.of(), TransactionCodec.parseArray(" [ ] "));
    }

    @Test
    void metaNullIsAbsent() {
        Transaction withNull = TransactionCodec.parseArray(
                "[{\"changes\":\"[]\",\"madeAt\":5,\"meta\":null,\"privacy\":\"trusting\"}]").get(0);
        Transaction without = TransactionCodec.parseArray(trustingWithMadeAt("5")).get(0);
        assertEquals(without, withNull);
        assertNull(withNull.meta());
        assertEquals("{\"changes\":\"[]\",\"madeAt\":5,\"privacy\":\"trusting\"}", withNull.canonicalJson());
        assertFalse(withNull.toJson().has("meta"));
        Transaction privateWithNull = TransactionCodec.parseArray(
                "[{\"encryptedChanges\":\"encrypted_UAA==\",\"keyUsed\":\"key_zA\",\"madeAt\":5,\"meta\":null,\"privacy\":\"private\"}]").get(0);
        assertEquals("{\"encryptedChanges\":\"encrypted_UAA==\",\"keyUsed\":\"key_zA\",\"madeAt\":5,\"privacy\":\"private\"}",
                privateWithNull.canonicalJson());
        // fromJson agrees
        assertEquals(without, TransactionCodec.fromJson(Json.parse(
                "{\"changes\":\"[]\",\"madeAt\":5,\"meta\":null,\"privacy\":\"trusting\"}")));
    }

    @Test
    void keyOrderAndUnknownFieldsDoNotMatter() {
        Transaction a = TransactionCodec.parseArray(
                "[{\"privacy\":\"trusting\",\"extra\":{\"nested\":[1,{\"changes\":2}]},\"meta\":\"{}\",\"madeAt\":7,\"changes\":\"[1]\",\"extra2\":null}]").get(0);
        assertEquals(new Transaction.Trusting("[1]", 7, "{}"), a);
        assertEquals("{\"changes\":\"[1]\",\"madeAt\":7,\"meta\":\"{}\",\"privacy\":\"trusting\"}", a.canonicalJson());
        // a repeated field the chosen variant does not know is ignored like any unknown field
        Transaction p = TransactionCodec.parseArray("[{\"encryptedChanges\":\"encrypted_UAA==\",\"keyUsed\":\"key_zA\","
                + "\"madeAt\":1,\"privacy\":\"private\",\"changes\":\"x\",\"changes\":\"y\",\"x\":1,\"x\":2}]").get(0);
        assertInstanceOf(Transaction.Private.class, p);
    }

    @Test
    void canonicalEscapingIsJsonStringify() {
        Transaction t = new Transaction.Trusting("[\"\u0001\u001f\b\f\n\r\t\\\"\u007f\u2028\u2029é😀/\"]", 1, null);
        assertEquals("{\"changes\":\"[\\\"\\u0001\\u001f\\b\\f\\n\\r\\t\\\\\\\"\u007f\u2028\u2029é😀/\\\"]\",\"madeAt\":1,\"privacy\":\"trusting\"}",
                t.canonicalJson());
        assertEquals(List.of(t), TransactionCodec.parseArray(TransactionCodec.toJsonArray(List.of(t))));
    }

    static Stream<Arguments> rejectedObjects() {
        return Stream.of(
                Arguments.of("madeAt 1.5", "{\"changes\":\"[]\",\"madeAt\":1.5,\"privacy\":\"trusting\"}"),
                Arguments.of("negative madeAt", "{\"changes\":\"[]\",\"madeAt\":-1,\"privacy\":\"trusting\"}"),
                Arguments.of("madeAt -0", "{\"changes\":\"[]\",\"madeAt\":-0.0,\"privacy\":\"trusting\"}"),
                Arguments.of("madeAt above 2^53", "{\"changes\":\"[]\",\"madeAt\":9007199254740994,\"privacy\":\"trusting\"}"),
                Arguments.of("madeAt as a string", "{\"changes\":\"[]\",\"madeAt\":\"1\",\"privacy\":\"trusting\"}"),
                Arguments.of("missing madeAt", "{\"changes\":\"[]\",\"privacy\":\"trusting\"}"),
                Arguments.of("wrong privacy", "{\"changes\":\"[]\",\"madeAt\":1,\"privacy\":\"private\"}"),
                Arguments.of("meta not a string", "{\"changes\":\"[]\",\"madeAt\":1,\"meta\":1,\"privacy\":\"trusting\"}"),
                Arguments.of("not an object", "[]"));
    }

    @ParameterizedTest(name = "fromJson rejects: {0}")
    @MethodSource
    void rejectedObjects(String label, String json) {
        JsonValue v = Json.parse(json);
        assertThrows(MalformedTransactionException.class, () -> TransactionCodec.fromJson(v));
    }

    /** parseArray and fromJson agree at the lower end: madeAt 0 is a u64 (-0 is not, see rejectedArrays). */
    @Test
    void fromJsonAcceptsMadeAtZero() {
        assertEquals(new Transaction.Trusting("[]", 0, null),
                TransactionCodec.fromJson(Json.parse("{\"changes\":\"[]\",\"madeAt\":0,\"privacy\":\"trusting\"}")));
    }

    /**
     * The in-between signature rule counts UTF-8 bytes of changes / encryptedChanges (wire-format
     * §9.2, the reference's Rust core): each encoding length's boundaries, a surrogate pair as one
     * 4-byte character, and a lone surrogate as the 3-byte U+FFFD it becomes on the way into Rust.
     */
    @Test
    void checkpointSizeIsTheUtf8LengthOfThePayload() {
        String[] wellFormed = {"", "a", "\u007f", "\u0080", "\u07ff", "\u0800", "\uffff", "\ud83d\ude00",
                "x\u0080y\u0800z\ud83d\ude00", "\ud83d\ude00\ud83d\ude00"};
        for (String changes : wellFormed) {
            int bytes = changes.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            assertEquals(bytes, new Transaction.Trusting(changes, 1, null).checkpointSize(), "changes " + escape(changes));
            assertEquals(bytes, new Transaction.Private(changes, "key_zA", 1, null).checkpointSize(), "encryptedChanges " + escape(changes));
        }
        assertEquals(4, new Transaction.Trusting("a\ud83d", 1, null).checkpointSize(), "a lone high surrogate at the end");
        assertEquals(3, new Transaction.Trusting("\ude00", 1, null).checkpointSize(), "a lone low surrogate");
    }

    /** The reference's storage and content pieces count JS string lengths: UTF-16 units, not bytes. */
    @Test
    void jsLengthIsTheUtf16LengthOfThePayload() {
        String changes = "[\"\u00fc\ud83d\ude00\"]"; // ["ü😀"]: 7 UTF-16 units, 10 UTF-8 bytes
        assertEquals(7, new Transaction.Trusting(changes, 1, null).jsLength());
        assertEquals(10, new Transaction.Trusting(changes, 1, null).checkpointSize());
        assertEquals(7, new Transaction.Private("U\u00fc\ud83d\ude00xyz", "key_zA", 1, null).jsLength());
        assertEquals(0, new Transaction.Private("", "key_zA", 1, null).jsLength());
    }

    private static String escape(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) b.append(String.format("\\u%04x", (int) c));
        return b.toString();
    }

    /**
     * A run's canonical slices give each transaction's checkpoint size without re-encoding it: the
     * same number as the transaction's own, for trusting and private transactions, known or not.
     */
    @Test
    void canonicalSlicesGiveTheTransactionsOwnCheckpointSize() {
        List<Transaction> txs = List.of(new Transaction.Trusting("[{\"op\":\"set\",\"key\":\"a\",\"value\":1}]", 5, null),
                new Transaction.Private("encrypted_Uabc", "key_zA", 6, null), new Transaction.Trusting("[2]", 7, null));
        String text = TransactionCodec.toJsonArray(txs);
        int[] starts = new int[3];
        int[] ends = new int[3];
        int at = 1;
        for (int i = 0; i < 3; i++) {
            String c = txs.get(i).canonicalJson();
            starts[i] = text.indexOf(c, at);
            ends[i] = starts[i] + c.length();
            at = ends[i];
        }
        starts[2] = -1; // the third is not known to be canonical here
        CanonicalSlices slices = new CanonicalSlices(text, starts, ends);
        CanonicalSlices.Run run = new CanonicalSlices.Run(txs, slices);
        assertEquals(3, run.canonical().size());
        for (int i = 0; i < 3; i++) assertEquals(txs.get(i).checkpointSize(), slices.checkpointSize(i, txs.get(i)), "transaction " + i);
        assertThrows(IllegalArgumentException.class, () -> new CanonicalSlices.Run(txs.subList(0, 2), slices));
    }

    @Test
    void recordsRejectNegativeMadeAtAndMissingPayloads() {
        assertThrows(MalformedTransactionException.class, () -> new Transaction.Trusting("[]", -1, null));
        assertThrows(MalformedTransactionException.class, () -> new Transaction.Trusting(null, 1, null));
        assertThrows(MalformedTransactionException.class, () -> new Transaction.Private(null, "key_zA", 1, null));
        assertThrows(MalformedTransactionException.class, () -> new Transaction.Private("encrypted_U", null, 1, null));
    }
}
