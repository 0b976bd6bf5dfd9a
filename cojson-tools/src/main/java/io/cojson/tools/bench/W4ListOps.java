package io.cojson.tools.bench;

import io.cojson.core.json.JsonValue;
import io.cojson.core.values.CoList;
import io.cojson.core.values.CojsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * W4: {@code appends} list appends at the end, then {@code inserts} inserts right after the item at
 * {@code (j*7919+13) mod len}, each its own transaction through the typed API
 * ({@link CoList#append(JsonValue)}, {@link CoList#append(JsonValue, int)}), then the full view.
 */
public final class W4ListOps {
    public static final int DEFAULT_APPENDS = 10_000;
    public static final int DEFAULT_INSERTS = 2_000;

    private W4ListOps() {}

    public static int insertIndex(int j, int len) {
        return (int) (((long) j * 7919 + 13) % len);
    }

    public static BenchResult run(int appends, int inserts) {
        CojsonNode node = BenchSupport.newAccountNode("writer");
        CoList list = node.createGroup().createList().trusting();
        double rssBefore = BenchResult.rssNowMb();

        SamplingProfiler.start();
        long t0 = System.nanoTime();
        for (int i = 0; i < appends; i++) list.append(JsonValue.of(i));
        long t1 = System.nanoTime();
        for (int j = 0; j < inserts; j++) {
            int len = appends + j; // no deletions
            list.append(JsonValue.of(appends + j), insertIndex(j, len));
        }
        BenchSupport.finishSignatures(); // every transaction signed before the clock stops
        long t2 = System.nanoTime();
        List<JsonValue> view = list.items();
        long t3 = System.nanoTime();
        SamplingProfiler.stop();
        double peak = BenchResult.currentPeakRssMb();

        long[] expected = expected(appends, inserts); // as the reference, fail on any difference
        BenchSupport.require(view.size() == expected.length, "list length " + view.size());
        long weighted = 0;
        for (int p = 0; p < view.size(); p++) {
            long v = BenchSupport.number(view.get(p), "item " + p);
            BenchSupport.require(v == expected[p], "list mismatch at " + p + ": " + v + " != " + expected[p]);
            weighted += (p + 1) * v;
        }
        return new BenchResult("W4", appends + inserts, t3 - t0, peak, "trusting")
                .detailSeconds("append_s", t1 - t0)
                .detailSeconds("insert_s", t2 - t1) // includes finishing the background signatures
                .detailSeconds("view_s", t3 - t2)
                .detail("api", JsonValue.of("CoList.append/items (io.cojson.core.values)"))
                .detail("rss_before_mb", rssBefore)
                .check("length", view.size())
                .check("weighted_sum", weighted);
    }

    /** The spec's plain-array simulation, for the assertion at the end of a run. */
    static long[] expected(int appends, int inserts) {
        ArrayList<Long> arr = new ArrayList<>();
        for (int i = 0; i < appends; i++) arr.add((long) i);
        for (int j = 0; j < inserts; j++) arr.add(insertIndex(j, arr.size()) + 1, (long) (appends + j));
        long[] out = new long[arr.size()];
        for (int i = 0; i < out.length; i++) out[i] = arr.get(i);
        return out;
    }
}
