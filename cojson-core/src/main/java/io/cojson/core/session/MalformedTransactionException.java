package io.cojson.core.session;

import io.cojson.core.json.InvalidJsonException;

/** A transaction that does not have the shape the reference's Rust core accepts. */
public class MalformedTransactionException extends InvalidJsonException {
    public MalformedTransactionException(String found) {
        super("a trusting or private transaction", found);
    }
}
