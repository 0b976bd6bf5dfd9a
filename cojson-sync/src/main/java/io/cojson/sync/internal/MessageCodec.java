package io.cojson.sync.internal;

import io.cojson.core.encoding.InvalidEncodingException;
import io.cojson.core.header.CoValueHeader;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.json.Json;
import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import io.cojson.core.knownstate.KnownState;
import io.cojson.core.node.ContentPiece;
import io.cojson.sync.InvalidSyncMessageException;
import io.cojson.sync.InvalidSyncMessageException.Kind;
import io.cojson.sync.SyncMessage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sync messages to and from JSON. Writing uses the reference's insertion order ({@code action}
 * first; then {@code id, header, priority, new} for content and {@code id, header, sessions} for
 * load/known); reading keeps the order of maps it received, so re-serializing is byte-exact.
 */
public final class MessageCodec {
    private MessageCodec() {}

    public static SyncMessage parse(String text) {
        if (text.startsWith(MessageText.CONTENT_START) || text.startsWith(MessageText.MISMATCH_START)) {
            SyncMessage m = MessageText.read(text); // straight into transactions, no JSON tree
            if (m != null) return m;
        }
        JsonValue v;
        try {
            v = Json.parse(text);
        } catch (InvalidEncodingException e) {
            throw new InvalidSyncMessageException(Kind.MALFORMED_JSON, null, "a JSON sync message", e.getMessage());
        }
        return fromJson(v);
    }

    public static SyncMessage fromJson(JsonValue v) {
        if (!(v instanceof JsonValue.Obj o) || !(o.get("action") instanceof JsonValue.Str a)) {
            throw new InvalidSyncMessageException(Kind.NOT_A_SYNC_MESSAGE, null, "an object with a string action",
                    describeField(v));
        }
        String action = a.value();
        if (action.equals("reconcile")) return reconcile(o);
        if (action.equals("reconcile-ack")) return new SyncMessage.ReconcileAck(batchId(o, action));
        RawCoID id = coValueId(o.get("id"), action);
        try {
            switch (action) {
                case "load":
                    return new SyncMessage.Load(KnownState.fromJson(o));
                case "known":
                    return known(o, action);
                case "content":
                    return content(o, id);
                case "done":
                    return new SyncMessage.Done(id);
                case "error":
                    return error(o, id);
                default:
                    throw new InvalidSyncMessageException(Kind.UNKNOWN_ACTION, action, "load, known, content, done, error or reconcile",
                            InvalidEncodingException.describe(action));
            }
        } catch (InvalidSyncMessageException e) {
            throw e;
        } catch (IllegalArgumentException e) { // invalid session IDs and counters inside the message
            throw new InvalidSyncMessageException(Kind.INVALID_FIELD, action, "a well-formed " + action + " message", e.getMessage());
        }
    }

    private static RawCoID coValueId(JsonValue id, String action) {
        if (id instanceof JsonValue.Str s && s.value().startsWith(RawCoID.PREFIX) && RawCoID.isValid(s.value())) {
            return new RawCoID(s.value());
        }
        throw new InvalidSyncMessageException(Kind.INVALID_ID, action, "a co_z… CoValue id", describeField(id));
    }

    /** A field's text for an error, quoted and cut short once: a string by its value, anything else by its JSON. */
    private static String describeField(JsonValue v) {
        return InvalidEncodingException.describe(v instanceof JsonValue.Str s ? s.value() : String.valueOf(v));
    }

    private static String batchId(JsonValue.Obj o, String action) {
        if (o.get("id") instanceof JsonValue.Str s) return s.value();
        throw new InvalidSyncMessageException(Kind.INVALID_ID, action, "a string batch id", describeField(o.get("id")));
    }

    private static SyncMessage.Known known(JsonValue.Obj o, String action) {
        JsonValue corr = o.get("isCorrection");
        if (corr != null && !(corr instanceof JsonValue.Bool)) throw field(action, "boolean isCorrection", corr);
        JsonValue dep = o.get("asDependencyOf");
        RawCoID asDependencyOf = dep == null ? null : coValueId(dep, action);
        return new SyncMessage.Known(KnownState.fromJson(o), corr == JsonValue.TRUE, asDependencyOf);
    }

