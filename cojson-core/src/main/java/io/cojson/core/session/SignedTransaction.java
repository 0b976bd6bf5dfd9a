package io.cojson.core.session;

import io.cojson.core.ids.Hash;
import io.cojson.core.ids.Signature;

/**
 * A locally written transaction with the running hash and the signature after it. The signature
 * may still be in the making on the background signer's thread; {@link #signature()} waits for it
 * (or makes it). Its text form is computed on first use: most local signatures are never sent
 * (only checkpoints and the last one are), and base58 of 64 bytes is a measurable share of a write.
 */
public final class SignedTransaction {
    private final int txIndex;
    private final Transaction transaction;
    private final String hashText;
    private final PendingSignature pendingSignature;
    private final boolean checkpoint;
    private Hash hashAfter;
    private Signature signature;

    SignedTransaction(int txIndex, Transaction transaction, String hashText, PendingSignature signature, boolean checkpoint) {
        this.checkpoint = checkpoint;
        this.txIndex = txIndex;
        this.transaction = transaction;
        this.hashText = hashText;
        this.pendingSignature = signature;
    }

    public int txIndex() {
        return txIndex;
    }

    public Transaction transaction() {
        return transaction;
    }

    /**
     * Whether its signature is an in-between checkpoint: the session's transactions up to this
     * one form a complete content piece (content is cut at checkpoints).
     */
    public boolean isCheckpoint() {
        return checkpoint;
    }

    public synchronized Hash hashAfter() {
        if (hashAfter == null) hashAfter = new Hash(hashText);
        return hashAfter;
    }

    public synchronized Signature signature() {
        if (signature == null) signature = Signature.fromBytes(pendingSignature.get());
        return signature;
    }

    @Override
    public String toString() {
        return "SignedTransaction[txIndex=" + txIndex + ", hashAfter=" + hashText + "]";
    }
}
