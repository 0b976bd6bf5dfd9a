package io.cojson.sync;

import io.cojson.core.covalue.CoValueCore;
import io.cojson.core.header.CoValueHeader;
import io.cojson.core.ids.InvalidIdException;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.knownstate.KnownState;
import io.cojson.core.node.ContentPiece;
import io.cojson.core.session.MalformedTransactionException;
import io.cojson.core.session.Transaction;
import io.cojson.core.session.TransactionCodec;
import io.cojson.sync.internal.ContentProducer;
import io.cojson.sync.internal.MessageCodec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A cojson 0.20.19 sync message (sync-protocol §3). {@link #parse} reads the JSON text of one
 * message; {@link #toJson()} writes it back with the reference's key order, so a message the
 * reference sent re-serializes byte for byte.
 */
public sealed interface SyncMessage
        permits SyncMessage.Load, SyncMessage.Known, SyncMessage.Content, SyncMessage.Done,
                SyncMessage.Reconcile, SyncMessage.ReconcileAck, SyncMessage.SignatureMismatch {

    /** The wire {@code action}. */
    String action();

    /** The CoValue the message is about; null for reconcile messages (they carry a batch id). */
    RawCoID coValueId();

    /** Parses one message; throws {@link InvalidSyncMessageException} saying what was wrong. */
    static SyncMessage parse(String json) {
        return MessageCodec.parse(json);
    }

    /** {@code JSON.stringify(message)} in the reference's key order. */
    default String toJson() {
        return MessageCodec.stringify(this);
    }

    /** "Send me what I am missing of {@code id}; this is what I have." */
    record Load(KnownState knownState) implements SyncMessage {
        @Override
        public String action() {
            return "load";
        }

        @Override
        public RawCoID coValueId() {
            return knownState.id();
        }
    }

    /**
     * The sender's known state: an acknowledgement, or with {@code isCorrection} "reset your view
     * of me to exactly this and resend". {@code asDependencyOf} exists in the type but 0.20.19
     * never sets it (null when absent).
     */
    record Known(KnownState knownState, boolean isCorrection, RawCoID asDependencyOf) implements SyncMessage {
        public Known(KnownState knownState) {
            this(knownState, false, null);
        }

        public static Known correction(KnownState knownState) {
            return new Known(knownState, true, null);
        }

        @Override
        public String action() {
            return "known";
        }

        @Override
        public RawCoID coValueId() {
            return knownState.id();
        }
    }

    /**
     * Transactions of one CoValue. {@code header} is null when absent; {@code expectContentUntil}
     * is null when absent (only the first piece of a multi-piece transfer carries it).
     */
    record Content(RawCoID id, CoValueHeader header, int priority, Map<String, SessionEntry> sessions,
            Map<SessionID, Integer> expectContentUntil) implements SyncMessage {
        public Content {
            sessions = Collections.unmodifiableMap(new LinkedHashMap<>(sessions));
            if (expectContentUntil != null) expectContentUntil = Collections.unmodifiableMap(new LinkedHashMap<>(expectContentUntil));
        }

        /**
         * The content messages that bring a peer knowing nothing of {@code core} up to date, in
         * order (the reference's {@code newContentSince(undefined)}). Call holding the node's lock.
         */
        public static List<Content> allOf(CoValueCore core) {
            return ContentProducer.newContentSince(core, null, null).toMessages();
        }

        /** The message for a verifiable piece, with the reference's priority for its header. */
        public static Content of(ContentPiece piece, int priority, Map<SessionID, Integer> expectContentUntil) {
            LinkedHashMap<String, SessionEntry> m = new LinkedHashMap<>();
            for (ContentPiece.SessionPiece s : piece.sessions()) m.put(s.sessionID().value(), SessionEntry.of(s));
            return new Content(piece.id(), piece.header(), priority, m, expectContentUntil);
        }

        @Override
        public String action() {
            return "content";
        }

        @Override
        public RawCoID coValueId() {
            return id;
        }

        /** The sender's known state implied by this message ({@code knownStateFromContent}). */
        public KnownState impliedKnownState() {
            LinkedHashMap<SessionID, Integer> m = new LinkedHashMap<>();
            for (SessionEntry e : sessions.values()) {
                SessionID s = e.sessionIDOrNull();
                if (s != null) m.put(s, e.after() + e.count());
            }
            return new KnownState(id, header != null, m);
        }

        public Content withoutExpectContentUntil() {
            return expectContentUntil == null ? this : new Content(id, header, priority, sessions, null);
        }
    }

    /**
     * One session of a content message: {@code newTransactions} continue the session after
     * {@code after} transactions and {@code lastSignature} signs the hash after the last of them.
     * The session key and the transactions are kept as received: a malformed one is rejected for
     * its session only, as the reference does, not for the whole message.
     */
    record SessionEntry(String session, int after, JsonValue.Arr newTransactions, String lastSignature, List<Transaction> transactions) {
        /** As received: the transactions as JSON, parsed when the piece is used. */
        public SessionEntry(String session, int after, JsonValue.Arr newTransactions, String lastSignature) {
            this(session, after, java.util.Objects.requireNonNull(newTransactions, "newTransactions"), lastSignature, null);
        }

        /**
         * With {@code transactions} already parsed (and {@code newTransactions} null): what a
         * whole-session {@link SignatureMismatch} holds, so that neither side needs the session as
         * a JSON tree. Each transaction writes back as its {@link Transaction#canonicalJson()}.
         */
        public SessionEntry {
            if (newTransactions == null && transactions == null) throw new IllegalArgumentException("a session piece needs its transactions");
            if (transactions != null) transactions = List.copyOf(transactions);
        }

        public static SessionEntry of(ContentPiece.SessionPiece p) {
            return new SessionEntry(p.sessionID().value(), p.after(), null, p.lastSignature(), p.transactions());
        }

        /** Equal when they carry the same piece, whether read as JSON or as transactions. */
        @Override
        public boolean equals(Object o) {
            if (this == o) return true;
            if (!(o instanceof SessionEntry e) || after != e.after || !session.equals(e.session)
                    || !java.util.Objects.equals(lastSignature, e.lastSignature)) {
                return false;
            }
            if (transactions != null && e.transactions != null) return transactions.equals(e.transactions);
            return newTransactions().equals(e.newTransactions());
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(session, after, lastSignature, count());
        }

        /** The transactions as JSON (built from the parsed ones when the entry holds those). */
        @Override
        public JsonValue.Arr newTransactions() {
            if (newTransactions != null) return newTransactions;
            List<JsonValue> txs = new ArrayList<>(transactions.size());
            for (Transaction t : transactions) txs.add(t.toJson());
            return new JsonValue.Arr(txs);
        }

        public int count() {
            return transactions != null ? transactions.size() : newTransactions.size();
        }

        /** The session ID; throws {@link InvalidIdException} if the key is not one. */
        public SessionID sessionID() {
            return new SessionID(session);
        }

        SessionID sessionIDOrNull() {
            try {
                return sessionID();
            } catch (InvalidIdException e) {
                return null;
            }
        }

        /** The parsed piece; throws {@link InvalidIdException} or {@link MalformedTransactionException}. */
        public ContentPiece.SessionPiece toSessionPiece() {
            if (transactions != null) return new ContentPiece.SessionPiece(sessionID(), after, transactions, lastSignature);
            List<Transaction> txs = new ArrayList<>(newTransactions.size());
            for (JsonValue t : newTransactions.items()) txs.add(TransactionCodec.fromJson(t));
            return new ContentPiece.SessionPiece(sessionID(), after, txs, lastSignature);
        }
    }

    /** Accepted and ignored by 0.20.19, never sent by it. */
    record Done(RawCoID id) implements SyncMessage {
        @Override
        public String action() {
            return "done";
        }

        @Override
        public RawCoID coValueId() {
            return id;
        }
    }

    /** Storage reconciliation batch: per CoValue the short hash of its known sessions (§3.5). */
    record Reconcile(String batchId, List<ReconcileEntry> values) implements SyncMessage {
        public Reconcile {
            values = List.copyOf(values);
        }

        @Override
        public String action() {
            return "reconcile";
        }

        @Override
        public RawCoID coValueId() {
            return null;
        }
    }

    record ReconcileEntry(RawCoID id, String sessionsHash) {}

    record ReconcileAck(String batchId) implements SyncMessage {
        @Override
        public String action() {
            return "reconcile-ack";
        }

        @Override
        public RawCoID coValueId() {
            return null;
        }
    }

    /**
     * {@code action: "error"}, {@code errorType: "SignatureMismatch"} (recovery.md §4.1, the
     * protocol extension of garden-co PR #3522): content for {@code sessionID} of {@code id} failed
     * verification on the sender against that session's signer, and {@code content} is the
     * sender's whole version of the session from index 0, as session pieces cut at signatures
     * (each piece ends with a signature the receiver can verify). The pieces are kept as received,
     * like a content message's sessions: the receiver normalizes and verifies them before use.
     * {@code reason} is human-readable and never contains transaction data. 0.20.19 peers log
     * "unknown message type" and drop it.
     *
     * @param content the pieces in wire order; each entry's {@code session} is {@code sessionID}
     */
    record SignatureMismatch(RawCoID id, SessionID sessionID, List<SessionEntry> content, String reason) implements SyncMessage {
        public static final String ERROR_TYPE = "SignatureMismatch";

        public SignatureMismatch {
            content = List.copyOf(content);
            for (SessionEntry e : content) {
                if (!e.session().equals(sessionID.value())) {
                    throw new IllegalArgumentException("piece of " + e.session() + " in a mismatch report for " + sessionID);
                }
            }
        }

        /** The report for {@code pieces} (the sender's version of one session, in order from index 0). */
        public static SignatureMismatch of(RawCoID id, SessionID session, List<ContentPiece.SessionPiece> pieces, String reason) {
            List<SessionEntry> content = new ArrayList<>(pieces.size());
            for (ContentPiece.SessionPiece p : pieces) content.add(SessionEntry.of(p));
            return new SignatureMismatch(id, session, content, reason);
        }

        @Override
        public String action() {
            return "error";
        }

        @Override
        public RawCoID coValueId() {
            return id;
        }

        public String errorType() {
            return ERROR_TYPE;
        }

        /** The sender's session length as the pieces claim it (the furthest piece end); for logs, not verified. */
        public int claimedLength() {
            int n = 0;
            for (SessionEntry e : content) n = Math.max(n, e.after() + e.count());
            return n;
        }
    }
}
