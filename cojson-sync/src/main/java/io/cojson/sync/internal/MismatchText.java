package io.cojson.sync.internal;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.json.JsonCursor;
import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import io.cojson.core.node.ContentMessages;
import io.cojson.core.session.Transaction;
import io.cojson.core.session.TransactionCodec;
import io.cojson.sync.SyncMessage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A {@code SignatureMismatch} carries a whole session (recovery.md §4.1), 100,000 transactions and
 * more: it is read from its text straight into transactions and written straight from them, never
 * as one JSON tree. Only the plain shape is read here (each key once, each transaction's text
 * its canonical JSON, so that writing it back gives the same bytes); anything else goes the tree
 * path of {@link MessageCodec}, which decides and reports errors as for every message.
 */
final class MismatchText {
    private MismatchText() {}

    /** Not the plain shape: the tree path decides. */
    private static final class Unusual extends RuntimeException {
        static final Unusual INSTANCE = new Unusual();

        private Unusual() {
            super(null, null, false, false);
        }
    }

    /** Whether {@code text} is worth trying here: an error message (cheap look at its start). */
    static boolean looksLikeMismatch(String text) {
        return text.startsWith("{\"action\":\"error\"");
    }

    /** The message, or null when the text is not in the plain shape (or not valid): the tree path decides. */
    static SyncMessage.SignatureMismatch read(String text) {
        try {
            JsonCursor c = new JsonCursor(text);
            SyncMessage.SignatureMismatch m = message(c);
            c.skipWs();
            return c.atEnd() ? m : null;
        } catch (RuntimeException e) { // Unusual, a syntax error, an invalid ID: all for the tree path to report
            return null;
        }
    }

    private static SyncMessage.SignatureMismatch message(JsonCursor c) {
        c.skipWs();
        c.expect('{');
        String action = null, errorType = null, id = null, session = null, reason = null;
        List<SyncMessage.SessionEntry> content = null;
        Set<String> seen = new HashSet<>(8);
        do {
            c.skipWs();
            String key = c.key();
            if (!seen.add(key)) throw Unusual.INSTANCE;
            c.skipWs();
            c.expect(':');
            c.skipWs();
            switch (key) {
                case "action" -> action = c.string();
                case "errorType" -> errorType = c.string();
                case "id" -> id = c.string();
                case "sessionID" -> session = c.string();
                case "reason" -> reason = c.string();
                case "content" -> content = pieces(c);
                default -> throw Unusual.INSTANCE;
            }
            c.skipWs();
        } while (c.tryConsume(','));
        c.expect('}');
        if (!"error".equals(action) || !SyncMessage.SignatureMismatch.ERROR_TYPE.equals(errorType) || id == null || session == null
                || reason == null || content == null || !id.startsWith(RawCoID.PREFIX) || !RawCoID.isValid(id)) {
            throw Unusual.INSTANCE;
        }
        SessionID sessionID = new SessionID(session);
        List<SyncMessage.SessionEntry> entries = new ArrayList<>(content.size());
        for (SyncMessage.SessionEntry e : content) {
            entries.add(new SyncMessage.SessionEntry(session, e.after(), null, e.lastSignature(), e.transactions()));
        }
        return new SyncMessage.SignatureMismatch(new RawCoID(id), sessionID, entries, reason);
    }

    private static List<SyncMessage.SessionEntry> pieces(JsonCursor c) {
        c.expect('[');
        List<SyncMessage.SessionEntry> out = new ArrayList<>();
        c.skipWs();
        if (c.tryConsume(']')) return out;
        do {
            c.skipWs();
            out.add(piece(c));
            c.skipWs();
        } while (c.tryConsume(','));
        c.expect(']');
        return out;
    }

    private static SyncMessage.SessionEntry piece(JsonCursor c) {
        c.expect('{');
        long after = -1;
        String signature = null;
        List<Transaction> txs = null;
        int flags = 0;
        do {
            c.skipWs();
            String key = c.key();
            c.skipWs();
            c.expect(':');
            c.skipWs();
            int bit = switch (key) {
                case "after" -> 1;
                case "newTransactions" -> 2;
                case "lastSignature" -> 4;
                default -> throw Unusual.INSTANCE;
            };
            if ((flags & bit) != 0) throw Unusual.INSTANCE;
            flags |= bit;
            if (bit == 1) {
                after = c.plainNonNegativeInteger();
                if (after < 0 || after > Integer.MAX_VALUE) throw Unusual.INSTANCE;
            } else if (bit == 4) {
                signature = c.string();
            } else {
                txs = transactions(c);
            }
            c.skipWs();
        } while (c.tryConsume(','));
        c.expect('}');
        if (flags != 7) throw Unusual.INSTANCE;
        return new SyncMessage.SessionEntry("", (int) after, null, signature, txs); // the session is set by the caller
    }

    private static List<Transaction> transactions(JsonCursor c) {
        c.expect('[');
        List<Transaction> txs = new ArrayList<>();
        c.skipWs();
        if (c.tryConsume(']')) return txs;
        do {
            c.skipWs();
            int start = c.pos();
            Transaction tx = ContentMessages.canonicalTransaction(c); // the fast path for plain ASCII
            if (tx == null) {
                c.pos(start);
                tx = TransactionCodec.fromJson(c.value()); // a tree of one transaction, not of the session
            }
            // Only a transaction whose text is its canonical JSON writes back as received; any
            // other layout keeps its bytes through the tree path.
            String canonical = tx.canonicalJson();
            if (c.pos() - start != canonical.length() || !c.text().regionMatches(start, canonical, 0, canonical.length())) {
                throw Unusual.INSTANCE;
            }
            txs.add(tx);
            c.skipWs();
        } while (c.tryConsume(','));
        c.expect(']');
        return txs;
    }

    /** The reference's key order (as {@link MessageCodec#toJson}), transactions written from their canonical text. */
    static String write(SyncMessage.SignatureMismatch m) {
        StringBuilder b = new StringBuilder(64 + 256 * m.claimedLength());
        b.append("{\"action\":\"error\",\"errorType\":").append(quote(m.errorType()));
        b.append(",\"id\":").append(quote(m.id().value()));
        b.append(",\"sessionID\":").append(quote(m.sessionID().value()));
        b.append(",\"content\":[");
        boolean firstPiece = true;
        for (SyncMessage.SessionEntry e : m.content()) {
            if (!firstPiece) b.append(',');
            firstPiece = false;
            b.append("{\"after\":").append(e.after()).append(",\"newTransactions\":");
            if (e.transactions() == null) {
                b.append(JsonWriter.stringify(e.newTransactions())); // as received
            } else {
                b.append('[');
                for (int i = 0; i < e.transactions().size(); i++) {
                    if (i > 0) b.append(',');
                    b.append(e.transactions().get(i).canonicalJson());
                }
                b.append(']');
            }
            b.append(",\"lastSignature\":").append(quote(e.lastSignature())).append('}');
        }
        b.append("],\"reason\":").append(quote(m.reason())).append('}');
        return b.toString();
    }

    private static String quote(String s) {
        return JsonWriter.stringify(JsonValue.of(s));
    }
}
