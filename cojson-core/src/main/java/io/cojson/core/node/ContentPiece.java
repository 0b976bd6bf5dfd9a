package io.cojson.core.node;

import io.cojson.core.header.CoValueHeader;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.session.Transaction;
import java.util.List;

/**
 * A verifiable piece of a CoValue (what a sync {@code content} message carries): optionally the
 * header, and per session consecutive transactions starting at {@code after} with the signature
 * after the piece's last transaction.
 */
public record ContentPiece(RawCoID id, CoValueHeader header, List<SessionPiece> sessions) {
    public ContentPiece {
        sessions = List.copyOf(sessions);
    }

    public record SessionPiece(SessionID sessionID, int after, List<Transaction> transactions, String lastSignature) {
        public SessionPiece {
            transactions = List.copyOf(transactions);
        }
    }
}
