package io.cojson.client;

/** Base of the errors a {@link CojsonClient} reports itself (bad configuration, login, loading). */
public class CojsonClientException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CojsonClientException(String message) {
        super(message);
    }

    public CojsonClientException(String message, Throwable cause) {
        super(message, cause);
    }
}
