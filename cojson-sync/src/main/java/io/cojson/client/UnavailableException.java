package io.cojson.client;

import io.cojson.core.ids.RawCoID;

/**
 * Neither local storage nor any sync server has the value (or no server could be asked): what a
 * load answers instead of an empty value. The message says where it looked.
 */
public final class UnavailableException extends CojsonClientException {
    private static final long serialVersionUID = 1L;
    private final transient RawCoID id;

    public UnavailableException(RawCoID id, String message) {
        super(message);
        this.id = id;
    }

    public RawCoID id() {
        return id;
    }
}
