package io.cojson.core.ids;

import io.cojson.core.encoding.InvalidEncodingException;

/** One operation inside a transaction; stringified as {@code sessionID:txIndex:changeIdx}. */
public record OpID(SessionID sessionID, int txIndex, int changeIdx) {
    public OpID {
        if (sessionID == null) throw new InvalidIdException("a session ID", "null");
        if (txIndex < 0 || changeIdx < 0) {
            throw new InvalidIdException("non-negative txIndex and changeIdx", txIndex + ":" + changeIdx);
        }
    }

    public TransactionID txID() {
        return new TransactionID(sessionID, txIndex);
    }

    public String stringify() {
        return sessionID.value() + ":" + txIndex + ":" + changeIdx;
    }

    /** Parses {@code sessionID:txIndex:changeIdx} (session IDs contain no ':'). */
    public static OpID parse(String text) {
        String expected = "op ID (sessionID:txIndex:changeIdx)";
        if (text == null) throw new InvalidIdException(expected, "null");
        int b = text.lastIndexOf(':');
        int a = b > 0 ? text.lastIndexOf(':', b - 1) : -1;
        if (a <= 0) throw new InvalidIdException(expected, InvalidEncodingException.describe(text));
        try {
            return new OpID(new SessionID(text.substring(0, a)),
                    Integer.parseInt(text.substring(a + 1, b)), Integer.parseInt(text.substring(b + 1)));
        } catch (NumberFormatException e) {
            throw new InvalidIdException(expected, InvalidEncodingException.describe(text));
        }
    }

    @Override
    public String toString() {
        return stringify();
    }
}
