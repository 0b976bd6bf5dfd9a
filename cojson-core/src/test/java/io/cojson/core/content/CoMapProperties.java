package io.cojson.core.content;

import io.cojson.core.ids.SessionID;
import io.cojson.core.ids.TransactionID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * With distinct madeAt values there are no cross-session ties, so the per-key histories and values
 * must not depend on how transactions are interleaved or batched; key order, by design, follows
 * the first arrival of each key (spec 4.3) and is checked against an independent model.
 */
class CoMapProperties {
    private static final List<SessionID> POOL = List.of(
            SessionID.parse("co_z8FSzKkkXbqm9GvELK3oj1hgDww_session_z2Q6ikYYXUUN"),
            SessionID.parse("co_z8FSzKkkXbqm9GvELK3oj1hgDww_session_zAnother1"),
            SessionID.parse("co_zLuZnXt1M7DkFmM9vi8bmyJ6ZSZ_session_zThird"),
            SessionID.parse("co_zLuZnXt1M7DkFmM9vi8bmyJ6ZSZ_session_zFourth4"));
    private static final List<String> MIXED_KEYS = List.of("a", "b", "zz", "0", "7", "10", "01", "-1");
    private static final List<String> INDEX_KEYS = List.of("0", "1", "2", "10", "42", "4294967294");
    private static final Pattern INDEX = Pattern.compile("0|[1-9][0-9]{0,9}");

    /** A generated history: per session, its transactions in txIndex order. */
    record Scenario(List<List<DecodedTx>> sessions) {
        List<DecodedTx> all() {
            List<DecodedTx> out = new ArrayList<>();
            sessions.forEach(out::addAll);
            return out;
        }
    }

    record Change(boolean del, String key, int value) {}

    record Spec(int session, List<Change> changes) {}

    @Provide
    Arbitrary<Scenario> mixed() {
        return scenarios(MIXED_KEYS);
    }

    @Provide
    Arbitrary<Scenario> indexKeysOnly() {
        return scenarios(INDEX_KEYS);
    }

    private Arbitrary<Scenario> scenarios(List<String> keys) {
        Arbitrary<Change> change = Combinators.combine(
                Arbitraries.integers().between(0, 3).map(i -> i == 0), Arbitraries.of(keys), Arbitraries.integers().between(0, 999))
                .as(Change::new);
        Arbitrary<Integer> sessionCount = Arbitraries.integers().between(2, 4);
        return sessionCount.flatMap(n -> Combinators.combine(Arbitraries.integers().between(0, n - 1), change.list().ofMinSize(1).ofMaxSize(3))
                .as(Spec::new).list().ofMinSize(1).ofMaxSize(40)
                .map(specs -> toScenario(n, specs)));
    }

    /** The spec order is the global time order: madeAt = 10, 20, … (distinct, increasing per session). */
    private static Scenario toScenario(int sessionCount, List<Spec> specs) {
        List<List<DecodedTx>> sessions = new ArrayList<>();
        for (int i = 0; i < sessionCount; i++) sessions.add(new ArrayList<>());
        long madeAt = 10;
        for (Spec spec : specs) {
            List<DecodedTx> log = sessions.get(spec.session);
            List<JsonValue> changes = new ArrayList<>();
            for (Change c : spec.changes) {
                changes.add(c.del ? CoMapContent.delChange(c.key) : CoMapContent.setChange(c.key, JsonValue.of(c.value)));
            }
            log.add(new DecodedTx(new TransactionID(POOL.get(spec.session), log.size()), madeAt, changes, true));
            madeAt += 10;
        }
        return new Scenario(sessions);
    }

    /** A random interleaving that keeps each session's order, cut into random batches of 1–5. */
    private static List<List<DecodedTx>> deliver(Scenario s, Random random) {
        List<Integer> next = new ArrayList<>();
        for (int i = 0; i < s.sessions.size(); i++) next.add(0);
        List<DecodedTx> order = new ArrayList<>();
        int total = s.all().size();
        while (order.size() < total) {
            int session = random.nextInt(s.sessions.size());
            List<DecodedTx> log = s.sessions.get(session);
            if (next.get(session) < log.size()) {
                order.add(log.get(next.get(session)));
                next.set(session, next.get(session) + 1);
            }
        }
        List<List<DecodedTx>> batches = new ArrayList<>();
        for (int i = 0; i < order.size(); ) {
            int size = 1 + random.nextInt(5);
            batches.add(order.subList(i, Math.min(order.size(), i + size)));
            i += size;
        }
        return batches;
    }

    private static CoMapContent build(List<List<DecodedTx>> batches) {
        CoMapContent m = new CoMapContent();
        batches.forEach(m::add);
        return m;
    }

