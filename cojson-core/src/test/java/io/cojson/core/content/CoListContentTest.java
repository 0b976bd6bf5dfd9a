package io.cojson.core.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cojson.core.ids.OpID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.ids.TransactionID;
import io.cojson.core.json.Json;
import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The [verified] examples of covalues.md §8.3 and the rules of §8.2/§8.4. */
class CoListContentTest {
    // ---- fixtures shared with the other list and plain-text tests ----

    static final SessionID A = SessionID.parse("co_z8FSzKkkXbqm9GvELK3oj1hgDww_session_z2Q6ikYYXUUN");
    static final SessionID B = SessionID.parse("co_z8FSzKkkXbqm9GvELK3oj1hgDww_session_zAnother1");
    static final SessionID C = SessionID.parse("co_zLuZnXt1M7DkFmM9vi8bmyJ6ZSZ_session_zThird");
    static final SessionID D = SessionID.parse("co_zLuZnXt1M7DkFmM9vi8bmyJ6ZSZ_session_zFourth4");

    static DecodedTx tx(SessionID s, int txIndex, long madeAt, JsonValue... changes) {
        return new DecodedTx(new TransactionID(s, txIndex), madeAt, List.of(changes), true);
    }

    static OpID op(SessionID s, int txIndex, int changeIdx) {
        return new OpID(s, txIndex, changeIdx);
    }

    static JsonValue app(String v, OpID after) {
        return JsonValue.obj("op", JsonValue.of("app"), "value", JsonValue.of(v), "after", CoListContent.opIDToJson(after));
    }

    static JsonValue appStart(String v) {
        return JsonValue.obj("op", JsonValue.of("app"), "value", JsonValue.of(v), "after", JsonValue.of("start"));
    }

    static JsonValue pre(String v, OpID before) {
        return JsonValue.obj("op", JsonValue.of("pre"), "value", JsonValue.of(v), "before", CoListContent.opIDToJson(before));
    }

    static JsonValue preEnd(String v) {
        return JsonValue.obj("op", JsonValue.of("pre"), "value", JsonValue.of(v), "before", JsonValue.of("end"));
    }

    static JsonValue del(OpID target) {
        return JsonValue.obj("op", JsonValue.of("del"), "insertion", CoListContent.opIDToJson(target));
    }

    /** The visible items as plain strings (non-strings as their JSON text). */
    static List<String> strs(CoListContent c) {
        List<String> out = new ArrayList<>();
        for (JsonValue v : c.items()) out.add(v instanceof JsonValue.Str s ? s.value() : v.toString());
        return out;
    }

    static CoListContent build(DecodedTx... txs) {
        CoListContent c = new CoListContent();
        c.add(List.of(txs));
        return c;
    }

    private static final OpID A00 = op(A, 0, 0);

    @Test
    void concurrentAppendsAfterTheSameItemAreNewestFirst() {
        DecodedTx a = tx(A, 0, 100, appStart("a"));
        DecodedTx x = tx(B, 0, 200, app("x", A00));
        DecodedTx y = tx(C, 0, 300, app("y", A00));
        assertEquals(List.of("a", "y", "x"), strs(build(a, x, y)));
        assertEquals(List.of("a", "y", "x"), strs(build(y, a, x)), "one batch is sorted first");
        CoListContent inc = new CoListContent();
        inc.add(List.of(a));
        inc.add(List.of(x));
        inc.add(List.of(y));
        assertEquals(List.of("a", "y", "x"), strs(inc));
    }

    @Test
    void concurrentPrependsBeforeTheSameItemGoLeft() {
        CoListContent c = build(tx(A, 0, 100, appStart("c")), tx(B, 0, 200, pre("p", A00)), tx(C, 0, 300, pre("q", A00)));
        assertEquals(List.of("q", "p", "c"), strs(c));
    }

    @Test
    void rootsAreStartItemsThenEndItemsEachInProcessingOrder() {
        CoListContent c = build(
                tx(A, 0, 100, preEnd("e1")),
                tx(B, 0, 200, appStart("s1")),
                tx(C, 0, 300, appStart("s2")),
                tx(A, 1, 400, preEnd("e2")));
        assertEquals(List.of("s1", "s2", "e1", "e2"), strs(c));
    }

    @Test
    void predecessorsComeBeforeAndSuccessorsRightAfterBeforeTheNextSibling() {
        CoListContent c = build(
                tx(A, 0, 100, appStart("a"), appStart("b")),
                tx(B, 0, 200, app("y", A00)),
                tx(B, 1, 300, pre("z", op(B, 0, 0))),
                tx(C, 0, 400, pre("p", A00)));
        assertEquals(List.of("p", "a", "z", "y", "b"), strs(c));
    }

