package io.cojson.storage;

import java.nio.file.Path;

/**
 * Stored data is damaged: a file cannot be opened or read back, a record's checksum does not match,
 * or rows contradict each other (a session claiming transactions that are not there). Always names
 * the file; nothing is silently dropped.
 */
public final class StorageCorruptedException extends StorageException {
    private final String detail;

    public StorageCorruptedException(Path file, String detail, Throwable cause) {
        super("storage file " + file + " is corrupted: " + detail, file, cause);
        this.detail = detail;
    }

    /** What was found wrong (which record, which check). */
    public String detail() {
        return detail;
    }
}
