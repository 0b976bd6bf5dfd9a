package io.cojson.client;

/** A bounded wait of the client ran out; the message says what was waited for, how long, and the connection state then. */
public final class ClientTimeoutException extends CojsonClientException {
    private static final long serialVersionUID = 1L;

    public ClientTimeoutException(String message) {
        super(message);
    }

    public ClientTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
