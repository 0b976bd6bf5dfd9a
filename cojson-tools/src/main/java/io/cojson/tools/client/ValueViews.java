package io.cojson.tools.client;

import static io.cojson.tools.client.Args.coId;

import io.cojson.core.content.CoMapContent;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.json.Json;
import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import io.cojson.core.header.CoValueKind;
import io.cojson.core.node.LocalNode;
import io.cojson.core.values.CoList;
import io.cojson.core.values.CoMap;
import io.cojson.core.values.CoPlainText;
import io.cojson.core.values.CoStream;
import io.cojson.core.values.StreamItem;
import io.cojson.core.values.CoValue;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reading commands {@code get}, {@code waitFor} and {@code knownState}: the JSON view of each
 * CoValue type as ref-client.mjs prints it, and the {@code path} walk into it.
 */
final class ValueViews {
    private final ClientSession session;

    ValueViews(ClientSession session) {
        this.session = session;
    }

    /** The {@code type} the ref-client reports for a kind. */
    static String kindName(CoValueKind k) {
        switch (k) {
            case COMAP: return "comap";
            case COLIST: return "colist";
            case COSTREAM: return "costream";
            case BINARY_COSTREAM: return "binarystream";
            case COPLAINTEXT: return "coplaintext";
            case GROUP: return "group";
            case ACCOUNT: return "account";
            default: return "unknown";
        }
    }

    /** {@code id, type, owner?, meta?, deleted?} of ref-client's {@code describe}. */
    static void describe(CoValue v, Map<String, JsonValue> r) {
        r.put("id", JsonValue.of(v.id().value()));
        r.put("type", JsonValue.of(kindName(v.kind())));
        if (v.ownerId() != null) r.put("owner", JsonValue.of(v.ownerId().value()));
        JsonValue meta = v.header().meta();
        if (meta != null && !(meta instanceof JsonValue.Null)) r.put("meta", meta);
        if (v.isDeleted()) r.put("deleted", JsonValue.TRUE);
    }

    void get(JsonValue.Obj req, Map<String, JsonValue> r) throws Exception {
        RawCoID id = session.load(coId(req, "id", false), session.timeout(req), !JsonValue.FALSE.equals(req.get("retry")));
        CoValue v = session.typed().load(id);
        describe(v, r);
        JsonValue view = viewOf(v);
        List<JsonValue> path = splitPath(req.get("path"));
        JsonValue at = path.isEmpty() ? view : getPath(view, path);
        r.put("value", at == null ? JsonValue.NULL : at);
    }

    void knownState(JsonValue.Obj req, Map<String, JsonValue> r) throws Exception {
        RawCoID id = session.load(coId(req, "id", false), session.timeout(req));
        LocalNode node = session.node();
        r.put("knownState", node.locked(() -> node.get(id).knownState().toJson()));
    }

    private JsonValue viewOf(CoValue v) {
        switch (v.kind()) {
            case COPLAINTEXT: return JsonValue.of(((CoPlainText) v).toString());
            case COLIST: return ((CoList) v).toJson();
            case COSTREAM: return streamView((CoStream) v);
            case COMAP: return ((CoMap) v).toJson();
            case GROUP:
            case ACCOUNT: {
                LocalNode node = session.node();
                return node.locked(() -> ((CoMapContent) node.view(v.id())).toJson());
            }
            default: return JsonValue.NULL;
        }
    }

    private static JsonValue streamView(CoStream s) {
        List<StreamItem> entries = new ArrayList<>();
        for (SessionID session : s.sessions()) entries.addAll(s.itemsIn(session));
        entries.sort(Comparator.<StreamItem>comparingLong(StreamItem::madeAt)
                .thenComparing(i -> i.tx().sessionID().value())
                .thenComparingInt(i -> i.tx().txIndex()));
        List<JsonValue> items = new ArrayList<>();
        Map<String, List<JsonValue>> byAccount = new LinkedHashMap<>();
        List<JsonValue> entryJson = new ArrayList<>();
        for (StreamItem i : entries) {
            items.add(i.value());
            byAccount.computeIfAbsent(i.by(), k -> new ArrayList<>()).add(i.value());
            entryJson.add(JsonValue.obj("value", i.value(), "by", JsonValue.of(i.by()), "sessionID", JsonValue.of(i.tx().sessionID().value()),
                    "txIndex", JsonValue.of(i.tx().txIndex()), "madeAt", JsonValue.of(i.madeAt())));
        }
        Map<String, JsonValue> by = new LinkedHashMap<>();
        byAccount.forEach((k, v) -> by.put(k, new JsonValue.Arr(v)));
        return JsonValue.obj("items", new JsonValue.Arr(items), "byAccount", new JsonValue.Obj(by),
                "bySession", s.toJson(), "entries", new JsonValue.Arr(entryJson));
    }

