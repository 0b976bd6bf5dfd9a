package io.cojson.storage;

import io.cojson.core.internal.Compat;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Named fault points (reliability.md §2.1), inert unless configured: with nothing configured a hit
 * costs one volatile read. Configure with the system property {@code cojson.faults} or the
 * environment variable {@code COJSON_FAULTS} (the property wins), or at runtime with
 * {@link #configure(String)} (the test-support entry point). Syntax: comma-separated entries
 * {@code [after:<other.point>/]point=action[@n|*]} with the actions {@code pause}, {@code halt},
 * {@code delay:<ms>}, {@code throw:io|closed|rejected|interrupted|oom}, {@code drop} and {@code dup}
 * ({@code throw:oom} throws an {@link OutOfMemoryError}, to test what a fatal error does).
 * Without a suffix an entry fires on its first hit only, with {@code @n} on the n-th, with
 * {@code *} on every hit. An {@code after:} entry is armed by the first hit of the other point and
 * counts its own hits from then on.
 *
 * <p>This is the registry of the lowest module that may do I/O, so that {@code after:} chains can
 * span storage, sync and server points once every module reports its hits here.
 */
public final class Faults {
    /** What a hit asks of the caller; pause, halt, delay and throw happen inside {@link #hit}. */
    public enum Effect { NONE, DROP, DUP }

    /** A {@code throw:<kind>} fault; the cause is the JDK failure the kind stands for. */
    public static final class InjectedFault extends RuntimeException {
        private final String point;
        private final String kind;

        InjectedFault(String point, String kind, Throwable cause) {
            super("injected fault " + kind + " at " + point, cause);
            this.point = point;
            this.kind = kind;
        }

        public String point() {
            return point;
        }

        /** {@code io}, {@code closed}, {@code rejected} or {@code interrupted}. */
        public String kind() {
            return kind;
        }
    }

    private static final long PAUSE_LIMIT_MS = TimeUnit.MINUTES.toMillis(10);
    private static volatile Plan plan = initialPlan();
    /** A deterministic harness's observer of every hit; null (the default) costs one more volatile read. */
    private static volatile Interceptor interceptor;
    /** Pauses reached per point since the last {@link #configure}: the in-process "paused" signal. */
    private static final Map<String, Integer> PAUSES = new HashMap<>();
    /** Counts {@link #configure} calls: a pause of an older plan ends. */
    private static volatile int generation;

    private Faults() {}

    /**
     * Sees every hit before the configured plan (test support for the deterministic in-process
     * harness of reliability.md §2.3, which must know which simulated process reached a point and
     * may end it right there by throwing). It runs on the hitting thread; null removes it. A test
     * that installs one must remove it in a {@code finally}: the registry is JVM-global.
     */
    @FunctionalInterface
    public interface Interceptor {
        void hit(String point);
    }

    /** Installs {@code i} (null: none), replacing any other; the configured plan is unaffected. */
    public static void intercept(Interceptor i) {
        interceptor = i;
    }

    /** True when any fault is configured or an {@link Interceptor} is installed. */
    public static boolean active() {
        return plan != null || interceptor != null;
    }

    /** Records a hit of {@code point} and performs whatever fault is due there. */
    public static Effect hit(String point) {
        Interceptor i = interceptor;
        if (i != null) i.hit(point);
        Plan p = plan;
        return p == null ? Effect.NONE : p.hit(point);
    }

    /**
     * Replaces the configuration (same syntax as {@code COJSON_FAULTS}); null or blank turns every
     * fault off. Hit counts start over.
     *
     * @throws IllegalArgumentException on a malformed entry (the old configuration stays)
     */
    public static void configure(String spec) {
        Plan parsed = Plan.parse(spec);
        synchronized (PAUSES) {
            PAUSES.clear();
            plan = parsed;
            generation++; // threads parked by the old plan go on (a test's clean-up never leaves one parked)
        }
    }

    /**
     * How many times a thread of this process reached a {@code pause} at {@code point} since the
     * last {@link #configure} (the in-process counterpart of the {@code COJSON_FAULT <point> paused}
     * line, for tests that must know a writer is parked before asserting anything).
     */
    public static int pausesReached(String point) {
        synchronized (PAUSES) {
            return PAUSES.getOrDefault(point, 0);
        }
    }

    /** Waits until {@link #pausesReached}{@code (point) >= n}; false if {@code timeout} passes first. */
    public static boolean awaitPaused(String point, int n, java.time.Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (PAUSES) {
            while (PAUSES.getOrDefault(point, 0) < n) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return false;
                TimeUnit.NANOSECONDS.timedWait(PAUSES, left);
            }
            return true;
        }
    }

    /** {@code cojson.faults.dir} (or {@code COJSON_FAULTS_DIR}), else {@code <tmp>/cojson-faults}. */
    public static Path faultsDir() {
        String dir = System.getProperty("cojson.faults.dir");
        if (dir == null) dir = System.getenv("COJSON_FAULTS_DIR");
        Path p = dir != null ? Paths.get(dir) : Paths.get(System.getProperty("java.io.tmpdir"), "cojson-faults");
        try {
            Files.createDirectories(p);
        } catch (IOException e) {
            // the pause still polls; the harness owns the directory
        }
        return p;
    }

    private static Plan initialPlan() {
        String spec = System.getProperty("cojson.faults");
        if (spec == null) spec = System.getenv("COJSON_FAULTS");
        try {
            return Plan.parse(spec);
        } catch (IllegalArgumentException e) {
            System.err.println("COJSON_FAULTS ignored: " + e.getMessage());
            return null;
        }
    }

    private static final class Entry {
        final String after;
        final String point;
        final String action;
        final String arg;
        final long nth;
        final boolean every;
        final AtomicLong hits = new AtomicLong();
        volatile boolean armed;

        Entry(String after, String point, String action, String arg, long nth, boolean every) {
            this.after = after;
            this.point = point;
            this.action = action;
            this.arg = arg;
            this.nth = nth;
            this.every = every;
            this.armed = after == null;
        }

        boolean due() {
            long n = hits.incrementAndGet();
            return every || n == (nth > 0 ? nth : 1);
        }

        Effect fire(String at) {
            switch (action) {
                case "drop":
                    return Effect.DROP;
                case "dup":
                    return Effect.DUP;
                case "delay":
                    sleep(Long.parseLong(arg));
                    return Effect.NONE;
                case "halt":
                    Runtime.getRuntime().halt(137);
                    return Effect.NONE;
                case "pause":
                    pause(at);
                    return Effect.NONE;
                default:
                    if ("oom".equals(arg)) throw new OutOfMemoryError("injected at " + at);
                    throw new InjectedFault(at, arg, cause(arg, at));
            }
        }
    }

    private static final class Plan {
        final Map<String, List<Entry>> byPoint = new HashMap<>();
        final Map<String, List<Entry>> byAfter = new HashMap<>();

        static Plan parse(String spec) {
            if (spec == null || Compat.isBlank(spec)) return null;
            Plan p = new Plan();
            for (String raw : spec.split(",")) {
                String e = raw.trim();
                if (e.isEmpty()) continue;
                Entry entry = parseEntry(e);
                p.byPoint.computeIfAbsent(entry.point, k -> new ArrayList<>()).add(entry);
                if (entry.after != null) p.byAfter.computeIfAbsent(entry.after, k -> new ArrayList<>()).add(entry);
            }
            return p.byPoint.isEmpty() ? null : p;
        }

        private static Entry parseEntry(String e) {
            String after = null;
            if (e.startsWith("after:")) {
                int slash = e.indexOf('/');
                if (slash < 0) throw new IllegalArgumentException("expected after:<point>/<entry>, got " + e);
                after = e.substring("after:".length(), slash);
                e = e.substring(slash + 1);
            }
            int eq = e.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("expected point=action, got " + e);
            String point = e.substring(0, eq);
            String act = e.substring(eq + 1);
            boolean every = act.endsWith("*");
            long nth = 0;
            if (every) {
                act = act.substring(0, act.length() - 1);
            } else if (act.lastIndexOf('@') > 0) {
                int at = act.lastIndexOf('@');
                nth = parseLong(act.substring(at + 1), e);
                if (nth < 1) throw new IllegalArgumentException("@n must be at least 1 in " + e);
                act = act.substring(0, at);
            }
            int colon = act.indexOf(':');
            String name = colon < 0 ? act : act.substring(0, colon);
            String arg = colon < 0 ? null : act.substring(colon + 1);
            switch (name) {
                case "pause":
                case "halt":
                case "drop":
                case "dup":
                    if (arg != null) throw new IllegalArgumentException(name + " takes no argument in " + e);
                    break;
                case "delay":
                    if (arg == null || parseLong(arg, e) < 0) throw new IllegalArgumentException("expected delay:<ms> in " + e);
                    break;
                case "throw":
                    if (arg == null || !List.of("io", "closed", "rejected", "interrupted", "oom").contains(arg)) {
                        throw new IllegalArgumentException("expected throw:io|closed|rejected|interrupted|oom in " + e);
                    }
                    break;
                default:
                    throw new IllegalArgumentException("unknown fault action '" + name + "' in " + e);
            }
            return new Entry(after, point, name, arg, nth, every);
        }

        private static long parseLong(String s, String entry) {
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException("not a number: '" + s + "' in " + entry);
            }
        }

        Effect hit(String point) {
            List<Entry> entries = byPoint.get(point);
            List<Entry> due = null;
            if (entries != null) {
                for (Entry e : entries) {
                    if (e.armed && e.due()) {
                        if (due == null) due = new ArrayList<>(1);
                        due.add(e);
                    }
                }
            }
            List<Entry> arming = byAfter.get(point); // armed after deciding: the arming hit never fires what it arms
            if (arming != null) {
                for (Entry e : arming) e.armed = true;
            }
            Effect effect = Effect.NONE;
            if (due != null) {
                for (Entry e : due) {
                    Effect f = e.fire(point);
                    if (f == Effect.DROP || effect == Effect.DROP) {
                        effect = Effect.DROP;
                    } else if (f == Effect.DUP) {
                        effect = Effect.DUP;
                    }
                }
            }
            return effect;
        }
    }

    private static Throwable cause(String kind, String point) {
        String msg = "injected at " + point;
        switch (kind) {
            case "io":
                return new IOException(msg);
            case "closed":
                return new ClosedChannelException();
            case "rejected":
                return new RejectedExecutionException(msg);
            default:
                return new InterruptedException(msg);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Blocks until {@code release-<point>} exists in {@link #faultsDir()}, or the plan is configured
     * again (bounded by 10 minutes).
     */
    private static void pause(String point) {
        System.err.println("COJSON_FAULT " + point + " paused");
        System.err.flush();
        int planned;
        synchronized (PAUSES) {
            PAUSES.merge(point, 1, Integer::sum);
            PAUSES.notifyAll();
            planned = generation;
        }
        Path release = faultsDir().resolve("release-" + point);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PAUSE_LIMIT_MS);
        while (!Files.exists(release) && generation == planned) {
            if (System.nanoTime() - deadline > 0) {
                System.err.println("COJSON_FAULT " + point + " pause timed out");
                return;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
