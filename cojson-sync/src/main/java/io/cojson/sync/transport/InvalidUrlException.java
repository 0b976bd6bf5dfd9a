package io.cojson.sync.transport;

/** A sync server URL that cannot be connected to (no or a wrong scheme, malformed), named in the message. */
public final class InvalidUrlException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String url;

    InvalidUrlException(String url, String problem) {
        super("invalid sync server URL \"" + url + "\": " + problem);
        this.url = url;
    }

    /** The URL as given. */
    public String url() {
        return url;
    }
}