    private static SyncMessage.Content content(JsonValue.Obj o, RawCoID id) {
        CoValueHeader header = null;
        JsonValue h = o.get("header");
        if (h instanceof JsonValue.Obj ho) {
            try {
                header = new CoValueHeader(ho);
            } catch (IllegalArgumentException e) {
                throw new InvalidSyncMessageException(Kind.INVALID_HEADER, "content", "an acceptable header", e.getMessage());
            }
        } else if (h != null && !(h instanceof JsonValue.Null)) {
            throw new InvalidSyncMessageException(Kind.INVALID_HEADER, "content", "a header object", String.valueOf(h));
        }
        JsonValue p = o.get("priority");
        int priority;
        if (p == null) {
            priority = ContentPiece.priorityOf(header);
        } else if (p instanceof JsonValue.Num n && n.isSafeInteger() && Math.abs(n.value()) < 1_000_000) {
            priority = (int) n.longValue();
        } else {
            throw field("content", "an integer priority", p);
        }
        if (!(o.get("new") instanceof JsonValue.Obj news)) throw field("content", "a \"new\" object", o.get("new"));
        LinkedHashMap<String, SyncMessage.SessionEntry> sessions = new LinkedHashMap<>();
        for (Map.Entry<String, JsonValue> e : news.fields().entrySet()) {
            sessions.put(e.getKey(), sessionEntry(e.getKey(), e.getValue(), "content"));
        }
        Map<SessionID, Integer> expect = null;
        JsonValue x = o.get("expectContentUntil");
        if (x instanceof JsonValue.Obj xo) {
            expect = new LinkedHashMap<>();
            for (Map.Entry<String, JsonValue> e : xo.fields().entrySet()) {
                expect.put(new SessionID(e.getKey()), count(e.getValue(), "expectContentUntil", "content"));
            }
        } else if (x != null) {
            throw field("content", "an expectContentUntil object", x);
        }
        return new SyncMessage.Content(id, header, priority, sessions, expect);
    }

    /** One {@code {after, newTransactions, lastSignature}} piece; the transactions stay unparsed. */
    private static SyncMessage.SessionEntry sessionEntry(String session, JsonValue v, String action) {
        if (!(v instanceof JsonValue.Obj s) || !(s.get("newTransactions") instanceof JsonValue.Arr txs)
                || !(s.get("lastSignature") instanceof JsonValue.Str sig)) {
            throw field(action, "session piece {after, newTransactions, lastSignature}", v);
        }
        return new SyncMessage.SessionEntry(session, count(s.get("after"), "after", action), txs, sig.value());
    }

    /** {@code action: "error"}: only {@code errorType: "SignatureMismatch"} exists (recovery.md §4.1). */
    private static SyncMessage.SignatureMismatch error(JsonValue.Obj o, RawCoID id) {
        if (!(o.get("errorType") instanceof JsonValue.Str type) || !type.value().equals(SyncMessage.SignatureMismatch.ERROR_TYPE)) {
            throw field("error", "errorType \"" + SyncMessage.SignatureMismatch.ERROR_TYPE + "\"", o.get("errorType"));
        }
        if (!(o.get("sessionID") instanceof JsonValue.Str session)) throw field("error", "a string sessionID", o.get("sessionID"));
        SessionID sessionID = new SessionID(session.value()); // IllegalArgumentException: INVALID_FIELD
        if (!(o.get("content") instanceof JsonValue.Arr content)) throw field("error", "a content array", o.get("content"));
        if (!(o.get("reason") instanceof JsonValue.Str reason)) throw field("error", "a string reason", o.get("reason"));
        List<SyncMessage.SessionEntry> pieces = new ArrayList<>(content.size());
        for (JsonValue piece : content.items()) pieces.add(sessionEntry(sessionID.value(), piece, "error"));
        return new SyncMessage.SignatureMismatch(id, sessionID, pieces, reason.value());
    }

    private static int count(JsonValue v, String what, String action) {
        if (v instanceof JsonValue.Num n && n.isSafeInteger() && n.value() >= 0 && n.value() <= Integer.MAX_VALUE
                && !(n.value() == 0 && 1 / n.value() < 0)) {
            return (int) n.longValue();
        }
        throw field(action, "a non-negative integer " + what, v);
    }

