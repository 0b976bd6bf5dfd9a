package io.cojson.storage;

import java.nio.file.Path;

/**
 * Another process (or another open store in this process) holds the directory's lock: only one
 * writer may open a storage directory (reliability.md RL-06).
 */
public final class StorageLockedException extends StorageException {
    private final String holder;

    public StorageLockedException(Path lockFile, String holder, Throwable cause) {
        super("storage directory " + lockFile.getParent() + " is locked by another writer (" + holder + "); lock file " + lockFile,
                lockFile, cause);
        this.holder = holder;
    }

    /** What the lock file says about the holder (pid, host, opened at), or "unknown". */
    public String holder() {
        return holder;
    }
}
