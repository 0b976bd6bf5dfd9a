package io.cojson.storage;

import java.nio.file.Path;

/** The store was closed (or is closing) before the operation could run; nothing of it was persisted. */
public final class StorageClosedException extends StorageException {
    public StorageClosedException(Path dir, String message, Throwable cause) {
        super(message + " (" + dir + ")", dir, cause);
    }
}
