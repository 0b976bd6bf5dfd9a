package io.cojson.tools.bench;

import static io.cojson.tools.bench.BenchSupport.key;

import io.cojson.core.json.JsonValue;
import io.cojson.core.values.CoMap;
import io.cojson.core.values.CojsonNode;

/**
 * W1 (trusting) and W2 (private): {@code n} sets through the typed API ({@link CoMap#set}), one
 * transaction each, then one {@code get} of the last key inside the timed region. The node keeps the
 * map's view up to date incrementally on every write.
 */
public final class W1MapWrites {
    public static final int DEFAULT_N = 20_000;

    private W1MapWrites() {}

    public static BenchResult run(String workload, int n, boolean privateTx) {
        CojsonNode node = BenchSupport.newAccountNode("writer");
        CoMap created = node.createGroup().createMap(); // owned by a group: private writes by default
        CoMap map = privateTx ? created : created.trusting();
        BenchSupport.require(map.writesPrivately() == privateTx, "privacy of the map handle");
        double rssBefore = BenchResult.rssNowMb();

        SamplingProfiler.start();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) map.set(key(i), i);
        long t1 = System.nanoTime();
        BenchSupport.finishSignatures(); // every transaction signed before the clock stops
        long ts = System.nanoTime();
        JsonValue last = map.get(key(n - 1));
        long t2 = System.nanoTime();
        SamplingProfiler.stop();
        double peak = BenchResult.currentPeakRssMb();

        BenchSupport.require(BenchSupport.number(last, "last value") == n - 1, "last value " + last);
        JsonValue.Obj view = map.toJson();
        long sum = BenchSupport.mapValueSum(view, Math.min(BenchSupport.KEYS, n));
        int keys = view.fields().size();
        BenchSupport.require(sum == BenchSupport.expectedMapSum(n), "map sum " + sum);
        int txs = BenchSupport.transactionCount(node, map.id());
        BenchSupport.require(txs == n, "transactions " + txs);
        return new BenchResult(workload, n, t2 - t0, peak, privateTx ? "private" : "trusting")
                .detail("transactions", txs)
                .detailSeconds("write_s", t1 - t0)
                .detailSeconds("finish_signatures_s", ts - t1)
                .detailSeconds("read_s", t2 - ts)
                .detail("api", JsonValue.of("CoMap.set/get (io.cojson.core.values)"))
                .detail("rss_before_mb", rssBefore)
                .check("keys", keys)
                .check("value_sum", sum);
    }
}
