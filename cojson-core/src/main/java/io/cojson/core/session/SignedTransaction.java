package io.cojson.core.session;

import io.cojson.core.ids.Hash;
import io.cojson.core.ids.Signature;
import java.util.Arrays;

/**
 * A locally written transaction with the running hash and the signature after it. The
 * signature's text form is computed on first use: most local signatures are never sent (only
 * checkpoints and the last one are), and base58 of 64 bytes is a measurable share of a write.
 */
public final class SignedTransaction {
    private final int txIndex;
    private final Transaction transaction;
    private final Hash hashAfter;
    private final byte[] signatureBytes;
    private Signature signature;

    SignedTransaction(int txIndex, Transaction transaction, Hash hashAfter, byte[] signatureBytes) {
        this.txIndex = txIndex;
        this.transaction = transaction;
        this.hashAfter = hashAfter;
        this.signatureBytes = signatureBytes;
    }

    public int txIndex() {
        return txIndex;
    }

    public Transaction transaction() {
        return transaction;
    }

    public Hash hashAfter() {
        return hashAfter;
    }

    public synchronized Signature signature() {
        if (signature == null) signature = Signature.fromBytes(signatureBytes);
        return signature;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignedTransaction s && s.txIndex == txIndex && s.transaction.equals(transaction)
                && s.hashAfter.equals(hashAfter) && Arrays.equals(s.signatureBytes, signatureBytes);
    }

    @Override
    public int hashCode() {
        return 31 * txIndex + hashAfter.hashCode();
    }

    @Override
    public String toString() {
        return "SignedTransaction[txIndex=" + txIndex + ", hashAfter=" + hashAfter + "]";
    }
}
