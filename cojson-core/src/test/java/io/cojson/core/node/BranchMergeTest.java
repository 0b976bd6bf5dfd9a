package io.cojson.core.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.content.CoListContent;
import io.cojson.core.content.CoMapContent;
import io.cojson.core.covalue.TxEntry;
import io.cojson.core.crypto.Crypto;
import io.cojson.core.groups.Roles;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Branches and merges (covalues.md §13) built with {@link Branches} on one node and read on a
 * second one: the branch view (own transactions plus the source up to the branch start), merged
 * transactions ordered by their source time and ID, and merge bookkeeping. Expected values follow
 * from the spec's rules, worked out in each test's comments.
 */
class BranchMergeTest {
    private final Crypto crypto = Crypto.create();
    /** One strictly increasing clock for both nodes: each write gets its own millisecond. */
    private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
    private LocalNode alice;
    private LocalNode bob;
    private RawCoID group;

    @BeforeEach
    void setUp() {
        alice = Accounts.create(crypto, crypto.newRandomAgentSecret(), "Alice", now::incrementAndGet);
        bob = Accounts.create(crypto, crypto.newRandomAgentSecret(), "Bob", now::incrementAndGet);
        for (RawCoID id : bob.ids()) LocalNodeTest.copy(bob, alice, id);
        group = GroupOperations.createGroup(alice, null);
        GroupOperations.addMember(alice, group, bob.accountID().value(), Roles.WRITER);
    }

    private static void set(LocalNode node, RawCoID id, String key, Object value) {
        JsonValue v = value instanceof Integer i ? JsonValue.of(i) : JsonValue.of((String) value);
        node.write(id, List.of(CoMapContent.setChange(key, v)), null, true);
    }

    private static String mapView(LocalNode node, RawCoID id) {
        return node.locked(() -> JsonWriter.stringify(((CoMapContent) node.view(id)).toJson()));
    }

    private static String listView(LocalNode node, RawCoID id) {
        return node.locked(() -> JsonWriter.stringify(((CoListContent) node.view(id)).toJson()));
    }

    /** Everything alice has (group, accounts, values) goes to bob. */
    private void syncToBob() {
        for (RawCoID id : alice.ids()) {
            for (ContentPiece p : alice.exportContent(id)) bob.importContent(p);
        }
    }

    @Test
    void branchViewAndMergeKeepSourceTimes() {
        RawCoID map = Accounts.createOwned(alice, "comap", group, JsonValue.NULL);
        set(alice, map, "a", 1);
        set(alice, map, "b", 1);
        assertFalse(Branches.hasBranch(alice, map, "draft", null));
        RawCoID branch = Branches.createBranch(alice, map, "draft", null);
        assertNotEquals(map, branch);
        assertEquals(Branches.branchId(alice, map, "draft", null), branch, "the branch ID is a function of its header");
        assertTrue(Branches.hasBranch(alice, map, "draft", null));
        assertTrue(Branches.hasBranch(alice, map, "draft", group), "the source's group is the default owner");
        assertFalse(Branches.hasBranch(alice, map, "other", null));
        set(alice, branch, "a", 2); // branch edit at t_a2
        set(alice, branch, "c", 3);
        set(alice, map, "b", 5);   // after the branch start: not in the branch view
        set(alice, map, "a", 9);   // later than the branch's a=2
        // Branch view: own transactions first (a, c), then the source up to the start (a=1, b=1).
        assertEquals("{\"a\":2,\"c\":3,\"b\":1}", mapView(alice, branch));

        assertEquals(map, Branches.mergeBranch(alice, branch));
        // a=2 is merged with its branch time, older than the source's a=9: a stays 9.
        assertEquals("{\"a\":9,\"b\":5,\"c\":3}", mapView(alice, map));
        List<TxEntry> merged = alice.locked(() -> {
            List<TxEntry> out = new ArrayList<>();
            for (TxEntry e : alice.require(map).entries()) if (e.meta() != null && e.meta().has("mi")) out.add(e);
            return out;
        });
        assertEquals(2, merged.size(), "the two branch edits were merged");
        TxEntry first = merged.get(0), second = merged.get(1);
        assertEquals(first.madeAt(), second.madeAt(), "one merge writes all at the same time");
        assertTrue(first.effectiveMadeAt() < first.madeAt() && first.effectiveMadeAt() < second.effectiveMadeAt());
        assertEquals(alice.sessionID(), first.effectiveSession());
        assertEquals(1, first.effectiveTxIndex(), "a=2 was the branch's transaction 1 (after the start commit)");
        assertEquals(branch.value(), first.effectiveBranch());
        assertTrue(first.meta().has("s") && first.meta().has("b") && first.meta().has("t"));
        assertFalse(second.meta().has("s") || second.meta().has("b"), "repeated session and branch are left out");
        assertEquals(2, second.effectiveTxIndex());
        assertEquals(branch.value(), second.effectiveBranch(), "inherited from the previous merged transaction");

        // Another node reads the same history the same way.
        syncToBob();
        assertEquals("{\"a\":9,\"b\":5,\"c\":3}", mapView(bob, map));
        assertEquals("{\"a\":2,\"c\":3,\"b\":1}", mapView(bob, branch));
    }

