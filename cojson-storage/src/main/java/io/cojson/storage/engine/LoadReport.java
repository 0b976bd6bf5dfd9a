package io.cojson.storage.engine;

import io.cojson.core.ids.RawCoID;
import java.util.List;

/**
 * What loading CoValues from storage into a node did.
 *
 * @param loaded       CoValues imported (dependencies included)
 * @param transactions transactions read from storage
 * @param missing      CoValues asked for (or needed as dependencies) that storage does not hold
 * @param rejected     content the node refused to import (failed verification): never served,
 *                     to be refetched from a peer (reliability.md RL-23)
 * @param quarantined  sessions storage itself could not read back intact
 */
public record LoadReport(int loaded, long transactions, List<RawCoID> missing, List<Rejected> rejected,
        List<LoadResult.Quarantined> quarantined) {
    public LoadReport {
        missing = List.copyOf(missing);
        rejected = List.copyOf(rejected);
        quarantined = List.copyOf(quarantined);
    }

    /** True when everything asked for was found and imported verified. */
    public boolean clean() {
        return missing.isEmpty() && rejected.isEmpty() && quarantined.isEmpty();
    }

    /** Content of {@code id} the node rejected, with the reason. */
    public record Rejected(RawCoID id, String session, String reason) {}
}
