package io.cojson.core.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.crypto.Crypto;
import io.cojson.core.crypto.CryptoException;
import io.cojson.core.crypto.CryptoProvider;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * One local transaction's signature, made exactly once by whichever thread claims it: a reader
 * that finds it being made by another thread waits for that signature (bounded) rather than
 * signing again, and a signing failure reaches the reader. The real Ed25519 provider, slowed down
 * by a latch so that the reader really arrives while the signature is being made.
 */
class PendingSignatureTest {
    private static final Crypto CRYPTO = Crypto.create();
    private static final byte[] SEED = new byte[32];
    private static final byte[] MESSAGE = "\"hash_z1\"".getBytes(StandardCharsets.US_ASCII);

    /** The real provider; {@code ed25519Sign} first runs {@code before} (counting the calls). */
    private static CryptoProvider signing(AtomicInteger calls, Runnable before) {
        CryptoProvider real = CRYPTO.provider();
        return (CryptoProvider) Proxy.newProxyInstance(CryptoProvider.class.getClassLoader(), new Class<?>[] {CryptoProvider.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("ed25519Sign")) {
                        calls.incrementAndGet();
                        before.run();
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static void await(CountDownLatch latch, String what) {
        try {
            assertTrue(latch.await(10, TimeUnit.SECONDS), what);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aReaderWaitsForTheSignatureAnotherThreadIsMaking() throws Exception {
        CountDownLatch signing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        PendingSignature p = new PendingSignature(signing(calls, () -> {
            signing.countDown();
            await(release, "released");
        }), SEED, MESSAGE);
        AtomicReference<Boolean> claimed = new AtomicReference<>();
        Thread signer = new Thread(() -> claimed.set(p.runIfUnclaimed()), "test-signer");
        signer.start();
        await(signing, "the claimant signs");
        AtomicReference<Object> read = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try {
                read.set(p.get());
            } catch (RuntimeException e) {
                read.set(e);
            }
        }, "test-reader");
        reader.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (reader.getState() != Thread.State.TIMED_WAITING && reader.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(1); // until the reader waits for the claimant (bounded)
        }
        release.countDown();
        reader.join(10_000);
        signer.join(10_000);
        assertFalse(reader.isAlive(), "the reader is woken when the signature is made, not at its 30 s limit");
        assertTrue(read.get() instanceof byte[], "the reader got " + read.get());
        assertArrayEquals(CRYPTO.provider().ed25519Sign(SEED, MESSAGE), (byte[]) read.get(), "the claimant's signature");
        assertEquals(1, calls.get(), "signed once");
        assertEquals(Boolean.TRUE, claimed.get());
        assertFalse(p.runIfUnclaimed(), "nothing left to sign");
        assertArrayEquals((byte[]) read.get(), p.get());
    }

    @Test
    void aSigningFailureReachesTheReader() {
        AtomicInteger calls = new AtomicInteger();
        PendingSignature p = new PendingSignature(signing(calls, () -> { }), new byte[5], MESSAGE); // not a 32-byte seed
        assertTrue(p.runIfUnclaimed());
        CryptoException e = assertThrows(CryptoException.class, p::get);
        assertTrue(e.getMessage().startsWith("signing a local transaction failed"), e.getMessage());
        assertEquals(1, calls.get());
    }
}
