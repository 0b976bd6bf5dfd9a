package io.cojson.storage;

import java.nio.file.Path;

/** The write queue did not accept the operation (full beyond the configured wait, or refused). */
public final class StorageRejectedException extends StorageException {
    public StorageRejectedException(Path dir, String message, Throwable cause) {
        super(message + " (" + dir + ")", dir, cause);
    }
}
