package io.cojson.storage.engine;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.json.Json;
import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import java.util.LinkedHashMap;

/**
 * One record of the local recovery journal (recovery.md §5.4 step 5): which local range of a
 * session went into its conflict session in which round. Written by the recovery unit in the same
 * commit as the replacement; keyed by (CoValue, session, round).
 *
 * @param commonPrefix           P, the length of the prefix both versions share
 * @param serverLength           length of the server version that replaced the local one
 * @param localTailFrom          first index of the divergent local tail (== P)
 * @param localTailTo            index after its last transaction
 * @param localTailLastSignature signature after the local tail (tells rounds apart), or null
 * @param conflictFrom           first index of the conflict session this round wrote
 * @param conflictTo             index after the last one
 * @param trigger                what detected the fork (e.g. {@code server-error}, {@code startup-check})
 * @param time                   when the unit was planned, epoch milliseconds
 * @param status                 {@code COMMITTED} once durable
 * @param conflictSession        where the divergent tail went: {@code session + "!"} for an active
 *                               session (the default when null); for a conflict session that forked
 *                               itself (recovery.md §5.8), the new active session it was re-signed into
 */
public record RecoveryJournalEntry(RawCoID id, SessionID session, int round, int commonPrefix, int serverLength,
        String serverLastSignature, int localTailFrom, int localTailTo, String localTailLastSignature, int conflictFrom,
        int conflictTo, String trigger, long time, String status, SessionID conflictSession) {

    public static final String COMMITTED = "COMMITTED";

    /** An entry whose tail went into {@code session + "!"}. */
    public RecoveryJournalEntry(RawCoID id, SessionID session, int round, int commonPrefix, int serverLength,
            String serverLastSignature, int localTailFrom, int localTailTo, String localTailLastSignature, int conflictFrom,
            int conflictTo, String trigger, long time, String status) {
        this(id, session, round, commonPrefix, serverLength, serverLastSignature, localTailFrom, localTailTo, localTailLastSignature,
                conflictFrom, conflictTo, trigger, time, status, null);
    }

    public RecoveryJournalEntry {
        if (id == null || session == null) throw new IllegalArgumentException("journal entry needs a CoValue and a session");
        if (session.isDeleteSession()) throw new IllegalArgumentException("a delete session is never recovered: " + session);
        if (conflictSession == null) {
            if (session.isConflictSession()) throw new IllegalArgumentException("a conflict session's fork names the session its tail went to");
            conflictSession = session.conflictSession();
        } else if (session.isConflictSession() ? conflictSession.isConflictSession() || conflictSession.isDeleteSession()
                || conflictSession.equals(session.baseSession()) : !conflictSession.equals(session.conflictSession())) {
            throw new IllegalArgumentException("the tail of " + session + " cannot go to " + conflictSession);
        }
        if (round < 1) throw new IllegalArgumentException("round starts at 1: " + round);
        if (commonPrefix < 0 || serverLength < commonPrefix || localTailTo < localTailFrom || conflictTo < conflictFrom) {
            throw new IllegalArgumentException("inconsistent journal ranges: P=" + commonPrefix + " server=" + serverLength
                    + " tail=" + localTailFrom + ".." + localTailTo + " conflict=" + conflictFrom + ".." + conflictTo);
        }
        if (trigger == null || status == null) throw new IllegalArgumentException("journal entry needs a trigger and a status");
    }

    public RecoveryJournalEntry withStatus(String newStatus) {
        return new RecoveryJournalEntry(id, session, round, commonPrefix, serverLength, serverLastSignature, localTailFrom,
                localTailTo, localTailLastSignature, conflictFrom, conflictTo, trigger, time, newStatus, conflictSession);
    }

    public String toJson() {
        LinkedHashMap<String, JsonValue> m = new LinkedHashMap<>();
        m.put("id", JsonValue.of(id.value()));
        m.put("session", JsonValue.of(session.value()));
        m.put("round", JsonValue.of(round));
        m.put("commonPrefix", JsonValue.of(commonPrefix));
        m.put("serverLength", JsonValue.of(serverLength));
        m.put("serverLastSignature", str(serverLastSignature));
        m.put("localTailFrom", JsonValue.of(localTailFrom));
        m.put("localTailTo", JsonValue.of(localTailTo));
        m.put("localTailLastSignature", str(localTailLastSignature));
        m.put("conflictFrom", JsonValue.of(conflictFrom));
        m.put("conflictTo", JsonValue.of(conflictTo));
        m.put("trigger", JsonValue.of(trigger));
        m.put("time", JsonValue.of(time));
        m.put("status", JsonValue.of(status));
        if (session.isConflictSession()) m.put("conflictSession", JsonValue.of(conflictSession.value())); // only where not the default
        return JsonWriter.stringify(new JsonValue.Obj(m));
    }

    /** Reads {@link #toJson()}; throws IllegalArgumentException if a field is missing or mistyped. */
    public static RecoveryJournalEntry fromJson(String text) {
        if (!(Json.parse(text) instanceof JsonValue.Obj o)) throw new IllegalArgumentException("journal entry is not an object");
        return new RecoveryJournalEntry(new RawCoID(string(o, "id")), new SessionID(string(o, "session")), integer(o, "round"),
                integer(o, "commonPrefix"), integer(o, "serverLength"), optString(o, "serverLastSignature"),
                integer(o, "localTailFrom"), integer(o, "localTailTo"), optString(o, "localTailLastSignature"),
                integer(o, "conflictFrom"), integer(o, "conflictTo"), string(o, "trigger"), number(o, "time"), string(o, "status"),
                optString(o, "conflictSession") == null ? null : new SessionID(string(o, "conflictSession")));
    }

    private static JsonValue str(String s) {
        return s == null ? JsonValue.NULL : JsonValue.of(s);
    }

    private static String string(JsonValue.Obj o, String k) {
        if (o.get(k) instanceof JsonValue.Str s) return s.value();
        throw new IllegalArgumentException("journal entry field " + k + " is not a string: " + o.get(k));
    }

    private static String optString(JsonValue.Obj o, String k) {
        return o.get(k) instanceof JsonValue.Null || o.get(k) == null ? null : string(o, k);
    }

    private static long number(JsonValue.Obj o, String k) {
        if (o.get(k) instanceof JsonValue.Num n && n.isSafeInteger()) return n.longValue();
        throw new IllegalArgumentException("journal entry field " + k + " is not an integer: " + o.get(k));
    }

    private static int integer(JsonValue.Obj o, String k) {
        return Math.toIntExact(number(o, k));
    }
}
