package io.cojson.core.content;

import static io.cojson.core.content.CoMapContent.delChange;
import static io.cojson.core.content.CoMapContent.setChange;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.ids.SessionID;
import io.cojson.core.ids.TransactionID;
import io.cojson.core.json.Json;
import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CoMapContentTest {
    static final SessionID A = SessionID.parse("co_z8FSzKkkXbqm9GvELK3oj1hgDww_session_z2Q6ikYYXUUN");
    static final SessionID B = SessionID.parse("co_zLuZnXt1M7DkFmM9vi8bmyJ6ZSZ_session_zThird");

    static DecodedTx tx(SessionID s, int idx, long madeAt, JsonValue... changes) {
        return new DecodedTx(new TransactionID(s, idx), madeAt, List.of(changes), true);
    }

    static JsonValue.Obj set(String key, String value) {
        return setChange(key, JsonValue.of(value));
    }

    static String text(JsonValue v) {
        return JsonWriter.stringify(v);
    }

    static CoMapContent build(DecodedTx... txs) {
        CoMapContent m = new CoMapContent();
        m.add(List.of(txs));
        return m;
    }

    @Test
    void sameSessionTiesGoToHigherTxIndexThenHigherChangeIdx() {
        // delivered in reverse index order: the sort restores txIndex order
        CoMapContent m = build(tx(A, 1, 10, set("k", "second")), tx(A, 0, 10, set("k", "first")));
        assertEquals(JsonValue.of("second"), m.get("k"));
        assertEquals(List.of(0, 1), m.ops("k").stream().map(op -> op.txID().txIndex()).toList());

        CoMapContent multi = build(tx(A, 0, 10, set("k", "a"), set("k", "b")));
        assertEquals(JsonValue.of("b"), multi.get("k"));
        assertEquals(List.of(0, 1), multi.ops("k").stream().map(MapOp::changeIdx).toList());
    }

    @Test
    void crossSessionEqualMadeAtLaterArrivedWins() {
        DecodedTx fromA = tx(A, 0, 10, set("k", "fromA"));
        DecodedTx fromB = tx(B, 0, 10, set("k", "fromB"));
        assertEquals(JsonValue.of("fromA"), build(fromB, fromA).get("k"));
        assertEquals(JsonValue.of("fromB"), build(fromA, fromB).get("k"));

        CoMapContent incremental = new CoMapContent();
        incremental.add(List.of(fromB));
        incremental.add(List.of(fromA));
        assertEquals(JsonValue.of("fromA"), incremental.get("k"));
    }

    @Test
    void laterMadeAtWinsRegardlessOfArrival() {
        CoMapContent m = new CoMapContent();
        m.add(List.of(tx(A, 0, 20, set("k", "new"))));
        m.add(List.of(tx(B, 0, 10, set("k", "old"))));
        assertEquals(JsonValue.of("new"), m.get("k"));
        assertEquals(List.of("old", "new"), m.ops("k").stream().map(op -> ((JsonValue.Str) op.value()).value()).toList());
    }

    @Test
    void outOfOrderBatchesMatchOneBatch() {
        List<DecodedTx> txs = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            SessionID s = i % 2 == 0 ? A : B;
            txs.add(tx(s, i / 2, 100 + (i * 7) % 13, i % 5 == 4 ? delChange("k" + i % 3) : set("k" + i % 3, "v" + i)));
        }
        CoMapContent whole = new CoMapContent();
        whole.add(txs);
        // per-session order kept, but B's txs arrive first, in batches of three
        CoMapContent parts = new CoMapContent();
        List<DecodedTx> order = new ArrayList<>(txs.stream().filter(t -> t.sessionID().equals(B)).toList());
        order.addAll(txs.stream().filter(t -> t.sessionID().equals(A)).toList());
        for (int i = 0; i < order.size(); i += 3) parts.add(order.subList(i, Math.min(order.size(), i + 3)));
        for (String k : List.of("k0", "k1", "k2")) {
            assertEquals(whole.ops(k).stream().map(op -> text(CoMapContent.mapOpToJson(op))).toList(),
                    parts.ops(k).stream().map(op -> text(CoMapContent.mapOpToJson(op))).toList());
            assertEquals(whole.get(k), parts.get(k));
        }
    }

    @Test
    void deleteThenSetRevivesAndDeletingMissingKeyIsHarmless() {
        CoMapContent m = new CoMapContent();
        m.add(List.of(tx(A, 0, 1, set("x", "1")), tx(A, 1, 2, set("y", "2")), tx(A, 2, 3, delChange("ghost"))));
        m.add(List.of(tx(A, 3, 4, delChange("x"))));
        assertNull(m.get("x"));
        assertEquals(List.of("y"), m.keys());
        assertEquals("{\"y\":\"2\"}", text(m.toJson()));
        m.add(List.of(tx(A, 4, 5, set("x", "again"))));
        assertEquals(JsonValue.of("again"), m.get("x"));
        // a revived key keeps the position of its first op
        assertEquals("{\"x\":\"again\",\"y\":\"2\"}", text(m.toJson()));
        assertEquals(3, m.ops("x").size());
        assertEquals(List.of("x", "y", "ghost"), m.keysWithHistory());
    }

    @Test
    void jsPropertyOrder() {
        CoMapContent m = new CoMapContent();
        long t = 1;
        for (String k : List.of("b", "10", "a", "2", "-1", "01")) m.add(List.of(tx(A, (int) t - 1, t++, set(k, k))));
        assertEquals(List.of("2", "10", "b", "a", "-1", "01"), m.keys());
        assertEquals("{\"2\":\"2\",\"10\":\"10\",\"b\":\"b\",\"a\":\"a\",\"-1\":\"-1\",\"01\":\"01\"}", text(m.toJson()));
        m.add(List.of(tx(A, 6, t++, set("0", "0")), tx(A, 7, t++, set("z", "z"))));
        assertEquals(List.of("0", "2", "10", "b", "a", "-1", "01", "z"), m.keys());
    }

    @Test
    void arrayIndexBoundaries() {
        assertTrue(CoMapContent.isArrayIndex("0"));
        assertTrue(CoMapContent.isArrayIndex("4294967294"));
        assertFalse(CoMapContent.isArrayIndex("4294967295"));
        assertFalse(CoMapContent.isArrayIndex("00"));
        assertFalse(CoMapContent.isArrayIndex("+1"));
        assertFalse(CoMapContent.isArrayIndex("1.5"));
        assertFalse(CoMapContent.isArrayIndex(""));
        assertFalse(CoMapContent.isArrayIndex("99999999999"));
    }

    @Test
    void atTimeFiltersByMadeAtAndKeepsFullKeyOrder() {
        // A's "late" op arrives first, so "late" is the first key even though B wrote "early" earlier
        CoMapContent m = new CoMapContent();
        m.add(List.of(tx(A, 0, 100, set("late", "L"))));
        m.add(List.of(tx(B, 0, 5, set("early", "E1")), tx(B, 1, 6, set("late", "L0")), tx(B, 2, 50, set("early", "E2"))));
        assertEquals("{\"late\":\"L\",\"early\":\"E2\"}", text(m.toJson()));
        assertEquals("{\"late\":\"L0\",\"early\":\"E1\"}", text(m.atTime(6).toJson()));
        assertEquals("{\"early\":\"E1\"}", text(m.atTime(5).toJson()));
        assertEquals(JsonValue.of("E2"), m.atTime(99).get("early"));
        assertEquals(1, m.atTime(5).ops("early").size());
        // the map's reads test `atTimeFilter !== undefined`, so 0 is a real filter
        assertEquals("{}", text(m.atTime(0).toJson()));
        assertEquals(text(m.toJson()), text(m.atTime(Long.MAX_VALUE).toJson()));
        assertTrue(m.atTime(6).isTimeTravel());
        assertThrows(IllegalStateException.class, () -> m.atTime(6).add(List.of()));
    }

    @Test
    void timeTravelViewIsASnapshot() {
        CoMapContent m = build(tx(A, 0, 1, set("k", "v1")));
        CoMapContent view = m.atTime(10);
        m.add(List.of(tx(A, 1, 2, set("k", "v2"))));
        assertEquals(JsonValue.of("v1"), view.get("k"));
        assertEquals(JsonValue.of("v2"), m.get("k"));
    }

    @Test
    void atFrontierKeepsTxIndexBelowCountAndDropsAbsentSessions() {
        CoMapContent m = build(tx(A, 0, 1, set("k", "a0")), tx(A, 1, 2, set("k", "a1")), tx(B, 0, 3, set("j", "b0")),
                tx(A, 2, 4, delChange("k")));
        assertEquals("{\"k\":\"a1\"}", text(m.atFrontier(Map.of(A, 2)).toJson()));
        assertEquals("{\"k\":\"a0\",\"j\":\"b0\"}", text(m.atFrontier(Map.of(A, 1, B, 5)).toJson()));
        assertEquals("{\"j\":\"b0\"}", text(m.atFrontier(Map.of(A, 3, B, 1)).toJson()));
        assertEquals("{}", text(m.atFrontier(Map.of()).toJson()));
        assertEquals("{}", text(m.atFrontier(Map.of(A, 0)).toJson()));
        assertEquals(List.of("k", "j"), m.atFrontier(Map.of(A, 1, B, 1)).keys());
    }

    @Test
    void malformedChangesAreSkippedAndKeepTheirChangeIdx() {
        CoMapContent m = build(tx(A, 0, 1,
                JsonValue.of("not an object"),
                JsonValue.NULL,
                JsonValue.obj("op", JsonValue.of("ins"), "key", JsonValue.of("k"), "value", JsonValue.of(1)),
                JsonValue.obj("op", JsonValue.of("set"), "key", JsonValue.of(7), "value", JsonValue.of(1)),
                JsonValue.obj("op", JsonValue.of("set"), "value", JsonValue.of(1)),
                JsonValue.obj("key", JsonValue.of("k"), "value", JsonValue.of(1)),
                set("k", "ok")));
        assertEquals(List.of("k"), m.keysWithHistory());
        assertEquals(1, m.ops("k").size());
        assertEquals(6, m.ops("k").get(0).changeIdx());
        assertEquals("{\"k\":\"ok\"}", text(m.toJson()));
        CoMapContent empty = new CoMapContent();
        empty.add(List.of(tx(A, 0, 1, JsonValue.arr()), tx(A, 1, 2)));
        assertEquals("{}", text(empty.toJson()));
    }

    @Test
    void setWithoutValueIsAKeyWithoutJsonValue() {
        // JS: the key is in keys() but toJSON() drops the undefined value
        CoMapContent m = build(tx(A, 0, 1, JsonValue.obj("op", JsonValue.of("set"), "key", JsonValue.of("u")), set("v", "x")));
        assertEquals(List.of("u", "v"), m.keys());
        assertNull(m.get("u"));
        assertEquals("{\"v\":\"x\"}", text(m.toJson()));
    }

    @Test
    void lastEditAt() {
        CoMapContent m = build(tx(A, 0, 1, set("k", "v")), tx(B, 3, 2, delChange("k")), tx(B, 4, 3, set("j", "w")));
        CoMapContent.Edit del = m.lastEditAt("k");
        assertEquals(B.author(), del.by());
        assertEquals(new TransactionID(B, 3), del.tx());
        assertEquals(2, del.at());
        assertNull(del.value());
        assertEquals(JsonValue.of("v"), m.atTime(1).lastEditAt("k").value());
        assertNull(m.lastEditAt("missing"));
    }

    @Test
    void changeAndOpJsonShapes() {
        assertEquals("{\"op\":\"set\",\"key\":\"k\",\"value\":{\"a\":[1,null]}}",
                text(setChange("k", Json.parse("{\"a\":[1,null]}"))));
        assertEquals("{\"op\":\"del\",\"key\":\"k\"}", text(delChange("k")));
        MapOp op = build(new DecodedTx(new TransactionID(A, 2), 1700000000123L, List.of(delChange("k")), false)).ops("k").get(0);
        assertEquals("{\"txID\":{\"sessionID\":\"" + A.value() + "\",\"txIndex\":2},\"madeAt\":1700000000123,"
                + "\"changeIdx\":0,\"change\":{\"op\":\"del\",\"key\":\"k\"},\"trusting\":false}", text(CoMapContent.mapOpToJson(op)));
    }

    @Test
    void writeBenchmarkShapeStaysCorrect() {
        // W1's shape: 20 000 one-change batches in time order, 100 keys
        CoMapContent m = new CoMapContent();
        for (int i = 0; i < 20_000; i++) {
            m.add(List.of(new DecodedTx(new TransactionID(A, i), 1_000 + i / 3, List.of(setChange("k" + i % 100, JsonValue.of(i))), true)));
        }
        long sum = 0;
        for (String k : m.keys()) sum += (long) ((JsonValue.Num) m.get(k)).value();
        assertEquals(100, m.keys().size());
        assertEquals(JsonValue.of(19999), m.get("k99"));
        assertEquals(1994950, sum);
        assertEquals(200, m.ops("k0").size());
    }
}
