package io.cojson.sync.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.crypto.Crypto;
import io.cojson.core.ids.AgentSecret;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.node.ContentPiece.SessionPiece;
import io.cojson.core.session.SessionLog;
import io.cojson.core.session.Transaction;
import io.cojson.sync.SyncMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** recovery.md §4.3: normalizing, verifying standalone, the common prefix and ownership. */
class ForkConfirmationTest {
    private static final Crypto CRYPTO = Crypto.create();
    private final AgentSecret alice = CRYPTO.newRandomAgentSecret();
    private final SessionID s = CRYPTO.newRandomSessionID(CRYPTO.getAgentID(alice).value());
    private final RawCoID id = new RawCoID("co_zTestForkConfirmation1");

    /** A log of {@code n} transactions {@code prefix0..} made at {@code t0 + i}, with a checkpoint every {@code every} transactions. */
    private SessionLog log(AgentSecret signer, String prefix, int n, long t0) {
        SessionLog log = new SessionLog(CRYPTO, s, CRYPTO.getAgentID(signer).signer(), 40);
        for (int i = 0; i < n; i++) log.appendTrusting(signer.signer(), "[\"" + prefix + i + "\"]", t0 + i, null);
        return log;
    }

    /** The log cut after each of its signatures, as a SignatureMismatch carries it. */
    private static List<SessionPiece> pieces(SessionLog log) {
        List<SessionPiece> out = new ArrayList<>();
        int start = 0;
        for (var cut : log.signatureAfter().entrySet()) {
            if (cut.getKey() >= log.size() - 1) break;
            out.add(new SessionPiece(log.sessionID(), start, log.transactions().subList(start, cut.getKey() + 1), cut.getValue().value()));
            start = cut.getKey() + 1;
        }
        out.add(new SessionPiece(log.sessionID(), start, log.transactions().subList(start, log.size()), log.lastSignature().value()));
        return out;
    }

    @Test
    @DisplayName("RX-2 Server version in several pieces: pieces out of order are normalized and each piece's signature verifies")
    void RX2_severalPiecesNormalizeAndVerify() throws Exception {
        SessionLog server = log(alice, "s", 30, 1000);
        List<SessionPiece> pieces = new ArrayList<>(pieces(server));
        assertTrue(pieces.size() >= 3, "pieces: " + pieces.size());
        List<SessionPiece> shuffled = new ArrayList<>(pieces);
        java.util.Collections.reverse(shuffled);
        ServerVersion v = ServerVersion.of(SyncMessage.SignatureMismatch.of(id, s, shuffled, "test"));
        assertEquals(server.transactions(), v.transactions());
        assertEquals(pieces, v.pieces());
        assertEquals(server.lastSignature().value(), v.lastSignature());
        v.verify(CRYPTO, CRYPTO.getAgentID(alice).signer());
    }

    @Test
    @DisplayName("§4.3 step 1: a gap, an overlap, an empty piece or a start other than 0 is refused")
    void malformedPieceListsAreRefused() {
        List<SessionPiece> p = pieces(log(alice, "s", 30, 1000));
        assertThrows(ServerVersion.InvalidServerVersion.class, () -> ServerVersion.normalize(s, List.of(p.get(0), p.get(2))));
        assertThrows(ServerVersion.InvalidServerVersion.class, () -> ServerVersion.normalize(s, List.of(p.get(1))));
        SessionPiece overlap = new SessionPiece(s, p.get(1).after() - 1, p.get(1).transactions(), p.get(1).lastSignature());
        assertThrows(ServerVersion.InvalidServerVersion.class, () -> ServerVersion.normalize(s, List.of(p.get(0), overlap)));
        assertThrows(ServerVersion.InvalidServerVersion.class, () -> ServerVersion.normalize(s, List.of()));
    }

    @Test
    @DisplayName("RA-8 Forged correction: one changed byte, or a version signed by another agent, does not verify")
    void RA8_forgedVersionsAreRejected() throws Exception {
        SessionLog server = log(alice, "s", 3, 1000);
        List<SessionPiece> p = pieces(server);
        SessionPiece last = p.get(p.size() - 1);
        List<Transaction> altered = new ArrayList<>(last.transactions());
        Transaction.Trusting t = (Transaction.Trusting) altered.get(0);
        altered.set(0, new Transaction.Trusting(t.changes().replace("s", "x"), t.madeAt(), t.meta()));
        List<SessionPiece> forged = new ArrayList<>(p.subList(0, p.size() - 1));
        forged.add(new SessionPiece(s, last.after(), altered, last.lastSignature()));
        ServerVersion oneByte = ServerVersion.normalize(s, forged);
        assertThrows(ServerVersion.InvalidServerVersion.class, () -> oneByte.verify(CRYPTO, CRYPTO.getAgentID(alice).signer()));

        AgentSecret mallory = CRYPTO.newRandomAgentSecret();
        ServerVersion byMallory = ServerVersion.normalize(s, pieces(log(mallory, "s", 3, 1000)));
        assertThrows(ServerVersion.InvalidServerVersion.class, () -> byMallory.verify(CRYPTO, CRYPTO.getAgentID(alice).signer()));
        ServerVersion.normalize(s, p).verify(CRYPTO, CRYPTO.getAgentID(alice).signer()); // the genuine one passes
    }

    @Test
    @DisplayName("RX-1 Common prefix of 0, 1 and many transactions: the first divergent index, and each no-fork outcome")
    void RX1_commonPrefixArithmetic() {
        SessionLog server = log(alice, "s", 6, 1000);
        for (int p : new int[] {0, 1, 5}) {
            SessionLog local = log(alice, "s", p, 1000);
            for (int i = 0; i < 2; i++) local.appendTrusting(alice.signer(), "[\"local" + i + "\"]", 5000 + i, null);
            ForkConfirmation.Comparison c = ForkConfirmation.compare(local.transactions(), server.transactions());
            assertEquals(ForkConfirmation.Outcome.FORK, c.outcome(), "P=" + p);
            assertEquals(p, c.commonPrefix());
        }
        List<Transaction> all = server.transactions();
        assertEquals(ForkConfirmation.Outcome.IDENTICAL, ForkConfirmation.compare(all, all).outcome());
        assertEquals(ForkConfirmation.Outcome.SERVER_IS_PREFIX, ForkConfirmation.compare(all, all.subList(0, 4)).outcome());
        assertEquals(ForkConfirmation.Outcome.LOCAL_IS_PREFIX, ForkConfirmation.compare(all.subList(0, 0), all).outcome());
        assertEquals(4, ForkConfirmation.compare(all.subList(0, 4), all).commonPrefix());
    }

    @Test
    @DisplayName("§4.3 step 4: only sessions in the registry are recovered; never delete or conflict sessions")
    void ownership() {
        SessionID other = CRYPTO.newRandomSessionID(CRYPTO.getAgentID(alice).value()); // same agent, another installation
        assertTrue(ForkConfirmation.recoverable(s, Set.of(s)));
        assertFalse(ForkConfirmation.recoverable(other, Set.of(s)));
        assertFalse(ForkConfirmation.recoverable(s.conflictSession(), Set.of(s, s.conflictSession())));
        SessionID delete = CRYPTO.newDeleteSessionID(CRYPTO.getAgentID(alice).value());
        assertFalse(ForkConfirmation.recoverable(delete, Set.of(delete)));
        SessionRegistry r = SessionRegistry.inMemory();
        r.record(s);
        assertTrue(r.owns(s));
        assertFalse(r.owns(other));
    }
}