    @Test
    void anAnchorUnknownAtProcessingTimeStaysInvisibleForever() {
        DecodedTx a = tx(A, 0, 100, appStart("a"));
        DecodedTx x = tx(B, 0, 200, app("x", op(A, 1, 0)));
        DecodedTx b = tx(A, 1, 300, app("b", A00));
        CoListContent inc = new CoListContent();
        inc.add(List.of(a, x));
        assertEquals(List.of("a"), strs(inc));
        inc.add(List.of(b));
        assertEquals(List.of("a", "b"), strs(inc));
        assertEquals(List.of("a", "b"), strs(build(a, b, x)), "the anchor comes later in comparator order");
        CoListContent withX = new CoListContent();
        withX.add(List.of(a, x, b));
        withX.add(List.of(tx(C, 0, 400, app("after-x", op(B, 0, 0)))));
        assertEquals(List.of("a", "b"), strs(withX), "items anchored on an invisible item are invisible too");
    }

    @Test
    void anOlderAnchorArrivingLaterTriggersARebuildThatResolvesIt() {
        DecodedTx a = tx(A, 0, 100, appStart("a"));
        DecodedTx x = tx(B, 0, 200, app("x", op(A, 1, 0)));
        DecodedTx b = tx(A, 1, 150, app("b", A00));
        CoListContent inc = new CoListContent();
        inc.add(List.of(a, x));
        inc.add(List.of(b));
        assertEquals(List.of("a", "b", "x"), strs(inc));
        assertEquals(strs(build(a, x, b)), strs(inc));
    }

    @Test
    void aDeletionProcessedBeforeItsInsertionStillHidesIt() {
        CoListContent c = build(tx(B, 0, 100, del(A00)), tx(A, 0, 200, appStart("a"), appStart("b")));
        assertEquals(List.of("b"), strs(c));
        assertEquals(1, c.deletionEdits().size());
        assertEquals(new CoListContent.DeletionEdit(B.author(), op(B, 0, 0), 100), c.deletionEdits().get(0));
    }

    @Test
    void aDoubleInsertionIsSkipped() {
        DecodedTx a = tx(A, 0, 100, appStart("a"));
        DecodedTx copy = tx(A, 0, 100, appStart("other"));
        CoListContent c = new CoListContent();
        c.add(List.of(a));
        c.add(List.of(copy));
        c.add(List.of(a));
        assertEquals(List.of("a"), strs(c));
        assertEquals(List.of("a"), strs(build(a, copy)));
    }

    @Test
    void replaceWritesAppAfterThenDelete() {
        CoListContent c = build(tx(A, 0, 100, appStart("a"), appStart("b"), appStart("c")));
        List<JsonValue> changes = c.replaceChanges(1, JsonValue.of("B"));
        String id = "{\"sessionID\":\"" + A.value() + "\",\"txIndex\":0,\"changeIdx\":1}";
        assertEquals("[{\"op\":\"app\",\"value\":\"B\",\"after\":" + id + "},{\"op\":\"del\",\"insertion\":" + id + "}]",
                JsonWriter.stringify(new JsonValue.Arr(changes)));
        c.add(List.of(new DecodedTx(new TransactionID(B, 0), 200, changes, true)));
        assertEquals(List.of("a", "B", "c"), strs(c));
        assertEquals(List.of("a", "B", "c"), strs(c.atTime(200)));
        assertEquals(List.of("a", "b", "c"), strs(c.atTime(199)));
    }

    @Test
    void appendWritesReverseOrderThatRendersInNaturalOrder() {
        CoListContent c = new CoListContent();
        List<JsonValue> first = c.appendChanges(items("a", "b"), null);
        assertEquals("[{\"op\":\"app\",\"value\":\"a\",\"after\":\"start\"},{\"op\":\"app\",\"value\":\"b\",\"after\":\"start\"}]",
                JsonWriter.stringify(new JsonValue.Arr(first)));
        c.add(List.of(new DecodedTx(new TransactionID(A, 0), 100, first, true)));
        assertEquals(List.of("a", "b"), strs(c));

        List<JsonValue> tail = c.appendChanges(items("x", "y", "z"), null);
        assertEquals(List.of("z", "y", "x"), tail.stream().map(ch -> ((JsonValue.Obj) ch).get("value").toString().replace("\"", "")).toList());
        assertEquals(CoListContent.opIDToJson(op(A, 0, 1)), ((JsonValue.Obj) tail.get(0)).get("after"));
        c.add(List.of(new DecodedTx(new TransactionID(A, 1), 200, tail, true)));
        assertEquals(List.of("a", "b", "x", "y", "z"), strs(c));

        c.add(List.of(new DecodedTx(new TransactionID(A, 2), 300, c.appendChanges(items("m", "n"), 0), true)));
        assertEquals(List.of("a", "m", "n", "b", "x", "y", "z"), strs(c));
        assertThrows(IllegalArgumentException.class, () -> c.appendChanges(items("q"), 7));
        assertThrows(IllegalArgumentException.class, () -> new CoListContent().appendChanges(items("q"), 1));
    }

