package io.cojson.sync.internal;

import io.cojson.core.header.CoValueHeader;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The messages that carry transactions ({@code content}, and {@code SignatureMismatch}, which
 * carries a whole session: 100,000 transactions and more) read from their text straight into
 * transactions and written straight from them: no JSON tree of the transactions on either side,
 * one pass per frame. Only the plain shape is read here (each key once, each transaction's text
 * its canonical JSON, so that writing it back gives the same bytes); anything else goes the tree
 * path of {@link MessageCodec}, which decides and reports errors as for every message.
 */
final class MessageText {
    private MessageText() {}

    static final String CONTENT_START = "{\"action\":\"content\"";
    static final String MISMATCH_START = "{\"action\":\"error\"";

    /** Not the plain shape: the tree path decides. */
    private static final class Unusual extends RuntimeException {
        static final Unusual INSTANCE = new Unusual();

        private Unusual() {
            super(null, null, false, false);
        }
    }

    /** The message, or null when the text is not in the plain shape (or not valid): the tree path decides. */
    static SyncMessage read(String text) {
        try {
            JsonCursor c = new JsonCursor(text);
            SyncMessage m = text.startsWith(CONTENT_START) ? content(c) : text.startsWith(MISMATCH_START) ? mismatch(c) : null;
            if (m == null) return null;
            c.skipWs();
            return c.atEnd() ? m : null;
        } catch (RuntimeException e) { // Unusual, a syntax error, an invalid ID or header: the tree path reports it
            return null;
        }
    }

    private static String key(JsonCursor c) {
        c.skipWs();
        String key = c.key();
        c.skipWs();
        c.expect(':');
        c.skipWs();
        return key;
    }

    /** Reads an object's fields, each once (a repeated key: the tree path), handing each key to {@code field} at its value. */
    private static void object(JsonCursor c, java.util.function.Consumer<String> field) {
        c.expect('{');
        Set<String> seen = new HashSet<>(8);
        do {
            String key = key(c);
            if (!seen.add(key)) throw Unusual.INSTANCE;
            field.accept(key);
            c.skipWs();
        } while (c.tryConsume(','));
        c.expect('}');
    }

    private static final class ContentFields {
        String action;
        String id;
        CoValueHeader header;
        long priority = -1;
        Map<String, SyncMessage.SessionEntry> sessions;
        Map<SessionID, Integer> expect;
    }

    private static SyncMessage.Content content(JsonCursor c) {
        ContentFields f = new ContentFields();
        object(c, key -> {
            switch (key) {
                case "action" -> f.action = c.string();
                case "id" -> f.id = c.string();
                case "header" -> {
                    JsonValue h = c.value();
                    if (h instanceof JsonValue.Obj o) f.header = new CoValueHeader(o);
                    else if (!(h instanceof JsonValue.Null)) throw Unusual.INSTANCE;
                }
                case "priority" -> {
                    f.priority = c.plainNonNegativeInteger();
                    if (f.priority < 0 || f.priority >= 1_000_000) throw Unusual.INSTANCE;
                }
                case "new" -> f.sessions = sessions(c);
                case "expectContentUntil" -> f.expect = counters(c);
                default -> throw Unusual.INSTANCE;
            }
        });
        // a missing priority takes the tree path's default
        if (!"content".equals(f.action) || f.sessions == null || f.priority < 0) throw Unusual.INSTANCE;
        return new SyncMessage.Content(coValueID(f.id), f.header, (int) f.priority, f.sessions, f.expect);
    }

    private static RawCoID coValueID(String id) {
        if (id == null || !id.startsWith(RawCoID.PREFIX) || !RawCoID.isValid(id)) throw Unusual.INSTANCE;
        return new RawCoID(id);
    }

    private static Map<String, SyncMessage.SessionEntry> sessions(JsonCursor c) {
        c.expect('{');
        Map<String, SyncMessage.SessionEntry> out = new LinkedHashMap<>(4);
        c.skipWs();
        if (c.tryConsume('}')) return out;
        do {
            c.skipWs();
            String session = c.string();
            if (out.containsKey(session)) throw Unusual.INSTANCE;
            c.skipWs();
            c.expect(':');
            c.skipWs();
            out.put(session, piece(c, session));
            c.skipWs();
        } while (c.tryConsume(','));
        c.expect('}');
        return out;
    }

    private static Map<SessionID, Integer> counters(JsonCursor c) {
        c.expect('{');
        Map<SessionID, Integer> out = new LinkedHashMap<>();
        c.skipWs();
        if (c.tryConsume('}')) return out;
        do {
            c.skipWs();
            SessionID s = new SessionID(c.string());
            c.skipWs();
            c.expect(':');
            c.skipWs();
            long n = c.plainNonNegativeInteger();
            if (n < 0 || n > Integer.MAX_VALUE || out.put(s, (int) n) != null) throw Unusual.INSTANCE;
            c.skipWs();
        } while (c.tryConsume(','));
        c.expect('}');
        return out;
    }

    private static final class MismatchFields {
        String action;
        String errorType;
        String id;
        String session;
        String reason;
        List<SyncMessage.SessionEntry> content;
    }

