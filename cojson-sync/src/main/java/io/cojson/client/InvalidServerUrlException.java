package io.cojson.client;

/** A sync server URL given to {@link CojsonClient.Builder#syncServer} that cannot be connected to; thrown by {@code build()}. */
public final class InvalidServerUrlException extends CojsonClientException {
    private static final long serialVersionUID = 1L;
    private final String url;

    public InvalidServerUrlException(String url, String message, Throwable cause) {
        super(message, cause);
        this.url = url;
    }

    /** The URL as given. */
    public String url() {
        return url;
    }
}
