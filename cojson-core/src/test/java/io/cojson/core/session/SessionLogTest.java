package io.cojson.core.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.crypto.Crypto;
import io.cojson.core.encoding.Base58;
import io.cojson.core.encoding.Hex;
import io.cojson.core.ids.Hash;
import io.cojson.core.ids.KeyID;
import io.cojson.core.ids.KeySecret;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.ids.Signature;
import io.cojson.core.ids.SignerID;
import io.cojson.core.ids.SignerSecret;
import io.cojson.core.ids.TransactionID;
import io.cojson.core.testing.Vectors;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Session-log behaviour beyond the vectors: the spec's worked example, rejection paths and their
 * effect on the log, trimming, checkpoints and the local size limit. Runs on both providers.
 */
class SessionLogTest {
    /** wire-format §10: seed(k)[i] = (7·i + k) mod 256. */
    private static byte[] seed(int k) {
        byte[] b = new byte[32];
        for (int i = 0; i < 32; i++) b[i] = (byte) ((7 * i + k) & 0xFF);
        return b;
    }

    private static final SignerSecret SIGNER = SignerSecret.fromBytes(seed(1));
    private static final SessionID SESSION = SessionID.parse("co_zHRdMQ5p8K5rwDy5HFi2Jf92coa_session_zTestSess");
    private static final RawCoID CO = RawCoID.parse("co_zcjP2rvGhe36DjNpnug7pD8eYHN");
    private static final KeyID KEY_ID = KeyID.parse("key_zKeyId1");
    private static final KeySecret KEY = KeySecret.fromBytes(seed(4));

    static Stream<Arguments> providers() {
        return Vectors.PROVIDERS.stream().map(p -> Arguments.of("[" + p + "]", p));
    }

    private static SessionLog newLog(Crypto crypto) {
        return new SessionLog(crypto, SESSION, crypto.getSignerID(SIGNER));
    }

    /** A writer's log and what each local append returned. */
    private record Written(SessionLog log, List<SignedTransaction> steps) {
        List<Transaction> txs(int from, int toExclusive) {
            return log.transactions().subList(from, toExclusive);
        }

        String sig(int index) {
            return steps.get(index).signature().value();
        }
    }

