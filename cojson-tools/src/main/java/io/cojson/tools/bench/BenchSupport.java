package io.cojson.tools.bench;

import io.cojson.core.crypto.Crypto;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.json.Json;
import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import io.cojson.core.node.ContentMessages;
import io.cojson.core.node.ContentPiece;
import io.cojson.core.session.AddResult;
import io.cojson.core.session.SessionLog;
import io.cojson.core.values.CojsonNode;
import io.cojson.core.values.internal.TypedNodes;
import java.util.ArrayList;
import java.util.List;

/** What the workloads share: nodes, export, verified import, checks. */
public final class BenchSupport {
    /** One crypto for the process (libsodium if it loads, else Bouncy Castle; see cojson.crypto). */
    public static final Crypto CRYPTO = Crypto.create();

    /** Keys per map in W1/W2/W3/W5: operation i sets {@code "k" + (i % KEYS)}. */
    public static final int KEYS = 100;

    private BenchSupport() {}

    public static String key(int i) {
        return "k" + (i % KEYS);
    }

    /** A node with a newly created account and its profile, as withNewlyCreatedAccount makes it. */
    public static CojsonNode newAccountNode(String name) {
        CojsonNode node = CojsonNode.createAccount(CRYPTO, name);
        finishSignatures(); // setup: no signing of setup writes may run into a timed region
        return node;
    }

    /**
     * Waits until every local transaction written so far is signed. Local writes sign on a
     * background thread (SessionLog); every timed region that writes ends with this, so that it
     * includes every signature, and setup ends with it, so that no setup signing overlaps timing.
     */
    public static void finishSignatures() {
        SessionLog.awaitBackgroundSignatures();
    }

    /** The number of transactions in all of a CoValue's sessions. */
    public static int transactionCount(CojsonNode node, RawCoID id) {
        int n = 0;
        for (SessionLog log : TypedNodes.localNode(node).require(id).sessions().values()) n += log.size();
        return n;
    }

    /** An exported state: the JSON array text of content messages, and how many there are. */
    public record Export(String text, int messages) {}

    /**
     * {@code newContentSince(empty)} of exactly the given CoValues, in order, as one JSON array text
     * of content messages (the spec lists what to export, so dependencies are not added).
     */
    public static Export export(CojsonNode node, List<RawCoID> ids) {
        List<JsonValue> messages = new ArrayList<>();
        for (RawCoID id : ids) {
            for (ContentPiece p : TypedNodes.localNode(node).exportContent(id)) messages.add(p.toContentMessage());
        }
        return new Export(JsonWriter.stringify(new JsonValue.Arr(messages)), messages.size());
    }

    /**
     * Parses the exported state (the timed "parse" step): one streaming pass from the JSON text
     * straight into content pieces and their transactions (no JSON tree per transaction).
     */
    static List<ContentPiece> parseContent(String text) {
        return ContentMessages.parseArray(text);
    }

    /** Parses a JSON array text. */
    public static JsonValue.Arr parseArray(String text) {
        JsonValue v = Json.parse(text);
        if (!(v instanceof JsonValue.Arr a)) throw new IllegalStateException("expected a JSON array");
        return a;
    }

    /**
     * Hands every content message to the node in order, as incoming content: the node checks the
     * header's hash, the hash chain and signatures and the writer's permissions, and stores the
     * transactions. Any rejected piece fails the benchmark.
     */
    static void importAll(CojsonNode node, List<ContentPiece> pieces) {
        for (AddResult r : TypedNodes.localNode(node).importContent(pieces)) {
            if (r instanceof AddResult.Rejected rejected) throw new IllegalStateException("rejected: " + rejected.failure());
        }
    }