    private static List<DecodedTx> flatten(List<List<DecodedTx>> batches) {
        List<DecodedTx> out = new ArrayList<>();
        batches.forEach(out::addAll);
        return out;
    }

    private static Map<String, List<String>> opsText(CoMapContent m) {
        Map<String, List<String>> out = new TreeMap<>();
        for (String k : m.keysWithHistory()) {
            out.put(k, m.ops(k).stream().map(op -> JsonWriter.stringify(CoMapContent.mapOpToJson(op))).toList());
        }
        return out;
    }

    private static Map<String, String> valuesText(CoMapContent m) {
        Map<String, String> out = new TreeMap<>();
        m.toJson().fields().forEach((k, v) -> out.put(k, JsonWriter.stringify(v)));
        return out;
    }

    /**
     * Independent model of toJSON for a delivery without ties: the latest change per key (by madeAt,
     * then change position) wins; keys ordered index-first, then by first arrival.
     */
    private static String model(List<DecodedTx> delivered) {
        LinkedHashSet<String> arrival = new LinkedHashSet<>();
        Map<String, long[]> best = new LinkedHashMap<>(); // key -> {madeAt, changeIdx}
        Map<String, JsonValue.Obj> winner = new LinkedHashMap<>();
        for (DecodedTx tx : delivered) {
            for (int i = 0; i < tx.changes().size(); i++) {
                JsonValue.Obj c = (JsonValue.Obj) tx.changes().get(i);
                String key = ((JsonValue.Str) c.get("key")).value();
                arrival.add(key);
                long[] b = best.get(key);
                if (b == null || tx.madeAt() > b[0] || (tx.madeAt() == b[0] && i > b[1])) {
                    best.put(key, new long[] {tx.madeAt(), i});
                    winner.put(key, c);
                }
            }
        }
        List<String> order = new ArrayList<>(arrival.stream()
                .filter(k -> INDEX.matcher(k).matches() && Long.parseLong(k) <= 4294967294L)
                .sorted((x, y) -> Long.compare(Long.parseLong(x), Long.parseLong(y))).toList());
        arrival.stream().filter(k -> !order.contains(k)).forEach(order::add);
        StringBuilder sb = new StringBuilder("{");
        for (String k : order) {
            JsonValue.Obj c = winner.get(k);
            if (c.get("op").equals(JsonValue.of("del"))) continue;
            if (sb.length() > 1) sb.append(',');
            sb.append(JsonWriter.stringify(JsonValue.of(k))).append(':').append(JsonWriter.stringify(c.get("value")));
        }
        return sb.append('}').toString();
    }

    @Property
    boolean interleavingAndBatchingDoNotChangeHistoryOrValues(@ForAll("mixed") Scenario s, @ForAll Random r1, @ForAll Random r2) {
        List<List<DecodedTx>> d1 = deliver(s, r1);
        List<List<DecodedTx>> d2 = deliver(s, r2);
        CoMapContent m1 = build(d1);
        CoMapContent m2 = build(d2);
        CoMapContent oneBatch = build(List.of(s.all()));
        return opsText(m1).equals(opsText(m2)) && opsText(m1).equals(opsText(oneBatch))
                && valuesText(m1).equals(valuesText(m2))
                && JsonWriter.stringify(m1.toJson()).equals(model(flatten(d1)))
                && JsonWriter.stringify(m2.toJson()).equals(model(flatten(d2)));
    }

    @Property
    boolean indexKeysGiveIdenticalTextForEveryInterleaving(@ForAll("indexKeysOnly") Scenario s, @ForAll Random r1, @ForAll Random r2) {
        String t1 = JsonWriter.stringify(build(deliver(s, r1)).toJson());
        String t2 = JsonWriter.stringify(build(deliver(s, r2)).toJson());
        return t1.equals(t2) && t1.equals(JsonWriter.stringify(build(List.of(s.all())).toJson()));
    }

    @Property
    boolean atTimeEqualsBuildingFromEarlierTransactions(@ForAll("mixed") Scenario s, @ForAll Random r, @ForAll("times") long t) {
        List<List<DecodedTx>> batches = deliver(s, r);
        CoMapContent full = build(batches);
        CoMapContent view = full.atTime(t);
        List<DecodedTx> earlier = flatten(batches).stream().filter(tx -> tx.madeAt() <= t).toList();
        CoMapContent rebuilt = build(List.of(earlier));
        // key order: the view keeps the full map's first-op order (the reference clone shares its ops)
        List<String> expectedKeys = full.keysWithHistory().stream().filter(k -> rebuilt.keys().contains(k)).toList();
        return opsText(view).equals(opsText(rebuilt)) && valuesText(view).equals(valuesText(rebuilt))
                && view.keys().equals(expectedKeys);
    }

    @Provide
    Arbitrary<Long> times() {
        return Arbitraries.longs().between(1, 420);
    }
}
