package io.cojson.storage;

import io.cojson.core.content.CoMapContent;
import io.cojson.core.crypto.Crypto;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.knownstate.KnownState;
import io.cojson.core.node.Accounts;
import io.cojson.core.node.ContentPiece;
import io.cojson.core.node.GroupOperations;
import io.cojson.core.node.LocalNode;
import io.cojson.storage.engine.AsyncMapDbStorage;
import io.cojson.storage.engine.LoadReport;
import io.cojson.storage.engine.MapDbStorage;
import io.cojson.storage.engine.NodePersistence;
import io.cojson.storage.engine.StorageOptions;
import io.cojson.storage.engine.StoreResult;
import io.cojson.storage.engine.internal.NodeContent;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Storage benchmarks; one JSON line per measurement.
 *
 * <pre>
 * java -cp &lt;test classpath&gt; io.cojson.storage.Bench all [dir]
 *   throughput: transactions/s stored (one transaction per write) by the sync storage (one commit
 *               per write, with and without fsync) and the async storage (one thread and four,
 *               group commit), plus bulk pieces of 1 000 transactions
 *   w6:         1 000 maps x 10 transactions persisted through a node, then a fresh JVM opens the
 *               store and loads everything verified into a fresh account node and reads every map
 * </pre>
 */
public final class Bench {
    private Bench() {}

