package io.cojson.core.session;

import io.cojson.core.json.Json;
import io.cojson.core.json.JsonStrings;
import io.cojson.core.json.JsonValue;
import java.util.Objects;

/**
 * One signed entry of a session log, kept exactly as written (its strings are never re-encoded).
 * The hash chain covers {@link #canonicalJson()}, not the bytes that came over the wire.
 */
public sealed interface Transaction permits Transaction.Trusting, Transaction.Private {

    long madeAt();

    /** Trusting: JSON text of the meta object; private: {@code encrypted_U…}; null when absent. */
    String meta();

    /** The canonical JSON the running hash covers (wire-format §8.3). */
    String canonicalJson();

    /** Size counted toward in-between signatures: UTF-8 bytes of changes / encryptedChanges. */
    int checkpointSize();

    /**
     * The JS string length (UTF-16 units) of {@code changes} / {@code encryptedChanges}: the size
     * the reference's storage checkpoints and content pieces count (wire-format.md §9.5), unlike
     * the in-memory session log's {@link #checkpointSize()}.
     */
    int jsLength();

    /** The transaction as the reference puts it on the wire (same key order as canonical). */
    JsonValue.Obj toJson();

    /**
     * Plaintext transaction: {@code changes} is JSON text of the ops array. A value class with the
     * accessors, equality and string form of the record it was; one read from a content message
     * may keep its changes as the escaped body of the string literal they arrived in, decoded only
     * when {@link #changes()} is first called ({@link #parsedChanges()} reads map changes straight
     * from that body): ingest and cold load no longer copy every transaction's changes text.
     */
    final class Trusting implements Transaction {
        private final long madeAt;
        private final String meta;
        /** The decoded changes; null until first needed for one kept as a literal body. */
        private String changes;
        /** For one kept as a literal body: the text, where the body is, its decoded length. */
        private final String text;
        private final int bodyStart;
        private final int bodyEnd;
        private final int decodedLength;

        public Trusting(String changes, long madeAt, String meta) {
            TransactionCodec.checkFields(changes, madeAt);
            this.changes = changes;
            this.madeAt = madeAt;
            this.meta = meta;
            this.text = null;
            this.bodyStart = -1;
            this.bodyEnd = -1;
            this.decodedLength = -1;
        }

        private Trusting(String text, int bodyStart, int bodyEnd, int decodedLength, long madeAt, String meta) {
            TransactionCodec.checkFields(text, madeAt);
            if (bodyStart < 0 || bodyEnd < bodyStart || bodyEnd > text.length() || decodedLength < 0 || decodedLength > bodyEnd - bodyStart) {
                throw new IllegalArgumentException("not a literal body: " + bodyStart + ".." + bodyEnd + " (" + decodedLength + ")");
            }
            this.text = text;
            this.bodyStart = bodyStart;
            this.bodyEnd = bodyEnd;
            this.decodedLength = decodedLength;
            this.madeAt = madeAt;
            this.meta = meta;
        }

        /**
         * A transaction whose changes are the value of the JSON string literal with body
         * {@code text[bodyStart, bodyEnd)}, which the caller has checked is written canonically
         * in ASCII: chars U+0020..U+007F, {@code "} and {@code \} escaped as {@code \"} and
         * {@code \\} and no other escape; {@code decodedLength} is its length once unescaped.
         * (The streaming content reader checks this as it finds the literal's end.)
         */
        public static Trusting ofCanonicalLiteral(String text, int bodyStart, int bodyEnd, int decodedLength, long madeAt, String meta) {
            return new Trusting(text, bodyStart, bodyEnd, decodedLength, madeAt, meta);
        }

        /** JSON text of the ops array. */
        public String changes() {
            String c = changes;
            if (c == null) {
                // a racy second decode yields an equal String (Strings are safely published)
                c = changes = JsonStrings.unescapeCanonicalAscii(text, bodyStart, bodyEnd, decodedLength);
            }
            return c;
        }

        /**
         * {@code Json.parse(changes())}; for one kept as a literal body, map and list changes of the
         * usual form are read straight from it (same tree) without decoding the text first.
         */
        public JsonValue parsedChanges() {
            if (changes == null) {
                JsonValue.Arr fast = Json.readMapChangesLiteral(text, bodyStart, bodyEnd);
                if (fast != null) return fast;
                fast = Json.readListChangesLiteral(text, bodyStart, bodyEnd);
                if (fast != null) return fast;
            }
            return Json.parse(changes());
        }

        /** Appends the changes as a JSON string literal (a kept literal body as it is: it is canonical). */
        void appendQuotedChanges(StringBuilder sb) {
            if (text != null) {
                sb.append('"').append(text, bodyStart, bodyEnd).append('"');
            } else {
                JsonStrings.appendQuoted(sb, changes);
            }
        }

        /** About how long {@link #appendQuotedChanges} writes (without decoding a kept literal). */
        int quotedChangesLengthHint() {
            return text != null ? bodyEnd - bodyStart + 2 : changes.length() * 9 / 8 + 2;
        }

        /** How long the text is that a kept literal body lives in (-1: none kept); for tests. */
        int keptTextLength() {
            return text == null ? -1 : text.length();
        }

        /** The UTF-8 length of the changes when kept as a literal body (ASCII), else -1. */
        int literalLength() {
            return decodedLength;
        }

        @Override
        public long madeAt() {
            return madeAt;
        }

        @Override
        public String meta() {
            return meta;
        }

        @Override
        public String canonicalJson() {
            return TransactionCodec.canonical(this);
        }

        @Override
        public int checkpointSize() {
            return decodedLength >= 0 ? decodedLength : TransactionCodec.utf8Length(changes); // a literal body is ASCII
        }

        @Override
        public int jsLength() {
            return decodedLength >= 0 ? decodedLength : changes.length(); // a literal body is ASCII: one unit per byte
        }

        @Override
        public JsonValue.Obj toJson() {
            return TransactionCodec.toJson(this);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Trusting t && madeAt == t.madeAt && changes().equals(t.changes()) && Objects.equals(meta, t.meta);
        }

        @Override
        public int hashCode() {
            return (changes().hashCode() * 31 + Long.hashCode(madeAt)) * 31 + Objects.hashCode(meta);
        }

        @Override
        public String toString() {
            return "Trusting[changes=" + changes() + ", madeAt=" + madeAt + ", meta=" + meta + "]";
        }
    }

    /** Encrypted transaction: {@code encryptedChanges} is {@code encrypted_U…}, keyed by {@code keyUsed}. */
    record Private(String encryptedChanges, String keyUsed, long madeAt, String meta) implements Transaction {
        public Private {
            TransactionCodec.checkFields(encryptedChanges, madeAt);
            if (keyUsed == null) throw new MalformedTransactionException("private transaction without keyUsed");
        }

        @Override
        public String canonicalJson() {
            return TransactionCodec.canonical(this);
        }

        @Override
        public int checkpointSize() {
            return TransactionCodec.utf8Length(encryptedChanges);
        }

        @Override
        public int jsLength() {
            return encryptedChanges.length();
        }

        @Override
        public JsonValue.Obj toJson() {
            return TransactionCodec.toJson(this);
        }
    }
}
