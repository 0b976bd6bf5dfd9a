package io.cojson.tools.bench;

import io.cojson.core.crypto.Crypto;
import io.cojson.core.crypto.CryptoProvider;
import io.cojson.core.crypto.CryptoProviders;
import io.cojson.tools.bench.BenchAll;
import io.cojson.tools.bench.BenchResult;
import io.cojson.tools.bench.CryptoBench;
import io.cojson.tools.bench.W5SyncE2E;
import io.cojson.tools.bench.W7FanOut;
import io.cojson.tools.bench.Workloads;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bench W1..W8}: one workload of benchmarks.md in this JVM, one JSON line.
 * {@code bench all}: every workload in its own fresh JVM. {@code bench crypto}: the primitives.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Run benchmarks; one JSON line per result.")
public final class BenchCommand implements Callable<Integer> {
    /** {@code bench}'s arguments without the command name: the entry point of 'all''s child JVMs. */
    public static void main(String[] args) {
        System.exit(new picocli.CommandLine(new BenchCommand()).execute(args));
    }

    @Parameters(arity = "1..*", description = "W1..W8 (in this JVM; W8 loads in a fresh child JVM), all (a fresh JVM per workload), crypto, or train (every workload small: the class-data-sharing training run)")
    List<String> workloads;

    @Option(names = "--repeat", defaultValue = "1", description = "Rounds for 'all'; >1 adds median lines (default ${DEFAULT-VALUE}).")
    int repeat;

    @Option(names = "--n", description = "Override the workload size (quick experiments only; not baseline numbers).")
    Integer n;

    @Option(names = "--warm", defaultValue = "5", description = "Warm repetitions of W3/W6 (default ${DEFAULT-VALUE}).")
    int warm;

    @Option(names = "--jvm-opts", description = "JVM flags of the child JVMs of 'all' (default: " + BenchAll.DEFAULT_JVM_OPTS + ").")
    String jvmOpts;

    @Option(names = "--cds", description = "'all': give the child JVMs a class-data-sharing archive of the SDK's classes (trained once per jar and flags, kept in java.io.tmpdir/cojson-cds): faster starts and storage opens, ~20 MB more RSS.")
    boolean cds;

    @Option(names = "--server", defaultValue = "ref", description = "W5/W7: the sync server, ref (JS reference server, child process) or java (a child JVM with this JVM's flags, in memory) (default ${DEFAULT-VALUE}).")
    String server;

    @Option(names = "--interop-dir", description = "W5/W7 with --server ref: the dir of sync-server.mjs (default: -Dcojson.interop.dir, else ../shared/interop).")
    java.io.File interopDir;

    @Option(names = "--clients", description = "W7: the number of subscribers (default " + W7FanOut.DEFAULT_CLIENTS + ").")
    Integer clients;

    @Option(names = "--seconds", defaultValue = "1.0", description = "crypto: measured time per benchmark (default ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--provider", defaultValue = "all", description = "crypto: bouncycastle, lazysodium or all (default ${DEFAULT-VALUE}).")
    String provider;

    @Override
    public Integer call() {
        if (repeat < 1 || repeat > 20 || warm < 0 || warm > 50 || (n != null && n < 1) || (clients != null && clients < 1)) {
            System.err.println("--repeat must be in [1, 20], --warm in [0, 50], --n and --clients positive");
            return 2;
        }
        if (workloads.size() == 1 && workloads.get(0).equals("crypto")) return crypto();
        if (workloads.size() == 1 && workloads.get(0).equals("train")) return train();
        W5SyncE2E.Server w5Server;
        try {
            w5Server = W5SyncE2E.Server.parse(server);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        java.io.File dir = interopDir != null ? interopDir : W5SyncE2E.defaultInteropDir();
        List<String> selected = new ArrayList<>();
        for (String w : workloads) {
            if (w.equalsIgnoreCase("all")) {
                selected.addAll(Workloads.ALL);
            } else if (Workloads.normalize(w) != null) {
                selected.add(Workloads.normalize(w));
            } else {
                System.err.println("unknown workload " + w + "; expected W1..W8, all, crypto or train");
                return 2;
            }
        }
        boolean inProcess = selected.size() == 1 && repeat == 1 && !workloads.get(0).equalsIgnoreCase("all");
        if (!inProcess) {
            List<String> childArgs = new ArrayList<>();
            childArgs.add("--server=" + w5Server.wireName());
            childArgs.add("--interop-dir=" + dir.getAbsolutePath());
            if (clients != null) childArgs.add("--clients=" + clients);
            return BenchAll.run(selected, repeat, n, warm, jvmOpts != null ? jvmOpts : BenchAll.DEFAULT_JVM_OPTS, childArgs, cds);
        }
        try {
            BenchResult r = Workloads.run(selected.get(0), n, warm, w5Server, dir, clients);
            System.out.println(r.toLine());
            return 0;
        } catch (UnsupportedOperationException e) {
            System.err.println("unsupported: " + e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            System.err.println(selected.get(0) + " failed: " + e.getMessage());
            e.printStackTrace();
            return 1;
        }
    }

    /** {@code bench train}: the class-data-sharing training run, for {@code -XX:ArchiveClassesAtExit=FILE}. */
    private int train() {
        try {
            CdsArchive.train();
            return 0;
        } catch (java.io.IOException | RuntimeException e) {
            System.err.println("training failed: " + e.getMessage());
            return 1;
        }
    }

    private int crypto() {
        if (seconds <= 0 || seconds > 600) {
            System.err.println("--seconds must be in (0, 600]");
            return 2;
        }
        List<CryptoProvider> providers = new ArrayList<>();
        if (provider.equals("all") || provider.equals("bouncycastle")) providers.add(CryptoProviders.bouncyCastle());
        if (provider.equals("all") || provider.equals("lazysodium")) {
            var ls = CryptoProviders.lazySodium();
            if (ls.isPresent()) {
                providers.add(ls.get());
            } else if (provider.equals("lazysodium")) {
                System.err.println("Lazysodium's native library did not load on this machine");
                return 1;
            }
        }
        if (providers.isEmpty()) {
            System.err.println("unknown provider: " + provider);
            return 2;
        }
        for (CryptoProvider p : providers) new CryptoBench(new Crypto(p), seconds).run();
        return 0;
    }
}
