package io.cojson.core.session;

import io.cojson.core.crypto.Blake3Hasher;
import io.cojson.core.crypto.Crypto;
import io.cojson.core.encoding.Base58;
import io.cojson.core.encoding.InvalidEncodingException;
import io.cojson.core.ids.Hash;
import io.cojson.core.ids.SessionID;
import io.cojson.core.ids.Signature;
import io.cojson.core.ids.SignerID;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Checks the signatures of a batch of received session pieces on a second thread, ahead of the
 * thread that applies them in order (a cold load of many CoValues spends a good part of its time
 * in one Ed25519 verification per piece). It computes each piece's running hash the way the
 * session log will (from index 0 for {@code after == 0}, or continuing an earlier piece of the
 * same session in the batch) and verifies the signature against the signer it expects.
 *
 * <p>It only ever answers "this exact (signer, hash, signature) verified": the applying thread
 * still computes the hash itself and looks the triple up, and verifies itself whenever the answer
 * is not there (not reached yet, another signer, another hash, a bad signature). So nothing is
 * accepted that a verification on the applying thread would reject. On by default when the JVM
 * has more than one processor; {@code -Dcojson.parallelVerify=false} turns it off.
 */
public final class SignaturePrefetch implements Runnable {
    public static final boolean ENABLED = Boolean.parseBoolean(System.getProperty("cojson.parallelVerify",
            String.valueOf(Runtime.getRuntime().availableProcessors() > 1)));

    /** One session piece of the batch; {@code index} is the position of its piece in the batch. */
    public record Job(int index, SessionID session, int after, List<Transaction> transactions, CanonicalSlices canonical,
            String signature) {}

    private final Crypto crypto;
    private final Function<SessionID, SignerID> signerOf;
    private final Set<String> verified = ConcurrentHashMap.newKeySet();
    /** Running hashes computed here, by the identity of the job's transaction list (taken once). */
    private final Map<Batch, Hashed> hashed = new ConcurrentHashMap<>();
    /** The jobs so far; more may be {@link #offer}ed until {@link #complete}. Guarded by itself. */
    private final List<Job> jobs;
    private boolean complete;
    /** The piece the applying thread is at: jobs of earlier pieces are no longer worth checking. */
    private volatile int applying = -1;
    private volatile boolean closed;

    /**
     * {@code signerOf} names the signer the applying thread will resolve for a session, or null
     * when unknown (it runs on the prefetch thread).
     */
    public SignaturePrefetch(Crypto crypto, List<Job> jobs, Function<SessionID, SignerID> signerOf) {
        this(crypto, new ArrayList<>(jobs), true, signerOf);
    }

    private SignaturePrefetch(Crypto crypto, List<Job> jobs, boolean complete, Function<SessionID, SignerID> signerOf) {
        this.crypto = crypto;
        this.jobs = jobs;
        this.complete = complete;
        this.signerOf = signerOf;
    }

    /**
     * A prefetch whose jobs arrive while the batch is still being read ({@link #offer}, then
     * {@link #complete}): it hashes and verifies each piece as it arrives, so that the second core
     * works during the parse, and once complete goes on from the last piece backwards.
     */
    public static SignaturePrefetch streaming(Crypto crypto, Function<SessionID, SignerID> signerOf) {
        return new SignaturePrefetch(crypto, new ArrayList<>(), false, signerOf);
    }

    /** One more job (of the next piece) of a {@link #streaming} prefetch. */
    public void offer(Job job) {
        synchronized (jobs) {
            if (complete) throw new IllegalStateException("the batch is complete");
            jobs.add(job);
            jobs.notifyAll();
        }
    }

    /** No more jobs will be offered. */
    public void complete() {
        synchronized (jobs) {
            complete = true;
            jobs.notifyAll();
        }
    }

    /** Starts checking on a daemon thread (it ends after the last job or at {@link #close}). */
    public SignaturePrefetch start() {
        Thread t = new Thread(this, "cojson-verify-prefetch");
        t.setDaemon(true);
        t.start();
        return this;
    }

    /** The applying thread is at piece {@code index} (its checks from here on are its own). */
    public void applying(int index) {
        applying = index;
    }

    /** No more lookups: the prefetch thread stops at its next job (at once if it waits for one). */
    public void close() {
        closed = true;
        hashed.clear();
        synchronized (jobs) {
            jobs.notifyAll();
        }
    }

    /** Whether this exact triple was verified (never a guess: a real Ed25519 verification said so). */
    public boolean verified(SignerID signer, String hashText, String signatureText) {
        return !verified.isEmpty() && verified.contains(key(signer, hashText, signatureText));
    }

    private static String key(SignerID signer, String hashText, String signatureText) {
        return signer.value() + ' ' + hashText + ' ' + signatureText;
    }

    /**
     * The running hash after a job's transactions, computed here from the state whose hash text
     * was {@code startHash} (null: the empty log) after {@code startCount} transactions; {@code
     * after} is a hasher in the state after them, owned by whoever takes it.
     */
    public record Hashed(int startCount, String startHash, String hash, Blake3Hasher after) {}

