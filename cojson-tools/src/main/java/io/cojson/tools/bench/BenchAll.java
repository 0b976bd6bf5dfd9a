package io.cojson.tools.bench;

import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code bench all}: each workload in a fresh JVM (the spec's process model), {@code repeat} rounds
 * (W1..W6, W1..W6, ...), then with several rounds one {@code "run":"median"} line per workload,
 * like the reference's driver.
 */
public final class BenchAll {
    /**
     * JVM flags of the child JVMs unless {@code --jvm-opts} is given. On this kind of machine (2
     * cores, 24 GB) the JVM's defaults are G1 with an initial heap of 1/64 and a maximum of 1/4 of
     * RAM (384 MB / 6 GB), which puts RSS at 300+ MB before the first operation while the data
     * needs well under 100 MB. So: the serial collector (no GC threads competing on 2 cores), a
     * heap sized to the data (96 MB initial, so that W3/W6 do not run full collections while the
     * heap grows; 256 MB maximum), a 16 MB young generation (every page of the young generation
     * is touched between two collections: peak RSS 9-15 MB lower, W5's 102 → 87 MB, cold times
     * the same; the warm repeats of W3/W6 copy more often) and C1-only compilation, which suits
     * these short single-shot processes: on 2 busy cores the C2 compiler threads compete with the
     * benchmark and code runs longer in slow profiled tiers (measured: cold W1/W3/W4/W6 equal or
     * faster with C1 only; the steady-state warm repeats of W3/W6 are about 30 % slower without
     * C2). Pass e.g. {@code --jvm-opts "-XX:+UseSerialGC -Xms96m -Xmx256m"} to keep C2.
     */
    public static final String DEFAULT_JVM_OPTS = "-XX:+UseSerialGC -Xms96m -Xmn16m -Xmx256m -Xss512k -XX:TieredStopAtLevel=1";

    private static final long CHILD_TIMEOUT_S = 240;

    private BenchAll() {}

    public static int run(List<String> workloads, int repeat, Integer n, int warmRepeats, String jvmOpts) {
        return run(workloads, repeat, n, warmRepeats, jvmOpts, List.of());
    }

    /** As above; {@code childArgs} are extra options of every child's {@code bench} command (e.g. W5's --server). */
    public static int run(List<String> workloads, int repeat, Integer n, int warmRepeats, String jvmOpts, List<String> childArgs) {
        return run(workloads, repeat, n, warmRepeats, jvmOpts, childArgs, false);
    }

    /**
     * As above; with {@code cds} every child also gets {@code -XX:SharedArchiveFile} of the
     * {@link CdsArchive} for these flags (trained first if there is none).
     */
    public static int run(List<String> workloads, int repeat, Integer n, int warmRepeats, String jvmOpts, List<String> childArgs,
                          boolean cds) {
        if (cds) {
            Path archive = CdsArchive.ensure(List.of(jvmOpts.trim().split("\\s+")));
            if (archive != null) jvmOpts = jvmOpts.trim() + " -XX:SharedArchiveFile=" + archive;
        }
        Map<String, List<JsonValue.Obj>> results = new LinkedHashMap<>();
        boolean failed = false;
        for (int round = 1; round <= repeat; round++) {
            for (String w : workloads) {
                JsonValue.Obj r;
                try {
                    r = runChild(w, n, warmRepeats, jvmOpts, childArgs);
                } catch (IOException | RuntimeException e) {
                    failed = true;
                    System.err.println(w + " failed: " + e.getMessage());
                    continue;
                }
                if (repeat > 1) r = with(r, "run", JsonValue.of(round));
                results.computeIfAbsent(w, k -> new ArrayList<>()).add(r);
                print(r);
            }
        }
        if (repeat > 1) {
            for (Map.Entry<String, List<JsonValue.Obj>> e : results.entrySet()) {
                JsonValue.Obj med = medianLine(e.getKey(), e.getValue());
                if (med == null) failed = true;
                else print(med);
            }
        }
        return failed ? 1 : 0;
    }

    private static JsonValue.Obj runChild(String workload, Integer n, int warmRepeats, String jvmOpts, List<String> childArgs) throws IOException {
        List<String> args = new ArrayList<>(List.of(workload, "--warm=" + warmRepeats));
        if (n != null) args.add("--n=" + n);
        args.addAll(childArgs);
        return ChildProcesses.lastJsonLine(ChildProcesses.javaCommand(List.of(jvmOpts.trim().split("\\s+")),
                BenchCommand.class.getName(), args), CHILD_TIMEOUT_S);
    }

    static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static JsonValue.Obj medianLine(String w, List<JsonValue.Obj> rs) {
        JsonValue check = rs.get(0).get("check");
        for (JsonValue.Obj r : rs) {
            if (!check.equals(r.get("check"))) {
                System.err.println(w + ": check values differ between runs: " + check + " vs " + r.get("check"));
                return null;
            }
        }
        List<JsonValue> secondsAll = new ArrayList<>();
        for (JsonValue.Obj r : rs) secondsAll.add(r.get("seconds"));
        LinkedHashMap<String, JsonValue> detail = new LinkedHashMap<>();
        if (rs.get(0).get("detail") instanceof JsonValue.Obj d0) {
            for (String k : d0.fields().keySet()) {
                List<Double> xs = new ArrayList<>();
                for (JsonValue.Obj r : rs) {
                    if (r.get("detail") instanceof JsonValue.Obj d && d.get(k) instanceof JsonValue.Num num) xs.add(num.value());
                }
                if (xs.size() == rs.size()) detail.put(k, JsonValue.of(BenchResult.round(BenchResult.median(xs), 6)));
            }
        }
        LinkedHashMap<String, JsonValue> m = new LinkedHashMap<>();
        m.put("workload", JsonValue.of(w));
        m.put("n", rs.get(0).get("n"));
        m.put("seconds", JsonValue.of(BenchResult.round(medianOf(rs, "seconds"), 6)));
        m.put("ops_per_s", JsonValue.of(BenchResult.round(medianOf(rs, "ops_per_s"), 1)));
        m.put("peak_rss_mb", JsonValue.of(BenchResult.round(medianOf(rs, "peak_rss_mb"), 1)));
        m.put("jvm", rs.get(0).get("jvm"));
        m.put("crypto", rs.get(0).get("crypto"));
        m.put("run", JsonValue.of("median"));
        m.put("runs", JsonValue.of(rs.size()));
        m.put("seconds_all", new JsonValue.Arr(secondsAll));
        m.put("detail_median", new JsonValue.Obj(detail));
        m.put("check", check);
        return new JsonValue.Obj(m);
    }

    private static double medianOf(List<JsonValue.Obj> rs, String key) {
        List<Double> xs = new ArrayList<>();
        for (JsonValue.Obj r : rs) xs.add(((JsonValue.Num) r.get(key)).value());
        return BenchResult.median(xs);
    }

    private static JsonValue.Obj with(JsonValue.Obj o, String key, JsonValue v) {
        LinkedHashMap<String, JsonValue> m = new LinkedHashMap<>(o.fields());
        m.put(key, v);
        return new JsonValue.Obj(m);
    }

    private static void print(JsonValue v) {
        System.out.println(JsonWriter.stringify(v));
        System.out.flush();
    }
}
