package io.cojson.core.session;

import io.cojson.core.crypto.Blake3Hasher;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Where the canonical JSON of a received batch's transactions already is, char for char, in the
 * text that arrived: the hash chain is then computed over that text instead of re-serializing
 * each transaction. Entry {@code i} is for the batch's transaction {@code i}; a negative start
 * means "not known to be canonical here" (that transaction is re-serialized as usual).
 *
 * <p>Whoever builds one vouches that {@code text[starts[i]..ends[i])} is pure ASCII and equals
 * {@code transactions.get(i).canonicalJson()} (the streaming content reader checks the text
 * against the canonical layout while parsing it), so its chars are the UTF-8 bytes hashed.
 */
public record CanonicalSlices(String text, int[] starts, int[] ends) {
    public CanonicalSlices {
        if (starts.length != ends.length) throw new IllegalArgumentException("starts and ends differ in length");
    }

    /**
     * Transactions read from one text, with where each one's canonical JSON is in it (e.g. a stored
     * run of a session, so that loading it hashes the stored bytes instead of re-serializing).
     */
    public record Run(List<Transaction> transactions, CanonicalSlices canonical) {
        public Run {
            transactions = List.copyOf(transactions);
            if (canonical.size() != transactions.size()) throw new IllegalArgumentException("slices and transactions differ in number");
        }
    }

    public int size() {
        return starts.length;
    }

    /**
     * Transaction {@code i}'s {@link Transaction#checkpointSize()}: when its text here is canonical
     * it is pure ASCII, and so is the changes string unescaped from it (canonical strings escape
     * only {@code "} and {@code \\}), whose UTF-8 length is then its length. This spares a
     * per-char pass over every received transaction (costly in a cold JVM's interpreter).
     */
    public int checkpointSize(int i, Transaction tx) {
        if (i < starts.length && starts[i] >= 0) {
            if (tx instanceof Transaction.Trusting t) return t.literalLength() >= 0 ? t.literalLength() : t.changes().length();
            if (tx instanceof Transaction.Private p) return p.encryptedChanges().length();
        }
        return tx.checkpointSize();
    }

    /** Feeds transaction {@code i}'s canonical JSON (from these bytes if known, else re-serialized). */
    void hash(Blake3Hasher hasher, int i, Transaction tx) {
        if (i < starts.length && starts[i] >= 0) {
            hasher.updateAscii(text, starts[i], ends[i] - starts[i]);
        } else {
            hasher.update(tx.canonicalJson().getBytes(StandardCharsets.UTF_8));
        }
    }
}
