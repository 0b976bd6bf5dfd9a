package io.cojson.storage.engine;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import java.util.List;

/**
 * What a streamed load emitted.
 *
 * @param quarantined sessions that were not served because their stored rows are damaged
 *                    (reliability.md RL-23): they must be refetched, never treated as complete
 */
public record LoadResult(RawCoID id, boolean found, int pieces, long transactions, List<Quarantined> quarantined) {
    public LoadResult {
        quarantined = List.copyOf(quarantined);
    }

    public static LoadResult notFound(RawCoID id) {
        return new LoadResult(id, false, 0, 0, List.of());
    }

    /** A session kept aside, with the reason (naming the file and record). */
    public record Quarantined(SessionID session, String reason) {}
}
