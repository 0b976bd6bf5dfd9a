package io.cojson.core.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.crypto.Crypto;
import io.cojson.core.ids.AgentSecret;
import io.cojson.core.ids.SessionID;
import io.cojson.core.ids.SignerID;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The applying thread takes the running hash the prefetch thread already computed for a piece
 * instead of hashing the same bytes again, but only when its log is in the state that hash
 * started from: same length and same running hash. A log holding another history of the session
 * (a fork) must hash for itself, or it would accept a continuation signed for the other history.
 */
class PrefetchedHashAdoptionTest {
    private static final Crypto CRYPTO = Crypto.create();
    private final AgentSecret agent = CRYPTO.newRandomAgentSecret();
    private final SignerID signer = CRYPTO.getSignerID(agent.signer());
    private final SessionID session = CRYPTO.newRandomSessionID(CRYPTO.getAgentID(agent).value());

    private record Piece(int after, List<Transaction> txs, String signature) {}

    private SessionLog written(String tag, int count) {
        SessionLog log = new SessionLog(CRYPTO, session, signer);
        for (int i = 0; i < count; i++) {
            log.appendTrusting(agent.signer(), "[{\"op\":\"set\",\"key\":\"" + tag + i + "\",\"value\":" + i + "}]", 1_700_000_000_000L + i, null);
        }
        return log;
    }

    /** The log's transactions cut into pieces of {@code size}, each with the signature after it. */
    private List<Piece> pieces(SessionLog log, int size) {
        List<Piece> out = new ArrayList<>();
        for (int after = 0; after < log.size(); after += size) {
            int end = Math.min(after + size, log.size());
            out.add(new Piece(after, List.copyOf(log.transactions().subList(after, end)), resign(log, end)));
        }
        return out;
    }

    /** The signature over the hash after {@code end} transactions, made again from the writer's secret. */
    private String resign(SessionLog log, int end) {
        SessionLog again = new SessionLog(CRYPTO, session, signer);
        for (int i = 0; i < end; i++) {
            Transaction.Trusting t = (Transaction.Trusting) log.get(i);
            again.appendTrusting(agent.signer(), t.changes(), t.madeAt(), t.meta());
        }
        return again.lastSignature().value();
    }

    private SignaturePrefetch prefetched(List<Piece> pieces) {
        List<SignaturePrefetch.Job> jobs = new ArrayList<>();
        for (int i = 0; i < pieces.size(); i++) {
            Piece p = pieces.get(i);
            jobs.add(new SignaturePrefetch.Job(i, session, p.after(), p.txs(), i % 2 == 0 ? SessionLogCheckpointTest.slicesOf(p.txs()) : null,
                    p.signature()));
        }
        SignaturePrefetch prefetch = new SignaturePrefetch(CRYPTO, jobs, s -> signer);
        prefetch.run(); // on this thread: every piece hashed (and checked) before anything is applied
        return prefetch;
    }

    @Test
    void eachPieceTakesTheHashComputedAheadAndTheLogContinuesAsTheWritersDid() {
        SessionLog writer = written("k", 12);
        List<Piece> pieces = pieces(writer, 4);
        SignaturePrefetch prefetch = prefetched(pieces);

        SessionLog reader = new SessionLog(CRYPTO, session, signer);
        for (Piece p : pieces) {
            assertTrue(reader.tryAdd(p.after(), p.txs(), p.signature(), null, prefetch).isAdded(), "piece after " + p.after());
            assertNull(prefetch.takeHashed(p.txs()), "the reader took the hash computed ahead for the piece after " + p.after());
        }
        assertEquals(writer.lastHash(), reader.lastHash());
        // the adopted hasher is in the writer's state: the next transaction hashes the same on both
        SignedTransaction next = writer.appendTrusting(agent.signer(), "[{\"op\":\"set\",\"key\":\"n\",\"value\":1}]", 1_800_000_000_000L, null);
        SignedTransaction same = reader.appendTrusting(agent.signer(), "[{\"op\":\"set\",\"key\":\"n\",\"value\":1}]", 1_800_000_000_000L, null);
        assertEquals(next.hashAfter(), same.hashAfter());
    }

    @Test
    void theHasherTakenForOnePieceIsInTheStateAfterThatPieceOnly() {
        SessionLog writer = written("k", 12);
        List<Piece> pieces = pieces(writer, 4);
        SignaturePrefetch prefetch = prefetched(pieces); // it hashed all three pieces along one chain

        SessionLog reader = new SessionLog(CRYPTO, session, signer);
        assertTrue(reader.tryAdd(0, pieces.get(0).txs(), pieces.get(0).signature(), null, prefetch).isAdded());
        for (Piece p : pieces.subList(1, pieces.size())) { // hashed here, continuing the taken state
            assertTrue(reader.tryAdd(p.after(), p.txs(), p.signature()).isAdded(), "piece after " + p.after());
        }
        assertEquals(writer.lastHash(), reader.lastHash());
    }

    @Test
    void aLogHoldingAnotherHistoryOfTheSessionHashesForItselfAndRejectsTheContinuation() {
        SessionLog writer = written("k", 8);
        List<Piece> pieces = pieces(writer, 4);
        SignaturePrefetch prefetch = prefetched(pieces);
        Piece continuation = pieces.get(1);
        assertTrue(prefetch.verified(signer, writer.lastHash().value(), continuation.signature()), "checked ahead along the writer's history");

        SessionLog fork = written("other", 4); // same session and signer, another first four transactions
        AddResult r = fork.tryAdd(continuation.after(), continuation.txs(), continuation.signature(), null, prefetch);
        assertFalse(r.isAdded(), "a continuation signed for another history");
        assertEquals(VerificationFailure.Kind.SIGNATURE_MISMATCH, ((AddResult.Rejected) r).failure().kind());
        assertEquals(4, fork.size());
    }

    @Test
    void aHashComputedAheadIsTakenOnce() {
        SessionLog writer = written("k", 4);
        List<Piece> pieces = pieces(writer, 4);
        SignaturePrefetch prefetch = prefetched(pieces);
        SignaturePrefetch.Hashed h = prefetch.takeHashed(pieces.get(0).txs());
        assertNotNull(h);
        assertEquals(0, h.startCount());
        assertNull(h.startHash());
        assertEquals(writer.lastHash().value(), h.hash());
        assertNull(prefetch.takeHashed(pieces.get(0).txs()));
        assertNull(prefetch.takeHashed(List.copyOf(new ArrayList<>(pieces.get(0).txs()))), "an equal list of another piece is not that job");
    }
}
