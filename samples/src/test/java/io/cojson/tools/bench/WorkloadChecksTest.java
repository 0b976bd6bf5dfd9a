package io.cojson.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.json.Json;
import io.cojson.core.json.JsonValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The benchmark workloads at small sizes: their check fingerprints must equal those of plain
 * models of the same operations (timings are not asserted).
 */
class WorkloadChecksTest {

    /** Last-writer-wins over "k" + (i % 100) := i, as a plain hash map. */
    private static Map<String, Long> mapModel(int n) {
        Map<String, Long> m = new HashMap<>();
        for (int i = 0; i < n; i++) m.put("k" + (i % 100), (long) i);
        return m;
    }

    /** Check values of n last-writer-wins sets "k" + (i % 100) := i (W1, W2, W3, W5). */
    static Map<String, Long> mapCheck(int n) {
        Map<String, Long> model = mapModel(n);
        long sum = 0;
        for (long v : model.values()) sum += v;
        Map<String, Long> check = new LinkedHashMap<>();
        check.put("keys", (long) model.size());
        check.put("value_sum", sum);
        return check;
    }

    @Test
    void w1TrustingMapWrites() {
        BenchResult r = W1MapWrites.run("W1", 250, false);
        assertEquals(mapCheck(250), r.checkValues());
        assertEquals(250, r.n());
        assertLineShape(r, "W1");
    }

    @Test
    void w1WithFewerSetsThanKeys() {
        assertEquals(mapCheck(37), W1MapWrites.run("W1", 37, false).checkValues());
    }

    @Test
    void w2PrivateMapWrites() {
        BenchResult r = W1MapWrites.run("W2", 150, true);
        assertEquals(mapCheck(150), r.checkValues());
        assertEquals("private", ((JsonValue.Str) r.toJson().get("privacy")).value());
    }

    @Test
    void w3IngestOnAFreshNode() {
        BenchResult r = W3Ingest.run(400, 1);
        assertEquals(mapCheck(400), r.checkValues());
        JsonValue.Obj detail = (JsonValue.Obj) r.toJson().get("detail");
        assertEquals(3L, ((JsonValue.Num) detail.get("content_messages")).longValue(), "account, group, map");
        assertTrue(detail.has("warm_median_s"));
        assertTrue(detail.has("verify_apply_s"));
    }

    @Test
    void w4ListMatchesThePlainArraySimulation() {
        int appends = 300;
        int inserts = 60;
        List<Long> arr = new ArrayList<>();
        for (int i = 0; i < appends; i++) arr.add((long) i);
        for (int j = 0; j < inserts; j++) {
            int idx = (j * 7919 + 13) % arr.size();
            arr.add(idx + 1, (long) (appends + j));
        }
        long weighted = 0;
        for (int p = 0; p < arr.size(); p++) weighted += (p + 1) * arr.get(p);

        BenchResult r = W4ListOps.run(appends, inserts);
        Map<String, Long> expected = new LinkedHashMap<>();
        expected.put("length", (long) arr.size());
        expected.put("weighted_sum", weighted);
        assertEquals(expected, r.checkValues());
        assertEquals(appends + inserts, r.n());
    }

    @Test
    void w4SpecValuesOfTheSimulation() {
        // benchmarks.md: 10 000 appends + 2 000 inserts give weighted_sum 531999761512.
        long[] view = W4ListOps.expected(10_000, 2_000);
        long weighted = 0;
        for (int p = 0; p < view.length; p++) weighted += (p + 1) * view[p];
        assertEquals(12_000, view.length);
        assertEquals(531_999_761_512L, weighted);
    }

    @Test
    void w6ColdLoadOfSmallMaps() {
        int maps = 25;
        long sum = 0;
        for (int i = 0; i < maps; i++) for (int j = 0; j < 10; j++) sum += i * 10L + j;
        BenchResult r = W6ColdLoad.run(maps, 1);
        Map<String, Long> expected = new LinkedHashMap<>();
        expected.put("maps", (long) maps);
        expected.put("value_sum", sum);
        assertEquals(expected, r.checkValues());
        JsonValue.Obj detail = (JsonValue.Obj) r.toJson().get("detail");
        assertEquals(maps + 2L, ((JsonValue.Num) detail.get("content_messages")).longValue());
    }

    @Test
    void specMapSums() {
        // benchmarks.md: W1/W2/W3 value_sum 1994950 for 20 000 sets; W5 494950 for 5 000.
        assertEquals(1_994_950L, mapCheck(20_000).get("value_sum"));
        assertEquals(1_994_950L, BenchSupport.expectedMapSum(20_000));
        assertEquals(494_950L, BenchSupport.expectedMapSum(5_000));
    }

    private static void assertLineShape(BenchResult r, String workload) {
        JsonValue parsed = Json.parse(r.toLine());
        assertTrue(parsed instanceof JsonValue.Obj);
        JsonValue.Obj o = (JsonValue.Obj) parsed;
        assertEquals(List.of("workload", "n", "seconds", "ops_per_s", "peak_rss_mb"),
                new ArrayList<>(o.fields().keySet()).subList(0, 5));
        assertEquals(workload, ((JsonValue.Str) o.get("workload")).value());
        assertTrue(((JsonValue.Num) o.get("peak_rss_mb")).value() > 0);
        assertTrue(o.get("detail") instanceof JsonValue.Obj);
        assertTrue(o.get("check") instanceof JsonValue.Obj);
    }
}
