package io.cojson.samples.bench;

import java.util.List;
import java.util.Locale;

/** The workload names and how to run one in this process (spec: benchmarks.md). */
public final class Workloads {
    public static final List<String> ALL = List.of("W1", "W2", "W3", "W4", "W5", "W6");

    private Workloads() {}

    public static String normalize(String name) {
        String w = name.toUpperCase(Locale.ROOT);
        return ALL.contains(w) ? w : null;
    }

    /**
     * Runs one workload in this process. {@code n} overrides the spec's size (null: the spec's
     * value; W4 scales its inserts to n/6 of the total like 2 000 of 12 000), for quick runs only.
     *
     * W5 runs against the reference server in the default interop dir.
     */
    public static BenchResult run(String workload, Integer n, int warmRepeats) {
        return run(workload, n, warmRepeats, W5SyncE2E.Server.REF, W5SyncE2E.defaultInteropDir());
    }

    /** As {@link #run(String, Integer, int)}, with W5's server and interop dir. */
    public static BenchResult run(String workload, Integer n, int warmRepeats, W5SyncE2E.Server w5Server,
                                  java.io.File interopDir) {
        switch (workload) {
            case "W1":
                return W1MapWrites.run("W1", n == null ? W1MapWrites.DEFAULT_N : n, false);
            case "W2":
                return W1MapWrites.run("W2", n == null ? W1MapWrites.DEFAULT_N : n, true);
            case "W3":
                return W3Ingest.run(n == null ? W3Ingest.DEFAULT_N : n, warmRepeats);
            case "W4":
                if (n == null) return W4ListOps.run(W4ListOps.DEFAULT_APPENDS, W4ListOps.DEFAULT_INSERTS);
                return W4ListOps.run(n - n / 6, n / 6);
            case "W5":
                return W5SyncE2E.run(n == null ? W5SyncE2E.DEFAULT_N : n, w5Server, interopDir);
            case "W6":
                return W6ColdLoad.run(n == null ? W6ColdLoad.DEFAULT_MAPS : n, warmRepeats);
            default:
                throw new IllegalArgumentException("unknown workload " + workload);
        }
    }
}