    /** A writer with {@code n} small trusting transactions. */
    private static Written writer(Crypto crypto, int n) {
        SessionLog w = newLog(crypto);
        List<SignedTransaction> steps = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            steps.add(w.appendTrusting(SIGNER, "[{\"op\":\"set\",\"key\":\"k\",\"value\":" + i + "}]", 1_700_000_000_000L + i, null));
        }
        return new Written(w, steps);
    }

    private static VerificationFailure rejected(AddResult r) {
        return assertInstanceOf(AddResult.Rejected.class, r).failure();
    }

    // ---- wire-format §10 worked example ----

    @ParameterizedTest(name = "spec §10 worked example {0}")
    @MethodSource("providers")
    void workedExample(String label, String provider) {
        Crypto crypto = Vectors.crypto(provider);
        assertEquals("signerSecret_z52Y2w7NXvFk4zUsVGXaq3ai8xBVNV8FX7aME2Vpz2tH", SIGNER.value());
        assertEquals("signer_zGM4eCsQuaLNXApYz6YYUQVMxajTaJ7dB4TbroFGBaou9", crypto.getSignerID(SIGNER).value());
        assertEquals("keySecret_zGnRTqWQJp9RVGEPoAWLhftzsRp6PgBiCLaKQAddE2rQ", KEY.value());
        SessionLog log = newLog(crypto);

        SignedTransaction t0 = log.appendTrusting(SIGNER, "[{\"op\":\"set\",\"key\":\"a\",\"value\":1}]", 1704067200000L, null);
        assertEquals("{\"changes\":\"[{\\\"op\\\":\\\"set\\\",\\\"key\\\":\\\"a\\\",\\\"value\\\":1}]\",\"madeAt\":1704067200000,\"privacy\":\"trusting\"}",
                t0.transaction().canonicalJson());
        assertEquals("hash_zBJhMzV7k6LDgfr3BoBpwjN4peJ5xcyRgsM7JHLPxEvj", t0.hashAfter().value());
        assertTrue(Hex.encode(t0.hashAfter().bytes()).startsWith("02a3d120"));
        assertTrue(Hex.encode(t0.hashAfter().bytes()).endsWith("3458"));
        assertEquals("signature_zGKYMLk9im2DswWtt9tc9XAztR6mRxtYdpmrQSSi6ZvnJuEWGqiD81iAzi4gq5ARm4ZZcERmx1gc1bwtqFuAmkVq",
                t0.signature().value());

        var material = new TransactionID(SESSION, 1).nonceMaterial(CO);
        assertEquals("{\"in\":\"co_zcjP2rvGhe36DjNpnug7pD8eYHN\",\"tx\":{\"sessionID\":\"co_zHRdMQ5p8K5rwDy5HFi2Jf92coa_session_zTestSess\",\"txIndex\":1}}",
                io.cojson.core.json.StableJson.stringify(material));
        assertEquals("2f048a9145d8b6640e612379dcdf01a2be16df5633fedc1c", Hex.encode(crypto.nonce(material)));
        SignedTransaction t1 = log.appendPrivate(SIGNER, CO, KEY_ID, KEY, "[{\"op\":\"set\",\"key\":\"b\",\"value\":\"secret\"}]",
                1704067200001L, null);
        assertEquals("{\"encryptedChanges\":\"encrypted_UID6WyzfM9ZQ7o6NvNCS6EWP9KH9otk_Rk6pOc3iOM4JL_VDMjsKPnVk=\",\"keyUsed\":\"key_zKeyId1\",\"madeAt\":1704067200001,\"privacy\":\"private\"}",
                t1.transaction().canonicalJson());
        assertEquals("hash_z6P1NdNV8V2Gi4wsm1s1yEHNswgDwrbe1n3ee43j92J16", t1.hashAfter().value());
        assertEquals("signature_z2VNHzkTiPgeCUMYEuEns6vQu2fic76QLj2CyeHBCHB5J1WVGBiavC3MESY7pzNrTJ1PXN1b6wN928HrvCyxSAJHn",
                t1.signature().value());
    }

    // ---- malformed signatures ----

    static Stream<Arguments> malformedSignatures() {
        String sig64 = Base58.encode(seed(9)) + Base58.encode(seed(10));
        Stream<String[]> cases = Stream.of(
                new String[] {"no _z", "signature" + Base58.encode(new byte[64]), "Core error: Invalid decoding prefix"},
                new String[] {"other prefix", "hash_z" + Base58.encode(seed(3)), "Core error: Invalid decoding prefix"},
                new String[] {"null", null, "Core error: Invalid decoding prefix"},
                new String[] {"empty", "", "Core error: Invalid decoding prefix"},
                new String[] {"bad base58 (0)", "signature_z0" + sig64.substring(1), "Core error: Invalid base58"},
                new String[] {"bad base58 (l)", "signature_zl", "Core error: Invalid base58"},
                new String[] {"bad base58 (space)", "signature_z " + sig64, "Core error: Invalid base58"},
                new String[] {"63 bytes", "signature_z" + Base58.encode(new byte[63]), "Core error: Invalid key length"},
                new String[] {"65 bytes", "signature_z" + Base58.encode(new byte[65]), "Core error: Invalid key length"},
                new String[] {"empty payload", "signature_z", "Core error: Invalid key length"});
        return cases.flatMap(c -> Vectors.PROVIDERS.stream().map(p -> Arguments.of(c[0] + " [" + p + "]", p, c[1], c[2])));
    }

    @ParameterizedTest(name = "malformed signature: {0}")
    @MethodSource
    void malformedSignatures(String label, String provider, String signatureText, String referenceError) {
        Crypto crypto = Vectors.crypto(provider);
        Written w = writer(crypto, 3);
        SessionLog r = newLog(crypto);
        assertEquals(new AddResult.Added(1), r.tryAppend(w.txs(0, 1), w.sig(0)));
        VerificationFailure f = rejected(r.tryAppend(w.txs(1, 3), signatureText));
        assertEquals(VerificationFailure.Kind.MALFORMED_SIGNATURE, f.kind());
        assertEquals(referenceError, f.message());
        assertEquals(SESSION, f.sessionID());
        assertEquals(0, f.lastVerifiedIndex());
        assertEquals(w.steps().get(0).hashAfter(), f.lastVerifiedHash());
        assertNull(f.expectedHash());
        assertEquals(signatureText, f.receivedSignature());
        assertEquals(1, r.size());
        // also through the JSON path
        VerificationFailure g = rejected(r.tryAppendJson(TransactionCodec.toJsonArray(w.txs(1, 3)), signatureText));
        assertEquals(VerificationFailure.Kind.MALFORMED_SIGNATURE, g.kind());
        assertEquals(1, r.size());
        // and the right signature is still accepted afterwards
        assertEquals(new AddResult.Added(3), r.tryAppend(w.txs(1, 3), w.sig(2)));
    }

    // ---- contiguity ----

    @ParameterizedTest(name = "a batch after a gap is NOT_CONTIGUOUS {0}")
    @MethodSource("providers")
    void gap(String label, String provider) {
        Crypto crypto = Vectors.crypto(provider);
        Written w = writer(crypto, 4);
        SessionLog r = newLog(crypto);
        assertEquals(new AddResult.Added(1), r.tryAdd(0, w.txs(0, 1), w.sig(0)));
        VerificationFailure f = rejected(r.tryAdd(2, w.txs(2, 4), w.sig(3)));
        assertEquals(VerificationFailure.Kind.NOT_CONTIGUOUS, f.kind());
        assertEquals(SESSION, f.sessionID());
        assertEquals(0, f.lastVerifiedIndex());
        assertEquals(1, r.size());
        VerificationFailure neg = rejected(r.tryAdd(-1, w.txs(0, 4), w.sig(3)));
        assertEquals(VerificationFailure.Kind.NOT_CONTIGUOUS, neg.kind());
        assertEquals(1, r.size());
        // the missing piece, then the rest
        assertEquals(new AddResult.Added(4), r.tryAdd(1, w.txs(1, 4), w.sig(3)));
        assertEquals(w.log().lastHash(), r.lastHash());
    }

    @ParameterizedTest(name = "overlapping and already-known batches are trimmed {0}")
    @MethodSource("providers")
    void overlapIsTrimmed(String label, String provider) {
        Crypto crypto = Vectors.crypto(provider);
        Written w = writer(crypto, 5);
        SessionLog r = newLog(crypto);
        assertEquals(new AddResult.Added(2), r.tryAdd(0, w.txs(0, 2), w.sig(1)));
        assertEquals(new AddResult.Added(4), r.tryAdd(0, w.txs(0, 4), w.sig(3)));
        assertEquals(new AddResult.Added(4), r.tryAdd(1, w.txs(1, 3), w.sig(2))); // nothing new
        assertEquals(new AddResult.Added(4), r.tryAppend(List.of(), "not even a signature")); // empty batch
        assertEquals(4, r.size());
        assertEquals(w.sig(3), r.lastSignature().value());
        assertEquals(new AddResult.Added(5), r.tryAdd(3, w.txs(3, 5), w.sig(4)));
        assertEquals(w.log().transactions(), r.transactions());
    }

    // ---- a failed batch leaves the log unchanged ----

    @ParameterizedTest(name = "a failed batch changes nothing and a correct one is accepted later {0}")
    @MethodSource("providers")
    void failedBatchLeavesLogUnchanged(String label, String provider) {
        Crypto crypto = Vectors.crypto(provider);
        Written w = writer(crypto, 4);
        SessionLog r = new SessionLog(crypto, SESSION, crypto.getSignerID(SIGNER), 10);
        assertEquals(new AddResult.Added(2), r.tryAppend(w.txs(0, 2), w.sig(1)));
        int size = r.size();
        Hash hash = r.lastHash();
        Signature sig = r.lastSignature();
        NavigableMap<Integer, Signature> checkpoints = new TreeMap<>(r.signatureAfter());

        Transaction.Trusting t2 = (Transaction.Trusting) w.log().get(2);
        List<Transaction> tampered = List.of(new Transaction.Trusting(t2.changes(), t2.madeAt() + 1, t2.meta()), w.log().get(3));
        VerificationFailure f = rejected(r.tryAppend(tampered, w.sig(3)));
        assertEquals(VerificationFailure.Kind.SIGNATURE_MISMATCH, f.kind());
        assertEquals(1, f.lastVerifiedIndex());
        assertEquals(hash, f.lastVerifiedHash());
        assertNotNull(f.expectedHash());
        assertNotEquals(w.steps().get(3).hashAfter(), f.expectedHash());
        assertEquals("Core error: Signature verification failed: (hash: " + f.expectedHash().value() + ")", f.message());

        // a batch signed by someone else
        SignerSecret other = SignerSecret.fromBytes(seed(77));
        SessionLog forged = new SessionLog(crypto, SESSION, crypto.getSignerID(other));
        Transaction.Trusting t0 = (Transaction.Trusting) w.log().get(0);
        forged.appendTrusting(other, t0.changes(), t0.madeAt(), null);
        forged.appendTrusting(other, ((Transaction.Trusting) w.log().get(1)).changes(), w.log().get(1).madeAt(), null);
        SignedTransaction forgedSig = forged.appendTrusting(other, t2.changes(), t2.madeAt(), null);
        assertEquals(VerificationFailure.Kind.SIGNATURE_MISMATCH, rejected(r.tryAppend(w.txs(2, 3), forgedSig.signature().value())).kind());

        assertEquals(size, r.size());
        assertEquals(hash, r.lastHash());
        assertEquals(sig, r.lastSignature());
        assertEquals(checkpoints, r.signatureAfter());

        // unlike the reference (which keeps the failed batch staged), the right batch now verifies
        assertEquals(new AddResult.Added(4), r.tryAppend(w.txs(2, 4), w.sig(3)));
        assertEquals(w.log().lastHash(), r.lastHash());
        assertEquals(w.log().transactions(), r.transactions());
    }

    @ParameterizedTest(name = "a malformed transaction rejects the batch without touching the log {0}")
    @MethodSource("providers")
    void malformedTransactionBatch(String label, String provider) {
        Crypto crypto = Vectors.crypto(provider);
        Written w = writer(crypto, 2);
        SessionLog r = newLog(crypto);
        VerificationFailure f = rejected(r.tryAppendJson("[{\"changes\":\"[]\",\"madeAt\":1e3,\"privacy\":\"trusting\"}]", w.sig(0)));
        assertEquals(VerificationFailure.Kind.MALFORMED_TRANSACTION, f.kind());
        assertEquals(-1, f.lastVerifiedIndex());
        assertNull(f.lastVerifiedHash());
        assertNull(f.expectedHash());
        assertTrue(f.message().contains("Invalid transaction: Failed to convert made_at to u64"), f.message());
        assertEquals(0, r.size());
        assertNull(r.lastSignature());
        assertEquals(new AddResult.Added(2), r.tryAppendJson(TransactionCodec.toJsonArray(w.txs(0, 2)), w.sig(1)));
    }

    // ---- checkpoints (wire-format §9.2 example) ----

    @ParameterizedTest(name = "checkpoints with threshold 10 and seven-character changes {0}")
    @MethodSource("providers")
    void checkpointExampleOfTheSpec(String label, String provider) {
        Crypto crypto = Vectors.crypto(provider);
        SignerID signer = crypto.getSignerID(SIGNER);
        SessionLog local = new SessionLog(crypto, SESSION, signer, 10);
        List<SignedTransaction> steps = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String changes = "[\"ab" + i + "\"]";
            assertEquals(7, changes.length());
            steps.add(local.appendTrusting(SIGNER, changes, 1000 + i, null));
        }
        assertEquals(List.of(1, 3, 5), List.copyOf(local.signatureAfter().keySet()));
        for (int i : local.signatureAfter().keySet()) assertEquals(steps.get(i).signature(), local.signatureAfter().get(i));

        SessionLog receiver = new SessionLog(crypto, SESSION, signer, 10);
        receiver.tryAdd(0, local.transactions().subList(0, 2), steps.get(1).signature().value());
        receiver.tryAdd(2, local.transactions().subList(2, 5), steps.get(4).signature().value());
        assertEquals(List.of(1, 4), List.copyOf(receiver.signatureAfter().keySet()));
        assertEquals(steps.get(4).signature(), receiver.signatureAfter().get(4));
    }

    @ParameterizedTest(name = "checkpoint sizes are UTF-8 bytes of changes / encryptedChanges {0}")
    @MethodSource("providers")
    void checkpointSizes(String label, String provider) {
        Crypto crypto = Vectors.crypto(provider);
        SessionLog log = new SessionLog(crypto, SESSION, crypto.getSignerID(SIGNER), 11);
        // 8 UTF-16 units but 12 UTF-8 bytes: exceeds 11 on its own
        String changes = "[\"é😀é\"]";
        assertEquals(8, changes.length());
        SignedTransaction t = log.appendTrusting(SIGNER, changes, 1, null);
        assertEquals(12, t.transaction().checkpointSize());
        assertEquals(Map.of(0, t.signature()), log.signatureAfter());

        // private: the encryptedChanges text counts ("encrypted_U" + 4 base64 chars = 15), meta does not
        SessionLog priv = new SessionLog(crypto, SESSION, crypto.getSignerID(SIGNER), 15);
        SignedTransaction p = priv.appendPrivate(SIGNER, CO, KEY_ID, KEY, "[]", 2, "{\"a\":1}");
        Transaction.Private tx = (Transaction.Private) p.transaction();
        assertEquals(15, tx.encryptedChanges().length());
        assertEquals(15, tx.checkpointSize());
        assertNotNull(tx.meta());
        assertEquals(Map.of(), priv.signatureAfter());
        SignedTransaction p2 = priv.appendPrivate(SIGNER, CO, KEY_ID, KEY, "[]", 3, null);
        assertEquals(Map.of(1, p2.signature()), priv.signatureAfter());
    }

    // ---- local size limit ----

    @ParameterizedTest(name = "local transactions over 1 MiB are refused {0}")
    @MethodSource("providers")
    void tooLarge(String label, String provider) {
        Crypto crypto = Vectors.crypto(provider);
        SessionLog log = newLog(crypto);
        String exactly = "[\"" + "x".repeat(SessionLog.MAX_TX_CHANGES_BYTES - 4) + "\"]";
        assertEquals(SessionLog.MAX_TX_CHANGES_BYTES, exactly.length());
        log.appendTrusting(SIGNER, exactly, 1, null);
        assertEquals(1, log.size());
        Hash before = log.lastHash();

        String oneMore = "[\"" + "x".repeat(SessionLog.MAX_TX_CHANGES_BYTES - 3) + "\"]";
        TransactionTooLargeException e = assertThrows(TransactionTooLargeException.class,
                () -> log.appendTrusting(SIGNER, oneMore, 2, null));
        assertEquals("Transaction too large to be synced: 1048577 bytes > 1048576 bytes limit", e.getMessage());
        // fewer UTF-16 units than the limit, but more UTF-8 bytes
        String multiByte = "[\"" + "é".repeat(SessionLog.MAX_TX_CHANGES_BYTES / 2) + "\"]";
        assertTrue(multiByte.length() < SessionLog.MAX_TX_CHANGES_BYTES);
        assertThrows(TransactionTooLargeException.class, () -> log.appendTrusting(SIGNER, multiByte, 3, null));
        assertThrows(TransactionTooLargeException.class, () -> log.appendPrivate(SIGNER, CO, KEY_ID, KEY, oneMore, 4, null));
        assertEquals(1, log.size());
        assertEquals(before, log.lastHash());
        // received transactions are not size-checked
        SessionLog r = newLog(crypto);
        assertEquals(new AddResult.Added(1), r.tryAppend(log.transactions(), log.lastSignature().value()));
    }

    @ParameterizedTest(name = "a local append needs this session's signer secret {0}")
    @MethodSource("providers")
    void wrongSignerSecret(String label, String provider) {
        Crypto crypto = Vectors.crypto(provider);
        SessionLog log = newLog(crypto);
        assertThrows(IllegalArgumentException.class, () -> log.appendTrusting(SignerSecret.fromBytes(seed(2)), "[]", 1, null));
        assertEquals(0, log.size());
        assertNull(log.lastHash());
    }

    @ParameterizedTest(name = "copy is independent {0}")
    @MethodSource("providers")
    void copyIsIndependent(String label, String provider) {
        Crypto crypto = Vectors.crypto(provider);
        Written w = writer(crypto, 3);
        SessionLog c = w.log().copy();
        c.appendTrusting(SIGNER, "[]", 5, null);
        assertEquals(3, w.log().size());
        assertEquals(4, c.size());
        assertEquals(w.steps().get(2).hashAfter(), w.log().lastHash());
        SignedTransaction next = w.log().appendTrusting(SIGNER, "[]", 5, null);
        assertEquals(c.lastHash(), next.hashAfter());
    }

    /**
     * Our own session coming back longer from a peer while the signature of our last local write is
     * still pending (never collected): the appended batch's signature must become the log's last
     * one, not the older pending one (PIT: removing {@code settle()} from {@code tryAppend} survived
     * the package's tests).
     */
    @ParameterizedTest(name = "append after a pending local signature {0}")
    @MethodSource("providers")
    void appendingAfterAPendingLocalSignatureKeepsTheAppendedSignature(String label, String provider) {
        Crypto crypto = Vectors.crypto(provider);
        SessionLog writer = newLog(crypto); // the peer's copy of our session, one write ahead
        writer.appendTrusting(SIGNER, "[{\"op\":\"set\",\"key\":\"a\",\"value\":1}]", 1_000, null);
        SignedTransaction second = writer.appendTrusting(SIGNER, "[{\"op\":\"set\",\"key\":\"b\",\"value\":2}]", 1_001, null);

        SessionLog ours = newLog(crypto);
        ours.appendTrusting(SIGNER, "[{\"op\":\"set\",\"key\":\"a\",\"value\":1}]", 1_000, null); // signature pending
        AddResult r = ours.tryAdd(1, List.of(writer.get(1)), second.signature().value());
        assertEquals(new AddResult.Added(2), r);
        assertEquals(second.signature(), ours.lastSignature(), "the appended batch's signature is the last one");
        assertEquals(writer.lastHash(), ours.lastHash());
    }
}
