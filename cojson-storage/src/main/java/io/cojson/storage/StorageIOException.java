package io.cojson.storage;

import java.nio.file.Path;

/** Reading or writing the store's files failed; the unit that was running is rolled back. */
public final class StorageIOException extends StorageException {
    public StorageIOException(Path file, String message, Throwable cause) {
        super(message + " (" + file + ")", file, cause);
    }
}
