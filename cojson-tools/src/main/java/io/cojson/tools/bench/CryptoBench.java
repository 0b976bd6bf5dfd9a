package io.cojson.tools.bench;

import io.cojson.core.crypto.Crypto;
import io.cojson.core.crypto.CryptoProvider;
import io.cojson.core.ids.AgentID;
import io.cojson.core.ids.AgentSecret;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.ids.TransactionID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import io.cojson.core.session.SessionLog;
import java.util.function.Supplier;

/**
 * {@code bench crypto}: the primitives and a signed transaction of one provider. Each measurement
 * warms up, then runs for a fixed time; one JSON line per measurement.
 */
public final class CryptoBench {
    private final Crypto crypto;
    private final double seconds;

    public CryptoBench(Crypto crypto, double seconds) {
        this.crypto = crypto;
        this.seconds = seconds;
    }

    public void run() {
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

        measure("ed25519.sign", () -> p.ed25519Sign(seed, msg));
        measure("ed25519.verify", () -> p.ed25519Verify(pub, msg, sig));
        measure("blake3.1KB", () -> p.blake3(kb));
        measure("blake3.1MB", () -> p.blake3(mb));
        measure("encrypt", () -> crypto.encrypt(value, key.secret(), material));
        measure("seal", () -> crypto.seal(value, agent.sealer(), otherID.sealer(), material));
        SessionLog[] log = {new SessionLog(crypto, session, agentID.signer())};
        measure("signedTransaction", () -> {
            if (log[0].size() >= 50_000) log[0] = new SessionLog(crypto, session, agentID.signer());
            return log[0].appendTrusting(agent.signer(), changes, 1735689600000L, null);
        });
    }

    private void measure(String name, Supplier<Object> op) {
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
                "provider", JsonValue.of(crypto.provider().name()),
                "ops", JsonValue.of(ops),
                "usPerOp", JsonValue.of(Math.round(nsPerOp / 10.0) / 100.0),
                "opsPerSec", JsonValue.of(Math.round(1e9 / nsPerOp)),
                "sinkHash", JsonValue.of(System.identityHashCode(sink) & 1))));
    }
}
