package io.cojson.core.ids;

import io.cojson.core.encoding.InvalidEncodingException;

/** An identifier, secret or encoded value that does not have the form its type requires. */
public class InvalidIdException extends InvalidEncodingException {
    public InvalidIdException(String expected, String found) {
        super(expected, found);
    }
}