    private static SyncMessage.SignatureMismatch mismatch(JsonCursor c) {
        MismatchFields f = new MismatchFields();
        object(c, key -> {
            switch (key) {
                case "action" -> f.action = c.string();
                case "errorType" -> f.errorType = c.string();
                case "id" -> f.id = c.string();
                case "sessionID" -> f.session = c.string();
                case "reason" -> f.reason = c.string();
                case "content" -> f.content = pieces(c);
                default -> throw Unusual.INSTANCE;
            }
        });
        if (!"error".equals(f.action) || !SyncMessage.SignatureMismatch.ERROR_TYPE.equals(f.errorType) || f.session == null
                || f.reason == null || f.content == null) {
            throw Unusual.INSTANCE;
        }
        List<SyncMessage.SessionEntry> entries = new ArrayList<>(f.content.size());
        for (SyncMessage.SessionEntry e : f.content) {
            entries.add(new SyncMessage.SessionEntry(f.session, e.after(), null, e.lastSignature(), e.transactions()));
        }
        return new SyncMessage.SignatureMismatch(coValueID(f.id), new SessionID(f.session), entries, f.reason);
    }

    private static List<SyncMessage.SessionEntry> pieces(JsonCursor c) {
        c.expect('[');
        List<SyncMessage.SessionEntry> out = new ArrayList<>();
        c.skipWs();
        if (c.tryConsume(']')) return out;
        do {
            c.skipWs();
            out.add(piece(c, "")); // the session is set by the caller
            c.skipWs();
        } while (c.tryConsume(','));
        c.expect(']');
        return out;
    }

    private static final class PieceFields {
        long after = -1;
        String signature;
        List<Transaction> txs;
    }

    private static SyncMessage.SessionEntry piece(JsonCursor c, String session) {
        PieceFields f = new PieceFields();
        object(c, key -> {
            switch (key) {
                case "after" -> {
                    f.after = c.plainNonNegativeInteger();
                    if (f.after < 0 || f.after > Integer.MAX_VALUE) throw Unusual.INSTANCE;
                }
                case "newTransactions" -> f.txs = transactions(c);
                case "lastSignature" -> f.signature = c.string();
                default -> throw Unusual.INSTANCE;
            }
        });
        if (f.after < 0 || f.txs == null || f.signature == null) throw Unusual.INSTANCE;
        return new SyncMessage.SessionEntry(session, (int) f.after, null, f.signature, f.txs);
    }

    private static List<Transaction> transactions(JsonCursor c) {
        c.expect('[');
        List<Transaction> txs = new ArrayList<>();
        c.skipWs();
        if (c.tryConsume(']')) return txs;
        // a call per transaction: a frame of thousands comes a few times per process, too few for a
        // JVM to compile a loop body inlined here
        while (transaction(c, txs)) {
            // next
        }
        c.expect(']');
        return txs;
    }

    /** Reads one transaction into {@code txs}; answers whether another follows. */
    private static boolean transaction(JsonCursor c, List<Transaction> txs) {
        c.skipWs();
        int start = c.pos();
        // The fast path takes only text in the exact canonical layout (plain ASCII); anything else
        // is read as a tree of one transaction and must equal its canonical JSON, so that it writes
        // back as received; any other layout keeps its bytes through the tree path (as does a
        // malformed one its error).
        Transaction tx = ContentMessages.canonicalTransaction(c);
        if (tx == null) {
            c.pos(start);
            tx = TransactionCodec.fromJson(c.value());
            String canonical = tx.canonicalJson();
            if (c.pos() - start != canonical.length() || !c.text().regionMatches(start, canonical, 0, canonical.length())) {
                throw Unusual.INSTANCE;
            }
        }
        txs.add(tx);
        c.skipWs();
        return c.tryConsume(',');
    }

    // ---- writing ----

    /** {@link MessageCodec#toJson}'s bytes, transactions written from their canonical text. */
    static String write(SyncMessage.Content m) {
        StringBuilder b = new StringBuilder(256);
        b.append(CONTENT_START).append(",\"id\":").append(quote(m.id().value()));
        if (m.header() != null) b.append(",\"header\":").append(JsonWriter.stringify(m.header().json()));
        b.append(",\"priority\":").append(m.priority()).append(",\"new\":{");
        boolean first = true;
        for (SyncMessage.SessionEntry e : m.sessions().values()) {
            if (!first) b.append(',');
            first = false;
            b.append(quote(e.session())).append(':');
            piece(b, e);
        }
        b.append('}');
        if (m.expectContentUntil() != null) {
            b.append(",\"expectContentUntil\":{");
            first = true;
            for (Map.Entry<SessionID, Integer> x : m.expectContentUntil().entrySet()) {
                if (!first) b.append(',');
                first = false;
                b.append(quote(x.getKey().value())).append(':').append(x.getValue());
            }
            b.append('}');
        }
        return b.append('}').toString();
    }

    /** The reference's key order (as {@link MessageCodec#toJson}). */
    static String write(SyncMessage.SignatureMismatch m) {
        StringBuilder b = new StringBuilder(64 + 256 * m.claimedLength());
        b.append(MISMATCH_START).append(",\"errorType\":").append(quote(m.errorType()));
        b.append(",\"id\":").append(quote(m.id().value()));
        b.append(",\"sessionID\":").append(quote(m.sessionID().value()));
        b.append(",\"content\":[");
        boolean first = true;
        for (SyncMessage.SessionEntry e : m.content()) {
            if (!first) b.append(',');
            first = false;
            piece(b, e);
        }
        b.append("],\"reason\":").append(quote(m.reason())).append('}');
        return b.toString();
    }

    private static void piece(StringBuilder b, SyncMessage.SessionEntry e) {
        b.append("{\"after\":").append(e.after()).append(",\"newTransactions\":");
        if (e.transactions() == null) {
            b.append(JsonWriter.stringify(e.newTransactions())); // as received
        } else {
            TransactionCodec.appendJsonArray(b, e.transactions());
        }
        b.append(",\"lastSignature\":").append(quote(e.lastSignature())).append('}');
    }

    private static String quote(String s) {
        return JsonWriter.stringify(JsonValue.of(s));
    }
}
