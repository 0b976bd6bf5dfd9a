package io.cojson.storage.engine;

import io.cojson.core.knownstate.KnownState;
import io.cojson.core.node.ContentPiece;
import java.util.List;

/**
 * Supplies what storage lacks when a content piece assumes more than is stored (the reference's
 * correction callback): given what storage holds, return the content since then (may be empty).
 * It runs inside the storage unit, on the writing thread: it must not wait for the storage itself.
 */
@FunctionalInterface
public interface Correction {
    List<ContentPiece> contentSince(KnownState stored);
}
