package io.cojson.tools.bench;

import java.util.List;
import java.util.Locale;

/** The workload names and how to run one in this process (spec: benchmarks.md). */
public final class Workloads {
    public static final List<String> ALL = List.of("W1", "W2", "W3", "W4", "W5", "W6", "W7", "W8");

    private Workloads() {}

    public static String normalize(String name) {
        String w = name.toUpperCase(Locale.ROOT);
        return ALL.contains(w) ? w : null;
    }

    /**
     * Runs one workload in this process. {@code n} overrides the spec's size (null: the spec's
     * value; W4 scales its inserts to n/6 of the total like 2 000 of 12 000), for quick runs only.
     *
     * W5 and W7 run against the reference server in the default interop dir.
     */
    public static BenchResult run(String workload, Integer n, int warmRepeats) {
        return run(workload, n, warmRepeats, W5SyncE2E.Server.REF, W5SyncE2E.defaultInteropDir());
    }

    /** As {@link #run(String, Integer, int)}, with W5's and W7's server and interop dir. */
    public static BenchResult run(String workload, Integer n, int warmRepeats, W5SyncE2E.Server w5Server,
                                  java.io.File interopDir) {
        return run(workload, n, warmRepeats, w5Server, interopDir, null);
    }

    /**
     * As above; {@code clients} is W7's number of subscribers (null: the spec's 50). For W7
     * {@code n} is the number of edits, for W8 the number of list items.
     */
    public static BenchResult run(String workload, Integer n, int warmRepeats, W5SyncE2E.Server w5Server,
                                  java.io.File interopDir, Integer clients) {
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
            case "W7":
                return W7FanOut.run(clients == null ? W7FanOut.DEFAULT_CLIENTS : clients,
                        n == null ? W7FanOut.DEFAULT_EDITS : n, w5Server, interopDir);
            case "W8":
                return W8LargeList.run(n == null ? W8LargeList.DEFAULT_ITEMS : n, W8LargeList.DEFAULT_PER_TX);
            default:
                throw new IllegalArgumentException("unknown workload " + workload);
        }
    }
}
