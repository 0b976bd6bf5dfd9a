package io.cojson.tools.client;

/** A failed client command: its message is the answer's {@code error}. */
final class CommandError extends RuntimeException {
    CommandError(String message) {
        super(message);
    }
}
