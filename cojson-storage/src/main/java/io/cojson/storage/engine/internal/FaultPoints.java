package io.cojson.storage.engine.internal;

import io.cojson.storage.Faults;
import io.cojson.storage.StorageClosedException;
import io.cojson.storage.StorageIOException;
import io.cojson.storage.StorageInterruptedException;
import io.cojson.storage.StorageRejectedException;
import java.nio.file.Path;
import java.nio.file.Paths;

/** The storage's fault points (reliability.md §2.1); a {@code throw:} fault surfaces as the storage's own exception. */
public final class FaultPoints {
    public static final String TX_BEGIN = "storage.tx.begin";
    public static final String TX_MID = "storage.tx.mid";
    public static final String TX_BEFORE_COMMIT = "storage.tx.beforeCommit";
    public static final String TX_AFTER_COMMIT = "storage.tx.afterCommit";
    public static final String QUEUE_BEFORE_ENTRY = "storage.queue.beforeEntry";
    public static final String LOAD_AFTER_READ = "storage.load.afterRead";
    public static final String STREAM_AFTER_CHUNK = "storage.stream.afterChunk";
    public static final String ERASE_MID = "storage.erase.mid";
    public static final String REPLACE_MID = "storage.replace.mid";

    private static final Path WHERE = Paths.get("<fault>");

    private FaultPoints() {}

    static void hit(String point) {
        if (!Faults.active()) return;
        try {
            Faults.hit(point);
        } catch (Faults.InjectedFault f) {
            switch (f.kind()) {
                case "io":
                    throw new StorageIOException(WHERE, f.getMessage(), f);
                case "closed":
                    throw new StorageClosedException(WHERE, f.getMessage(), f);
                case "rejected":
                    throw new StorageRejectedException(WHERE, f.getMessage(), f);
                default:
                    throw new StorageInterruptedException(WHERE, f.getMessage(), f);
            }
        }
    }
}
