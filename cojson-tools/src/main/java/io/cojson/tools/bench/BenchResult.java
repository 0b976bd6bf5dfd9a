package io.cojson.tools.bench;

import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;

/**
 * One workload's result, printed as the reference's JSON line:
 * {@code {"workload","n","seconds","ops_per_s","peak_rss_mb","jvm","crypto","privacy","detail","check"}}.
 * {@code check} is computed by the workload from the final state; {@code detail} holds phase timings.
 */
public final class BenchResult {
    private final String workload;
    private final int n;
    private final double seconds;
    private final double peakRssMb;
    private final String privacy;
    private final LinkedHashMap<String, JsonValue> detail = new LinkedHashMap<>();
    private final LinkedHashMap<String, JsonValue> check = new LinkedHashMap<>();

    public BenchResult(String workload, int n, long nanos, double peakRssMb, String privacy) {
        this.workload = workload;
        this.n = n;
        this.seconds = nanos / 1e9;
        this.peakRssMb = peakRssMb;
        this.privacy = privacy;
    }

    public String workload() {
        return workload;
    }

    public int n() {
        return n;
    }

    public double seconds() {
        return seconds;
    }

    public double peakRssMb() {
        return peakRssMb;
    }

    public BenchResult detail(String key, JsonValue value) {
        detail.put(key, value);
        return this;
    }

    public BenchResult detail(String key, double value) {
        return detail(key, JsonValue.of(value));
    }

    /** A duration in seconds, rounded to microseconds like the reference's {@code secs()}. */
    public BenchResult detailSeconds(String key, long nanos) {
        return detail(key, secs(nanos));
    }

    public BenchResult check(String key, long value) {
        check.put(key, JsonValue.of(value));
        return this;
    }

    /** The check fingerprint, as numbers (for tests and the comparison with the reference). */
    public java.util.Map<String, Long> checkValues() {
        java.util.Map<String, Long> m = new LinkedHashMap<>();
        check.forEach((k, v) -> m.put(k, ((JsonValue.Num) v).longValue()));
        return m;
    }

    public JsonValue.Obj toJson() {
        LinkedHashMap<String, JsonValue> m = new LinkedHashMap<>();
        m.put("workload", JsonValue.of(workload));
        m.put("n", JsonValue.of(n));
        m.put("seconds", JsonValue.of(round(seconds, 6)));
        m.put("ops_per_s", JsonValue.of(round(n / seconds, 1)));
        m.put("peak_rss_mb", JsonValue.of(round(peakRssMb, 1)));
        m.put("jvm", JsonValue.of(System.getProperty("java.vm.name") + " " + System.getProperty("java.version")));
        m.put("crypto", JsonValue.of(BenchSupport.CRYPTO.provider().name()));
        m.put("privacy", JsonValue.of(privacy));
        LinkedHashMap<String, JsonValue> d = new LinkedHashMap<>(detail);
        d.put("jvm_flags", JsonValue.of(String.join(" ", jvmFlags())));
        d.put("jvm_max_heap_mb", JsonValue.of(Runtime.getRuntime().maxMemory() / 1048576));
        m.put("detail", new JsonValue.Obj(d));
        m.put("check", new JsonValue.Obj(check));
        return new JsonValue.Obj(m);
    }

    public String toLine() {
        return JsonWriter.stringify(toJson());
    }

    // ---- helpers ----

    public static JsonValue secs(long nanos) {
        return JsonValue.of(round(nanos / 1e9, 6));
    }

    static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    /** The JVM's own flags (what {@code bench all} passed), for the record. */
    static List<String> jvmFlags() {
        try {
            return new ArrayList<>(ManagementFactory.getRuntimeMXBean().getInputArguments());
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    /**
     * The process's peak resident set size in MB: {@code VmHWM} of /proc/self/status (Linux; the
     * same figure as getrusage's ru_maxrss). Elsewhere, the JVM's committed heap and non-heap memory
     * as a rough lower bound.
     */
    public static double currentPeakRssMb() {
        double kb = procStatusKb("VmHWM:");
        return kb >= 0 ? kb / 1024.0 : jvmCommittedMb();
    }

    /** The current resident set size in MB ({@code VmRSS}), with the same fallback. */
    public static double rssNowMb() {
        double kb = procStatusKb("VmRSS:");
        return round(kb >= 0 ? kb / 1024.0 : jvmCommittedMb(), 1);
    }

    private static double procStatusKb(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    String v = line.substring(field.length()).trim().toLowerCase(Locale.ROOT);
                    if (v.endsWith("kb")) v = v.substring(0, v.length() - 2).trim();
                    return Double.parseDouble(v);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }

    private static double jvmCommittedMb() {
        var mem = ManagementFactory.getMemoryMXBean();
        return (mem.getHeapMemoryUsage().getCommitted() + mem.getNonHeapMemoryUsage().getCommitted()) / 1048576.0;
    }

    /** Median of a non-empty list (mean of the middle two for even sizes), like the reference. */
    public static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(Double::compare);
        int m = s.size() / 2;
        return s.size() % 2 == 1 ? s.get(m) : (s.get(m - 1) + s.get(m)) / 2;
    }
}
