package io.cojson.sync;

import static io.cojson.sync.SyncTestKit.await;
import static io.cojson.sync.SyncTestKit.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.content.CoListContent;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import io.cojson.core.node.Accounts;
import io.cojson.core.node.LocalNode;
import io.cojson.sync.recovery.ConflictRecord;
import io.cojson.sync.recovery.ConflictResolver;
import io.cojson.sync.recovery.ConflictStatus;
import io.cojson.sync.recovery.RecoveryCoordinator;
import io.cojson.sync.recovery.RecoveryState;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * §11 for a CoList on a node without storage (records in memory): the disk had [a], the server
 * got [a, b], the restarted node appended c and deleted a in the same session; recovery keeps
 * "append c" and "delete a" in S!.
 */
class ConflictListTest {
    private final ForkedSession f = new ForkedSession();
    private final SessionID s = f.alice.sessionID();
    private final RawCoID list = Accounts.createOwned(f.alice, "colist", f.group, JsonValue.NULL);
    private LocalNode restarted;
    private SyncManager sync;
    private RecoveryCoordinator rc;

    private static void append(LocalNode node, RawCoID id, String v) {
        List<JsonValue> changes = node.locked(() -> ((CoListContent) node.view(id)).appendChanges(List.of(JsonValue.of(v)), null));
        node.write(id, changes, null, true);
    }

    private static String json(LocalNode node, RawCoID id) {
        return node.locked(() -> JsonWriter.stringify(((CoListContent) node.view(id)).toJson()));
    }

    @BeforeEach
    void forkAndRecover() {
        append(f.alice, list, "a");
        restarted = f.restart();
        append(f.alice, list, "b"); // what the server holds
        sync = SyncManager.create(restarted, SyncOptions.defaults());
        rc = RecoveryCoordinator.install(sync, null);
        append(restarted, list, "c");
        restarted.write(list, restarted.locked(() -> ((CoListContent) restarted.view(list)).deleteChange(0)), null, true);
        get(sync.flush());
        RawPeer server = RawPeer.attach(sync, "server", PeerRole.SERVER);
        server.send(SyncMessage.SignatureMismatch.of(list, s,
                f.alice.locked(() -> MismatchReports.wholeSession(f.alice.require(list).sessions().get(s))), "test"));
        await("recovered", () -> rc.status(list, s).state() == RecoveryState.DONE);
    }

    @AfterEach
    void close() {
        rc.close();
        sync.close();
    }

    @Test
    void preferServerDeletesTheInsertedItemsAndReportsTheDeletion() {
        List<ConflictRecord> records = rc.conflicts().forValue(list);
        assertEquals(1, records.size());
        ConflictRecord r = records.get(0);
        assertEquals(ConflictStatus.PRESERVED, r.status());
        assertEquals(2, r.divergent());
        assertEquals(2, r.conflictTo() - r.conflictFrom());
        String merged = json(restarted, list); // b and c were inserted concurrently after a: either order
        assertTrue(merged.equals("[\"b\",\"c\"]") || merged.equals("[\"c\",\"b\"]"), "merged: c appended, a deleted: " + merged);
        assertEquals("[\"a\",\"b\"]", JsonWriter.stringify(ConflictResolver.jsonWithoutConflicts(restarted, list)));

        assertEquals("{\"type\":\"colist\",\"inserted\":[\"c\"],\"deletions\":1}",
                JsonWriter.stringify(io.cojson.sync.recovery.ConflictInspection.inspect(restarted, r)));
        ConflictResolver.Outcome out = new ConflictResolver(restarted, rc.conflicts()).preferServer(r);
        assertEquals(1, out.written());
        assertEquals("[\"b\"]", json(restarted, list), "c removed; the deletion of a cannot be undone");
        assertEquals(1, out.notReverted().size(), out.notReverted().toString());
        assertTrue(out.notReverted().get(0).contains("1 list deletion"), out.notReverted().get(0));
        assertEquals(ConflictStatus.RESOLVED_SERVER, rc.conflicts().byId(r.recordId()).orElseThrow().status());
        assertTrue(rc.conflicts().byId(r.recordId()).orElseThrow().reason().startsWith("not reverted: "));
    }
}
