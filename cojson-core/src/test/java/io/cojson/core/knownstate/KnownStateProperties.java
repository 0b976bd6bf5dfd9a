package io.cojson.core.knownstate;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.json.Json;
import io.cojson.core.json.JsonWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Algebraic laws of {@link KnownState#combine} and its relation to {@link KnownState#isSubsetOf}. */
class KnownStateProperties {
    private static final RawCoID ID = RawCoID.parse("co_zcjP2rvGhe36DjNpnug7pD8eYHN");
    private static final List<SessionID> POOL = List.of(
            SessionID.parse("co_z8FSzKkkXbqm9GvELK3oj1hgDww_session_z2Q6ikYYXUUN"),
            SessionID.parse("co_z8FSzKkkXbqm9GvELK3oj1hgDww_session_zAnother1"),
            SessionID.parse("co_zLuZnXt1M7DkFmM9vi8bmyJ6ZSZ_session_zThird"),
            SessionID.parse("co_z8FSzKkkXbqm9GvELK3oj1hgDww_session_dKNgpUYAAr$"),
            SessionID.parse("co_z8FSzKkkXbqm9GvELK3oj1hgDww_session_z2Q6ikYYXUUN!"));

    @Provide
    Arbitrary<KnownState> states() {
        Arbitrary<Map<SessionID, Integer>> sessions = Arbitraries.maps(
                Arbitraries.of(POOL), Arbitraries.integers().between(0, 40)).ofMaxSize(POOL.size());
        return Combinators.combine(Arbitraries.of(true, false), sessions)
                .as((header, m) -> new KnownState(ID, header, new LinkedHashMap<>(m)));
    }

    @Property
    boolean combineIsCommutative(@ForAll("states") KnownState a, @ForAll("states") KnownState b) {
        return a.combine(b).equals(b.combine(a));
    }

    @Property
    boolean combineIsAssociative(@ForAll("states") KnownState a, @ForAll("states") KnownState b, @ForAll("states") KnownState c) {
        return a.combine(b).combine(c).equals(a.combine(b.combine(c)));
    }

    @Property
    boolean combineIsIdempotent(@ForAll("states") KnownState a) {
        return a.combine(a).equals(a);
    }

    @Property
    boolean bothInputsAreSubsetsOfTheCombination(@ForAll("states") KnownState a, @ForAll("states") KnownState b) {
        KnownState c = a.combine(b);
        return a.isSubsetOf(c) && b.isSubsetOf(c);
    }

    @Property
    boolean combinationIsTheLeastUpperBound(@ForAll("states") KnownState a, @ForAll("states") KnownState b,
            @ForAll("states") KnownState u) {
        // anything that contains both inputs contains their combination
        return !(a.isSubsetOf(u) && b.isSubsetOf(u)) || a.combine(b).isSubsetOf(u);
    }

    @Property
    boolean subsetIffCombineAddsNothing(@ForAll("states") KnownState a, @ForAll("states") KnownState b) {
        return a.isSubsetOf(b) == a.combine(b).isSubsetOf(b);
    }

    @Property
    boolean sessionsAheadAreExactlyWhatTheTargetLacks(@ForAll("states") KnownState a, @ForAll("states") KnownState b) {
        Map<SessionID, Integer> ahead = a.sessionsAheadOf(b);
        for (SessionID s : POOL) {
            boolean isAhead = a.count(s) > b.count(s);
            if (isAhead != ahead.containsKey(s)) return false;
            if (isAhead && ahead.get(s) != a.count(s)) return false;
        }
        // nothing ahead (and the header is there) means a is already contained in b
        return !ahead.isEmpty() || (a.header() && !b.header()) || a.isSubsetOf(b);
    }

    @Property
    boolean jsonRoundTrip(@ForAll("states") KnownState a) {
        return KnownState.fromJson(Json.parse(JsonWriter.stringify(a.toJson()))).equals(a);
    }
}
