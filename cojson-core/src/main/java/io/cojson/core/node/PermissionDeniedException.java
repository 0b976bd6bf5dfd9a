package io.cojson.core.node;

/** A local write that the CoValue's rules would reject; thrown before anything is signed. */
public class PermissionDeniedException extends RuntimeException {
    public PermissionDeniedException(String message) {
        super(message);
    }

    /** {@code message} in the reference's words; {@code cause} says which rule refused the write. */
    public PermissionDeniedException(String message, Throwable cause) {
        super(message, cause);
    }
}
