package io.cojson.samples.bench;

/**
 * W5 (A writes, B converges through a sync server) needs WebSocket clients that speak the sync
 * protocol; cojson-sync has no such layer yet, so this workload refuses to run rather than
 * measure something else.
 */
public final class W5SyncE2E {
    public static final String UNAVAILABLE = "W5 needs the sync layer (issue: Sync)";

    private W5SyncE2E() {}

    /** Whether W5 can run in this build. */
    public static boolean available() {
        return false;
    }

    public static BenchResult run(int n) {
        throw new UnsupportedOperationException(UNAVAILABLE);
    }
}
