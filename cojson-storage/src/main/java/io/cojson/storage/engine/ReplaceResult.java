package io.cojson.storage.engine;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.knownstate.KnownState;

/**
 * The committed outcome of a recovery unit.
 *
 * @param stored                 what storage holds of the CoValue right after the unit (the
 *                               known-state cache is set to this, not merged)
 * @param epoch                  the chain epoch the unit stored for the session; call
 *                               {@code CoValueStorage.advanceChainEpoch} with it at the memory swap
 * @param conflictWritten        conflict-session transactions appended
 * @param conflictAlreadyPresent conflict-session transactions that were already stored identically
 * @param tombstone              the CoValue is deleted: only its header and delete sessions were kept
 */
public record ReplaceResult(RawCoID id, SessionID session, KnownState stored, long epoch, int conflictWritten,
        int conflictAlreadyPresent, boolean tombstone) {}
