package io.cojson.core.values;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.header.CoValueKind;

/** A CoValue was requested as a type its header does not have (e.g. a list as a map). */
public class WrongTypeException extends IllegalArgumentException {
    private final RawCoID id;
    private final CoValueKind actual;
    private final CoValueKind expected;

    public WrongTypeException(RawCoID id, CoValueKind actual, CoValueKind expected) {
        super(id + " is a " + actual.label() + ", not a " + expected.label());
        this.id = id;
        this.actual = actual;
        this.expected = expected;
    }

    public RawCoID id() {
        return id;
    }

    public CoValueKind actual() {
        return actual;
    }

    public CoValueKind expected() {
        return expected;
    }
}