    public static void main(String[] args) throws Exception {
        Path dir = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("cojson-bench");
        switch (args[0]) {
            case "all" -> {
                throughput(dir.resolve("throughput"));
                w6Prepare(dir.resolve("w6"));
                Process p = TestSupport.startChild(Bench.class, List.of("-Xmx512m"), Map.of(), "w6-load", dir.resolve("w6").toString());
                p.getInputStream().transferTo(System.out);
                p.getErrorStream().transferTo(System.err);
                p.waitFor();
            }
            case "throughput" -> throughput(dir);
            case "w6-prepare" -> w6Prepare(dir);
            case "w6-load" -> w6Load(dir);
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    private static List<ContentPiece> singleTxWrites(LocalNode node, RawCoID map, int n) {
        List<ContentPiece> out = new ArrayList<>(n);
        KnownState k = KnownState.empty(map);
        for (int i = 0; i < n; i++) {
            TestSupport.set(node, map, "k" + (i % 100), i);
            out.addAll(NodeContent.since(node, map, k));
            k = node.get(map).knownState();
        }
        return out;
    }

    private static void line(String name, long txs, long nanos, String extra) {
        System.out.printf("{\"bench\":\"%s\",\"transactions\":%d,\"seconds\":%.3f,\"tx_per_s\":%.0f%s}%n", name, txs, nanos / 1e9,
                txs / (nanos / 1e9), extra);
    }

    static void throughput(Path root) throws Exception {
        int n = 3_000;
        for (boolean fsync : new boolean[] {true, false}) {
            LocalNode node = TestSupport.agentNode();
            RawCoID map = TestSupport.newValue(node, "comap");
            List<ContentPiece> w = singleTxWrites(node, map, n);
            try (MapDbStorage s = MapDbStorage.open(root.resolve("sync-" + fsync), StorageOptions.defaults().withSyncOnCommit(fsync))) {
                long t0 = System.nanoTime();
                for (ContentPiece p : w) s.store(p).join();
                line("store-sync", n, System.nanoTime() - t0, ",\"fsync\":" + fsync + ",\"commits\":" + n);
            }
        }
        for (int threads : new int[] {1, 4}) {
            int per = 20_000 / threads;
            List<List<ContentPiece>> work = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                LocalNode node = TestSupport.agentNode();
                work.add(singleTxWrites(node, TestSupport.newValue(node, "comap"), per));
            }
            try (AsyncMapDbStorage s = AsyncMapDbStorage.open(root.resolve("async-" + threads))) {
                long t0 = System.nanoTime();
                List<Thread> ts = new ArrayList<>();
                List<CompletableFuture<StoreResult>> last = new ArrayList<>();
                for (List<ContentPiece> pieces : work) {
                    CompletableFuture<StoreResult>[] holder = new CompletableFuture[1];
                    Thread t = new Thread(() -> {
                        for (ContentPiece p : pieces) holder[0] = s.store(p);
                        synchronized (last) {
                            last.add(holder[0]);
                        }
                    });
                    ts.add(t);
                    t.start();
                }
                for (Thread t : ts) t.join();
                CompletableFuture.allOf(last.toArray(new CompletableFuture<?>[0])).join();
                line("store-async", (long) per * threads, System.nanoTime() - t0, ",\"fsync\":true,\"threads\":" + threads);
            }
        }
        LocalNode node = TestSupport.agentNode();
        RawCoID big = TestSupport.newValue(node, "comap");
        int bulk = 50_000;
        for (int i = 0; i < bulk; i++) TestSupport.set(node, big, "k" + (i % 100), i);
        List<ContentPiece> pieces = NodeContent.since(node, big, KnownState.empty(big));
        try (AsyncMapDbStorage s = AsyncMapDbStorage.open(root.resolve("bulk"))) {
            long t0 = System.nanoTime();
            CompletableFuture<StoreResult> f = null;
            for (ContentPiece p : pieces) f = s.store(p);
            f.join();
            line("store-async-bulk", bulk, System.nanoTime() - t0, ",\"pieces\":" + pieces.size());
            LocalNode fresh = TestSupport.agentNode();
            long t1 = System.nanoTime();
            s.load(big, p -> fresh.importContent(p));
            line("load-verify-one-value", bulk, System.nanoTime() - t1, "");
        }
    }

    static void w6Prepare(Path dir) {
        long t0 = System.nanoTime();
        LocalNode writer = Accounts.create(Crypto.create(), "Writer");
        RawCoID group = GroupOperations.createGroup(writer, null);
        List<String> maps = new ArrayList<>();
        try (AsyncMapDbStorage s = AsyncMapDbStorage.open(dir); NodePersistence p = NodePersistence.attach(writer, s)) {
            for (int i = 0; i < 1000; i++) {
                RawCoID m = Accounts.createOwned(writer, "comap", group, JsonValue.NULL);
                for (int j = 0; j < 10; j++) TestSupport.set(writer, m, "k" + j, JsonValue.of(i * 10 + j), false);
                maps.add(m.value());
            }
            p.persistedAll().join();
        }
        CrashChild.write(dir.resolve("maps.txt"), String.join("\n", maps));
        System.out.printf("{\"bench\":\"w6-prepare\",\"maps\":1000,\"create_and_persist_s\":%.3f}%n", (System.nanoTime() - t0) / 1e9);
    }

    /** In a fresh JVM: open the store, load everything verified into a fresh account node, read every map. */
    static void w6Load(Path dir) {
        List<RawCoID> maps = new ArrayList<>();
        for (String m : CrashChild.read(dir.resolve("maps.txt")).split("\n")) maps.add(new RawCoID(m));
        LocalNode receiver = Accounts.create(Crypto.create(), "Receiver");
        long rssBefore = rssMb();
        long t0 = System.nanoTime();
        double sum = 0;
        try (MapDbStorage s = MapDbStorage.open(dir)) {
            LoadReport r = new io.cojson.storage.engine.internal.NodeLoader(receiver, s).loadAll().report();
            if (!r.clean()) throw new IllegalStateException(r.toString());
            for (RawCoID m : maps) {
                sum += receiver.locked(() -> {
                    CoMapContent view = (CoMapContent) receiver.view(m);
                    double x = 0;
                    for (int j = 0; j < 10; j++) x += ((JsonValue.Num) view.get("k" + j)).value();
                    return x;
                });
            }
        }
        long nanos = System.nanoTime() - t0;
        System.out.printf("{\"bench\":\"w6-cold-load-from-mapdb\",\"maps\":%d,\"seconds\":%.3f,\"maps_per_s\":%.0f,\"value_sum\":%.0f,"
                + "\"rss_before_mb\":%d,\"peak_rss_mb\":%d,\"jvm_uptime_ms\":%d}%n", maps.size(), nanos / 1e9, maps.size() / (nanos / 1e9), sum,
                rssBefore, rssMb(), ManagementFactory.getRuntimeMXBean().getUptime());
    }

    private static long rssMb() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("VmHWM:")) return Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024;
            }
        } catch (java.io.IOException e) {
            return -1;
        }
        return -1;
    }
}
