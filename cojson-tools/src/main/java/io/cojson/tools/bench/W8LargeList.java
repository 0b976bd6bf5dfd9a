package io.cojson.tools.bench;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.node.LocalNode;
import io.cojson.core.values.CoList;
import io.cojson.core.values.CojsonNode;
import io.cojson.core.values.internal.TypedNodes;
import io.cojson.storage.engine.LoadReport;
import io.cojson.storage.engine.MapDbStorage;
import io.cojson.storage.engine.NodePersistence;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * W8 large list: a CoList of {@code items} numbers ({@code items / perTx} transactions of
 * {@code perTx} trusting appends at the end, {@link CoList#appendAll}) built into MapDB storage
 * (setup), then a fresh JVM (this JVM's flags) opens the storage, loads the list with its group and
 * account into an agent-only node and reads all of it. Timed: open + load + full read, in the
 * fresh JVM; peak RSS is that JVM's. Item {@code i} is the number {@code i}; check:
 * {@code {length, weighted_sum = Σ (p+1)·view[p]}}. The reference script (bench-js/w8.mjs) does
 * the same with its SQLite storage.
 */
public final class W8LargeList {
    public static final int DEFAULT_ITEMS = 100_000;
    public static final int DEFAULT_PER_TX = 100;
    private static final long LOAD_TIMEOUT_S = 240;
    private static final long STORE_TIMEOUT_S = 120;

    private W8LargeList() {}

    /** What the build (setup) made. */
    record Built(RawCoID id, long buildNanos, long storeWaitNanos, long dbBytes) {}

    public static BenchResult run(int items, int perTx) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("w8-java-");
            Built b = build(dir.resolve("db"), items, perTx);
            List<String> args = List.of("load", dir.resolve("db").toString(), b.id().value(), Integer.toString(items));
            JsonValue.Obj r = ChildProcesses.lastJsonLine(ChildProcesses.javaCommand(W8LargeList.class.getName(), args), LOAD_TIMEOUT_S);
            long open = nanos(r, "open_ns");
            long load = nanos(r, "load_ns");
            long read = nanos(r, "read_ns");
            return new BenchResult("W8", items, open + load + read, num(r, "peak_rss_mb"), "trusting")
                    .detailSeconds("open_s", open)
                    .detailSeconds("load_s", load)
                    .detailSeconds("read_s", read)
                    .detail("rss_before_mb", num(r, "rss_before_mb"))
                    .detail("storage", JsonValue.of("mapdb (cojson-storage)"))
                    .detailSeconds("build_s", b.buildNanos())
                    .detailSeconds("store_wait_s", b.storeWaitNanos())
                    .detail("transactions", (items + perTx - 1) / perTx)
                    .detail("items_per_transaction", perTx)
                    .detail("db_bytes", b.dbBytes())
                    .detail("topology", JsonValue.of("built in the bench JVM; loaded in a fresh JVM with the same flags"))
                    .check("length", nanos(r, "length"))
                    .check("weighted_sum", nanos(r, "weighted_sum"));
        } catch (IOException e) {
            throw new UncheckedIOException("W8: " + e.getMessage(), e);
        } finally {
            if (dir != null) deleteRecursively(dir);
        }
    }

    /** Setup: an account node persisting into MapDB at {@code db}, a group, the list. */
    static Built build(Path db, int items, int perTx) {
        CojsonNode node = BenchSupport.newAccountNode("writer");
        try (MapDbStorage storage = MapDbStorage.open(db)) {
            NodePersistence persistence = NodePersistence.attach(TypedNodes.localNode(node), storage);
            CoList list;
            long t0;
            long t1;
            try {
                list = node.createGroup().createList().trusting();
                t0 = System.nanoTime();
                for (int i = 0; i < items; i += perTx) {
                    List<JsonValue> batch = new ArrayList<>(perTx);
                    for (int j = i; j < Math.min(items, i + perTx); j++) batch.add(JsonValue.of(j));
                    list.appendAll(batch);
                }
                BenchSupport.finishSignatures();
                t1 = System.nanoTime();
                persistence.persistedAll().get(STORE_TIMEOUT_S, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("W8 build: " + e, e);
            } finally {
                persistence.close();
            }
            long t2 = System.nanoTime();
            return new Built(list.id(), t1 - t0, t2 - t1, sizeOf(db));
        }
    }

    /** The fresh JVM: {@code load DB_DIR LIST_ID ITEMS}; prints one JSON line of raw numbers. */
    public static void main(String[] args) {
        if (args.length != 4 || !args[0].equals("load")) {
            System.err.println("usage: W8LargeList load DB_DIR LIST_ID ITEMS");
            System.exit(2);
        }
        JsonValue.Obj r = load(Path.of(args[1]), new RawCoID(args[2]), Integer.parseInt(args[3]));
        System.out.println(io.cojson.core.json.JsonWriter.stringify(r));
        System.exit(0);
    }

    /**
     * Opens the storage at {@code db}, loads the list with its group and account into a fresh
     * agent-only node and reads all of it (timed: open, load, read); checks every item.
     */
    static JsonValue.Obj load(Path db, RawCoID listId, int items) {
        LocalNode node = LocalNode.forAgent(BenchSupport.CRYPTO, BenchSupport.CRYPTO.newRandomAgentSecret());
        double rssBefore = BenchResult.rssNowMb();
        SamplingProfiler.start(); // -Dbench.profile=true on the bench JVM profiles this region (inherited)
        long t0 = System.nanoTime();
        try (MapDbStorage storage = MapDbStorage.open(db)) {
            NodePersistence persistence = NodePersistence.attach(node, storage);
            long t1 = System.nanoTime();
            LoadReport report = persistence.load(listId);
            if (!report.clean()) BenchSupport.require(false, "clean load: " + report); // no message built in the timed region
            long t2 = System.nanoTime();
            List<JsonValue> view = TypedNodes.of(node).list(listId).items();
            long weighted = weightedSum(view);
            long t3 = System.nanoTime();
            SamplingProfiler.stop();
            double peak = BenchResult.currentPeakRssMb();
            persistence.close();
            BenchSupport.require(view.size() == items, "list length " + view.size() + " != " + items);
            for (int p = 0; p < items; p++) BenchSupport.require(BenchSupport.number(view.get(p), "item") == p, "item " + p);
            BenchSupport.require(weighted == expectedWeightedSum(items), "weighted_sum " + weighted);
            return JsonValue.obj(
                    "open_ns", JsonValue.of(t1 - t0), "load_ns", JsonValue.of(t2 - t1), "read_ns", JsonValue.of(t3 - t2),
                    "peak_rss_mb", JsonValue.of(peak), "rss_before_mb", JsonValue.of(rssBefore),
                    "length", JsonValue.of(view.size()), "weighted_sum", JsonValue.of(weighted));
        }
    }

    /** Builds a list of {@code items} into a temporary storage and loads it back in this JVM (class-data-sharing training). */
    static void buildAndLoadHere(int items, int perTx) throws IOException {
        Path dir = Files.createTempDirectory("w8-train-");
        try {
            Built b = build(dir.resolve("db"), items, perTx);
            load(dir.resolve("db"), b.id(), items);
        } finally {
            deleteRecursively(dir);
        }
    }

    static long weightedSum(List<JsonValue> view) {
        long sum = 0;
        for (int p = 0; p < view.size(); p++) sum += (p + 1) * BenchSupport.number(view.get(p), "item"); // timed: no label per item
        return sum;
    }

    /** Σ_{p<n} (p+1)·p, the check of a list whose item p is p. */
    static long expectedWeightedSum(int n) {
        long m = n;
        return (m - 1) * m * (m + 1) / 3;
    }

    private static long nanos(JsonValue.Obj o, String key) {
        return BenchSupport.number(o.get(key), key);
    }

    private static double num(JsonValue.Obj o, String key) {
        return ((JsonValue.Num) o.get(key)).value();
    }

    private static long sizeOf(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException e) {
            return -1;
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp dir left behind
        }
    }
}