    private static List<JsonValue> splitPath(JsonValue path) {
        if (path == null || path instanceof JsonValue.Null) return List.of();
        if (path instanceof JsonValue.Arr) return ((JsonValue.Arr) path).items();
        if (path instanceof JsonValue.Str) {
            String p = ((JsonValue.Str) path).value();
            if (p.isEmpty()) return List.of();
            List<JsonValue> out = new ArrayList<>();
            for (String seg : p.split("\\.", -1)) out.add(JsonValue.of(seg));
            return out;
        }
        throw new CommandError("\"path\" must be a string (\"a.b.0\") or an array ([\"a\",\"b\",0])");
    }

    /** JavaScript's {@code cur[seg]} walk; null when absent (JS undefined). */
    private static JsonValue getPath(JsonValue value, List<JsonValue> segments) {
        JsonValue cur = value;
        for (JsonValue seg : segments) {
            String key = seg instanceof JsonValue.Str ? ((JsonValue.Str) seg).value() : JsonWriter.stringify(seg);
            if (cur instanceof JsonValue.Obj) {
                cur = ((JsonValue.Obj) cur).get(key);
            } else if (cur instanceof JsonValue.Arr) {
                JsonValue.Arr a = (JsonValue.Arr) cur;
                int i;
                try {
                    i = Integer.parseInt(key);
                } catch (NumberFormatException e) {
                    return key.equals("length") ? JsonValue.of(a.size()) : null;
                }
                cur = i >= 0 && i < a.size() && String.valueOf(i).equals(key) ? a.get(i) : null;
            } else if (cur instanceof JsonValue.Str && key.equals("length")) {
                cur = JsonValue.of(((JsonValue.Str) cur).value().length());
            } else {
                return null;
            }
            if (cur == null) return null;
        }
        return cur;
    }

    void waitFor(JsonValue.Obj req, Map<String, JsonValue> r) throws Exception {
        session.requireNode();
        String idString = coId(req, "id", false);
        long timeoutMs = session.timeout(req);
        List<JsonValue> path = splitPath(req.get("path"));
        boolean hasExpected = req.has("expected");
        JsonValue expected = req.get("expected");
        JsonValue existsV = req.get("exists");
        if (existsV != null && !(existsV instanceof JsonValue.Bool)) throw new CommandError("\"exists\" must be a boolean");
        long started = System.currentTimeMillis();
        long deadline = started + timeoutMs;
        RawCoID id = null;
        while (id == null) {
            long remaining = deadline - System.currentTimeMillis();
            if (remaining <= 0) throw new CommandError("timeout after " + timeoutMs + " ms: " + idString + " is unavailable");
            try {
                id = session.load(idString, remaining, false); // this loop polls by itself
            } catch (CommandError e) {
                Thread.sleep(Math.min(100, Math.max(0, deadline - System.currentTimeMillis())));
            }
        }
        JsonValue last = null;
        while (true) {
            try {
                JsonValue view = viewOf(session.typed().load(id));
                last = path.isEmpty() ? view : getPath(view, path);
            } catch (RuntimeException e) {
                last = null;
            }
            boolean match;
            if (hasExpected) match = jsEqual(last, expected);
            else if (existsV != null) match = (last != null && !(last instanceof JsonValue.Null)) == ((JsonValue.Bool) existsV).value();
            else match = true;
            if (match) {
                r.put("value", last == null ? JsonValue.NULL : last);
                r.put("elapsedMs", JsonValue.of(System.currentTimeMillis() - started));
                return;
            }
            if (System.currentTimeMillis() >= deadline) {
                throw new CommandError("timeout after " + timeoutMs + " ms waiting for " + idString
                        + (path.isEmpty() ? "" : " at " + JsonWriter.stringify(new JsonValue.Arr(path)))
                        + (hasExpected ? " to equal " + JsonWriter.stringify(expected) : "")
                        + (existsV != null ? (((JsonValue.Bool) existsV).value() ? " to exist" : " to be absent") : "")
                        + "; last value: " + JsonWriter.stringify(last == null ? JsonValue.NULL : last));
            }
            Thread.sleep(Math.min(50, Math.max(1, deadline - System.currentTimeMillis())));
        }
    }

    /** deepEqual of ref-client.mjs (null vs absent: absent never equals null). */
    private static boolean jsEqual(JsonValue a, JsonValue b) {
        if (a == null || b == null) return a == b;
        return Json.parse(JsonWriter.stringify(a)).equals(Json.parse(JsonWriter.stringify(b)));
    }
}
