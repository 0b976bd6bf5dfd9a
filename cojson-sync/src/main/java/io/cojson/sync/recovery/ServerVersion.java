package io.cojson.sync.recovery;

import io.cojson.core.crypto.Crypto;
import io.cojson.core.ids.SessionID;
import io.cojson.core.ids.SignerID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.node.ContentPiece.SessionPiece;
import io.cojson.core.session.AddResult;
import io.cojson.core.session.SessionLog;
import io.cojson.core.session.Transaction;
import io.cojson.core.session.TransactionCodec;
import io.cojson.sync.SyncMessage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * A peer's whole version of one session, normalized (recovery.md §4.3 step 1): pieces ordered by
 * {@code after}, consecutive from 0, none empty; the transactions flattened, the piece boundaries
 * and their signatures kept (the recovery unit writes a checkpoint signature at each boundary).
 */
public record ServerVersion(SessionID session, List<SessionPiece> pieces, List<Transaction> transactions) {

    /** Thrown when a received version is malformed or does not verify; nothing is applied. */
    public static final class InvalidServerVersion extends Exception {
        public InvalidServerVersion(String message) {
            super(message);
        }
    }

    public ServerVersion {
        pieces = List.copyOf(pieces);
        transactions = Collections.unmodifiableList(new ArrayList<>(transactions));
    }

    public int length() {
        return transactions.size();
    }

    public String lastSignature() {
        return pieces.get(pieces.size() - 1).lastSignature();
    }

    /** Normalizes the content of a {@code SignatureMismatch} report. */
    public static ServerVersion of(SyncMessage.SignatureMismatch m) throws InvalidServerVersion {
        List<SessionPiece> pieces = new ArrayList<>(m.content().size());
        for (SyncMessage.SessionEntry e : m.content()) {
            List<Transaction> txs = e.transactions(); // read straight from the text (no tree), or from the tree below
            if (txs == null) {
                txs = new ArrayList<>(e.count());
                try {
                    for (JsonValue v : e.newTransactions().items()) txs.add(TransactionCodec.fromJson(v));
                } catch (IllegalArgumentException ex) {
                    throw new InvalidServerVersion("malformed transaction in the piece at " + e.after() + ": " + ex.getMessage());
                }
            }
            if (txs.isEmpty()) throw new InvalidServerVersion("empty piece at " + e.after());
            pieces.add(new SessionPiece(m.sessionID(), e.after(), txs, e.lastSignature()));
        }
        return normalize(m.sessionID(), pieces);
    }

    /** Orders {@code pieces} by start and requires them to cover the session from 0 without gaps or overlaps. */
    public static ServerVersion normalize(SessionID session, List<SessionPiece> pieces) throws InvalidServerVersion {
        if (pieces.isEmpty()) throw new InvalidServerVersion("no pieces");
        List<SessionPiece> sorted = new ArrayList<>(pieces);
        sorted.sort(Comparator.comparingInt(SessionPiece::after));
        List<Transaction> all = new ArrayList<>();
        for (SessionPiece p : sorted) {
            if (!p.sessionID().equals(session)) throw new InvalidServerVersion("piece of another session: " + p.sessionID());
            if (p.transactions().isEmpty()) throw new InvalidServerVersion("empty piece at " + p.after());
            if (p.after() != all.size()) {
                throw new InvalidServerVersion("piece starts at " + p.after() + ", expected " + all.size());
            }
            all.addAll(p.transactions());
        }
        return new ServerVersion(session, sorted, all);
    }

    /**
     * Verifies this version standalone (§4.3 step 2): as a log built from nothing, signed by
     * {@code signer}, with the signature at the end of every piece checked.
     */
    public void verify(Crypto crypto, SignerID signer) throws InvalidServerVersion {
        SessionLog log = new SessionLog(crypto, session, signer);
        for (SessionPiece p : pieces) {
            AddResult r = log.tryAppend(p.transactions(), p.lastSignature());
            if (!r.isAdded()) throw new InvalidServerVersion("piece at " + p.after() + " does not verify: " + r);
        }
    }
}