    @Test
    void prependAndDeleteWriteTheReferenceShapes() {
        CoListContent empty = new CoListContent();
        assertEquals("[{\"op\":\"pre\",\"value\":\"v\",\"before\":\"end\"}]",
                JsonWriter.stringify(new JsonValue.Arr(empty.prependChanges(JsonValue.of("v"), null))));
        assertThrows(IllegalArgumentException.class, () -> empty.prependChanges(JsonValue.of("v"), 1));

        CoListContent c = build(tx(A, 0, 100, appStart("a"), appStart("b")));
        c.add(List.of(new DecodedTx(new TransactionID(B, 0), 200, c.prependChanges(JsonValue.of("p"), 1), true)));
        assertEquals(List.of("a", "p", "b"), strs(c));
        assertEquals(JsonValue.of("end"), ((JsonValue.Obj) c.prependChanges(JsonValue.of("e"), 3).get(0)).get("before"));
        c.add(List.of(new DecodedTx(new TransactionID(B, 1), 300, c.deleteChange(0), true)));
        assertEquals(List.of("p", "b"), strs(c));
        assertThrows(IllegalArgumentException.class, () -> c.deleteChange(2));
    }

    @Test
    void anOutOfOrderBatchRebuildsToTheComparatorOrderResult() {
        List<DecodedTx> all = List.of(
                tx(A, 0, 300, appStart("a")),
                tx(A, 1, 310, app("a2", A00)),
                tx(B, 0, 100, appStart("b")),
                tx(B, 1, 320, pre("b2", A00)),
                tx(C, 0, 200, appStart("c"), del(op(B, 0, 0))));
        CoListContent inc = new CoListContent();
        inc.add(all.subList(0, 2));
        inc.add(all.subList(2, 4));
        inc.add(all.subList(4, 5));
        List<DecodedTx> sorted = new ArrayList<>(all);
        sorted.sort(DecodedTx::compare);
        CoListContent oneByOne = new CoListContent();
        for (DecodedTx t : sorted) oneByOne.add(List.of(t));
        assertEquals(strs(oneByOne), strs(inc));
        assertEquals(List.of("c", "b2", "a", "a2"), strs(inc));
    }

    @Test
    void crossSessionTiesFollowArrivalOrder() {
        DecodedTx a = tx(A, 0, 100, appStart("a"));
        DecodedTx x = tx(B, 0, 200, app("x", A00));
        DecodedTx y = tx(C, 0, 200, app("y", A00));
        assertEquals(List.of("a", "y", "x"), strs(build(a, x, y)));
        assertEquals(List.of("a", "x", "y"), strs(build(a, y, x)));
        CoListContent inc = new CoListContent();
        inc.add(List.of(a));
        inc.add(List.of(y));
        inc.add(List.of(x));
        assertEquals(List.of("a", "x", "y"), strs(inc));
    }

    @Test
    void hiddenTransactionsAnchorAndDeleteButShowNothing() {
        DecodedTx loser = tx(A, 0, 100, appStart("init"), del(op(C, 0, 0)));
        DecodedTx x = tx(B, 0, 200, app("x", A00));
        DecodedTx c0 = tx(C, 0, 50, appStart("c"));
        CoListContent c = new CoListContent();
        c.add(List.of(c0, loser, x), t -> t == loser);
        assertEquals(List.of("x"), strs(c));
        c.rebuild(c.transactions(), t -> false);
        assertEquals(List.of("init", "x"), strs(c));
    }

