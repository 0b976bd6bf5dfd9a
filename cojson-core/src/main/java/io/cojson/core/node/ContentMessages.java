package io.cojson.core.node;

import io.cojson.core.header.CoValueHeader;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.json.InvalidJsonException;
import io.cojson.core.json.Json;
import io.cojson.core.json.JsonCursor;
import io.cojson.core.json.JsonValue;
import io.cojson.core.session.CanonicalSlices;
import io.cojson.core.session.Transaction;
import io.cojson.core.session.TransactionCodec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads {@code content} messages from JSON text straight into {@link ContentPiece}s: one pass
 * over the text, no JSON tree per transaction (only headers become trees), and for each
 * transaction written in its canonical layout (what every cojson peer sends) in ASCII the place of
 * its text, so that the hash chain is computed over it instead of re-serializing
 * ({@link CanonicalSlices}).
 *
 * <p>The result is exactly that of {@link Json#parse} then {@link ContentPiece#fromContentMessage}
 * for every message, errors included: anything unusual (a duplicate key, an unexpected type, a
 * syntax error) makes the whole text take that path instead.
 */
public final class ContentMessages {
    private ContentMessages() {}

    /** Parses a JSON array of content messages. */
    public static List<ContentPiece> parseArray(String text) {
        return parseArray(text, null);
    }

    /**
     * As {@link #parseArray(String)}, handing each message to {@code eachRead} (nullable) as soon
     * as it is read, e.g. to start checking its signature while the rest is read. When the text
     * takes the tree path midway, the messages read so far have been handed over and the rest are
     * not: they are only ever a head start, the returned list is the result.
     */
    public static List<ContentPiece> parseArray(String text, java.util.function.Consumer<ContentPiece> eachRead) {
        try {
            Reader r = new Reader(text);
            r.c.skipWs();
            r.c.expect('[');
            List<ContentPiece> out = new ArrayList<>();
            r.c.skipWs();
            if (!r.c.tryConsume(']')) {
                do {
                    r.c.skipWs();
                    ContentPiece p = r.message();
                    out.add(p);
                    if (eachRead != null) eachRead.accept(p);
                    r.c.skipWs();
                } while (r.c.tryConsume(','));
                r.c.expect(']');
            }
            r.c.skipWs();
            if (!r.c.atEnd()) throw unusual();
            return out;
        } catch (RuntimeException e) {
            // Unhandled/Unusual, or an error: the tree path decides (and reports the same error
            // as before, e.g. a syntax error later in the text before a malformed transaction)
            return slowArray(text);
        }
    }

    /** Parses one content message (a sync frame's text). */
    public static ContentPiece parse(String text) {
        try {
            Reader r = new Reader(text);
            r.c.skipWs();
            ContentPiece p = r.message();
            r.c.skipWs();
            if (!r.c.atEnd()) throw unusual();
            return p;
        } catch (RuntimeException e) {
            return ContentPiece.fromContentMessage(Json.parse(text));
        }
    }

    /**
     * A transaction at {@code c} written exactly in its canonical layout (then its
     * {@link Transaction#canonicalJson()} is that text), or null (the cursor may have moved) for any
     * other text. For readers of other messages that carry transactions (sync frames): the changes
     * are copied out of the text, so a transaction a log keeps never holds the whole frame (a
     * resent piece with one new transaction would otherwise pin all of it).
     */
    public static Transaction canonicalTransaction(JsonCursor c) {
        return new Reader(c, false).canonicalTransaction();
    }

    /**
     * A JSON array of transactions each written exactly in its canonical layout (what
     * {@link TransactionCodec#toJsonArray} writes for ASCII transactions, e.g. a stored run), read
     * with one cursor, with where each one's text is; null when any of it has another form (then
     * {@link TransactionCodec#parseArray} decides, with its rules and errors).
     */
    public static CanonicalSlices.Run canonicalTransactionArray(String text) {
        try {
            JsonCursor c = new JsonCursor(text);
            Reader r = new Reader(c);
            c.expect('[');
            List<Transaction> txs = new ArrayList<>();
            r.starts = new int[16];
            r.ends = new int[16];
            if (!c.tryConsume(']')) {
                int more;
                while ((more = r.canonicalOnly(txs)) > 0) {
                    // one call per transaction, as in sessionPiece
                }
                if (more < 0) return null;
                c.expect(']');
            }
            if (!c.atEnd()) return null;
            int n = txs.size();
            return new CanonicalSlices.Run(txs, new CanonicalSlices(text, Arrays.copyOf(r.starts, n), Arrays.copyOf(r.ends, n)));
        } catch (RuntimeException e) {
            return null; // not the plain layout
        }
    }

    private static List<ContentPiece> slowArray(String text) {
        if (!(Json.parse(text) instanceof JsonValue.Arr a)) throw new InvalidJsonException("a JSON array of content messages", "another value");
        List<ContentPiece> out = new ArrayList<>(a.size());
        for (JsonValue m : a.items()) out.add(ContentPiece.fromContentMessage(m));
        return out;
    }

    /** Not the plain shape this reader handles: the tree path decides. */
    private static final class Unusual extends RuntimeException {
        static final Unusual INSTANCE = new Unusual();

        private Unusual() {
            super("unusual content message", null, false, false);
        }
    }

    private static Unusual unusual() {
        return Unusual.INSTANCE;
    }

    private static final class Reader {
        final JsonCursor c;
        /**
         * Whether a trusting transaction's changes may stay a view into the text: for a text that
         * is imported as a whole (an export, a stored run), not for network frames.
         */
        final boolean keepText;

        Reader(String text) {
            this(new JsonCursor(text));
        }

        Reader(JsonCursor c) {
            this(c, true);
        }

        Reader(JsonCursor c, boolean keepText) {
            this.c = c;
            this.keepText = keepText;
        }

        ContentPiece message() {
            c.expect('{');
            String action = null;
            String id = null;
            CoValueHeader header = null;
            List<ContentPiece.SessionPiece> sessions = null;
            int seenKnown = 0; // the fields every message has, as bits; any other name in a set
            Set<String> seen = null;
            c.skipWs();
            if (!c.tryConsume('}')) {
                do {
                    c.skipWs();
                    String key = c.key();
                    int bit = knownFieldBit(key);
                    if (bit != 0) {
                        if ((seenKnown & bit) != 0) throw unusual(); // JSON.parse keeps the last: the tree path
                        seenKnown |= bit;
                    } else {
                        if (seen == null) seen = new HashSet<>(4);
                        if (!seen.add(key)) throw unusual();
                    }
                    c.skipWs();
                    c.expect(':');
                    c.skipWs();
                    switch (key) {
                        case "action" -> action = c.string();
                        case "id" -> id = c.string();
                        case "header" -> {
                            if (!(c.value() instanceof JsonValue.Obj h)) throw unusual();
                            header = new CoValueHeader(h);
                        }
                        case "new" -> sessions = sessions();
                        default -> c.value(); // priority, expectContentUntil, anything else: not needed
                    }
                    c.skipWs();
                } while (c.tryConsume(','));
                c.expect('}');
            }
            if (!"content".equals(action) || id == null) throw unusual();
            return new ContentPiece(new RawCoID(id), header, sessions == null ? List.of() : sessions);
        }

        private List<ContentPiece.SessionPiece> sessions() {
            c.expect('{');
            List<ContentPiece.SessionPiece> out = new ArrayList<>(2);
            Set<String> seen = null; // made when there are many sessions; few are compared in place
            c.skipWs();
            if (c.tryConsume('}')) return out;
            do {
                c.skipWs();
                String session = c.string();
                if (seen == null && out.size() >= 8) {
                    seen = new HashSet<>(32);
                    for (ContentPiece.SessionPiece p : out) seen.add(p.sessionID().value());
                }
                if (seen != null ? !seen.add(session) : repeats(out, session)) throw unusual();
                c.skipWs();
                c.expect(':');
                c.skipWs();
                out.add(sessionPiece(new SessionID(session)));
                c.skipWs();
            } while (c.tryConsume(','));
            c.expect('}');
            return out;
        }

        private static boolean repeats(List<ContentPiece.SessionPiece> pieces, String session) {
            for (ContentPiece.SessionPiece p : pieces) {
                if (p.sessionID().value().equals(session)) return true;
            }
            return false;
        }

        /** A bit for each field name every content message has (the key cache hands out these literals). */
        private static int knownFieldBit(String key) {
            return switch (key) {
                case "action" -> 1;
                case "id" -> 2;
                case "header" -> 4;
                case "new" -> 8;
                case "priority" -> 16;
                default -> 0;
            };
        }

        /** Where each transaction of the piece being read starts and ends in the text (-1: not canonical). */
        private int[] starts;
        private int[] ends;

        private ContentPiece.SessionPiece sessionPiece(SessionID session) {
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
                switch (key) {
                    case "after" -> {
                        if ((flags & 1) != 0) throw unusual();
                        flags |= 1;
                        after = c.plainNonNegativeInteger();
                        if (after < 0 || after > Integer.MAX_VALUE) throw unusual();
                    }
                    case "lastSignature" -> {
                        if ((flags & 2) != 0) throw unusual();
                        flags |= 2;
                        signature = c.string();
                    }
                    case "newTransactions" -> {
                        if ((flags & 4) != 0) throw unusual();
                        flags |= 4;
                        txs = new ArrayList<>();
                        starts = new int[16];
                        ends = new int[16];
                        c.expect('[');
                        c.skipWs();
                        if (!c.tryConsume(']')) {
                            // One call per transaction: this method runs a few times per process with
                            // thousands of iterations, so a JVM never compiles it (too few calls, and
                            // too few loop turns for an on-stack replacement). Its body is compiled
                            // after a few hundred transactions.
                            while (transaction(txs)) {
                                // next
                            }
                            c.expect(']');
                        }
                    }
                    default -> throw unusual(); // an unknown field: the tree path decides
                }
                c.skipWs();
            } while (c.tryConsume(','));
            c.expect('}');
            if (flags != 7) throw unusual();
            int n = txs.size();
            CanonicalSlices canonical = n == 0 ? null : new CanonicalSlices(c.text(), Arrays.copyOf(starts, n), Arrays.copyOf(ends, n));
            return new ContentPiece.SessionPiece(session, (int) after, txs, signature, canonical);
        }

        /** Reads one transaction of a {@code newTransactions} array into {@code txs}; answers whether another follows. */
        private boolean transaction(List<Transaction> txs) {
            c.skipWs();
            int n = txs.size();
            roomFor(n);
            int start = c.pos();
            Transaction tx = canonicalTransaction();
            if (tx != null) {
                starts[n] = start;
                ends[n] = c.pos();
            } else {
                c.pos(start);
                tx = TransactionCodec.fromJson(c.value()); // any other layout, as the tree path reads it
                starts[n] = -1;
                ends[n] = -1;
            }
            txs.add(tx);
            c.skipWs();
            return c.tryConsume(',');
        }

        /** One transaction in its canonical layout, no whitespace around it: 1 if another follows, 0 if not, -1 if not canonical. */
        private int canonicalOnly(List<Transaction> txs) {
            int n = txs.size();
            roomFor(n);
            starts[n] = c.pos();
            Transaction tx = canonicalTransaction();
            if (tx == null) return -1;
            ends[n] = c.pos();
            txs.add(tx);
            return c.tryConsume(',') ? 1 : 0;
        }

        private void roomFor(int n) {
            if (n == starts.length) {
                starts = Arrays.copyOf(starts, n * 2);
                ends = Arrays.copyOf(ends, n * 2);
            }
        }

        /**
         * A transaction written exactly in its canonical layout ({@code TransactionCodec}'s key
         * order, no whitespace, strings escaped as {@code JSON.stringify} escapes them, madeAt a
         * plain integer), or null (the cursor may have moved) for any other text.
         */
        private Transaction canonicalTransaction() {
            if (c.tryRaw("{\"changes\":\"")) {
                // the changes stay where they are in the text, decoded only if ever needed
                int body = c.pos();
                c.pos(body - 1);
                int close = c.canonicalAsciiLiteral();
                if (close < 0 || !c.tryRaw(",\"madeAt\":")) return null;
                int length = close - body - c.literalEscapes();
                long madeAt = c.plainNonNegativeInteger();
                if (madeAt < 0) return null;
                String meta = optionalMeta();
                if (meta == INVALID || !c.tryRaw(",\"privacy\":\"trusting\"}")) return null;
                if (!keepText) return Transaction.Trusting.ofCanonicalLiteral(c.text().substring(body, close), 0, close - body, length, madeAt, meta);
                return Transaction.Trusting.ofCanonicalLiteral(c.text(), body, close, length, madeAt, meta);
            }
            if (c.tryRaw("{\"encryptedChanges\":\"")) {
                c.pos(c.pos() - 1);
                String encrypted = c.string();
                if (!c.lastStringCanonical() || !c.tryRaw(",\"keyUsed\":\"")) return null;
                c.pos(c.pos() - 1);
                String keyUsed = c.string();
                if (!c.lastStringCanonical() || !c.tryRaw(",\"madeAt\":")) return null;
                long madeAt = c.plainNonNegativeInteger();
                if (madeAt < 0) return null;
                String meta = optionalMeta();
                if (meta == INVALID || !c.tryRaw(",\"privacy\":\"private\"}")) return null;
                return new Transaction.Private(encrypted, keyUsed, madeAt, meta);
            }
            return null;
        }

        private static final String INVALID = new String("invalid meta");

        /** {@code ,"meta":"…"} if next (canonical), null if absent, {@link #INVALID} otherwise. */
        private String optionalMeta() {
            if (!c.tryRaw(",\"meta\":\"")) return c.text().startsWith(",\"meta\"", c.pos()) ? INVALID : null;
            c.pos(c.pos() - 1);
            String meta = c.string();
            return c.lastStringCanonical() ? meta : INVALID;
        }
    }
}