    /**
     * The details W3 and W6 report alike after their own phase times: the warm repeats' median, the
     * cold run's counters ({@link #COUNTERS}) and collections, the export's size and the memory.
     */
    static BenchResult coldAndWarmDetails(BenchResult res, List<Double> warm, Export exported, double rssBeforeMb,
            long gcCount, long gcMs, Counters cold) {
        if (!warm.isEmpty()) res.detail("warm_median_s", BenchResult.round(BenchResult.median(warm), 6));
        if (COUNTERS) {
            res.detailSeconds("cold_thread_cpu_s", cold.cpuNanos())
                    .detail("cold_classes_loaded", cold.classes())
                    .detail("cold_allocated_mb", BenchResult.round(cold.allocatedBytes() / 1048576.0, 1))
                    .detail("cold_jit_ms", cold.jitMs());
        }
        return res.detail("warm_repeats", warm.size())
                .detail("content_messages", exported.messages())
                .detail("content_bytes", exported.text().getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
                .detail("rss_before_mb", rssBeforeMb)
                .detail("cold_gc_count", gcCount)
                .detail("cold_gc_ms", gcMs)
                .detail("peak_rss_incl_warm_mb", BenchResult.round(BenchResult.currentPeakRssMb(), 1));
    }

    /** Sum of the map's values; the view must hold exactly {@code expectedKeys} numeric keys. */
    public static long mapValueSum(JsonValue.Obj obj, int expectedKeys) {
        if (obj.fields().size() != expectedKeys) {
            throw new IllegalStateException("expected " + expectedKeys + " keys, got " + obj.fields().size());
        }
        long sum = 0;
        for (JsonValue v : obj.fields().values()) sum += number(v, "map value");
        return sum;
    }

    /** The expected sum after sets i = 0..n-1 of {@code key(i) := i}: per key, the last i. */
    public static long expectedMapSum(int n) {
        long sum = 0;
        for (int r = 0; r < KEYS && r < n; r++) sum += r + (long) KEYS * ((n - 1 - r) / KEYS);
        return sum;
    }

    public static long number(JsonValue v, String what) {
        if (!(v instanceof JsonValue.Num n) || !n.isSafeInteger()) throw new IllegalStateException(what + " is not an integer: " + v);
        return n.longValue();
    }

    /** Total collections and milliseconds of all garbage collectors so far (to report a timed region's GC). */
    public static long[] gcCountAndMillis() {
        long count = 0;
        long ms = 0;
        for (java.lang.management.GarbageCollectorMXBean gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, gc.getCollectionCount());
            ms += Math.max(0, gc.getCollectionTime());
        }
        return new long[] {count, ms};
    }

    /** {@code -Dbench.counters=true}: W3/W6 report classes loaded, MB allocated, thread CPU and JIT time of the cold run. */
    public static final boolean COUNTERS = Boolean.getBoolean("bench.counters");

    /**
     * Classes loaded so far, bytes the calling thread allocated so far, its CPU time (ns) and the
     * JIT compilers' total time (ms, all compiler threads): a timed region's difference says how
     * much class loading, allocation and compilation it paid (all cost a cold JVM dearly; on 2
     * cores the compiler threads take CPU from the benchmark), and its CPU time is less disturbed
     * by other processes than wall time. All -1 unless {@link #COUNTERS}.
     */
    public record Counters(long classes, long allocatedBytes, long cpuNanos, long jitMs) {
        static final Counters NONE = new Counters(-1, -1, -1, -1);

        public static Counters now() {
            // off by default: the JMX beans it needs cost a few MB of peak RSS, which the benchmark reports
            if (!COUNTERS) return NONE;
            long classes = java.lang.management.ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount();
            long bytes = -1;
            if (java.lang.management.ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t) {
                bytes = t.getThreadAllocatedBytes(Thread.currentThread().getId());
            }
            long cpu = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
            java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
            long jitMs = jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : -1;
            return new Counters(classes, bytes, cpu, jitMs);
        }

        /** What happened between {@code before} and this. */
        public Counters since(Counters before) {
            return new Counters(classes - before.classes, allocatedBytes - before.allocatedBytes, cpuNanos - before.cpuNanos,
                    jitMs < 0 || before.jitMs < 0 ? -1 : jitMs - before.jitMs);
        }
    }

    public static void require(boolean cond, String message) {
        if (!cond) throw new IllegalStateException("check failed: " + message);
    }
}
