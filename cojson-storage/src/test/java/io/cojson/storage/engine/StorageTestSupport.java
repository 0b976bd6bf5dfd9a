package io.cojson.storage.engine;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.session.Transaction;

/**
 * Test support (reliability.md RL-23): damages stored content the way a bad disk or a buggy writer
 * would, bypassing every check, so that tests can prove damage is detected and never served.
 */
public final class StorageTestSupport {
    private StorageTestSupport() {}

    /**
     * Overwrites the stored transaction {@code index} of {@code session} with {@code replacement},
     * re-sealing the record so that only signature verification can notice. Returns false if no
     * such transaction is stored.
     */
    public static boolean rewriteTransaction(CoValueStorage storage, RawCoID id, SessionID session, int index, Transaction replacement) {
        if (!(storage instanceof BaseMapDbStorage b)) throw new IllegalArgumentException("not a MapDB storage: " + storage);
        return b.engine.rewriteTransaction(id, session, index, replacement);
    }
}
