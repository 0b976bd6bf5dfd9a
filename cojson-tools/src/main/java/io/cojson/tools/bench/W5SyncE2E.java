package io.cojson.tools.bench;

import static io.cojson.tools.bench.BenchSupport.key;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.values.Subscription;
import io.cojson.core.session.SessionLog;
import io.cojson.core.values.CoMap;
import io.cojson.core.values.CojsonNode;
import io.cojson.core.values.internal.TypedNodes;
import io.cojson.sync.PeerRole;
import io.cojson.sync.SyncError;
import io.cojson.sync.SyncManager;
import io.cojson.sync.transport.WebSocketClientChannel;
import java.lang.management.ManagementFactory;
import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * W5: account node A writes {@code n} trusting map sets; account node B (same process, its own
 * WebSocket) converges through a sync server. The server is the JS reference server in a child
 * process ({@code node sync-server.mjs --port 0} in the interop dir), or the Java server
 * ({@link BenchServer}: a {@code CojsonServer} in memory) in a child JVM with this JVM's flags, so
 * that this process and its peak RSS hold only the clients, as the spec measures. Timed: from
 * just before A's first set until B's subscription sees {@code key(n-1) == n-1}.
 */
public final class W5SyncE2E {
    public static final int DEFAULT_N = 5_000;
    /** Bound on B's convergence after the writes (the reference's W5_CONVERGE_TIMEOUT_MS). */
    public static final long CONVERGE_TIMEOUT_S = 120;
    private static final long SETUP_TIMEOUT_S = 30;

    /** Which sync server the clients connect to. */
    public enum Server {
        REF, JAVA;

        public static Server parse(String s) {
            switch (s.toLowerCase(Locale.ROOT)) {
                case "ref":
                    return REF;
                case "java":
                    return JAVA;
                default:
                    throw new IllegalArgumentException("--server must be ref or java, got " + s);
            }
        }

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private W5SyncE2E() {}

    /** The interop dir: the system property {@code cojson.interop.dir}, else ../shared/interop (relative to the working dir). */
    public static File defaultInteropDir() {
        return new File(System.getProperty("cojson.interop.dir", "../shared/interop"));
    }

    public static BenchResult run(int n) {
        return run(n, Server.REF, defaultInteropDir());
    }

    public static BenchResult run(int n, Server server, File interopDir) {
        try {
            return runChecked(n, server, interopDir);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("W5 interrupted", e);
        } catch (Exception e) {
            throw e instanceof RuntimeException r ? r : new IllegalStateException("W5: " + e.getMessage(), e);
        }
    }

