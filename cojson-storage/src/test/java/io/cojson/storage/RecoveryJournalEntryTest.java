package io.cojson.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.storage.engine.RecoveryJournalEntry;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The journal entry names where a divergent tail went: S! by default, a new session for a forked S! (recovery.md §5.8). */
class RecoveryJournalEntryTest {
    private static final RawCoID ID = new RawCoID("co_zJournalTestValue1");
    private static final SessionID S = new SessionID("co_zJournalTestAccount2_session_zAbc");
    private static final SessionID N = new SessionID("co_zJournalTestAccount2_session_zNew");

    private static RecoveryJournalEntry entry(SessionID session, SessionID target) {
        return new RecoveryJournalEntry(ID, session, 1, 1, 2, "signature_zS", 1, 2, "signature_zL", 0, 1, "server-error", 5L,
                RecoveryJournalEntry.COMMITTED, target);
    }

    @Test
    @DisplayName("§5.4 an active session's entry defaults to S! and keeps the JSON it always had (no conflictSession field)")
    void activeSessionDefaultsToItsConflictSession() {
        RecoveryJournalEntry e = entry(S, null);
        assertEquals(S.conflictSession(), e.conflictSession());
        assertFalse(e.toJson().contains("conflictSession"));
        assertEquals(e, RecoveryJournalEntry.fromJson(e.toJson()));
        assertThrows(IllegalArgumentException.class, () -> entry(S, N), "an active session's tail goes to its S! only");
    }

    @Test
    @DisplayName("§5.8 a forked S!'s entry names the new active session, round-trips through JSON, and refuses S!!, S or nothing")
    void forkedConflictSessionNamesItsNewSession() {
        SessionID c = S.conflictSession();
        RecoveryJournalEntry e = entry(c, N);
        assertTrue(e.toJson().contains("\"conflictSession\":\"" + N.value() + "\""));
        assertEquals(e, RecoveryJournalEntry.fromJson(e.toJson()));
        assertThrows(IllegalArgumentException.class, () -> entry(c, null), "the target must be named");
        assertThrows(IllegalArgumentException.class, () -> entry(c, S), "not back into the session it was split from");
        assertThrows(IllegalArgumentException.class, () -> entry(c, N.conflictSession()), "never into a conflict session");
    }

    @Test
    @DisplayName("empty ranges are valid (nothing in common, nothing on the server, no local tail, no conflict part); inverted ones are not")
    void emptyRangesAreValidInvertedOnesAreNot() {
        RecoveryJournalEntry empty = new RecoveryJournalEntry(ID, S, 1, 0, 0, null, 3, 3, null, 2, 2, "server-error", 5L,
                RecoveryJournalEntry.COMMITTED, null);
        assertEquals(empty, RecoveryJournalEntry.fromJson(empty.toJson()));
        int[][] bad = {{-1, 0, 0, 0, 0, 0}, {2, 1, 0, 0, 0, 0}, {0, 0, 3, 2, 0, 0}, {0, 0, 0, 0, 2, 1}};
        for (int[] b : bad) {
            assertThrows(IllegalArgumentException.class, () -> new RecoveryJournalEntry(ID, S, 1, b[0], b[1], null, b[2], b[3], null,
                    b[4], b[5], "server-error", 5L, RecoveryJournalEntry.COMMITTED, null), java.util.Arrays.toString(b));
        }
    }
}
