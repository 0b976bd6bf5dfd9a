package io.cojson.client.internal;

import io.cojson.client.Conflict;
import io.cojson.client.ConflictResolution;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.node.LocalNode;
import io.cojson.sync.recovery.ConflictRecord;
import io.cojson.sync.recovery.ConflictRecords;
import io.cojson.sync.recovery.ConflictResolver;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The client's conflict API over the recovery package's records and resolver (recovery.md §11). */
public final class Conflicts {
    private final LocalNode node;
    private final ConflictRecords records;

    public Conflicts(LocalNode node, ConflictRecords records) {
        this.node = node;
        this.records = records;
    }

    public static Conflict toConflict(ConflictRecord r) {
        return new Conflict(r.recordId(), r.coValueId(), r.session(), r.conflictSession(), Conflict.Status.valueOf(r.status().name()),
                r.status().isOpen(), r.divergent(), r.detectedAt(), r.reason());
    }

    public List<Conflict> all() {
        return convert(records.all());
    }

    public List<Conflict> of(RawCoID id) {
        return convert(records.forValue(Objects.requireNonNull(id, "id")));
    }

    public Conflict acknowledge(String recordId) {
        return toConflict(resolver().acknowledge(record(recordId)));
    }

    public Conflict markResolved(String recordId) {
        return toConflict(resolver().markResolved(record(recordId)));
    }

    public ConflictResolution preferServer(String recordId) {
        ConflictResolver.Outcome o = resolver().preferServer(record(recordId));
        return new ConflictResolution(toConflict(o.record()), o.written(), o.notReverted());
    }

    public JsonValue withoutConflicts(RawCoID id) {
        if (node.get(Objects.requireNonNull(id, "id")) == null) throw new IllegalArgumentException(id + " is not loaded");
        return ConflictResolver.jsonWithoutConflicts(node, id);
    }

    public ConflictRecords records() {
        return records;
    }

    private ConflictResolver resolver() {
        return new ConflictResolver(node, records);
    }

    private ConflictRecord record(String recordId) {
        Objects.requireNonNull(recordId, "recordId");
        return records.byId(recordId).orElseThrow(() -> new IllegalArgumentException("no conflict record " + recordId));
    }

    private static List<Conflict> convert(List<ConflictRecord> rs) {
        List<Conflict> out = new ArrayList<>(rs.size());
        for (ConflictRecord r : rs) out.add(toConflict(r));
        return out;
    }
}
