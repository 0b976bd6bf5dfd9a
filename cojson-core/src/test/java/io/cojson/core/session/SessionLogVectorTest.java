package io.cojson.core.session;

import static io.cojson.core.testing.Vectors.text;
import static io.cojson.core.testing.Vectors.toJsonValue;
import static io.cojson.core.testing.Vectors.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.cojson.core.crypto.Crypto;
import io.cojson.core.encoding.Hex;
import io.cojson.core.header.CoValueHeader;
import io.cojson.core.ids.AgentSecret;
import io.cojson.core.ids.Encrypted;
import io.cojson.core.ids.KeyID;
import io.cojson.core.ids.KeySecret;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.ids.Signature;
import io.cojson.core.ids.SignerID;
import io.cojson.core.ids.SignerSecret;
import io.cojson.core.ids.TransactionID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import io.cojson.core.json.StableJson;
import io.cojson.core.testing.Vectors;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code sessionlog.json}: one session built transaction by transaction (exact wire JSON, canonical
 * JSON, running hash and signature per step), accept/reject verification cases, and the in-between
 * ({@code signatureAfter}) checkpoint rule — on both providers.
 */
class SessionLogVectorTest {
    private static final String FILE = "sessionlog.json";
    private static final JsonNode ROOT = Vectors.load(FILE);

    private static SessionID session() {
        return SessionID.parse(text(ROOT, "sessionID"));
    }

    private static SignerSecret signerSecret() {
        return SignerSecret.parse(text(ROOT, "signerSecret"));
    }

    private static SignerID signerID() {
        return SignerID.parse(text(ROOT, "signerID"));
    }

    private static RawCoID coID() {
        return RawCoID.parse(text(ROOT, "coID"));
    }

    // ---- the session's own parameters ----

