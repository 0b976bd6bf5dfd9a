package io.cojson.core.knownstate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.encoding.InvalidEncodingException;
import io.cojson.core.ids.InvalidIdException;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.json.InvalidJsonException;
import io.cojson.core.json.Json;
import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class KnownStateTest {
    static final RawCoID ID = RawCoID.parse("co_zcjP2rvGhe36DjNpnug7pD8eYHN");
    static final RawCoID OTHER_ID = RawCoID.parse("co_zLuZnXt1M7DkFmM9vi8bmyJ6ZSZ");
    static final SessionID A = SessionID.parse("co_z8FSzKkkXbqm9GvELK3oj1hgDww_session_z2Q6ikYYXUUN");
    static final SessionID B = SessionID.parse(
            "sealer_z4y1CVTfBnrq6wAAdnqjhN9mwBYDJWfXrcECEwCbbbAZm/signer_z5sF7m8v8VE1vRQNbATbk3RC7Dr6yrQeGd4cnj8ZEwGta_session_z2Q6ikYYXUUN");
    static final SessionID C = SessionID.parse("co_z8FSzKkkXbqm9GvELK3oj1hgDww_session_dKNgpUYAAr$");

    private static KnownState ks(boolean header, Object... sessionsAndCounts) {
        LinkedHashMap<SessionID, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < sessionsAndCounts.length; i += 2) m.put((SessionID) sessionsAndCounts[i], (Integer) sessionsAndCounts[i + 1]);
        return new KnownState(ID, header, m);
    }

    @Test
    void emptyAndCount() {
        KnownState e = KnownState.empty(ID);
        assertFalse(e.header());
        assertEquals(Map.of(), e.sessions());
        assertEquals(0, e.count(A));
        assertEquals(3, ks(true, A, 3).count(A));
        assertEquals(0, ks(true, A, 3).count(B));
    }

    @Test
    void combineTakesTheMaximumPerSessionAndEitherHeader() {
        KnownState x = ks(false, A, 3, B, 1);
        KnownState y = ks(true, B, 5, C, 1);
        KnownState z = x.combine(y);
        assertTrue(z.header());
        assertEquals(Map.of(A, 3, B, 5, C, 1), z.sessions());
        assertEquals(z, y.combine(x));
        assertEquals(ks(false, A, 3), ks(false, A, 3).combine(ks(false, A, 2)));
        assertEquals(ID, z.id());
    }

    @Test
    void isSubsetOf() {
        KnownState small = ks(false, A, 2);
        KnownState big = ks(true, A, 3, B, 1);
        assertTrue(small.isSubsetOf(big));
        assertFalse(big.isSubsetOf(small));
        assertTrue(big.isSubsetOf(big));
        assertTrue(KnownState.empty(ID).isSubsetOf(small));
        assertFalse(ks(true).isSubsetOf(ks(false, A, 9)), "the header counts");
        assertTrue(ks(false, A, 0).isSubsetOf(KnownState.empty(ID)), "a 0 counter is the same as absent");
        assertFalse(ks(false, A, 4).isSubsetOf(big));
    }

    @Test
    void sessionsAheadOf() {
        KnownState mine = ks(true, A, 3, B, 1, C, 1);
        KnownState theirs = ks(true, A, 3, B, 0);
        Map<SessionID, Integer> ahead = mine.sessionsAheadOf(theirs);
        assertEquals(Map.of(B, 1, C, 1), ahead);
        assertEquals(List.of(B, C), List.copyOf(ahead.keySet()), "in this state's session order");
        assertEquals(Map.of(), theirs.sessionsAheadOf(mine));
        assertEquals(Map.of(), mine.sessionsAheadOf(mine));
        assertThrows(UnsupportedOperationException.class, () -> ahead.put(A, 1));
    }

    @Test
    void withSessionAndWithHeaderAreCopies() {
        KnownState x = ks(false, A, 1);
        KnownState y = x.withSession(B, 2).withHeader(true);
        assertEquals(ks(false, A, 1), x);
        assertEquals(ks(true, A, 1, B, 2), y);
        assertEquals(ks(true, A, 7, B, 2), y.withSession(A, 7));
        assertThrows(IllegalArgumentException.class, () -> x.withSession(B, -1));
    }

    @Test
    void sessionsAreImmutableAndDefensivelyCopied() {
        LinkedHashMap<SessionID, Integer> m = new LinkedHashMap<>();
        m.put(A, 1);
        KnownState x = new KnownState(ID, false, m);
        m.put(B, 2);
        assertEquals(Map.of(A, 1), x.sessions());
        assertThrows(UnsupportedOperationException.class, () -> x.sessions().put(B, 1));
    }

    @Test
    void toJsonInTheReferenceKeyOrder() {
        KnownState x = ks(true, B, 2, A, 5);
        String json = JsonWriter.stringify(x.toJson());
        assertEquals("{\"id\":\"co_zcjP2rvGhe36DjNpnug7pD8eYHN\",\"header\":true,\"sessions\":{\"" + B.value() + "\":2,\""
                + A.value() + "\":5}}", json);
        assertEquals("{\"id\":\"co_zcjP2rvGhe36DjNpnug7pD8eYHN\",\"header\":false,\"sessions\":{}}",
                JsonWriter.stringify(KnownState.empty(ID).toJson()));
    }

    @Test
    void fromJsonRoundTrip() {
        KnownState x = ks(true, B, 2, A, 5, C, 0);
        KnownState back = KnownState.fromJson(Json.parse(JsonWriter.stringify(x.toJson())));
        assertEquals(x, back);
        assertEquals(List.of(B, A, C), List.copyOf(back.sessions().keySet()));
        // a real known message body (extra fields such as "action" are ignored)
        KnownState m = KnownState.fromJson(Json.parse("{\"action\":\"known\",\"id\":\"" + ID + "\",\"header\":true,\"sessions\":{\""
                + A + "\":3}}"));
        assertEquals(ks(true, A, 3), m);
        assertEquals(KnownState.empty(ID), KnownState.fromJson(Json.parse("{\"id\":\"" + ID + "\"}")));
        // the largest count an int holds is still a count (one more is rejected, see rejectedJson)
        assertEquals(ks(false, A, Integer.MAX_VALUE), KnownState.fromJson(Json.parse("{\"id\":\"" + ID + "\",\"sessions\":{\""
                + A + "\":2147483647}}")));
    }

    static Stream<Arguments> rejectedJson() {
        String id = "\"id\":\"" + ID + "\"";
        return Stream.of(
                Arguments.of("not an object", "[]"),
                Arguments.of("null", "null"),
                Arguments.of("missing id", "{\"header\":true,\"sessions\":{}}"),
                Arguments.of("numeric id", "{\"id\":1,\"header\":true,\"sessions\":{}}"),
                Arguments.of("invalid id", "{\"id\":\"co_\",\"header\":true,\"sessions\":{}}"),
                Arguments.of("header not a boolean", "{" + id + ",\"header\":1,\"sessions\":{}}"),
                Arguments.of("header null", "{" + id + ",\"header\":null,\"sessions\":{}}"),
                Arguments.of("sessions not an object", "{" + id + ",\"header\":true,\"sessions\":[]}"),
                Arguments.of("negative count", "{" + id + ",\"header\":true,\"sessions\":{\"" + A + "\":-1}}"),
                Arguments.of("fractional count", "{" + id + ",\"header\":true,\"sessions\":{\"" + A + "\":1.5}}"),
                Arguments.of("count as a string", "{" + id + ",\"header\":true,\"sessions\":{\"" + A + "\":\"1\"}}"),
                Arguments.of("count null", "{" + id + ",\"header\":true,\"sessions\":{\"" + A + "\":null}}"),
                Arguments.of("count beyond int", "{" + id + ",\"header\":true,\"sessions\":{\"" + A + "\":2147483648}}"),
                Arguments.of("invalid session ID", "{" + id + ",\"header\":true,\"sessions\":{\"nobody\":1}}"));
    }

    @ParameterizedTest(name = "fromJson rejects: {0}")
    @MethodSource
    void rejectedJson(String label, String json) {
        JsonValue v = Json.parse(json);
        InvalidEncodingException e = assertThrows(InvalidEncodingException.class, () -> KnownState.fromJson(v));
        assertTrue(e instanceof InvalidJsonException || e instanceof InvalidIdException, e.getClass().getName());
        assertTrue(e.getMessage().startsWith("expected "), e.getMessage());
    }

    @Test
    void constructorRejections() {
        assertThrows(InvalidIdException.class, () -> new KnownState(null, false, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> ks(false, A, -1));
        LinkedHashMap<SessionID, Integer> withNull = new LinkedHashMap<>();
        withNull.put(A, null);
        assertThrows(IllegalArgumentException.class, () -> new KnownState(ID, false, withNull));
        LinkedHashMap<SessionID, Integer> nullKey = new LinkedHashMap<>();
        nullKey.put(null, 1);
        assertThrows(IllegalArgumentException.class, () -> new KnownState(ID, false, nullKey));
    }

    @Test
    void statesOfDifferentCoValuesDoNotMix() {
        KnownState x = ks(true, A, 1);
        KnownState y = new KnownState(OTHER_ID, true, Map.of(A, 1));
        assertThrows(IllegalArgumentException.class, () -> x.combine(y));
        assertThrows(IllegalArgumentException.class, () -> x.isSubsetOf(y));
        assertThrows(IllegalArgumentException.class, () -> x.sessionsAheadOf(y));
    }
}
