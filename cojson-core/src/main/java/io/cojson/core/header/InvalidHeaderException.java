package io.cojson.core.header;

import io.cojson.core.encoding.InvalidEncodingException;

/** A CoValue header that the reference would not accept (malformed, or its ID does not match). */
public class InvalidHeaderException extends InvalidEncodingException {
    public InvalidHeaderException(String expected, String found) {
        super(expected, found);
    }
}