    private static SyncMessage.Reconcile reconcile(JsonValue.Obj o) {
        String batch = batchId(o, "reconcile");
        if (!(o.get("values") instanceof JsonValue.Arr values)) throw field("reconcile", "a values array", o.get("values"));
        List<SyncMessage.ReconcileEntry> entries = new ArrayList<>();
        for (JsonValue v : values.items()) {
            if (!(v instanceof JsonValue.Arr pair) || pair.size() != 2 || !(pair.get(1) instanceof JsonValue.Str hash)) {
                throw field("reconcile", "[coValueID, sessionsHash] pairs", v);
            }
            entries.add(new SyncMessage.ReconcileEntry(coValueId(pair.get(0), "reconcile"), hash.value()));
        }
        return new SyncMessage.Reconcile(batch, entries);
    }

    private static InvalidSyncMessageException field(String action, String expected, JsonValue found) {
        return new InvalidSyncMessageException(Kind.INVALID_FIELD, action, expected,
                describeField(found));
    }

    // ---- writing ----

    public static String stringify(SyncMessage m) {
        if (m instanceof SyncMessage.SignatureMismatch e) return MessageText.write(e);
        if (m instanceof SyncMessage.Content c) return MessageText.write(c);
        return JsonWriter.stringify(toJson(m));
    }

    public static JsonValue.Obj toJson(SyncMessage m) {
        LinkedHashMap<String, JsonValue> o = JsonValue.Obj.freshFields();
        o.put("action", JsonValue.of(m.action()));
        if (m instanceof SyncMessage.Load l) {
            o.putAll(l.knownState().toJson().fields());
        } else if (m instanceof SyncMessage.Known k) {
            if (k.isCorrection()) o.put("isCorrection", JsonValue.TRUE);
            if (k.asDependencyOf() != null) o.put("asDependencyOf", JsonValue.of(k.asDependencyOf().value()));
            o.putAll(k.knownState().toJson().fields());
        } else if (m instanceof SyncMessage.Content c) {
            o.put("id", JsonValue.of(c.id().value()));
            if (c.header() != null) o.put("header", c.header().json());
            o.put("priority", JsonValue.of(c.priority()));
            LinkedHashMap<String, JsonValue> news = JsonValue.Obj.freshFields();
            for (SyncMessage.SessionEntry s : c.sessions().values()) news.put(s.session(), piece(s));
            o.put("new", new JsonValue.Obj(news));
            if (c.expectContentUntil() != null) o.put("expectContentUntil", counters(c.expectContentUntil()));
        } else if (m instanceof SyncMessage.Done d) {
            o.put("id", JsonValue.of(d.id().value()));
        } else if (m instanceof SyncMessage.Reconcile r) {
            o.put("id", JsonValue.of(r.batchId()));
            List<JsonValue> values = new ArrayList<>();
            for (SyncMessage.ReconcileEntry e : r.values()) values.add(JsonValue.arr(JsonValue.of(e.id().value()), JsonValue.of(e.sessionsHash())));
            o.put("values", new JsonValue.Arr(values));
        } else if (m instanceof SyncMessage.ReconcileAck a) {
            o.put("id", JsonValue.of(a.batchId()));
        } else if (m instanceof SyncMessage.SignatureMismatch e) {
            // The key order of the PR's SignatureMismatchErrorMessage literal.
            o.put("errorType", JsonValue.of(e.errorType()));
            o.put("id", JsonValue.of(e.id().value()));
            o.put("sessionID", JsonValue.of(e.sessionID().value()));
            List<JsonValue> pieces = new ArrayList<>(e.content().size());
            for (SyncMessage.SessionEntry s : e.content()) pieces.add(piece(s));
            o.put("content", new JsonValue.Arr(pieces));
            o.put("reason", JsonValue.of(e.reason()));
        }
        return new JsonValue.Obj(o);
    }

    private static JsonValue.Obj piece(SyncMessage.SessionEntry s) {
        return JsonValue.obj("after", JsonValue.of(s.after()), "newTransactions", s.newTransactions(),
                "lastSignature", JsonValue.of(s.lastSignature()));
    }

    private static JsonValue.Obj counters(Map<SessionID, Integer> m) {
        LinkedHashMap<String, JsonValue> o = JsonValue.Obj.freshFields();
        m.forEach((s, n) -> o.put(s.value(), JsonValue.of(n)));
        return new JsonValue.Obj(o);
    }
}
