package io.cojson.core.session;

import io.cojson.core.json.JsonValue;

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

    /** Plaintext transaction: {@code changes} is JSON text of the ops array. */
    record Trusting(String changes, long madeAt, String meta) implements Transaction {
        public Trusting {
            TransactionCodec.checkFields(changes, madeAt);
        }

        @Override
        public String canonicalJson() {
            return TransactionCodec.canonical(this);
        }

        @Override
        public int checkpointSize() {
            return TransactionCodec.utf8Length(changes);
        }

        @Override
        public int jsLength() {
            return changes.length();
        }

        @Override
        public JsonValue.Obj toJson() {
            return TransactionCodec.toJson(this);
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
