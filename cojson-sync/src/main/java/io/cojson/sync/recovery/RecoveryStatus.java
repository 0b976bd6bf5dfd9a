package io.cojson.sync.recovery;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;

/**
 * One observation of a recovery (recovery.md §5.1, §15).
 *
 * @param outcome      what the fork confirmation found (null before it ran)
 * @param commonPrefix P, or -1 before the comparison
 * @param preserved    divergent transactions written to the conflict session by this run
 * @param round        the journal round (0 when nothing was committed)
 * @param attempt      1 for the first run, more for retries after a failure
 * @param reason       why it failed or ended without recovering, else null
 */
public record RecoveryStatus(RawCoID id, SessionID session, RecoveryState state, ForkConfirmation.Outcome outcome,
        int commonPrefix, int preserved, int round, int attempt, String reason) {}
