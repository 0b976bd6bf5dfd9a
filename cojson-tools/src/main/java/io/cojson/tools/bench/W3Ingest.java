package io.cojson.tools.bench;

import static io.cojson.tools.bench.BenchSupport.key;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.node.ContentPiece;
import io.cojson.core.values.CoMap;
import io.cojson.core.values.CojsonNode;
import io.cojson.core.values.Group;
import java.util.ArrayList;
import java.util.List;

/**
 * W3: the W1 map (account + group + map content, one JSON array text) ingested by a fresh account
 * node: parse, verify + apply every message, materialize and read the whole view.
 */
public final class W3Ingest {
    public static final int DEFAULT_N = 20_000;
    public static final int WARM_REPEATS = 5;

    private W3Ingest() {}

    /** Phase times (ns), the check values, and the collections (count, ms) inside the timed region. */
    private record Once(long parse, long apply, long materialize, long sum, int keys, long gcCount, long gcMs, BenchSupport.Counters counters) {
        long total() {
            return parse + apply + materialize;
        }
    }

    public static BenchResult run(int n, int warmRepeats) {
        CojsonNode writer = BenchSupport.newAccountNode("writer");
        Group group = writer.createGroup();
        CoMap source = group.createMap().trusting();
        for (int i = 0; i < n; i++) source.set(key(i), i);
        RawCoID map = source.id();
        BenchSupport.finishSignatures();
        BenchSupport.Export exported = BenchSupport.export(writer, List.of(writer.accountID(), group.id(), map));
        BenchSupport.gcCountAndMillis(); // its first call loads JMX and spins lambda forms: setup, not the cold run
        double rssBefore = BenchResult.rssNowMb();

        Once cold = once(exported.text(), map, n, !SamplingProfiler.WARM);
        double peakAfterCold = BenchResult.currentPeakRssMb();
        List<Double> warm = new ArrayList<>();
        for (int r = 0; r < warmRepeats; r++) warm.add(once(exported.text(), map, n, SamplingProfiler.WARM && r == warmRepeats - 1).total() / 1e9);

        BenchResult res = new BenchResult("W3", n, cold.total(), peakAfterCold, "trusting")
                .detailSeconds("parse_s", cold.parse)
                .detailSeconds("verify_apply_s", cold.apply)
                .detailSeconds("materialize_s", cold.materialize);
        return BenchSupport.coldAndWarmDetails(res, warm, exported, rssBefore, cold.gcCount, cold.gcMs, cold.counters)
                .check("keys", cold.keys)
                .check("value_sum", cold.sum);
    }

    private static Once once(String text, RawCoID map, int n, boolean profile) {
        CojsonNode receiver = BenchSupport.newAccountNode("reader"); // setup, not timed
        if (profile) SamplingProfiler.start();
        long[] gc0 = BenchSupport.gcCountAndMillis();
        BenchSupport.Counters ca0 = BenchSupport.Counters.now();
        long t0 = System.nanoTime();
        List<ContentPiece> messages = BenchSupport.parseContent(text);
        long t1 = System.nanoTime();
        BenchSupport.importAll(receiver, messages);
        long t2 = System.nanoTime();
        JsonValue.Obj view = receiver.map(map).toJson(); // the whole view, materialized on first read
        long sum = BenchSupport.mapValueSum(view, Math.min(BenchSupport.KEYS, n)); // reads every key/value
        int keys = view.fields().size();
        long t3 = System.nanoTime();
        long[] gc1 = BenchSupport.gcCountAndMillis();
        BenchSupport.Counters ca1 = BenchSupport.Counters.now();
        if (profile) SamplingProfiler.stop();
        BenchSupport.require(sum == BenchSupport.expectedMapSum(n), "ingested map sum " + sum);
        return new Once(t1 - t0, t2 - t1, t3 - t2, sum, keys, gc1[0] - gc0[0], gc1[1] - gc0[1], ca1.since(ca0));
    }
}
