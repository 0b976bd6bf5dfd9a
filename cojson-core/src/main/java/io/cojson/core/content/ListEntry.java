package io.cojson.core.content;

import io.cojson.core.ids.OpID;
import io.cojson.core.json.JsonValue;
import java.util.ArrayList;
import java.util.List;

/**
 * One CoList insertion: a node of the insertion tree (covalues.md §8.2). Children are held as
 * direct references so reading never goes through a map lookup.
 */
final class ListEntry {
    final OpID opID;
    final JsonValue value;
    final long madeAt;
    /** False for insertions of transactions invalidated during meta parsing: anchors, never shown. */
    final boolean fromValidTx;
    /** Inserted with {@code pre} before this entry, in processing order. */
    List<ListEntry> predecessors = List.of();
    /** Inserted with {@code app} after this entry, in processing order. */
    List<ListEntry> successors = List.of();
    /** The materialization pass in which this entry's predecessors were pushed (§8.3 "expanded"). */
    long expandedInPass;

    ListEntry(OpID opID, JsonValue value, long madeAt, boolean fromValidTx) {
        this.opID = opID;
        this.value = value;
        this.madeAt = madeAt;
        this.fromValidTx = fromValidTx;
    }

    void addPredecessor(ListEntry e) {
        if (predecessors.isEmpty()) predecessors = new ArrayList<>(2);
        predecessors.add(e);
    }

    void addSuccessor(ListEntry e) {
        if (successors.isEmpty()) successors = new ArrayList<>(2);
        successors.add(e);
    }
}
