package io.cojson.client;

import java.util.List;

/**
 * What {@link CojsonClient#preferServer} did.
 *
 * @param conflict     the conflict, now RESOLVED_SERVER
 * @param written      compensating transactions written (0 when the value already matched the server's version)
 * @param notReverted  what could not be undone (list deletions, stream entries), for the app to show
 */
public record ConflictResolution(Conflict conflict, int written, List<String> notReverted) {
    public ConflictResolution {
        notReverted = List.copyOf(notReverted);
    }
}
