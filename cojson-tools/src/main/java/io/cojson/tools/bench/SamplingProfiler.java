package io.cojson.tools.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A crude sampling profiler of the timed region, enabled with {@code -Dbench.profile=true}: a
 * daemon thread takes the benchmark thread's stack every {@code bench.profile.interval_us} (default
 * 500 us) and, at {@link #stop}, prints the top frames by self and inclusive share to stderr.
 * Stacks are taken at safepoints, so attribution is approximate; native calls (JNA) are credited to
 * their Java caller. Off by default: no thread, no cost. W3/W6 profile the cold run, or with
 * {@code -Dbench.profile.warm=true} their last warm repeat.
 */
public final class SamplingProfiler {
    /** {@code -Dbench.profile.warm=true}: W3/W6 profile their last warm repeat instead of the cold run. */
    public static final boolean WARM = Boolean.getBoolean("bench.profile.warm");

    private static volatile SamplingProfiler current;

    private final Thread target;
    private final Thread sampler;
    private final Map<String, Integer> self = new HashMap<>();
    private final Map<String, Integer> inclusive = new HashMap<>();
    private volatile boolean running = true;
    private int samples;

    private SamplingProfiler(Thread target, long intervalNanos) {
        this.target = target;
        this.sampler = new Thread(() -> loop(intervalNanos), "bench-profiler");
        sampler.setDaemon(true);
    }

    /** Starts sampling the calling thread if {@code bench.profile} is set. */
    public static void start() {
        if (!Boolean.getBoolean("bench.profile")) return;
        long us = Long.getLong("bench.profile.interval_us", 500);
        SamplingProfiler p = new SamplingProfiler(Thread.currentThread(), us * 1000);
        current = p;
        p.sampler.start();
    }

    /** Stops sampling and prints the summary to stderr (no-op when not started). */
    public static void stop() {
        SamplingProfiler p = current;
        if (p == null) return;
        current = null;
        p.running = false;
        try {
            p.sampler.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        p.print(Integer.getInteger("bench.profile.top", 40));
    }

    private void loop(long intervalNanos) {
        while (running) {
            StackTraceElement[] st = target.getStackTrace();
            if (st.length > 0) {
                synchronized (this) {
                    samples++;
                    self.merge(name(st[0]), 1, Integer::sum);
                    Set<String> seen = new HashSet<>();
                    for (StackTraceElement e : st) if (seen.add(name(e))) inclusive.merge(name(e), 1, Integer::sum);
                }
            }
            java.util.concurrent.locks.LockSupport.parkNanos(intervalNanos);
        }
    }

    private static String name(StackTraceElement e) {
        String c = e.getClassName();
        return c.substring(c.lastIndexOf('.') + 1) + "." + e.getMethodName();
    }

    private synchronized void print(int top) {
        System.err.println("profile: " + samples + " samples");
        System.err.println("-- self");
        dump(self, top);
        System.err.println("-- inclusive");
        dump(inclusive, top);
    }

    private void dump(Map<String, Integer> m, int top) {
        List<Map.Entry<String, Integer>> es = new ArrayList<>(m.entrySet());
        es.sort((a, b) -> b.getValue() - a.getValue());
        for (int i = 0; i < Math.min(top, es.size()); i++) {
            System.err.printf("%5.1f%% %s%n", 100.0 * es.get(i).getValue() / samples, es.get(i).getKey());
        }
    }
}
