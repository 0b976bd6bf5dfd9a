package io.cojson.tools.client;

import static io.cojson.tools.client.Args.coId;
import static io.cojson.tools.client.Args.str;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.node.LocalNode;
import io.cojson.storage.Faults;
import io.cojson.sync.recovery.ConflictRecord;
import io.cojson.sync.recovery.ConflictRecords;
import io.cojson.sync.recovery.ConflictResolver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The commands an operator or a test driver needs to exercise crash recovery from outside the
 * JVM (issue 8, deliverable 8): {@code sessionID}, {@code conflicts}, {@code getWithoutConflicts},
 * {@code resolveConflict} and {@code setFaults}. They have no counterpart in ref-client.mjs.
 */
final class ConflictCommands {
    private final ClientSession session;

    ConflictCommands(ClientSession session) {
        this.session = session;
    }

    /** {@code {"cmd":"sessionID"}}: the session this client writes with now. */
    void sessionID(Map<String, JsonValue> r) {
        r.put("sessionID", JsonValue.of(session.node().sessionID().value()));
    }

    /** {@code {"cmd":"conflicts"[,"id":coId]}}: every conflict record (of one value), oldest first, every field. */
    void conflicts(JsonValue.Obj req, Map<String, JsonValue> r) {
        session.requireNode();
        ConflictRecords records = session.conflictRecords();
        String id = coId(req, "id", true);
        List<JsonValue> out = new ArrayList<>();
        for (ConflictRecord c : id == null ? records.all() : records.forValue(new RawCoID(id))) out.add(c.toJsonValue());
        r.put("records", new JsonValue.Arr(out));
    }

    /** {@code {"cmd":"discarded"[,"id":coId]}}: the DISCARDED_DELETED records (edits a deletion discarded), without their transactions. */
    void discarded(JsonValue.Obj req, Map<String, JsonValue> r) {
        session.requireNode();
        String id = coId(req, "id", true);
        List<JsonValue> out = new ArrayList<>();
        for (var d : session.discardedRecords()) if (id == null || d.coValue().value().equals(id)) out.add(d.summaryJson());
        r.put("records", new JsonValue.Arr(out));
    }

    /** {@code {"cmd":"getWithoutConflicts","id":coId}}: like {@code get}, the value materialized without its conflict sessions. */
    void getWithoutConflicts(JsonValue.Obj req, Map<String, JsonValue> r) throws Exception {
        RawCoID id = session.load(coId(req, "id", false), session.timeout(req));
        ValueViews.describe(session.typed().load(id), r);
        r.put("value", ConflictResolver.jsonWithoutConflicts(session.node(), id));
    }

    /** {@code {"cmd":"resolveConflict","recordId":..,"mode":"acknowledge"|"preferServer"|"custom"}}. */
    void resolveConflict(JsonValue.Obj req, Map<String, JsonValue> r) {
        LocalNode node = session.node();
        ConflictRecords records = session.conflictRecords();
        String recordId = str(req, "recordId", false);
        ConflictRecord record = records.byId(recordId).orElseThrow(() -> new CommandError("no conflict record " + recordId));
        ConflictResolver resolver = new ConflictResolver(node, records);
        String mode = str(req, "mode", false);
        switch (mode) {
            case "acknowledge" -> r.put("record", resolver.acknowledge(record).toJsonValue());
            case "custom" -> r.put("record", resolver.markResolved(record).toJsonValue());
            case "preferServer" -> {
                ConflictResolver.Outcome o = resolver.preferServer(record);
                r.put("record", o.record().toJsonValue());
                r.put("written", JsonValue.of(o.written()));
                List<JsonValue> not = new ArrayList<>();
                for (String s : o.notReverted()) not.add(JsonValue.of(s));
                r.put("notReverted", new JsonValue.Arr(not));
            }
            default -> throw new CommandError("\"mode\" must be one of acknowledge, preferServer, custom");
        }
    }

    /** {@code {"cmd":"setFaults","spec":"point=action,..."|null}}: replaces this process's fault points (COJSON_FAULTS syntax). */
    void setFaults(JsonValue.Obj req, Map<String, JsonValue> r) {
        String spec = str(req, "spec", true);
        try {
            Faults.configure(spec);
        } catch (IllegalArgumentException e) {
            throw new CommandError("invalid fault spec: " + e.getMessage());
        }
        r.put("active", JsonValue.of(Faults.active()));
    }
}
