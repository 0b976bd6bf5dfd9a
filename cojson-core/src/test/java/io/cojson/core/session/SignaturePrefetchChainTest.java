package io.cojson.core.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.crypto.Crypto;
import io.cojson.core.ids.AgentSecret;
import io.cojson.core.ids.SessionID;
import io.cojson.core.ids.SignerID;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The prefetch hashes a session's pieces as one chain: a piece continues the running hash of the
 * piece before it (from its own transactions, or from the slices of the received text), and a
 * piece whose predecessor it has not seen is left to the applying thread. Found by mutation
 * testing: every other prefetch test had one piece per session, so the chain was never used.
 */
class SignaturePrefetchChainTest {
    private static final Crypto CRYPTO = Crypto.create();
    private static final int LIMIT = 250;
    private final AgentSecret agent = CRYPTO.newRandomAgentSecret();
    private final SignerID signer = CRYPTO.getSignerID(agent.signer());
    private final SessionID session = CRYPTO.newRandomSessionID(CRYPTO.getAgentID(agent).value());

    /** A piece of the session as content carries it: transactions after {@code after}, ending at a signature. */
    private record Piece(int after, List<Transaction> txs, String hashText, String signature) {}

    private List<Piece> pieces() {
        SessionLog log = new SessionLog(CRYPTO, session, signer, LIMIT);
        List<SignedTransaction> steps = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            steps.add(log.appendTrusting(agent.signer(), "[{\"op\":\"set\",\"key\":\"k" + i + "\",\"value\":\"" + "x".repeat(20 + 7 * i % 60) + "\"}]",
                    1_700_000_000_000L + i, null));
        }
        List<Piece> out = new ArrayList<>();
        int after = 0;
        for (SignedTransaction st : steps) {
            int end = st.txIndex() + 1;
            if (st.isCheckpoint() || end == log.size()) {
                out.add(new Piece(after, log.transactions().subList(after, end), st.hashAfter().value(), st.signature().value()));
                after = end;
            }
        }
        return out;
    }

    private SignaturePrefetch run(List<Piece> pieces) {
        List<SignaturePrefetch.Job> jobs = new ArrayList<>();
        for (int i = 0; i < pieces.size(); i++) {
            Piece p = pieces.get(i);
            // every other piece hashed from the received text's slices, the rest re-serialized
            jobs.add(new SignaturePrefetch.Job(i, session, p.after(), p.txs(), i % 2 == 0 ? SessionLogCheckpointTest.slicesOf(p.txs()) : null, p.signature()));
        }
        SignaturePrefetch prefetch = new SignaturePrefetch(CRYPTO, jobs, s -> signer);
        prefetch.run(); // on this thread: every job checked
        return prefetch;
    }

    @Test
    void everyPieceOfAMultiPieceSessionIsVerifiedAlongTheChain() {
        List<Piece> pieces = pieces();
        assertTrue(pieces.size() >= 4, "the session spans several pieces: " + pieces.size());
        SignaturePrefetch prefetch = run(pieces);
        for (int i = 0; i < pieces.size(); i++) {
            Piece p = pieces.get(i);
            assertTrue(prefetch.verified(signer, p.hashText(), p.signature()), "piece " + i + " (after " + p.after() + ")");
        }
    }

    @Test
    void aPieceWhosePredecessorIsMissingIsLeftToTheApplyingThread() {
        List<Piece> pieces = pieces();
        List<Piece> gap = new ArrayList<>(pieces);
        gap.remove(1);
        SignaturePrefetch prefetch = run(gap);
        assertTrue(prefetch.verified(signer, pieces.get(0).hashText(), pieces.get(0).signature()));
        for (int i = 2; i < pieces.size(); i++) {
            Piece p = pieces.get(i);
            assertFalse(prefetch.verified(signer, p.hashText(), p.signature()), "piece " + i + " follows a piece never seen");
        }
        assertEquals(pieces.size() - 1, gap.size());
    }
}
