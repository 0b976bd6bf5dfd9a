package io.cojson.samples;

import io.cojson.core.crypto.Crypto;
import io.cojson.core.crypto.CryptoProvider;
import io.cojson.core.crypto.CryptoProviders;
import io.cojson.core.ids.AgentID;
import io.cojson.core.ids.AgentSecret;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.ids.TransactionID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import io.cojson.core.session.SessionLog;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Benchmarks that print one JSON line per measurement. {@code crypto} measures the primitives and
 * a signed transaction per provider. Each measurement warms up, then runs for a fixed time.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Run benchmarks; one JSON line per result.")
final class BenchCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", description = "Workloads: crypto")
    List<String> workloads;

    @Option(names = "--seconds", defaultValue = "1.0", description = "Measured time per benchmark (default ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--provider", defaultValue = "all", description = "bouncycastle, lazysodium or all (default ${DEFAULT-VALUE}).")
    String provider;

    @Override
    public Integer call() {
        if (seconds <= 0 || seconds > 600) {
            System.err.println("--seconds must be in (0, 600]");
            return 2;
        }
        for (String w : workloads) {
            if (!w.equals("crypto")) {
                System.err.println("unknown workload: " + w + " (available: crypto)");
                return 2;
            }
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
        for (CryptoProvider p : providers) cryptoBench(new Crypto(p));
        return 0;
    }

    private void cryptoBench(Crypto crypto) {
        CryptoProvider p = crypto.provider();
        AgentSecret agent = crypto.newRandomAgentSecret();
        AgentID agentID = crypto.getAgentID(agent);
        byte[] seed = agent.signer().bytes();
        byte[] pub = agentID.signer().bytes();
        byte[] msg = "\"hash_z2Evngz6MjRrjaXTKfNzY8d4MV726dHZFqXm3GSRNooVF\"".getBytes();
        byte[] sig = p.ed25519Sign(seed, msg);
        byte[] kb = crypto.random(1024);
        byte[] mb = crypto.random(1024 * 1024);
        Crypto.NewKey key = crypto.newRandomKeySecret();
        RawCoID coID = new RawCoID("co_zBenchBenchBenchBench");
        SessionID session = crypto.newRandomSessionID(agentID.value());
        JsonValue material = new TransactionID(session, 3).nonceMaterial(coID);
        JsonValue value = JsonValue.arr(JsonValue.obj("op", JsonValue.of("set"), "key", JsonValue.of("title"), "value", JsonValue.of("Hello, world")));
        AgentSecret other = crypto.newRandomAgentSecret();
        var otherID = crypto.getAgentID(other);
        String changes = JsonWriter.stringify(value);

        run(p, "ed25519.sign", () -> p.ed25519Sign(seed, msg));
        run(p, "ed25519.verify", () -> p.ed25519Verify(pub, msg, sig));
        run(p, "blake3.1KB", () -> p.blake3(kb));
        run(p, "blake3.1MB", () -> p.blake3(mb));
        run(p, "encrypt", () -> crypto.encrypt(value, key.secret(), material));
        run(p, "seal", () -> crypto.seal(value, agent.sealer(), otherID.sealer(), material));
        SessionLog[] log = {new SessionLog(crypto, session, agentID.signer())};
        run(p, "signedTransaction", () -> {
            if (log[0].size() >= 50_000) log[0] = new SessionLog(crypto, session, agentID.signer());
            return log[0].appendTrusting(agent.signer(), changes, 1735689600000L, null);
        });
    }

    private void run(CryptoProvider p, String name, java.util.function.Supplier<Object> op) {
        long warmEnd = System.nanoTime() + (long) (seconds * 0.5e9);
        Object sink = null;
        while (System.nanoTime() < warmEnd) sink = op.get();
        long ops = 0;
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        long now;
        do {
            for (int i = 0; i < 16; i++) sink = op.get();
            ops += 16;
            now = System.nanoTime();
        } while (now < end);
        double nsPerOp = (double) (now - start) / ops;
        System.out.println(JsonWriter.stringify(JsonValue.obj(
                "bench", JsonValue.of(name),
                "provider", JsonValue.of(p.name()),
                "ops", JsonValue.of(ops),
                "usPerOp", JsonValue.of(Math.round(nsPerOp / 10.0) / 100.0),
                "opsPerSec", JsonValue.of(Math.round(1e9 / nsPerOp)),
                "sinkHash", JsonValue.of(System.identityHashCode(sink) & 1))));
    }
}