    static Stream<Arguments> sessionParameters() {
        return Vectors.PROVIDERS.stream().map(p -> Arguments.of("sessionlog/parameters [" + p + "]", p));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void sessionParameters(String label, String provider) {
        Crypto crypto = Vectors.crypto(provider);
        CoValueHeader header = new CoValueHeader(Vectors.toObj(ROOT.get("header")));
        assertEquals(text(ROOT, "headerJson"), JsonWriter.stringify(header.json()));
        assertEquals(coID(), header.id(crypto));
        header.validate(coID(), crypto);
        AgentSecret agent = AgentSecret.parse(text(ROOT, "agentSecret"));
        assertEquals(text(ROOT, "agentID"), crypto.getAgentID(agent).value());
        assertEquals(signerSecret(), agent.signer());
        assertEquals(signerID(), crypto.getSignerID(signerSecret()));
        assertEquals(text(ROOT, "agentID"), session().author());
        assertEquals(signerID(), session().agentID().signer());
        for (JsonNode k : Vectors.cases(FILE, "keys")) {
            KeyID.parse(text(k, "id"));
            KeySecret.parse(text(k, "secret"));
        }
    }

    // ---- building the session step by step ----

    static Stream<Arguments> transactions() {
        return Vectors.perProvider("sessionlog/", Vectors.cases(FILE, "transactions"));
    }

    /** Appends vector step {@code step} to {@code log} as the reference writer did. */
    private static SignedTransaction append(SessionLog log, JsonNode step) {
        JsonNode in = step.get("input");
        String changesJson = text(in, "changesJson");
        String metaJson = in.has("metaJson") ? text(in, "metaJson") : null;
        assertTrue(in.get("madeAt").canConvertToLong(), "madeAt must be an integer");
        long madeAt = in.get("madeAt").longValue();
        switch (text(in, "privacy")) {
            case "trusting":
                return log.appendTrusting(signerSecret(), changesJson, madeAt, metaJson);
            case "private":
                return log.appendPrivate(signerSecret(), coID(), KeyID.parse(text(in, "keyID")),
                        KeySecret.parse(text(in, "keySecret")), changesJson, madeAt, metaJson);
            default:
                throw new AssertionError("unknown privacy " + text(in, "privacy"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void transactions(String label, String provider, JsonNode c) {
        Crypto crypto = Vectors.crypto(provider);
        List<JsonNode> steps = Vectors.cases(FILE, "transactions");
        int index = c.get("txIndex").intValue();
        assertEquals(c, steps.get(index), "steps are listed in txIndex order");

        SessionLog log = new SessionLog(crypto, session(), signerID());
        SignedTransaction signed = null;
        for (int i = 0; i <= index; i++) signed = append(log, steps.get(i));
        assertNotNull(signed);
        assertEquals(index, signed.txIndex());
        assertEquals(index + 1, log.size());

        Transaction tx = signed.transaction();
        JsonValue expectedWire = value(c, "transaction");
        assertEquals(expectedWire, tx.toJson()); // same fields and values
        assertEquals(JsonWriter.stringify(expectedWire), JsonWriter.stringify(tx.toJson())); // and key order
        assertEquals(text(c, "transactionJson"), tx.canonicalJson());
        assertEquals(text(c, "hashAfter"), signed.hashAfter().value());
        assertEquals(text(c, "hashAfterBytes"), Hex.encode(signed.hashAfter().bytes()));
        assertEquals(text(c, "signedBytesUtf8"), StableJson.stringify(JsonValue.of(signed.hashAfter().value())));
        assertEquals(text(c, "signature"), signed.signature().value());
        assertEquals(signed.signature(), log.lastSignature());
        assertEquals(signed.hashAfter(), log.lastHash());
        // the signature is the generic sign() of the hash string
        assertEquals(signed.signature(), crypto.sign(signerSecret(), JsonValue.of(signed.hashAfter().value())));

        // a receiver can parse the wire form back to the same transaction
        assertEquals(tx, TransactionCodec.fromJson(expectedWire));

        JsonNode in = c.get("input");
        if (text(in, "privacy").equals("private")) {
            Transaction.Private p = assertInstanceOf(Transaction.Private.class, tx);
            JsonNode enc = c.get("encryption");
            KeySecret key = KeySecret.parse(text(in, "keySecret"));
            assertEquals(text(enc, "key"), Hex.encode(key.bytes()));
            JsonValue.Obj material = new TransactionID(session(), index).nonceMaterial(coID());
            assertEquals(value(enc, "nOnceMaterial"), material);
            assertEquals(text(enc, "nOnceMaterialStringified"), StableJson.stringify(material));
            assertEquals(text(enc, "nonce"), Hex.encode(crypto.nonce(material)));
            assertEquals(text(in, "keyID"), p.keyUsed());
            assertEquals(text(enc, "decryptedChangesJson"), crypto.decryptText(Encrypted.parse(p.encryptedChanges()), key, material));
            assertEquals(text(in, "changesJson"), text(enc, "decryptedChangesJson"));
            if (enc.has("decryptedMetaJson")) {
                assertNotNull(p.meta());
                assertEquals(text(enc, "decryptedMetaJson"), crypto.decryptText(Encrypted.parse(p.meta()), key, material));
            } else {
                assertNull(p.meta());
            }
        } else {
            Transaction.Trusting t = assertInstanceOf(Transaction.Trusting.class, tx);
            assertEquals(text(in, "changesJson"), t.changes());
            assertEquals(in.has("metaJson") ? text(in, "metaJson") : null, t.meta());
        }
    }

    // ---- verification of received batches ----

    static Stream<Arguments> verification() {
        return Vectors.perProvider("sessionlog/verification: ", Vectors.cases(FILE, "verification"));
    }

    /** What feeding one batch produced: Added, Rejected, or a parse rejection before the log saw it. */
    private static final class Outcome {
        AddResult result;
        MalformedTransactionException parseError;

        boolean accepted() {
            return result instanceof AddResult.Added;
        }
    }

    private static Outcome feed(SessionLog log, JsonNode batch, boolean viaText) {
        Outcome o = new Outcome();
        String sig = text(batch, "signature");
        if (batch.has("transactionsJson")) {
            o.result = log.tryAppendJson(text(batch, "transactionsJson"), sig);
        } else if (viaText) {
            // the same batch as wire text: the exact number rules apply to the literal
            o.result = log.tryAppendJson(JsonWriter.stringify(toJsonValue(batch.get("transactions"))), sig);
        } else {
            List<Transaction> txs = new ArrayList<>();
            try {
                for (JsonNode t : batch.get("transactions")) txs.add(TransactionCodec.fromJson(toJsonValue(t)));
            } catch (MalformedTransactionException e) {
                o.parseError = e; // e.g. madeAt 1.5 arrives as the double 1.5: a reject
                return o;
            }
            o.result = log.tryAppend(txs, sig);
        }
        return o;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void verification(String label, String provider, JsonNode c) {
        runVerification(c, provider, false);
    }

    static Stream<Arguments> verificationAsWireText() {
        return Vectors.perProvider("sessionlog/verification (wire text): ", Vectors.cases(FILE, "verification"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void verificationAsWireText(String label, String provider, JsonNode c) {
        runVerification(c, provider, true);
    }

    private static void runVerification(JsonNode c, String provider, boolean viaText) {
        Crypto crypto = Vectors.crypto(provider);
        String expected = text(c, "expected");
        assertTrue(expected.equals("accept") || expected.equals("reject"), "expected must be accept or reject");
        String referenceError = c.has("referenceError") ? text(c, "referenceError") : null;
        JsonNode batches = c.get("batches");
        assertTrue(batches.isArray() && batches.size() > 0, "a verification case needs batches");

        SessionLog log = new SessionLog(crypto, session(), SignerID.parse(text(c, "signerID")));
        int accepted = 0;
        Outcome last = null;
        for (JsonNode batch : batches) {
            int before = log.size();
            String hashBefore = log.lastHash() == null ? null : log.lastHash().value();
            last = feed(log, batch, viaText);
            if (!last.accepted()) {
                // a rejected batch leaves the log exactly as it was
                assertEquals(before, log.size());
                assertEquals(hashBefore, log.lastHash() == null ? null : log.lastHash().value());
                break;
            }
            accepted++;
            int n = batch.has("transactions") ? batch.get("transactions").size()
                    : TransactionCodec.parseArray(text(batch, "transactionsJson")).size();
            assertEquals(before + n, log.size());
            assertEquals(new AddResult.Added(log.size()), last.result);
            assertEquals(text(batch, "signature"), log.lastSignature().value());
        }

        if (expected.equals("accept")) {
            assertEquals(batches.size(), accepted, "every batch must be accepted");
            return;
        }
        assertFalse(last.accepted(), "the case must be rejected");
        assertEquals(batches.size() - 1, accepted, "only the last batch of a reject case is bad");
        if (last.parseError != null) {
            assertTrue(referenceError == null || referenceError.startsWith("Invalid transaction")
                    || referenceError.startsWith("Serialization error"), "parse rejection for " + referenceError);
            return;
        }
        VerificationFailure f = assertInstanceOf(AddResult.Rejected.class, last.result).failure();
        assertEquals(session(), f.sessionID());
        assertEquals(log.size() - 1, f.lastVerifiedIndex());
        if (referenceError != null && referenceError.startsWith("Core error: Signature verification failed")) {
            assertEquals(VerificationFailure.Kind.SIGNATURE_MISMATCH, f.kind());
            assertNotNull(f.expectedHash());
            assertTrue(f.message().startsWith("Core error: Signature verification failed"), f.message());
            // our expected hash is the reference's, so the whole message is the reference's
            assertEquals(referenceError, f.message());
            assertEquals("Core error: Signature verification failed: (hash: " + f.expectedHash().value() + ")", f.message());
        } else if (referenceError != null && (referenceError.startsWith("Invalid transaction") || referenceError.startsWith("Serialization error"))) {
            assertEquals(VerificationFailure.Kind.MALFORMED_TRANSACTION, f.kind());
            assertNull(f.expectedHash());
            assertTrue(f.message().contains(referenceError), f.message());
        } else {
            fail("unclassified reference error: " + referenceError);
        }
    }

    // ---- in-between signatures ----

    private static final JsonNode IN_BETWEEN = ROOT.get("inBetweenSignatures");

    private static List<JsonNode> inBetweenSteps() {
        return Vectors.cases(FILE, "inBetweenSignatures", "transactions");
    }

    private static int maxTxSize() {
        assertTrue(IN_BETWEEN.path("maxTxSize").canConvertToInt());
        return IN_BETWEEN.get("maxTxSize").intValue();
    }

    private static Transaction.Trusting inBetweenTx(JsonNode step) {
        return assertInstanceOf(Transaction.Trusting.class, TransactionCodec.fromJson(value(step, "transaction")));
    }

    private static SessionLog inBetweenLog(Crypto crypto) {
        return new SessionLog(crypto, SessionID.parse(text(IN_BETWEEN, "sessionID")), signerID(), maxTxSize());
    }

    static Stream<Arguments> inBetweenSignaturesLocal() {
        return Vectors.perProvider("sessionlog/inBetweenSignatures (local): ", inBetweenSteps());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void inBetweenSignaturesLocal(String label, String provider, JsonNode c) {
        Crypto crypto = Vectors.crypto(provider);
        List<JsonNode> steps = inBetweenSteps();
        int index = c.get("txIndex").intValue();
        assertEquals(c, steps.get(index));
        assertEquals(SessionLog.DEFAULT_CHECKPOINT_BYTES, IN_BETWEEN.get("referenceMaxTxSize").intValue());

        SessionLog log = inBetweenLog(crypto);
        SignedTransaction signed = null;
        for (int i = 0; i <= index; i++) {
            Transaction.Trusting t = inBetweenTx(steps.get(i));
            signed = log.appendTrusting(signerSecret(), t.changes(), t.madeAt(), t.meta());
        }
        Transaction.Trusting t = inBetweenTx(c);
        assertEquals(c.get("changesLength").intValue(), t.checkpointSize());
        assertEquals(text(c, "signature"), signed.signature().value());
        JsonNode after = c.get("signatureAfter");
        if (after.isNull()) {
            assertFalse(log.signatureAfter().containsKey(index), "no checkpoint expected after " + index);
        } else {
            assertEquals(after.textValue(), log.signatureAfter().get(index).value());
            assertEquals(text(c, "signature"), after.textValue());
        }
        // all checkpoints so far are exactly those the vector lists up to this index
        Map<Integer, String> expected = new TreeMap<>();
        for (int i = 0; i <= index; i++) {
            if (!steps.get(i).get("signatureAfter").isNull()) expected.put(i, text(steps.get(i), "signatureAfter"));
        }
        assertEquals(expected, asText(log.signatureAfter()));
    }

    static Stream<Arguments> inBetweenSignaturesLastCheckpoint() {
        return Vectors.PROVIDERS.stream().map(p -> Arguments.of("sessionlog/inBetweenSignatures: lastSignatureCheckpoint [" + p + "]", p));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void inBetweenSignaturesLastCheckpoint(String label, String provider) {
        SessionLog log = inBetweenLog(Vectors.crypto(provider));
        for (JsonNode step : inBetweenSteps()) {
            Transaction.Trusting t = inBetweenTx(step);
            log.appendTrusting(signerSecret(), t.changes(), t.madeAt(), t.meta());
        }
        assertEquals(IN_BETWEEN.get("lastSignatureCheckpoint").intValue(), log.signatureAfter().lastKey());
    }

    /** Partitions of the vector's transactions into received batches (inclusive index ranges). */
    static Stream<Arguments> inBetweenSignaturesReceived() {
        int n = inBetweenSteps().size();
        List<List<int[]>> partitions = new ArrayList<>();
        partitions.add(List.of(new int[] {0, 1}, new int[] {2, 4}, new int[] {5, n - 1}));
        partitions.add(List.of(new int[] {0, n - 1}));
        List<int[]> singles = new ArrayList<>();
        for (int i = 0; i < n; i++) singles.add(new int[] {i, i});
        partitions.add(singles);
        partitions.add(List.of(new int[] {0, 0}, new int[] {1, 2}, new int[] {3, 3}, new int[] {4, n - 1}));
        partitions.add(List.of(new int[] {0, 2}, new int[] {3, 5}, new int[] {6, n - 1}));
        Random random = new Random(20250101);
        for (int r = 0; r < 4; r++) {
            List<int[]> p = new ArrayList<>();
            int start = 0;
            while (start < n) {
                int end = Math.min(n - 1, start + random.nextInt(3));
                p.add(new int[] {start, end});
                start = end + 1;
            }
            partitions.add(p);
        }
        Map<String, List<int[]>> unique = new java.util.LinkedHashMap<>();
        partitions.forEach(p -> unique.putIfAbsent(describe(p), p));
        return unique.values().stream().flatMap(p -> Vectors.PROVIDERS.stream().map(prov -> Arguments.of(
                "sessionlog/inBetweenSignatures (received in batches " + describe(p) + ") [" + prov + "]", prov, p)));
    }

    private static String describe(List<int[]> partition) {
        return partition.stream().map(r -> "[" + r[0] + ".." + r[1] + "]").collect(Collectors.joining(","));
    }

    /**
     * wire-format §9.2: a receiver adds each whole batch's size to the counter; when the counter
     * exceeds maxTxSize after the batch, the batch's signature becomes signatureAfter[batch end]
     * and the counter resets. Expectations are computed from that rule and the vector's sizes.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource
    void inBetweenSignaturesReceived(String label, String provider, List<int[]> partition) {
        List<JsonNode> steps = inBetweenSteps();
        SessionLog log = inBetweenLog(Vectors.crypto(provider));
        Map<Integer, String> expected = new TreeMap<>();
        int counter = 0;
        for (int[] range : partition) {
            List<Transaction> batch = new ArrayList<>();
            for (int i = range[0]; i <= range[1]; i++) {
                batch.add(inBetweenTx(steps.get(i)));
                counter += steps.get(i).get("changesLength").intValue();
            }
            String sig = text(steps.get(range[1]), "signature");
            if (counter > maxTxSize()) {
                expected.put(range[1], sig);
                counter = 0;
            }
            assertEquals(new AddResult.Added(range[1] + 1), log.tryAdd(range[0], batch, sig));
            assertEquals(expected, asText(log.signatureAfter()), "after batch " + describe(List.of(range)));
        }
        assertEquals(steps.size(), log.size());
    }

    private static Map<Integer, String> asText(Map<Integer, Signature> m) {
        Map<Integer, String> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, v.value()));
        return out;
    }

    // ---- the whole session: local writer and receiver agree ----

    static Stream<Arguments> writerAndReceiverAgree() {
        return Vectors.PROVIDERS.stream().map(p -> Arguments.of("sessionlog/writer and receiver agree [" + p + "]", p));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void writerAndReceiverAgree(String label, String provider) {
        Crypto crypto = Vectors.crypto(provider);
        SessionLog writer = new SessionLog(crypto, session(), signerID());
        for (JsonNode step : Vectors.cases(FILE, "transactions")) append(writer, step);
        SessionLog receiver = new SessionLog(crypto, session(), signerID());
        String wire = TransactionCodec.toJsonArray(writer.transactions());
        assertEquals(new AddResult.Added(writer.size()), receiver.tryAppendJson(wire, writer.lastSignature().value()));
        assertEquals(writer.lastHash(), receiver.lastHash());
        assertEquals(writer.transactions(), receiver.transactions());
    }
}