    private static BenchResult runChecked(int n, Server server, File interopDir) throws Exception {
        List<SyncError> errors = new CopyOnWriteArrayList<>();
        ServerProcess serverProcess = null;
        SyncManager syncA = null;
        SyncManager syncB = null;
        Subscription sub = null;
        try {
            String url;
            // either server in its own OS process, so that only the clients share this JVM (and its RSS)
            serverProcess = server == Server.REF ? ServerProcess.ref(interopDir) : ServerProcess.java();
            url = serverProcess.url;
            CojsonNode a = BenchSupport.newAccountNode("writer");
            CojsonNode b = BenchSupport.newAccountNode("reader");
            syncA = connect(a, url, errors);
            syncB = connect(b, url, errors);

            // Setup (not timed): group + empty map, acknowledged by the server; B loads and subscribes.
            CoMap map = a.createGroup().createMap().trusting();
            RawCoID id = map.id();
            await(syncA.waitForSync(id, "server"), SETUP_TIMEOUT_S, "initial upload of the map");
            BenchSupport.require(await(syncB.load(id), SETUP_TIMEOUT_S, "B's initial load").isPresent(), "B could load the map");
            CoMap mapB = b.map(id);

            String lastKey = key(n - 1);
            long lastValue = n - 1;
            AtomicInteger notifications = new AtomicInteger();
            AtomicLong convergedAt = new AtomicLong();
            AtomicInteger signaturesPending = new AtomicInteger();
            CountDownLatch converged = new CountDownLatch(1);
            sub = mapB.subscribe(m -> {
                notifications.incrementAndGet();
                if (converged.getCount() > 0 && m.get(lastKey) instanceof JsonValue.Num v && v.isSafeInteger()
                        && v.longValue() == lastValue) {
                    if (convergedAt.compareAndSet(0, System.nanoTime())) {
                        signaturesPending.set(SessionLog.pendingBackgroundSignatures());
                    }
                    converged.countDown();
                }
            });
            BenchSupport.finishSignatures(); // no setup signing runs into the timed region
            double rssBefore = BenchResult.rssNowMb();

            java.util.Map<String, Long> tasks0 = Boolean.getBoolean("bench.threadcpu") ? taskTicks() : null;
            long cpu0 = processCpuNanos();
            long serverCpu0 = serverProcess.cpuNanos();
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) map.set(key(i), i);
            long t1 = System.nanoTime();
            if (!converged.await(CONVERGE_TIMEOUT_S, TimeUnit.SECONDS)) {
                throw new TimeoutException("W5: B did not see " + lastKey + " == " + lastValue + " within "
                        + CONVERGE_TIMEOUT_S + " s (sync errors: " + errors + ")");
            }
            long t2 = convergedAt.get();
            if (signaturesPending.get() > 0) {
                // A's background signer was still signing when B converged: the run ends when every
                // transaction is signed.
                BenchSupport.finishSignatures();
                t2 = Math.max(t2, System.nanoTime());
            }
            if (tasks0 != null) {
                // CPU of every OS thread of this JVM in the timed region (JIT and GC threads too)
                java.util.Map<String, Long> tasks2 = taskTicks();
                tasks2.forEach((name, ticks) -> {
                    long d = ticks - tasks0.getOrDefault(name, 0L);
                    if (d > 0) System.err.printf("cpu %-32s %5d ms%n", name, d * 10);
                });
            }
            long cpu2 = processCpuNanos();
            long serverCpu2 = serverProcess.cpuNanos();
            double peak = BenchResult.currentPeakRssMb();
            sub.close();
            sub = null;

            JsonValue.Obj view = mapB.toJson();
            int keys = view.fields().size();
            long sum = BenchSupport.mapValueSum(view, Math.min(BenchSupport.KEYS, n));
            BenchSupport.require(sum == BenchSupport.expectedMapSum(n), "B map sum " + sum);
            BenchSupport.require(errors.isEmpty(), "sync errors " + errors);

            String topology = server == Server.REF
                    ? "A,B in bench process; reference server (node) in child process; ws://127.0.0.1"
                    : "A,B in bench process; Java CojsonServer (memory) in a child JVM with this JVM's flags; ws://127.0.0.1";
            return new BenchResult("W5", n, t2 - t0, peak, "trusting")
                    .detailSeconds("write_s", t1 - t0)
                    .detailSeconds("propagate_after_last_write_s", t2 - t1)
                    .detail("b_notifications", notifications.get())
                    .detail("signatures_pending_at_convergence", signaturesPending.get())
                    .detailSeconds("process_cpu_s", cpu2 - cpu0) // this JVM only: the clients
                    .detail("server_cpu_s", ServerProcess.cpuSecondsBetween(serverCpu0, serverCpu2)) // the server's child process
                    .detail("rss_before_mb", rssBefore)
                    .detail("server", JsonValue.of(server.wireName()))
                    .detail("topology", JsonValue.of(topology))
                    .check("keys", keys)
                    .check("value_sum", sum);
        } finally {
            if (sub != null) sub.close();
            if (syncA != null) syncA.close();
            if (syncB != null) syncB.close();
            if (serverProcess != null) serverProcess.close();
        }
    }

    /** utime+stime (clock ticks, 10 ms) per OS thread name of this process, from /proc (diagnostics). */
    private static java.util.Map<String, Long> taskTicks() {
        java.util.Map<String, Long> m = new java.util.TreeMap<>();
        File[] tasks = new File("/proc/self/task").listFiles();
        if (tasks == null) return m;
        for (File t : tasks) {
            try {
                String stat = java.nio.file.Files.readString(new File(t, "stat").toPath());
                int open = stat.indexOf('('), close = stat.lastIndexOf(')');
                String name = stat.substring(open + 1, close);
                String[] f = stat.substring(close + 2).split(" ");
                m.merge(name, Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum);
            } catch (IOException | RuntimeException e) {
                // the thread ended
            }
        }
        return m;
    }

    /** CPU time of this process (all threads), or 0 if the JVM cannot tell. */
    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return Math.max(0, os.getProcessCpuTime());
        }
        return 0;
    }

    static SyncManager connect(CojsonNode node, String url, List<SyncError> errors) {
        SyncManager sync = SyncManager.create(TypedNodes.localNode(node));
        sync.onError(errors::add);
        sync.addPeer("server", PeerRole.SERVER, WebSocketClientChannel.connect(url));
        return sync;
    }

    static <T> T await(CompletableFuture<T> f, long seconds, String what) throws Exception {
        try {
            return f.get(seconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new TimeoutException("setup: timed out after " + seconds + " s: " + what);
        } catch (ExecutionException e) {
            throw new IllegalStateException("setup failed: " + what + ": " + e.getCause(), e.getCause());
        }
    }
}
