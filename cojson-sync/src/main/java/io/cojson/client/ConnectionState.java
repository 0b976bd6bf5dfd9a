package io.cojson.client;

/** The client's connection to its sync servers, as {@link ConnectionStatus} reports it. */
public enum ConnectionState {
    /** No sync server configured, no account active yet, or the client is closed. */
    OFFLINE,
    /** The first connection attempt is under way. */
    CONNECTING,
    /** At least one server connection is open and has answered. */
    CONNECTED,
    /** No server connection is open; the last attempt or connection ended with {@link ConnectionStatus#lastCause()}. Retrying with backoff. */
    ERROR
}
