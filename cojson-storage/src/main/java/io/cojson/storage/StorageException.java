package io.cojson.storage;

import java.nio.file.Path;

/**
 * Base of every failure the storage reports. Subclasses name the cause precisely (reliability.md
 * RL-13): a held lock, a corrupted file, a closed store, an I/O error, a rejected or interrupted
 * write, a conflicting recovery unit. {@link #file()} names the file concerned when there is one.
 */
public class StorageException extends RuntimeException {
    private final Path file;

    public StorageException(String message, Path file, Throwable cause) {
        super(message, cause);
        this.file = file;
    }

    /** The file this failure is about, or null. */
    public Path file() {
        return file;
    }
}
