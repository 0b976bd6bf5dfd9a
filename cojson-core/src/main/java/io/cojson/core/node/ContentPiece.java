package io.cojson.core.node;

import io.cojson.core.header.CoValueHeader;
import io.cojson.core.header.Ruleset;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.json.InvalidJsonException;
import io.cojson.core.json.JsonValue;
import io.cojson.core.session.CanonicalSlices;
import io.cojson.core.session.Transaction;
import io.cojson.core.session.TransactionCodec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A verifiable piece of a CoValue (what a sync {@code content} message carries): optionally the
 * header, and per session consecutive transactions starting at {@code after} with the signature
 * after the piece's last transaction.
 */
public record ContentPiece(RawCoID id, CoValueHeader header, List<SessionPiece> sessions) {
    public ContentPiece {
        sessions = List.copyOf(sessions);
    }

    /** Sync priority: 0 for accounts and groups, 6 for binary streams, else 3 (sync-protocol §3.3). */
    public static int priorityOf(CoValueHeader header) {
        if (header == null) return 3;
        if (header.ruleset() instanceof Ruleset.Group) return 0;
        if (header.type().equals("costream") && header.meta() instanceof JsonValue.Obj m
                && JsonValue.of("binary").equals(m.get("type"))) return 6;
        return 3;
    }

    /** The {@code content} message: {@code action, id, header?, priority, new} in the reference's key order. */
    public JsonValue.Obj toContentMessage() {
        LinkedHashMap<String, JsonValue> m = new LinkedHashMap<>();
        m.put("action", JsonValue.of("content"));
        m.put("id", JsonValue.of(id.value()));
        if (header != null) m.put("header", header.json());
        m.put("priority", JsonValue.of(priorityOf(header)));
        LinkedHashMap<String, JsonValue> news = new LinkedHashMap<>();
        for (SessionPiece s : sessions) {
            List<JsonValue> txs = new ArrayList<>();
            for (Transaction t : s.transactions()) txs.add(t.toJson());
            news.put(s.sessionID().value(), JsonValue.obj("after", JsonValue.of(s.after()),
                    "newTransactions", new JsonValue.Arr(txs), "lastSignature", JsonValue.of(s.lastSignature())));
        }
        m.put("new", new JsonValue.Obj(news));
        return new JsonValue.Obj(m);
    }

    /** Reads a {@code content} message; malformed input gets an {@link InvalidJsonException}. */
    public static ContentPiece fromContentMessage(JsonValue message) {
        if (!(message instanceof JsonValue.Obj m) || !JsonValue.of("content").equals(m.get("action"))) {
            throw new InvalidJsonException("a content message", String.valueOf(message));
        }
        if (!(m.get("id") instanceof JsonValue.Str id)) throw new InvalidJsonException("content message with a string id", m.toString());
        CoValueHeader header = null;
        if (m.get("header") instanceof JsonValue.Obj h) header = new CoValueHeader(h);
        List<SessionPiece> sessions = new ArrayList<>();
        if (m.get("new") instanceof JsonValue.Obj news) {
            for (Map.Entry<String, JsonValue> e : news.fields().entrySet()) {
                if (!(e.getValue() instanceof JsonValue.Obj p) || !(p.get("after") instanceof JsonValue.Num after)
                        || !(p.get("newTransactions") instanceof JsonValue.Arr txs) || !(p.get("lastSignature") instanceof JsonValue.Str sig)
                        || !after.isSafeInteger() || after.value() < 0) {
                    throw new InvalidJsonException("session piece {after, newTransactions, lastSignature}", String.valueOf(e.getValue()));
                }
                List<Transaction> parsed = new ArrayList<>();
                for (JsonValue t : txs.items()) parsed.add(TransactionCodec.fromJson(t));
                sessions.add(new SessionPiece(new SessionID(e.getKey()), (int) after.longValue(), parsed, sig.value()));
            }
        } else if (m.get("new") != null) {
            throw new InvalidJsonException("\"new\" object", m.get("new").toString());
        }
        return new ContentPiece(new RawCoID(id.value()), header, sessions);
    }

    /**
     * One session's part of a piece. {@code canonical} (nullable) is where the transactions'
     * canonical JSON already is in the bytes that arrived (see {@link CanonicalSlices}); it is not
     * part of the piece's identity.
     */
    public record SessionPiece(SessionID sessionID, int after, List<Transaction> transactions, String lastSignature,
            CanonicalSlices canonical) {
        public SessionPiece {
            transactions = List.copyOf(transactions);
            if (canonical != null && canonical.size() != transactions.size()) {
                throw new IllegalArgumentException("canonical slices for " + canonical.size() + " of " + transactions.size() + " transactions");
            }
        }

        public SessionPiece(SessionID sessionID, int after, List<Transaction> transactions, String lastSignature) {
            this(sessionID, after, transactions, lastSignature, null);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof SessionPiece p && sessionID.equals(p.sessionID) && after == p.after
                    && transactions.equals(p.transactions) && lastSignature.equals(p.lastSignature);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(sessionID, after, transactions, lastSignature);
        }
    }
}
