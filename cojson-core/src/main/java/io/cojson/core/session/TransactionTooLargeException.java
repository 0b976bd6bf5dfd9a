package io.cojson.core.session;

/** A local transaction whose changes exceed what the reference will sync (1 MiB of UTF-8). */
public class TransactionTooLargeException extends IllegalArgumentException {
    public TransactionTooLargeException(int bytes, int limit) {
        super("Transaction too large to be synced: " + bytes + " bytes > " + limit + " bytes limit");
    }
}
