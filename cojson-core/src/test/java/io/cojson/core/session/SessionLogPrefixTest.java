package io.cojson.core.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cojson.core.crypto.Crypto;
import io.cojson.core.ids.AgentSecret;
import io.cojson.core.ids.SessionID;
import io.cojson.core.ids.SignerID;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link SessionLog#prefix}: recovery re-derives a session's transactions from a prefix of it
 * (recovery.md §5.3), so a prefix continued with the same writes must sign exactly what the
 * original writer signed: same hashes, same checkpoints, same signatures (Ed25519 is
 * deterministic). Also pins {@link SignedTransaction#isCheckpoint()}, which makes the sync layer
 * send a completed content piece at once.
 */
class SessionLogPrefixTest {
    private static final Crypto CRYPTO = Crypto.create();
    private static final int LIMIT = 300;
    private final AgentSecret agent = CRYPTO.newRandomAgentSecret();
    private final SignerID signer = CRYPTO.getSignerID(agent.signer());
    private final SessionID session = CRYPTO.newRandomSessionID(CRYPTO.getAgentID(agent).value());

    private record Write(String changes, long madeAt) {}

    private static List<Write> writes(long seed, int count) {
        Random r = new Random(seed);
        List<Write> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            // sizes around the checkpoint limit: some transactions alone pass it, most need several
            String value = "v".repeat(r.nextInt(r.nextInt(4) == 0 ? 2 * LIMIT : LIMIT / 3));
            out.add(new Write("[{\"op\":\"set\",\"key\":\"k" + i + "\",\"value\":\"" + value + "\"}]", 1_700_000_000_000L + i));
        }
        return out;
    }

    private SessionLog written(List<Write> writes, List<SignedTransaction> steps) {
        SessionLog log = new SessionLog(CRYPTO, session, signer, LIMIT);
        for (Write w : writes) steps.add(log.appendTrusting(agent.signer(), w.changes(), w.madeAt(), null));
        return log;
    }

    @Test
    void aPrefixContinuedWithTheSameWritesSignsWhatTheWriterSigned() {
        for (long seed = 1; seed <= 6; seed++) {
            List<Write> writes = writes(seed, 14);
            List<SignedTransaction> steps = new ArrayList<>();
            SessionLog original = written(writes, steps);
            for (int n = 0; n <= writes.size(); n++) {
                String where = "seed " + seed + ", prefix " + n;
                SessionLog p = original.prefix(n);
                assertEquals(n, p.size(), where);
                assertEquals(original.transactions().subList(0, n), p.transactions(), where);
                assertEquals(original.signatureAfter().headMap(n, false), p.signatureAfter(), where + ": checkpoints kept");
                if (n > 0) assertEquals(steps.get(n - 1).hashAfter(), p.lastHash(), where + ": running hash");
                if (n == writes.size() || original.signatureAfter().containsKey(n - 1)) {
                    if (n > 0) assertEquals(steps.get(n - 1).signature(), p.lastSignature(), where + ": known last signature");
                }
                for (int i = n; i < writes.size(); i++) {
                    SignedTransaction again = p.appendTrusting(agent.signer(), writes.get(i).changes(), writes.get(i).madeAt(), null);
                    assertEquals(steps.get(i).hashAfter(), again.hashAfter(), where + ": hash after " + i);
                    assertEquals(steps.get(i).signature(), again.signature(), where + ": signature after " + i);
                    assertEquals(steps.get(i).isCheckpoint(), again.isCheckpoint(), where + ": checkpoint at " + i);
                }
                assertEquals(original.signatureAfter(), p.signatureAfter(), where + ": same checkpoints when continued");
                assertEquals(original.lastSignature(), p.lastSignature(), where);
            }
        }
    }

    @Test
    void aWriteIsACheckpointExactlyWhenItsSignatureIsKeptAsOne() {
        List<SignedTransaction> steps = new ArrayList<>();
        SessionLog log = written(writes(42, 30), steps);
        int checkpoints = 0;
        for (SignedTransaction st : steps) {
            boolean kept = log.signatureAfter().containsKey(st.txIndex()) && st.txIndex() < log.size() - 1;
            assertEquals(kept, st.isCheckpoint(), "transaction " + st.txIndex());
            if (st.isCheckpoint()) checkpoints++;
        }
        assertEquals(true, checkpoints >= 3, "the writes pass the limit several times: " + checkpoints);
    }

    @Test
    void aPrefixMustLieWithinTheLog() {
        SessionLog log = written(writes(7, 3), new ArrayList<>());
        assertEquals(0, log.prefix(0).size());
        assertNull(log.prefix(0).lastHash(), "an empty prefix has no running hash yet");
        assertNull(log.prefix(0).lastSignature());
        assertEquals(3, log.prefix(3).size());
        assertThrows(IndexOutOfBoundsException.class, () -> log.prefix(-1));
        assertThrows(IndexOutOfBoundsException.class, () -> log.prefix(4));
    }

    /** Checkpoint signatures still being made in the background when the prefix is taken are kept. */
    @Test
    void aPrefixTakenRightAfterTheWritesKeepsTheirCheckpoints() {
        SessionLog log = written(writes(3, 20), new ArrayList<>());
        SessionLog whole = log.prefix(log.size()); // before anything else collected the signatures
        assertFalse(whole.signatureAfter().isEmpty(), "the writes made checkpoints");
        assertEquals(log.signatureAfter(), whole.signatureAfter());
        assertEquals(log.lastSignature(), whole.lastSignature());
    }
}
