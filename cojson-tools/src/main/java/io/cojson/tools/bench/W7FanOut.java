package io.cojson.tools.bench;

import static io.cojson.tools.bench.BenchSupport.key;
import static io.cojson.tools.bench.W5SyncE2E.await;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.covalue.CoValueCore;
import io.cojson.core.values.Subscription;
import io.cojson.core.values.CoMap;
import io.cojson.core.values.CojsonNode;
import io.cojson.sync.SyncError;
import io.cojson.sync.SyncManager;
import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * W7 server fan-out: one writer and {@code clients} subscribers (account nodes in this JVM, one
 * WebSocket each) on a sync server in a child process, in memory: the JS reference server or the
 * Java {@code server} command (a child JVM with this JVM's flags).
 *
 * <p>Setup (not timed): the writer creates a group and an empty trusting map and waits until the
 * server has it; every subscriber loads it through the server and subscribes. Timed: from just
 * before edit 0 until every subscriber has seen edit {@code edits-1}. Edit {@code i} is
 * {@code set("k" + (i % 100), i)}, one trusting transaction, in a loop (sync runs on its own
 * threads; the JS script yields to its event loop after each edit instead). The latency of edit
 * {@code i} at a subscriber: from just before the writer's set until the first notification whose
 * view holds {@code i+1} transactions (edits arrive in session order); p50/p99 over all
 * {@code clients * edits} samples, nearest rank. Check: every subscriber's final view has the same
 * fingerprint {@code {keys, value_sum}}.
 */
public final class W7FanOut {
    public static final int DEFAULT_CLIENTS = 50;
    public static final int DEFAULT_EDITS = 2_000;
    private static final long SETUP_TIMEOUT_S = 60;
    private static final long CONVERGE_TIMEOUT_S = 120;

    private W7FanOut() {}

    public static BenchResult run(int clients, int edits, W5SyncE2E.Server server, File interopDir) {
        try (ServerProcess sp = server == W5SyncE2E.Server.REF ? ServerProcess.ref(interopDir) : ServerProcess.java()) {
            return run(clients, edits, server, sp);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("W7 interrupted", e);
        } catch (Exception e) {
            throw e instanceof RuntimeException r ? r : new IllegalStateException("W7: " + e.getMessage(), e);
        }
    }

    /** The subscribers' side: when each saw each edit (ns), and when all had the last one. */
    private static final class Arrivals {
        final long[][] at;
        final int[] seen;
        final AtomicInteger notifications = new AtomicInteger();
        final CountDownLatch all;

        Arrivals(int clients, int edits) {
            at = new long[clients][edits];
            seen = new int[clients];
            all = new CountDownLatch(clients);
        }

        /** Subscriber {@code s}'s view now holds {@code count} edits (called on its node's thread). */
        synchronized void saw(int s, int count) {
            notifications.incrementAndGet();
            long t = System.nanoTime();
            int edits = at[s].length;
            int c = Math.min(count, edits);
            if (c <= seen[s]) return;
            for (int i = seen[s]; i < c; i++) at[s][i] = t;
            seen[s] = c;
            if (c == edits) all.countDown();
        }
    }

    private static BenchResult run(int clients, int edits, W5SyncE2E.Server server, ServerProcess sp) throws Exception {
        List<SyncError> errors = new CopyOnWriteArrayList<>();
        List<SyncManager> syncs = new ArrayList<>();
        List<Subscription> subs = new ArrayList<>();
        try {
            CojsonNode writer = BenchSupport.newAccountNode("writer");
            SyncManager writerSync = W5SyncE2E.connect(writer, sp.url, errors);
            syncs.add(writerSync);
            CoMap map = writer.createGroup().createMap().trusting();
            RawCoID id = map.id();
            await(writerSync.waitForSync(id, "server"), SETUP_TIMEOUT_S, "initial upload of the map");
            List<CojsonNode> nodes = new ArrayList<>();
            List<CompletableFuture<Optional<CoValueCore>>> loads = new ArrayList<>();
            for (int s = 0; s < clients; s++) {
                CojsonNode node = BenchSupport.newAccountNode("subscriber-" + s);
                SyncManager sync = W5SyncE2E.connect(node, sp.url, errors);
                syncs.add(sync);
                nodes.add(node);
                loads.add(sync.load(id));
            }
            for (CompletableFuture<Optional<CoValueCore>> l : loads) {
                BenchSupport.require(await(l, SETUP_TIMEOUT_S, "a subscriber's load").isPresent(), "every subscriber loads the map");
            }
            Arrivals arrivals = new Arrivals(clients, edits);
            for (int s = 0; s < clients; s++) {
                int sub = s;
                CojsonNode node = nodes.get(s);
                subs.add(node.map(id).subscribe(m -> arrivals.saw(sub, BenchSupport.transactionCount(node, id))));
            }
            BenchSupport.finishSignatures();
            double rssBefore = BenchResult.rssNowMb();

            AtomicLongArray editStart = new AtomicLongArray(edits);
            long serverCpu0 = sp.cpuNanos();
            long t0 = System.nanoTime();
            for (int i = 0; i < edits; i++) {
                editStart.set(i, System.nanoTime());
                map.set(key(i), i);
            }
            long t1 = System.nanoTime();
            if (!arrivals.all.await(CONVERGE_TIMEOUT_S, TimeUnit.SECONDS)) {
                throw new TimeoutException("W7: " + arrivals.all.getCount() + " subscribers did not see the last edit within "
                        + CONVERGE_TIMEOUT_S + " s (sync errors: " + errors + ")");
            }
            double peak = BenchResult.currentPeakRssMb();
            double serverPeak = sp.peakRssMb();
            long serverCpu1 = sp.cpuNanos();
            for (Subscription sub : subs) sub.close();
            subs.clear();

            long end = 0;
            long[] latencies = new long[clients * edits];
            for (int s = 0; s < clients; s++) {
                end = Math.max(end, arrivals.at[s][edits - 1]);
                for (int i = 0; i < edits; i++) latencies[s * edits + i] = arrivals.at[s][i] - editStart.get(i);
            }
            Arrays.sort(latencies);
            Map<String, Long> fingerprint = sameFingerprint(nodes, id, edits);
            BenchSupport.require(errors.isEmpty(), "sync errors " + errors);
            return new BenchResult("W7", edits, end - t0, peak, "trusting")
                    .detailSeconds("write_s", t1 - t0)
                    .detailSeconds("propagate_after_last_write_s", end - t1)
                    .detailSeconds("latency_p50_s", percentile(latencies, 50))
                    .detailSeconds("latency_p99_s", percentile(latencies, 99))
                    .detailSeconds("latency_max_s", latencies[latencies.length - 1])
                    .detail("notifications", arrivals.notifications.get())
                    .detail("clients", clients)
                    .detail("rss_before_mb", rssBefore)
                    .detail("server", JsonValue.of(server.wireName()))
                    .detail("server_peak_rss_mb", serverPeak)
                    .detail("server_cpu_s", ServerProcess.cpuSecondsBetween(serverCpu0, serverCpu1)) // timed region
                    .detail("topology", JsonValue.of("writer + " + clients + " subscribers in this JVM (one WebSocket each); "
                            + server.wireName() + " server in a child process; ws://127.0.0.1"))
                    .check("subscribers", nodes.size())
                    .check("keys", fingerprint.get("keys"))
                    .check("value_sum", fingerprint.get("value_sum"));
        } finally {
            for (Subscription sub : subs) sub.close();
            for (SyncManager s : syncs) s.close();
        }
    }

    /** Every subscriber's {keys, value_sum}; they must all be equal, and the sum the expected one. */
    static Map<String, Long> sameFingerprint(List<CojsonNode> nodes, RawCoID id, int edits) {
        Map<String, Long> first = null;
        for (CojsonNode node : nodes) {
            JsonValue.Obj view = node.map(id).toJson();
            long sum = BenchSupport.mapValueSum(view, Math.min(BenchSupport.KEYS, edits));
            Map<String, Long> fp = Map.of("keys", (long) view.fields().size(), "value_sum", sum);
            if (first != null) BenchSupport.require(first.equals(fp), "subscribers' views differ: " + first + " vs " + fp);
            first = fp;
        }
        BenchSupport.require(first != null && first.get("value_sum") == BenchSupport.expectedMapSum(edits), "value_sum " + first);
        return first;
    }

    /** Nearest-rank percentile ({@code p} in 0..100) of sorted values. */
    static long percentile(long[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
    }
}
