package io.cojson.core.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.crypto.Crypto;
import io.cojson.core.ids.AgentSecret;
import io.cojson.core.ids.SessionID;
import io.cojson.core.ids.Signature;
import io.cojson.core.ids.SignerID;
import java.util.List;
import java.util.NavigableMap;
import org.junit.jupiter.api.Test;

/**
 * Checkpoint signatures (the reference's in-between signatures, written once more than the
 * checkpoint size has accumulated) on received batches and in copies; found by mutation testing.
 */
class SessionLogCheckpointTest {
    private static final Crypto CRYPTO = Crypto.create();
    private final AgentSecret agent = CRYPTO.newRandomAgentSecret();
    private final SignerID signer = CRYPTO.getSignerID(agent.signer());
    private final SessionID session = CRYPTO.newRandomSessionID(CRYPTO.getAgentID(agent).value());

    /** A trusting change list whose UTF-8 length (its checkpoint size) is exactly {@code bytes}. */
    private static String changesOfSize(int bytes) {
        String prefix = "[{\"op\":\"set\",\"key\":\"k\",\"value\":\"";
        String suffix = "\"}]";
        return prefix + "x".repeat(bytes - prefix.length() - suffix.length()) + suffix;
    }

    @Test
    void aReceivedBatchOfExactlyTheCheckpointSizeIsNoCheckpointButOneMoreByteIs() {
        int limit = 200;
        SessionLog sender = new SessionLog(CRYPTO, session, signer, limit);
        SessionLog receiver = new SessionLog(CRYPTO, session, signer, limit);
        sender.appendTrusting(agent.signer(), changesOfSize(limit), 1L, null);
        assertTrue(receiver.tryAppend(sender.transactions(), sender.lastSignature().value()).isAdded());
        assertEquals(0, receiver.signatureAfter().size(), "exactly the limit is not more than the limit");

        sender.appendTrusting(agent.signer(), changesOfSize(60), 2L, null);
        assertTrue(receiver.tryAppend(sender.transactions().subList(1, 2), sender.lastSignature().value()).isAdded());
        assertEquals(List.of(1), List.copyOf(receiver.signatureAfter().keySet()), "260 bytes since the last checkpoint");
        assertEquals(sender.lastSignature(), receiver.signatureAfter().get(1));
    }

    /**
     * A batch hashed from its received canonical text (CanonicalSlices) counts the same checkpoint
     * sizes as one re-serialized: the unescaped changes' UTF-8 length, not the escaped text's, with
     * escaped quotes and backslashes in the values; exactly the limit is no checkpoint, one more is.
     */
    @Test
    void aBatchHashedFromItsCanonicalTextCountsTheUnescapedChangesSize() {
        int limit = 200;
        for (int extra = 0; extra <= 1; extra++) {
            SessionLog sender = new SessionLog(CRYPTO, session, signer, limit);
            String quoted = "[{\"op\":\"set\",\"key\":\"q\",\"value\":\"a\\\"b\\\\c\"}]"; // value a"b\c, escaped
            sender.appendTrusting(agent.signer(), quoted, 1L, null);
            int first = TransactionCodec.utf8Length(quoted);
            sender.appendTrusting(agent.signer(), changesOfSize(limit - first + extra), 2L, null);
            List<Transaction> txs = sender.transactions();
            CanonicalSlices slices = slicesOf(txs);

            SessionLog fromText = new SessionLog(CRYPTO, session, signer, limit);
            SessionLog reserialized = new SessionLog(CRYPTO, session, signer, limit);
            assertTrue(fromText.tryAdd(0, txs, sender.lastSignature().value(), slices).isAdded());
            assertTrue(reserialized.tryAdd(0, txs, sender.lastSignature().value()).isAdded());
            assertEquals(extra == 0 ? List.of() : List.of(1), List.copyOf(fromText.signatureAfter().keySet()),
                    "checkpoint after " + (limit + extra) + " bytes of changes");
            assertEquals(reserialized.signatureAfter(), fromText.signatureAfter());
            assertEquals(sender.signatureAfter(), fromText.signatureAfter(), "as the writer counted them");
        }
    }

    @Test
    void aCopyKeepsSettledAndPendingCheckpointSignatures() {
        SessionLog log = new SessionLog(CRYPTO, session, signer, 10);
        log.appendTrusting(agent.signer(), changesOfSize(40), 1L, null);
        log.appendTrusting(agent.signer(), changesOfSize(40), 2L, null);
        NavigableMap<Integer, Signature> settled = log.signatureAfter(); // collects the first two
        assertEquals(2, settled.size());
        log.appendTrusting(agent.signer(), changesOfSize(40), 3L, null); // still pending here

        SessionLog copy = log.copy();
        assertEquals(3, copy.signatureAfter().size(), "settled and pending checkpoints both copied");
        assertEquals(log.signatureAfter(), copy.signatureAfter());
        assertEquals(log.lastSignature(), copy.lastSignature());
    }

    /** The slices of {@code txs} as they stand in a received message's text (a JSON array of canonical transactions). */
    static CanonicalSlices slicesOf(List<Transaction> txs) {
        StringBuilder text = new StringBuilder("[");
        int[] starts = new int[txs.size()];
        int[] ends = new int[txs.size()];
        for (int i = 0; i < txs.size(); i++) {
            if (i > 0) text.append(',');
            starts[i] = text.length();
            text.append(txs.get(i).canonicalJson());
            ends[i] = text.length();
        }
        return new CanonicalSlices(text.append(']').toString(), starts, ends);
    }
}
