package io.cojson.tools.bench;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import io.cojson.core.values.CoMap;
import io.cojson.core.values.CojsonNode;
import io.cojson.core.values.Group;
import java.util.ArrayList;
import java.util.List;

/**
 * W6: {@code maps} small maps ({@code sets} keys each) exported with their account and group,
 * loaded into a fresh account node: parse, verify + apply, then every map's view read.
 */
public final class W6ColdLoad {
    public static final int DEFAULT_MAPS = 1_000;
    public static final int SETS = 10;

    private W6ColdLoad() {}

    /** Phase times (ns), the check values, and the collections (count, ms) inside the timed region. */
    private record Once(long apply, long materialize, long sum, int maps, long gcCount, long gcMs, BenchSupport.Counters counters) {
        long total() {
            return apply + materialize;
        }
    }

    public static BenchResult run(int maps, int warmRepeats) {
        CojsonNode writer = BenchSupport.newAccountNode("writer");
        Group group = writer.createGroup();
        List<RawCoID> ids = new ArrayList<>(maps);
        long tc0 = System.nanoTime();
        for (int i = 0; i < maps; i++) {
            CoMap m = group.createMap().trusting();
            for (int j = 0; j < SETS; j++) m.set("k" + j, i * SETS + j);
            ids.add(m.id());
        }
        BenchSupport.finishSignatures();
        long tc1 = System.nanoTime();
        List<RawCoID> all = new ArrayList<>();
        all.add(writer.accountID());
        all.add(group.id());
        all.addAll(ids);
        BenchSupport.Export exported = BenchSupport.export(writer, all);
        List<JsonValue> idJson = new ArrayList<>();
        for (RawCoID id : ids) idJson.add(JsonValue.of(id.value()));
        String idsText = JsonWriter.stringify(new JsonValue.Arr(idJson));
        BenchSupport.gcCountAndMillis(); // its first call loads JMX and spins lambda forms: setup, not the cold run
        double rssBefore = BenchResult.rssNowMb();

        Once cold = once(exported.text(), idsText, !SamplingProfiler.WARM);
        double peakAfterCold = BenchResult.currentPeakRssMb();
        List<Double> warm = new ArrayList<>();
        for (int r = 0; r < warmRepeats; r++) warm.add(once(exported.text(), idsText, SamplingProfiler.WARM && r == warmRepeats - 1).total() / 1e9);

        BenchResult res = new BenchResult("W6", maps, cold.total(), peakAfterCold, "trusting")
                .detailSeconds("create_s", tc1 - tc0)
                .detailSeconds("parse_verify_apply_s", cold.apply)
                .detailSeconds("materialize_s", cold.materialize);
        return BenchSupport.coldAndWarmDetails(res, warm, exported, rssBefore, cold.gcCount, cold.gcMs, cold.counters)
                .detail("transactions", maps * SETS)
                .check("maps", cold.maps)
                .check("value_sum", cold.sum);
    }

    private static Once once(String text, String idsText, boolean profile) {
        CojsonNode receiver = BenchSupport.newAccountNode("reader"); // setup, not timed
        if (profile) SamplingProfiler.start();
        long[] gc0 = BenchSupport.gcCountAndMillis();
        BenchSupport.Counters ca0 = BenchSupport.Counters.now();
        long t0 = System.nanoTime();
        JsonValue.Arr mapIds = BenchSupport.parseArray(idsText);
        // parse + apply in order; the signatures of the first pieces are checked while the rest is read
        receiver.importContentText(text);
        long t1 = System.nanoTime();
        long sum = 0;
        for (JsonValue id : mapIds.items()) {
            JsonValue.Obj view = receiver.map(new RawCoID(((JsonValue.Str) id).value())).toJson(); // asObject()
            for (int j = 0; j < SETS; j++) sum += BenchSupport.number(view.get("k" + j), "a map value"); // a key like the reference's, no label built
        }
        long t2 = System.nanoTime();
        long[] gc1 = BenchSupport.gcCountAndMillis();
        BenchSupport.Counters ca1 = BenchSupport.Counters.now();
        if (profile) SamplingProfiler.stop();
        long m = mapIds.size();
        BenchSupport.require(sum == (m * SETS - 1) * m * SETS / 2, "cold-load sum " + sum);
        return new Once(t1 - t0, t2 - t1, sum, mapIds.size(), gc1[0] - gc0[0], gc1[1] - gc0[1], ca1.since(ca0));
    }
}
