package io.cojson.storage;

import java.nio.file.Path;

/** The calling thread was interrupted while waiting for the store; the interrupt flag is set again. */
public final class StorageInterruptedException extends StorageException {
    public StorageInterruptedException(Path dir, String message, Throwable cause) {
        super(message + " (" + dir + ")", dir, cause);
    }
}
