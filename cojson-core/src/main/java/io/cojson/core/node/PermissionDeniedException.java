package io.cojson.core.node;

/** A local write that the CoValue's rules would reject; thrown before anything is signed. */
public class PermissionDeniedException extends RuntimeException {
    public PermissionDeniedException(String message) {
        super(message);
    }
}
