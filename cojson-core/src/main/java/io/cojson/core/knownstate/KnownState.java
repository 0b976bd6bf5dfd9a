package io.cojson.core.knownstate;

import io.cojson.core.ids.InvalidIdException;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.json.InvalidJsonException;
import io.cojson.core.json.JsonValue;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a peer holds of one CoValue: whether it has the header, and per session how many
 * transactions (= the index of the next one). A missing session counts as 0. Immutable.
 */
public record KnownState(RawCoID id, boolean header, Map<SessionID, Integer> sessions) {
    public KnownState {
        if (id == null) throw new InvalidIdException("a CoValue ID", "null");
        LinkedHashMap<SessionID, Integer> copy = new LinkedHashMap<>();
        for (Map.Entry<SessionID, Integer> e : sessions.entrySet()) {
            if (e.getKey() == null) throw new IllegalArgumentException("null session ID in a known state of " + id);
            if (e.getValue() == null || e.getValue() < 0) {
                throw new IllegalArgumentException("session counter must be >= 0: " + e.getKey() + "=" + e.getValue());
            }
            copy.put(e.getKey(), e.getValue());
        }
        sessions = Collections.unmodifiableMap(copy);
    }

    /** "I have nothing": no header, no sessions. */
    public static KnownState empty(RawCoID id) {
        return new KnownState(id, false, Map.of());
    }

    public int count(SessionID session) {
        return sessions.getOrDefault(session, 0);
    }

    /** Per session the maximum of both; header if either has it. */
    public KnownState combine(KnownState other) {
        checkSameId(other);
        LinkedHashMap<SessionID, Integer> m = new LinkedHashMap<>(sessions);
        other.sessions.forEach((s, n) -> m.merge(s, n, Math::max));
        return new KnownState(id, header || other.header, m);
    }

    /** True if every counter here is ≤ the other's (and the header, if we have it, is there too). */
    public boolean isSubsetOf(KnownState other) {
        checkSameId(other);
        if (header && !other.header) return false;
        for (Map.Entry<SessionID, Integer> e : sessions.entrySet()) {
            if (e.getValue() > other.count(e.getKey())) return false;
        }
        return true;
    }

    /**
     * The reference's {@code getKnownStateToSend(current, target)}: the sessions where this state is
     * ahead of {@code target}, with this state's counters.
     */
    public Map<SessionID, Integer> sessionsAheadOf(KnownState target) {
        checkSameId(target);
        LinkedHashMap<SessionID, Integer> m = new LinkedHashMap<>();
        sessions.forEach((s, n) -> {
            if (n > target.count(s)) m.put(s, n);
        });
        return Collections.unmodifiableMap(m);
    }

    public KnownState withSession(SessionID session, int count) {
        LinkedHashMap<SessionID, Integer> m = new LinkedHashMap<>(sessions);
        m.put(session, count);
        return new KnownState(id, header, m);
    }

    public KnownState withHeader(boolean hasHeader) {
        return new KnownState(id, hasHeader, sessions);
    }

    /** {@code {"id", "header", "sessions"}} in the reference's key order. */
    public JsonValue.Obj toJson() {
        LinkedHashMap<String, JsonValue> s = new LinkedHashMap<>();
        sessions.forEach((k, v) -> s.put(k.value(), JsonValue.of(v)));
        return JsonValue.obj("id", JsonValue.of(id.value()), "header", JsonValue.of(header), "sessions", new JsonValue.Obj(s));
    }

    public static KnownState fromJson(JsonValue v) {
        if (!(v instanceof JsonValue.Obj o)) throw new InvalidJsonException("known state object", String.valueOf(v));
        if (!(o.get("id") instanceof JsonValue.Str id)) throw new InvalidJsonException("known state with a string id", o.toString());
        JsonValue h = o.get("header");
        boolean header = h instanceof JsonValue.Bool b && b.value();
        if (h != null && !(h instanceof JsonValue.Bool)) throw new InvalidJsonException("boolean header", h.toString());
        LinkedHashMap<SessionID, Integer> m = new LinkedHashMap<>();
        JsonValue sv = o.get("sessions");
        if (sv != null) {
            if (!(sv instanceof JsonValue.Obj so)) throw new InvalidJsonException("sessions object", sv.toString());
            for (Map.Entry<String, JsonValue> e : so.fields().entrySet()) {
                if (!(e.getValue() instanceof JsonValue.Num n) || !n.isSafeInteger() || n.value() < 0
                        || n.value() > Integer.MAX_VALUE) { // a larger count would silently wrap in the int cast
                    throw new InvalidJsonException("non-negative integer count for " + e.getKey(), String.valueOf(e.getValue()));
                }
                m.put(new SessionID(e.getKey()), (int) n.longValue());
            }
        }
        return new KnownState(new RawCoID(id.value()), header, m);
    }

    private void checkSameId(KnownState other) {
        if (!id.equals(other.id)) throw new IllegalArgumentException("known states of different CoValues: " + id + " vs " + other.id);
    }
}
