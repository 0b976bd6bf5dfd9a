package io.cojson.core.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.crypto.Crypto;
import io.cojson.core.ids.SessionID;
import io.cojson.core.ids.Signature;
import io.cojson.core.ids.SignerSecret;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Local writes hand their signatures to the background signer: every transaction still gets
 * the exact Ed25519 signature of its hash (Ed25519 is deterministic, so we can recompute it),
 * readers get the signatures they need whether or not the signer got to them, and
 * awaitBackgroundSignatures leaves nothing unsigned.
 */
class BackgroundSigningTest {
    private static final Crypto CRYPTO = Crypto.create();

    private static SessionLog newLog(SignerSecret signer, int k) {
        SessionID session = SessionID.parse("co_zHRdMQ5p8K5rwDy5HFi2Jf92coa_session_zBg" + k);
        return new SessionLog(CRYPTO, session, CRYPTO.getSignerID(signer), 2_000);
    }

    private static byte[] expected(SignerSecret signer, SignedTransaction st) {
        byte[] msg = ("\"" + st.hashAfter().value() + "\"").getBytes(StandardCharsets.US_ASCII);
        return CRYPTO.provider().ed25519Sign(signer.bytes(), msg);
    }

    @Test
    void everyLocalTransactionGetsTheSignatureOfItsHash() {
        SignerSecret signer = CRYPTO.newRandomSigner();
        SessionLog log = newLog(signer, 1);
        List<SignedTransaction> steps = new ArrayList<>();
        int n = BackgroundSigner.MAX_QUEUED * 3; // more than the queue holds: the writer signs some itself
        for (int i = 0; i < n; i++) {
            steps.add(log.appendTrusting(signer, "[{\"op\":\"set\",\"key\":\"k\",\"value\":" + i + "}]", 1_700_000_000_000L + i, null));
        }
        SessionLog.awaitBackgroundSignatures();
        assertEquals(0, BackgroundSigner.queued());
        for (SignedTransaction st : steps) {
            assertEquals(Signature.fromBytes(expected(signer, st)), st.signature(), "signature of tx " + st.txIndex());
        }
        assertEquals(steps.get(n - 1).signature(), log.lastSignature());
        Map<Integer, Signature> checkpoints = log.signatureAfter();
        assertFalse(checkpoints.isEmpty(), "the small checkpoint size made in-between signatures");
        for (Map.Entry<Integer, Signature> e : checkpoints.entrySet()) {
            assertEquals(steps.get(e.getKey()).signature(), e.getValue(), "checkpoint after " + e.getKey());
        }
        // a receiver verifies the whole log with the last signature
        SessionLog receiver = newLog(signer, 1);
        assertTrue(receiver.tryAppend(log.transactions(), log.lastSignature().value()).isAdded());
    }

    /** Readers right after each write (the sync layer's pattern) and writers on several threads. */
    @Test
    void concurrentWritersAndImmediateReadersSeeCorrectSignatures() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> all = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                int k = w;
                all.add(pool.submit(() -> {
                    SignerSecret signer = CRYPTO.newRandomSigner();
                    SessionLog log = newLog(signer, 10 + k);
                    for (int i = 0; i < 300; i++) {
                        SignedTransaction st = log.appendTrusting(signer, "[" + i + "]", 1_700_000_000_000L + i, null);
                        if (i % 7 == 0) {
                            assertEquals(Signature.fromBytes(expected(signer, st)), log.lastSignature(), "writer " + k + " tx " + i);
                        }
                    }
                    SessionLog copy = log.copy();
                    SessionLog receiver = newLog(signer, 10 + k);
                    assertTrue(receiver.tryAppend(copy.transactions(), copy.lastSignature().value()).isAdded());
                    return null;
                }));
            }
            for (Future<?> f : all) f.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        SessionLog.awaitBackgroundSignatures();
        assertEquals(0, BackgroundSigner.queued());
    }
}