    /** A transaction list by identity (lists are immutable; equal lists of other pieces are other jobs). */
    private record Batch(List<Transaction> transactions) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Batch b && b.transactions == transactions;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(transactions);
        }
    }

    /**
     * The running hash this thread computed for exactly {@code batch} (the list object a job
     * named), if it got there; removed, so each is taken once. The caller must check that its log
     * is in the state the hash started from ({@link Hashed#startCount}, {@link Hashed#startHash}).
     */
    public Hashed takeHashed(List<Transaction> batch) {
        return hashed.isEmpty() ? null : hashed.remove(new Batch(batch));
    }

    private record Chain(int count, String hash, Blake3Hasher hasher) {}

    /** How long a streaming prefetch waits for the next job before it gives up. */
    private static final long MAX_IDLE_NANOS = 30_000_000_000L;

    /**
     * Computes every job's running hash in order (cheap). Jobs that arrive while the batch is
     * being read are verified at once (they are the first the applying thread will need); once it
     * is complete, the rest is verified from the last job backwards while the applying thread works
     * forwards: each verification is made once, by whichever thread gets there first, and they meet
     * in the middle. Runs on the calling thread when not started (then the batch must be complete
     * or be completed by another thread).
     */
    @Override
    public void run() {
        List<String> hashes = new ArrayList<>();
        Map<SessionID, Chain> chains = new HashMap<>();
        Map<SessionID, SignerID> signers = new HashMap<>();
        int verifiedUpTo = 0; // jobs before this one were verified (or tried) while streaming
        Job[] all;
        while (true) {
            Job job;
            boolean streaming;
            synchronized (jobs) {
                long idleSince = System.nanoTime();
                while (hashes.size() == jobs.size() && !complete && !closed) {
                    // the reading thread always completes or closes; a reader gone silent for
                    // longer than any parse takes is given up on (only a head start is lost)
                    if (System.nanoTime() - idleSince > MAX_IDLE_NANOS) return;
                    try {
                        jobs.wait(50);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                if (closed) return;
                if (hashes.size() == jobs.size()) { // complete, and every job hashed
                    all = jobs.toArray(new Job[0]);
                    break;
                }
                job = jobs.get(hashes.size());
                streaming = !complete;
            }
            String hash = hash(job, chains);
            hashes.add(hash);
            if (streaming && verifiedUpTo == hashes.size() - 1) {
                if (hash != null && job.index() > applying) verify(job, hash, signers);
                verifiedUpTo = hashes.size();
            }
        }
        for (int j = all.length - 1; j >= verifiedUpTo; j--) {
            Job job = all[j];
            if (closed || job.index() <= applying) return; // the applying thread got here
            String hash = hashes.get(j);
            if (hash != null) verify(job, hash, signers);
        }
    }

    /** The running hash after {@code job}, or null when the chain before it is not known here. */
    private String hash(Job job, Map<SessionID, Chain> chains) {
        Chain chain = chains.remove(job.session());
        Blake3Hasher h;
        String start;
        if (job.after() == 0) {
            h = crypto.provider().newBlake3();
            start = null;
        } else if (chain != null && chain.count() == job.after()) {
            h = chain.hasher();
            start = chain.hash();
        } else {
            return null;
        }
        List<Transaction> txs = job.transactions();
        for (int i = 0; i < txs.size(); i++) {
            if (job.canonical() != null) {
                job.canonical().hash(h, i, txs.get(i));
            } else {
                h.update(txs.get(i).canonicalJson().getBytes(StandardCharsets.UTF_8));
            }
        }
        String hash = Hash.PREFIX + Base58.encode(h.digest());
        // the applying thread may adopt this instead of hashing the same bytes again
        if (!closed) hashed.put(new Batch(txs), new Hashed(job.after(), start, hash, h.copy()));
        // the next piece of this session continues from here (digest() leaves the state alone)
        chains.put(job.session(), new Chain(job.after() + txs.size(), hash, h));
        return hash;
    }

    private void verify(Job job, String hash, Map<SessionID, SignerID> signers) {
        SignerID signer = signers.get(job.session());
        if (signer == null) {
            try {
                signer = signerOf.apply(job.session());
            } catch (RuntimeException e) {
                signer = null;
            }
            if (signer == null) return;
            signers.put(job.session(), signer);
        }
        byte[] sig = signatureBytes(job.signature());
        if (sig == null) return;
        if (crypto.provider().ed25519Verify(signer.bytes(), quoted(hash), sig)) {
            verified.add(key(signer, hash, job.signature()));
        }
    }

    private static byte[] signatureBytes(String text) {
        if (text == null || !text.startsWith(Signature.PREFIX)) return null;
        try {
            byte[] b = Base58.decode(text.substring(Signature.PREFIX.length()));
            return b.length == Signature.BYTES ? b : null;
        } catch (InvalidEncodingException e) {
            return null;
        }
    }

    private static byte[] quoted(String hashText) {
        byte[] b = new byte[hashText.length() + 2];
        b[0] = '"';
        for (int i = 0; i < hashText.length(); i++) b[i + 1] = (byte) hashText.charAt(i);
        b[b.length - 1] = '"';
        return b;
    }
}
