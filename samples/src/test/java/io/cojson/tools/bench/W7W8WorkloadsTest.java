package io.cojson.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.json.JsonValue;
import java.io.File;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * W7 and W8 at small sizes, with real child processes (the Java server, the fresh loading JVM):
 * their check values must equal a direct computation (timings are not asserted).
 */
class W7W8WorkloadsTest {
    private static final int CLIENTS = 3;
    private static final int EDITS = 20;

    /** Every subscriber's view of edits i = 0..n-1 of "k" + (i % 100) := i, as a plain map. */
    private static Map<String, Long> fanOutCheck(int clients, int n) {
        Map<String, Long> model = new HashMap<>();
        for (int i = 0; i < n; i++) model.put("k" + (i % 100), (long) i);
        long sum = 0;
        for (long v : model.values()) sum += v;
        Map<String, Long> check = new LinkedHashMap<>();
        check.put("subscribers", (long) clients);
        check.put("keys", (long) model.size());
        check.put("value_sum", sum);
        return check;
    }

    private static void assertFanOut(BenchResult r, String server) {
        assertEquals(fanOutCheck(CLIENTS, EDITS), r.checkValues());
        assertEquals(EDITS, r.n());
        JsonValue.Obj detail = (JsonValue.Obj) r.toJson().get("detail");
        assertEquals(server, ((JsonValue.Str) detail.get("server")).value());
        double p50 = ((JsonValue.Num) detail.get("latency_p50_s")).value();
        double p99 = ((JsonValue.Num) detail.get("latency_p99_s")).value();
        // p99 is not compared with the total: both are timed separately (and rounded), an edge case is equal either way
        assertTrue(p50 > 0 && p50 <= p99, "0 < p50 <= p99: " + detail);
        assertTrue(((JsonValue.Num) detail.get("server_peak_rss_mb")).value() > 0, "the server's RSS is read");
    }

    @Test
    void w7FanOutThroughTheJavaServerInAChildJvm() {
        assertFanOut(W7FanOut.run(CLIENTS, EDITS, W5SyncE2E.Server.JAVA, W5SyncE2E.defaultInteropDir()), "java");
    }

    @Tag("interop")
    @Test
    void w7FanOutThroughTheReferenceServer() {
        File dir = new File(System.getProperty("cojson.interop.dir", "../../shared/interop"));
        assertFanOut(W7FanOut.run(CLIENTS, EDITS, W5SyncE2E.Server.REF, dir), "ref");
    }

    @Test
    void w7SpecValueSum() {
        // 2 000 edits over 100 keys: k<r> = 1900 + r
        assertEquals(194_950L, fanOutCheck(50, 2_000).get("value_sum"));
    }

    @Test
    void nearestRankPercentile() {
        long[] xs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        assertEquals(5, W7FanOut.percentile(xs, 50));
        assertEquals(10, W7FanOut.percentile(xs, 99));
        assertEquals(1, W7FanOut.percentile(xs, 0));
    }

    @Test
    void w8LargeListLoadedFromMapDbInAFreshJvm() {
        int items = 500;
        long weighted = 0;
        for (int p = 0; p < items; p++) weighted += (p + 1L) * p;
        BenchResult r = W8LargeList.run(items, 100);
        Map<String, Long> expected = new LinkedHashMap<>();
        expected.put("length", (long) items);
        expected.put("weighted_sum", weighted);
        assertEquals(expected, r.checkValues());
        JsonValue.Obj detail = (JsonValue.Obj) r.toJson().get("detail");
        assertEquals(5L, ((JsonValue.Num) detail.get("transactions")).longValue());
        assertTrue(((JsonValue.Num) detail.get("db_bytes")).longValue() > 0);
    }

    @Test
    void w8SpecWeightedSum() {
        assertEquals(333_333_333_300_000L, W8LargeList.expectedWeightedSum(100_000));
        long direct = 0;
        for (int p = 0; p < 777; p++) direct += (p + 1L) * p;
        assertEquals(direct, W8LargeList.expectedWeightedSum(777));
    }
}