    @Test
    void aBatchOfOnlyHiddenTransactionsDisarmsTheNextRebuild() {
        // Copied from the reference: lastValidTransaction becomes undefined after such a batch.
        DecodedTx late = tx(A, 0, 300, appStart("late"));
        DecodedTx hidden = tx(B, 0, 400, appStart("h"));
        DecodedTx early = tx(C, 0, 100, appStart("early"));
        CoListContent c = new CoListContent();
        c.add(List.of(late));
        c.add(List.of(hidden), t -> t == hidden);
        c.add(List.of(early));
        assertEquals(List.of("late", "early"), strs(c));
        CoListContent armed = new CoListContent();
        armed.add(List.of(late));
        armed.add(List.of(early));
        assertEquals(List.of("early", "late"), strs(armed));
    }

    @Test
    void malformedChangesAreSkipped() {
        JsonValue noAnchor = JsonValue.obj("op", JsonValue.of("app"), "value", JsonValue.of("n"));
        CoListContent c = build(tx(A, 0, 100,
                appStart("a"),
                JsonValue.of("junk"),
                JsonValue.obj("op", JsonValue.of("set"), "key", JsonValue.of("k")),
                JsonValue.obj("op", JsonValue.of("del"), "insertion", JsonValue.of("nope")),
                JsonValue.obj("op", JsonValue.of("app"), "value", JsonValue.of("bad"), "after", JsonValue.obj("sessionID", JsonValue.of("x"))),
                noAnchor,
                JsonValue.obj("op", JsonValue.of("app"), "after", JsonValue.of("start")),
                Json.parse("{\"op\":\"app\",\"value\":\"s\",\"after\":{\"sessionID\":\"" + A.value() + "\",\"txIndex\":\"0\",\"changeIdx\":0}}")));
        assertEquals(List.of("a", "s", "undefined"), strs(c));
        assertEquals("[\"a\",\"s\",null]", c.toJson().toString());
    }

    @Test
    void selfAnchoredInsertionsAreInvisibleAndDoNotLoop() {
        CoListContent c = build(tx(A, 0, 100, appStart("a"), app("self", op(A, 0, 1)), pre("selfPre", op(A, 0, 2))),
                tx(B, 0, 200, app("onSelf", op(A, 0, 1))));
        assertEquals(List.of("a"), strs(c));
    }

    @Test
    void readsEditsAndDeletionEditOrder() {
        CoListContent c = build(
                tx(A, 0, 100, appStart("a"), appStart("b"), appStart("c")),
                tx(B, 0, 200, del(op(A, 0, 2)), del(op(A, 0, 0))),
                tx(C, 0, 300, del(op(A, 0, 2))));
        assertEquals(1, c.size());
        assertEquals(JsonValue.of("b"), c.get(0));
        assertNull(c.get(1));
        assertEquals(op(A, 0, 1), c.opIDAt(0));
        assertEquals(List.of(op(A, 0, 1)), c.opIDs());
        assertEquals(new CoListContent.Edit(A.author(), new TransactionID(A, 0), 100, JsonValue.of("b")), c.editAt(0));
        assertNull(c.editAt(3));
        assertEquals(List.of(op(B, 0, 1), op(B, 0, 0), op(C, 0, 0)),
                c.deletionEdits().stream().map(CoListContent.DeletionEdit::deletionID).toList());
    }

    @Test
    void timeTravelFiltersBeforeBuilding() {
        List<DecodedTx> all = List.of(
                tx(A, 0, 100, appStart("a")),
                tx(B, 0, 200, app("x", A00)),
                tx(A, 1, 300, del(A00)));
        CoListContent c = CoListContent.build(all, t -> false);
        assertEquals(List.of("x"), strs(c));
        assertEquals(List.of("a", "x"), strs(c.atTime(250)));
        assertEquals(List.of(), strs(c.atTime(0)), "atTime(0) filters on lists");
        assertEquals(List.of("a"), strs(c.atFrontier(Map.of(A, 1))));
        assertEquals(List.of("x"), strs(c.atFrontier(Map.of(A, 2, B, 1))));
        assertEquals(List.of("a", "x"), strs(CoListContent.buildAtFrontier(all, t -> false, Map.of(A, 1, B, 5))));
        assertEquals(List.of("a"), strs(CoListContent.buildAtTime(all, t -> false, 100)));
        assertThrows(IllegalStateException.class, () -> c.atTime(250).deleteChange(0));
    }

    @Test
    void opIDJsonKeyOrder() {
        assertEquals("{\"sessionID\":\"" + B.value() + "\",\"txIndex\":3,\"changeIdx\":7}",
                JsonWriter.stringify(CoListContent.opIDToJson(op(B, 3, 7))));
    }

    private static List<JsonValue> items(String... values) {
        List<JsonValue> out = new ArrayList<>();
        for (String v : values) out.add(JsonValue.of(v));
        return out;
    }
}