    @Test
    void secondMergeOnlyCarriesNewBranchTransactions() {
        RawCoID map = Accounts.createOwned(alice, "comap", group, JsonValue.NULL);
        set(alice, map, "a", 1);
        RawCoID branch = Branches.createBranch(alice, map, "draft", null);
        set(alice, branch, "a", 2);
        Branches.mergeBranch(alice, branch);
        int afterFirst = alice.locked(() -> alice.require(map).entries().size());
        Branches.mergeBranch(alice, branch); // nothing new: no transaction at all
        assertEquals(afterFirst, alice.locked(() -> alice.require(map).entries().size()));
        set(alice, branch, "b", 3);
        Branches.mergeBranch(alice, branch);
        List<JsonValue.Obj> commits = alice.locked(() -> {
            alice.view(map);
            return alice.require(map).mergeCommits();
        });
        assertEquals(2, commits.size());
        // first merge: the branch session had 2 transactions (start + a); second: 3
        String s = alice.sessionID().value();
        assertEquals(JsonValue.of(2), ((JsonValue.Obj) commits.get(0).get("merged")).get(s));
        assertEquals(JsonValue.of(3), ((JsonValue.Obj) commits.get(1).get("merged")).get(s));
        long mergedTxs = alice.locked(() -> alice.require(map).entries().stream()
                .filter(e -> e.meta() != null && e.meta().has("mi")).count());
        assertEquals(2, mergedTxs, "a=2 once, b=3 once");
        assertEquals("{\"a\":2,\"b\":3}", mapView(alice, map));
    }

    @Test
    void sourceSessionsMissingFromTheStartShowInTheBranch() {
        RawCoID map = Accounts.createOwned(alice, "comap", group, JsonValue.NULL);
        set(alice, map, "a", 1);
        RawCoID branch = Branches.createBranch(alice, map, "draft", null);
        syncToBob();
        set(bob, map, "late", 7); // bob's session is not in the branch start: the reference shows it (§13.2 quirk)
        for (ContentPiece p : bob.exportContent(map)) alice.importContent(p);
        assertEquals("{\"a\":1,\"late\":7}", mapView(alice, branch));
    }

    @Test
    void listItemsMergedFromABranchKeepTheirPlaces() {
        RawCoID list = Accounts.createOwned(alice, "colist", group, JsonValue.NULL);
        alice.write(list, List.of(JsonValue.obj("op", JsonValue.of("app"), "value", JsonValue.of("x"), "after", JsonValue.of("start"))), null, true);
        append(alice, list, "y");
        RawCoID branch = Branches.createBranch(alice, list, "draft", null);
        append(alice, branch, "z"); // anchored on a source item
        append(alice, branch, "w"); // anchored on a branch item: its OpID names the branch
        assertEquals("[\"x\",\"y\",\"z\",\"w\"]", listView(alice, branch));
        Branches.mergeBranch(alice, branch);
        // The branch's transactions 1 and 2 are in the same session as the source's 1 and 2 ("y",
        // pointer): only the branch in their OpIDs keeps them apart.
        assertEquals("[\"x\",\"y\",\"z\",\"w\"]", listView(alice, list));
        syncToBob();
        assertEquals("[\"x\",\"y\",\"z\",\"w\"]", listView(bob, list));
    }

    private static void append(LocalNode node, RawCoID list, String value) {
        List<JsonValue> changes = node.locked(() -> ((CoListContent) node.view(list)).appendChanges(List.of(JsonValue.of(value)), null));
        node.write(list, changes, null, true);
    }

    @Test
    void aMergeTimeAfterTheTransactionItselfIsInvalid() {
        RawCoID map = Accounts.createOwned(alice, "comap", group, JsonValue.NULL);
        set(alice, map, "a", 1);
        JsonValue.Obj tampered = JsonValue.obj("mi", JsonValue.of(0), "t", JsonValue.of(-60_000),
                "s", JsonValue.of(alice.sessionID().value()));
        alice.write(map, List.of(CoMapContent.setChange("a", JsonValue.of(2))), tampered, false);
        assertEquals("{\"a\":1}", mapView(alice, map));
        TxEntry last = alice.locked(() -> {
            List<TxEntry> es = alice.require(map).entries();
            return es.get(es.size() - 1);
        });
        assertFalse(last.isValid());
        assertEquals("Transaction sourceMadeAt is after the currentMadeAt", last.invalidReason());
    }

    @Test
    void aReaderBranchesOnlyWithAnOwnerAndPointsInTheClear() {
        RawCoID map = Accounts.createOwned(alice, "comap", group, JsonValue.NULL);
        LocalNode carol = Accounts.create(crypto, crypto.newRandomAgentSecret(), "Carol", now::incrementAndGet);
        for (RawCoID id : carol.ids()) LocalNodeTest.copy(carol, alice, id);
        GroupOperations.addMember(alice, group, carol.accountID().value(), Roles.READER);
        for (RawCoID id : alice.ids()) {
            for (ContentPiece p : alice.exportContent(id)) carol.importContent(p);
        }
        assertEquals(map, Branches.createBranch(carol, map, "mine", null), "a reader without an owner gets the source");
        RawCoID carolsGroup = GroupOperations.createGroup(carol, null);
        RawCoID branch = Branches.createBranch(carol, map, "mine", carolsGroup);
        assertNotEquals(map, branch);
        TxEntry pointer = carol.locked(() -> {
            List<TxEntry> es = carol.require(map).entries();
            return es.get(es.size() - 1);
        });
        assertTrue(pointer.isTrusting(), "a reader's branch pointer is trusting");
        assertTrue(pointer.isBranchPointerOnly());
    }
}
