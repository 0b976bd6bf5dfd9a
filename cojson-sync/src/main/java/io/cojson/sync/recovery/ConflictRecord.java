package io.cojson.sync.recovery;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.json.Json;
import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One recovery round of one CoValue as the application sees it (recovery.md §11): the local
 * divergent edits of {@code session} now live at {@code [conflictFrom, conflictTo)} of
 * {@code conflictSession}.
 *
 * @param recordId        stable ID: {@code coValueId/session/round}
 * @param round           the recovery journal's round (1 for the first recovery of this session)
 * @param trigger         what detected the fork (e.g. {@code server-error})
 * @param sourcePeer      the peer whose report started the recovery, or null
 * @param detectedAt      when the trigger arrived, epoch milliseconds
 * @param committedAt     when the recovery committed, epoch milliseconds
 * @param commonPrefix    P, transactions both versions of the session share
 * @param serverLength    length of the server's version that replaced the local one
 * @param divergent       local transactions after P (written to S!, or discarded for a deleted value)
 * @param conflictFrom    first index of S! this round wrote
 * @param conflictTo      index after the last one ({@code == conflictFrom} when nothing was written)
 * @param reason          what resolution could not revert, or why it failed; null otherwise
 * @param updatedAt       when {@code status} last changed, epoch milliseconds
 */
public record ConflictRecord(String recordId, RawCoID coValueId, SessionID session, SessionID conflictSession, int round,
        String trigger, String sourcePeer, long detectedAt, long committedAt, int commonPrefix, int serverLength, int divergent,
        int conflictFrom, int conflictTo, ConflictStatus status, String reason, long updatedAt) {

    public ConflictRecord {
        Objects.requireNonNull(recordId, "recordId");
        Objects.requireNonNull(coValueId, "coValueId");
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(conflictSession, "conflictSession");
        Objects.requireNonNull(status, "status");
        if (conflictTo < conflictFrom || commonPrefix < 0 || divergent < 0) {
            throw new IllegalArgumentException("inconsistent conflict record " + recordId);
        }
    }

    static String idOf(RawCoID id, SessionID session, int round) {
        return id.value() + "/" + session.value() + "/" + round;
    }

    public ConflictRecord withStatus(ConflictStatus newStatus, String newReason, long at) {
        return new ConflictRecord(recordId, coValueId, session, conflictSession, round, trigger, sourcePeer, detectedAt, committedAt,
                commonPrefix, serverLength, divergent, conflictFrom, conflictTo, newStatus, newReason, at);
    }

    /** Every field, as one JSON object (the persisted form and what the command line prints). */
    public JsonValue.Obj toJsonValue() {
        Map<String, JsonValue> m = new LinkedHashMap<>();
        m.put("recordId", JsonValue.of(recordId));
        m.put("coValueId", JsonValue.of(coValueId.value()));
        m.put("session", JsonValue.of(session.value()));
        m.put("conflictSession", JsonValue.of(conflictSession.value()));
        m.put("round", JsonValue.of(round));
        m.put("trigger", JsonValue.of(trigger));
        m.put("sourcePeer", sourcePeer == null ? JsonValue.NULL : JsonValue.of(sourcePeer));
        m.put("detectedAt", JsonValue.of(detectedAt));
        m.put("committedAt", JsonValue.of(committedAt));
        m.put("commonPrefix", JsonValue.of(commonPrefix));
        m.put("serverLength", JsonValue.of(serverLength));
        m.put("divergentTransactions", JsonValue.of(divergent));
        m.put("conflictFrom", JsonValue.of(conflictFrom));
        m.put("conflictTo", JsonValue.of(conflictTo));
        m.put("status", JsonValue.of(status.name()));
        m.put("reason", reason == null ? JsonValue.NULL : JsonValue.of(reason));
        m.put("updatedAt", JsonValue.of(updatedAt));
        return new JsonValue.Obj(m);
    }

    public String toJson() {
        return JsonWriter.stringify(toJsonValue());
    }

    /** Reads {@link #toJson()}; IllegalArgumentException if a field is missing or mistyped. */
    public static ConflictRecord fromJson(String text) {
        if (!(Json.parse(text) instanceof JsonValue.Obj o)) throw new IllegalArgumentException("conflict record is not an object");
        return new ConflictRecord(str(o, "recordId"), new RawCoID(str(o, "coValueId")), new SessionID(str(o, "session")),
                new SessionID(str(o, "conflictSession")), (int) num(o, "round"), str(o, "trigger"), optStr(o, "sourcePeer"),
                num(o, "detectedAt"), num(o, "committedAt"), (int) num(o, "commonPrefix"), (int) num(o, "serverLength"),
                (int) num(o, "divergentTransactions"), (int) num(o, "conflictFrom"), (int) num(o, "conflictTo"),
                ConflictStatus.valueOf(str(o, "status")), optStr(o, "reason"), num(o, "updatedAt"));
    }

    private static String str(JsonValue.Obj o, String k) {
        if (o.get(k) instanceof JsonValue.Str s) return s.value();
        throw new IllegalArgumentException("conflict record field " + k + " is not a string: " + o.get(k));
    }

    private static String optStr(JsonValue.Obj o, String k) {
        return o.get(k) == null || o.get(k) instanceof JsonValue.Null ? null : str(o, k);
    }

    private static long num(JsonValue.Obj o, String k) {
        if (o.get(k) instanceof JsonValue.Num n && n.isSafeInteger()) return n.longValue();
        throw new IllegalArgumentException("conflict record field " + k + " is not an integer: " + o.get(k));
    }
}
