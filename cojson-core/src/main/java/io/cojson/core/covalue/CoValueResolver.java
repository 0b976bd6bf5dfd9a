package io.cojson.core.covalue;

import io.cojson.core.ids.RawCoID;

/** Finds the loaded CoValues a CoValue depends on (accounts, owning and parent groups). */
@FunctionalInterface
public interface CoValueResolver {
    /** The loaded CoValue, or null when it is not available on this node. */
    CoValueCore get(RawCoID id);
}
