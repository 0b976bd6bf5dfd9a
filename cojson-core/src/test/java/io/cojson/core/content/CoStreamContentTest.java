package io.cojson.core.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cojson.core.ids.SessionID;
import io.cojson.core.ids.TransactionID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CoStreamContentTest {
    // A1 and A2 share an account; B is another account
    static final SessionID A1 = SessionID.parse("co_z8FSzKkkXbqm9GvELK3oj1hgDww_session_z2Q6ikYYXUUN");
    static final SessionID A2 = SessionID.parse("co_z8FSzKkkXbqm9GvELK3oj1hgDww_session_zAnother1");
    static final SessionID B = SessionID.parse("co_zLuZnXt1M7DkFmM9vi8bmyJ6ZSZ_session_zThird");
    static final String ACCOUNT_A = "co_z8FSzKkkXbqm9GvELK3oj1hgDww";

    static DecodedTx tx(SessionID s, int idx, long madeAt, Object... values) {
        List<JsonValue> changes = java.util.Arrays.stream(values)
                .map(v -> v instanceof JsonValue j ? j : JsonValue.of(((Number) v).longValue())).toList();
        return new DecodedTx(new TransactionID(s, idx), madeAt, changes, true);
    }

    static List<JsonValue> nums(long... vs) {
        return java.util.Arrays.stream(vs).mapToObj(JsonValue::of).map(JsonValue.class::cast).toList();
    }

    @Test
    void itemsArePerSessionInFirstAppearanceOrderAndSortedByTime() {
        CoStreamContent s = new CoStreamContent();
        s.add(List.of(tx(B, 0, 5, 1), tx(A1, 0, 3, 10, 11)));
        s.add(List.of(tx(B, 1, 4, 2), tx(A1, 1, 9, 12)));
        assertEquals(List.of(B, A1), s.sessions());
        assertEquals("{\"" + B.value() + "\":[2,1],\"" + A1.value() + "\":[10,11,12]}", JsonWriter.stringify(s.toJson()));
        assertEquals(List.of(1, 0), s.itemsIn(B).stream().map(i -> i.tx().txIndex()).toList());
        assertEquals(JsonValue.of(12), s.lastItemIn(A1).value());
        assertEquals("co_z8FSzKkkXbqm9GvELK3oj1hgDww", s.lastItemIn(A1).by());
        assertNull(s.lastItemIn(A2));
        assertEquals(List.of(), s.itemsIn(A2));
    }

    @Test
    void sameMadeAtInASessionFallsBackToTxIndexAndKeepsChangeOrder() {
        CoStreamContent s = new CoStreamContent();
        s.add(List.of(tx(A1, 1, 7, 3, 4), tx(A1, 0, 7, 1, 2)));
        assertEquals(nums(1, 2, 3, 4), s.singleStream());
    }

    @Test
    void byAccountMergesSessionsByTime() {
        CoStreamContent s = new CoStreamContent();
        s.add(List.of(tx(A1, 0, 10, 1), tx(B, 0, 11, 99), tx(A2, 0, 5, 2), tx(A1, 1, 20, 3), tx(A2, 1, 10, 4)));
        assertEquals(nums(2, 1, 4, 3), s.itemsBy(ACCOUNT_A).stream().map(CoStreamContent.Item::value).toList());
        assertEquals(JsonValue.of(3), s.lastItemBy(ACCOUNT_A).value());
        assertEquals(JsonValue.of(99), s.lastItemBy("co_zLuZnXt1M7DkFmM9vi8bmyJ6ZSZ").value());
        assertNull(s.lastItemBy("co_zNobody"));
    }

    @Test
    void lastItemByKeepsTheFirstSessionOnTies() {
        CoStreamContent s = new CoStreamContent();
        s.add(List.of(tx(A2, 0, 10, 1), tx(A1, 0, 10, 2)));
        assertEquals(JsonValue.of(1), s.lastItemBy(ACCOUNT_A).value());
    }

    @Test
    void singleStream() {
        CoStreamContent s = new CoStreamContent();
        assertNull(s.singleStream());
        s.add(List.of(tx(A1, 0, 1))); // no changes: the session does not appear
        assertNull(s.singleStream());
        s.add(List.of(tx(A1, 1, 2, 5)));
        assertEquals(nums(5), s.singleStream());
        s.add(List.of(tx(B, 0, 3, 6)));
        assertThrows(IllegalStateException.class, s::singleStream);
    }

    @Test
    void atFrontier() {
        CoStreamContent s = new CoStreamContent();
        s.add(List.of(tx(A1, 0, 1, 1), tx(B, 0, 2, 2), tx(A1, 1, 3, 3)));
        assertEquals("{\"" + A1.value() + "\":[1]}", JsonWriter.stringify(s.atFrontier(Map.of(A1, 1)).toJson()));
        assertEquals("{}", JsonWriter.stringify(s.atFrontier(Map.of()).toJson()));
        assertEquals("{}", JsonWriter.stringify(s.atFrontier(Map.of(B, 0)).toJson()));
        assertEquals(JsonWriter.stringify(s.toJson()), JsonWriter.stringify(s.atFrontier(Map.of(A1, 9, B, 9)).toJson()));
        assertThrows(IllegalStateException.class, () -> s.atFrontier(Map.of()).add(List.of()));
    }

    @Test
    void anyJsonValueIsAnItem() {
        CoStreamContent s = new CoStreamContent();
        s.add(List.of(tx(A1, 0, 1, JsonValue.NULL, JsonValue.obj("a", JsonValue.arr()), JsonValue.of("co_zX"))));
        assertEquals("{\"" + A1.value() + "\":[null,{\"a\":[]},\"co_zX\"]}", JsonWriter.stringify(s.toJson()));
    }
}
