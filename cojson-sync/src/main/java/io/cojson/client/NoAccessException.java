package io.cojson.client;

import io.cojson.core.ids.RawCoID;

/**
 * The value is there, but this account may not read it (no read role in its owning group): what a
 * load answers instead of handing out a value that would look empty.
 */
public final class NoAccessException extends CojsonClientException {
    private static final long serialVersionUID = 1L;
    private final transient RawCoID id;

    public NoAccessException(RawCoID id, String message) {
        super(message);
        this.id = id;
    }

    public RawCoID id() {
        return id;
    }
}
