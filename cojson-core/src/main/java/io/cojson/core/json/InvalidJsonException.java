package io.cojson.core.json;

import io.cojson.core.encoding.InvalidEncodingException;

/** Text that is not valid JSON, or JSON of the wrong shape for what the caller expected. */
public class InvalidJsonException extends InvalidEncodingException {
    public InvalidJsonException(String expected, String found) {
        super(expected, found);
    }
}
