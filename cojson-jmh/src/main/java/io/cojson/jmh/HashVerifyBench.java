package io.cojson.jmh;

import io.cojson.core.crypto.Blake3Hasher;
import io.cojson.core.crypto.CryptoProvider;
import io.cojson.core.crypto.CryptoProviders;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The hash chain (1000 transactions of about 110 bytes into one running BLAKE3, the digest after
 * the last) and one Ed25519 verification, per provider; {@code -Dcojson.blake3=bouncycastle} in
 * the fork's JVM args selects Bouncy Castle's BLAKE3 for comparison.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HashVerifyBench {
    @Param({"bouncycastle", "lazysodium"})
    String provider;

    CryptoProvider p;
    byte[] tx = new byte[110];
    byte[] pub;
    byte[] msg = "\"hash_z2Evngz6MjRrjaXTKfNzY8d4MV726dHZFqXm3GSRNooVF\"".getBytes();
    byte[] sig;

    @Setup
    public void setup() {
        p = provider.equals("lazysodium") ? CryptoProviders.lazySodium().orElseThrow() : CryptoProviders.bouncyCastle();
        new Random(1).nextBytes(tx);
        byte[] seed = new byte[32];
        new Random(2).nextBytes(seed);
        pub = p.ed25519PublicKey(seed);
        sig = p.ed25519Sign(seed, msg);
    }

    @Benchmark
    public byte[] hashChainOf1000() {
        Blake3Hasher h = p.newBlake3();
        for (int i = 0; i < 1000; i++) h.update(tx);
        return h.digest();
    }

    @Benchmark
    public boolean ed25519Verify() {
        return p.ed25519Verify(pub, msg, sig);
    }
}
