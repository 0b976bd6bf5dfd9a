package io.cojson.core.session;

import io.cojson.core.crypto.Blake3Hasher;
import io.cojson.core.crypto.Crypto;
import io.cojson.core.encoding.Base58;
import io.cojson.core.encoding.InvalidEncodingException;
import io.cojson.core.ids.Encrypted;
import io.cojson.core.ids.Hash;
import io.cojson.core.ids.KeyID;
import io.cojson.core.ids.KeySecret;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.ids.Signature;
import io.cojson.core.ids.SignerID;
import io.cojson.core.ids.SignerSecret;
import io.cojson.core.ids.TransactionID;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * One session's signed transaction log (wire-format §9). The running hash is BLAKE3 over the
 * concatenated canonical JSON of every transaction from index 0; a signature after transaction i
 * is Ed25519 over the text {@code "hash_z…"} (with the quotes) of the hash after i, and so
 * authenticates the whole prefix. The signer is bound when the log is created.
 *
 * <p>Unlike the reference, a failed verification leaves the log exactly as it was (the reference
 * keeps the failed batch staged and then rejects every later batch for that session). Not
 * thread-safe: the owning CoValue serializes access.
 */
public final class SessionLog {
    /** The reference's {@code MAX_RECOMMENDED_TX_SIZE}: in-between signature threshold. */
    public static final int DEFAULT_CHECKPOINT_BYTES = 102_400;
    /** Locally created transactions larger than this cannot be synced by the reference. */
    public static final int MAX_TX_CHANGES_BYTES = 1_048_576;

    private final Crypto crypto;
    private final SessionID sessionID;
    private final SignerID signer;
    private final byte[] signerKey;
    private final int checkpointBytes;
    private final List<Transaction> transactions = new ArrayList<>();
    private final NavigableMap<Integer, Signature> signatureAfter = new TreeMap<>();
    private Blake3Hasher hasher;
    /** The running hash; for local writes materialized lazily from {@link #lastHashText}. */
    private Hash lastHash;
    private String lastHashText;
    /**
     * The last signature; its text form is materialized lazily from {@link #lastSignatureBytes},
     * which for a local write is made lazily from {@link #pendingLast} (see {@link BackgroundSigner}).
     */
    private Signature lastSignature;
    private byte[] lastSignatureBytes;
    /** The received (checked) text of the last signature, when it came from a peer; its bytes may then be null. */
    private String lastSignatureText;
    private PendingSignature pendingLast;
    /** Checkpoints of local writes whose signature may still be in the making. */
    private final NavigableMap<Integer, PendingSignature> pendingCheckpoints = new TreeMap<>();
    private int bytesSinceCheckpoint;
    /** The last secret checked against {@link #signer}, and its decoded seed (derivation is costly). */
    private SignerSecret checkedSecret;
    private byte[] checkedSeed;

    public SessionLog(Crypto crypto, SessionID sessionID, SignerID signer) {
        this(crypto, sessionID, signer, DEFAULT_CHECKPOINT_BYTES);
    }

    public SessionLog(Crypto crypto, SessionID sessionID, SignerID signer, int checkpointBytes) {
        this.crypto = crypto;
        this.sessionID = sessionID;
        this.signer = signer;
        this.signerKey = signer.bytes();
        this.checkpointBytes = checkpointBytes;
        this.hasher = crypto.provider().newBlake3();
    }

    public SessionID sessionID() {
        return sessionID;
    }

    public SignerID signer() {
        return signer;
    }

    public int size() {
        return transactions.size();
    }

    public List<Transaction> transactions() {
        return Collections.unmodifiableList(transactions);
    }

    public Transaction get(int index) {
        return transactions.get(index);
    }

    /** The signature after the last transaction, or null for an empty log. */
    public Signature lastSignature() {
        settle();
        if (lastSignature == null) {
            if (lastSignatureText != null) lastSignature = new Signature(lastSignatureText);
            else if (lastSignatureBytes != null) lastSignature = Signature.fromBytes(lastSignatureBytes);
        }
        return lastSignature;
    }

    /** The text of {@link #lastHash()} without making a Hash (null for an empty log). */
    private String lastHashText() {
        return lastHashText != null ? lastHashText : lastHash != null ? lastHash.value() : null;
    }

    /** The running hash after the last transaction, or null for an empty log. */
    public Hash lastHash() {
        if (lastHash == null && lastHashText != null) lastHash = new Hash(lastHashText);
        return lastHash;
    }

    /** In-between checkpoint signatures by transaction index (content pieces end there). */
    public NavigableMap<Integer, Signature> signatureAfter() {
        settle();
        return Collections.unmodifiableNavigableMap(signatureAfter);
    }

    // ---- local writes ----

    /** Appends and signs a trusting transaction; {@code changesJson} is JSON.stringify of the ops. */
    public SignedTransaction appendTrusting(SignerSecret secret, String changesJson, long madeAt, String metaJson) {
        int bytes = checkLocalSize(changesJson);
        return appendLocal(secret, new Transaction.Trusting(changesJson, madeAt, metaJson), bytes);
    }

    /**
     * Encrypts and appends a private transaction. Changes and meta are encrypted with the same key
     * and the same nonce ({@code {in: coID, tx: {sessionID, txIndex}}}), as the reference does.
     */
    public SignedTransaction appendPrivate(SignerSecret secret, RawCoID coID, KeyID keyID, KeySecret key,
            String changesJson, long madeAt, String metaJson) {
        checkLocalSize(changesJson);
        var material = new TransactionID(sessionID, transactions.size()).nonceMaterial(coID);
        Encrypted changes = crypto.encryptBytes(changesJson.getBytes(StandardCharsets.UTF_8), key, material);
        Encrypted meta = metaJson == null ? null : crypto.encryptBytes(metaJson.getBytes(StandardCharsets.UTF_8), key, material);
        Transaction.Private tx = new Transaction.Private(changes.value(), keyID.value(), madeAt, meta == null ? null : meta.value());
        // encrypted_U… is base64url text we just made: ASCII, one UTF-8 byte per char
        return appendLocal(secret, tx, tx.encryptedChanges().length());
    }

    /** The changes' UTF-8 length, if within the limit. */
    private int checkLocalSize(String changesJson) {
        int bytes = TransactionCodec.utf8Length(changesJson);
        if (bytes > MAX_TX_CHANGES_BYTES) {
            throw new TransactionTooLargeException(bytes, MAX_TX_CHANGES_BYTES);
        }
        return bytes;
    }

    /** {@code checkpointSize} is {@code tx.checkpointSize()}, already known to the caller. */
    private SignedTransaction appendLocal(SignerSecret secret, Transaction tx, int checkpointSize) {
        byte[] seed = seedFor(secret);
        hasher.update(tx.canonicalJson().getBytes(StandardCharsets.UTF_8));
        // The hash text is built here and not re-validated (Hash's constructor decodes it again).
        String hashText = Hash.PREFIX + Base58.encode(hasher.digest());
        // Every transaction is signed; the signature is made on the background signer's thread
        // when it has room (or by the first reader that needs it), else here.
        PendingSignature sig = new PendingSignature(crypto.provider(), seed, quoted(hashText));
        if (!BackgroundSigner.offer(sig)) sig.runIfUnclaimed();
        int index = transactions.size();
        transactions.add(tx);
        lastHash = null;
        lastHashText = hashText;
        lastSignature = null;
        lastSignatureBytes = null;
        lastSignatureText = null;
        pendingLast = sig;
        bytesSinceCheckpoint += checkpointSize;
        boolean checkpoint = bytesSinceCheckpoint > checkpointBytes;
        if (checkpoint) {
            pendingCheckpoints.put(index, sig);
            bytesSinceCheckpoint = 0;
        }
        return new SignedTransaction(index, tx, hashText, sig, checkpoint);
    }

    /** Collects signatures made in the background (making any that nobody started yet). */
    private void settle() {
        if (pendingLast != null) {
            lastSignatureBytes = pendingLast.get();
            lastSignatureText = null;
            pendingLast = null;
        }
        if (!pendingCheckpoints.isEmpty()) {
            pendingCheckpoints.forEach((i, p) -> signatureAfter.put(i, Signature.fromBytes(p.get())));
            pendingCheckpoints.clear();
        }
    }

    /**
     * Waits until every local transaction written so far in this JVM is signed, making queued
     * signatures on the calling thread. Writes sign in the background ({@link BackgroundSigner});
     * benchmarks call this so that their timed work includes every signature.
     */
    public static void awaitBackgroundSignatures() {
        BackgroundSigner.drain();
    }

    /** How many local transactions of this JVM wait for (or are getting) their background signature. */
    public static int pendingBackgroundSignatures() {
        return BackgroundSigner.queued();
    }

    private byte[] seedFor(SignerSecret secret) {
        if (!secret.equals(checkedSecret)) {
            if (!crypto.getSignerID(secret).equals(signer)) {
                throw new IllegalArgumentException("signer secret does not belong to this session's signer " + signer);
            }
            checkedSeed = secret.bytes();
            checkedSecret = secret;
        }
        return checkedSeed;
    }

    private static byte[] quoted(String hashText) {
        int n = hashText.length();
        byte[] b = new byte[n + 2];
        b[0] = '"';
        for (int i = 0; i < n; i++) b[i + 1] = (byte) hashText.charAt(i); // ASCII only (prefix and base58)
        b[n + 1] = '"';
        return b;
    }

    private void recordCheckpoint(int size, int lastIndex, String sigText) {
        bytesSinceCheckpoint += size;
        if (bytesSinceCheckpoint > checkpointBytes) {
            signatureAfter.put(lastIndex, new Signature(sigText));
            bytesSinceCheckpoint = 0;
        }
    }

    // ---- received batches ----

    /**
     * Verifies a received batch that starts at index {@code after} and appends it if the given
     * signature signs our running hash over everything up to the batch's last transaction.
     * Transactions we already hold are trimmed first (the sync layer does the same).
     */
    public AddResult tryAdd(int after, List<Transaction> batch, String lastSignatureText) {
        return tryAdd(after, batch, lastSignatureText, null);
    }

    /**
     * {@link #tryAdd(int, List, String)} where {@code canonical} (nullable) holds the batch's
     * canonical JSON as it arrived (entry i for {@code batch.get(i)}), hashed without re-serializing.
     */
    public AddResult tryAdd(int after, List<Transaction> batch, String lastSignatureText, CanonicalSlices canonical) {
        return tryAdd(after, batch, lastSignatureText, canonical, null);
    }

    /** As above; {@code prefetch} (nullable) may already have verified the signature on another thread. */
    public AddResult tryAdd(int after, List<Transaction> batch, String lastSignatureText, CanonicalSlices canonical,
            SignaturePrefetch prefetch) {
        if (after < 0 || after > transactions.size()) {
            return reject(null, lastSignatureText, VerificationFailure.Kind.NOT_CONTIGUOUS,
                    "batch starts at " + after + " but the session has " + transactions.size() + " transactions");
        }
        int skip = transactions.size() - after;
        if (skip >= batch.size()) return new AddResult.Added(transactions.size()); // nothing new
        List<Transaction> fresh = skip > 0 ? batch.subList(skip, batch.size()) : batch;
        return tryAppend(fresh, lastSignatureText, canonical, Math.max(skip, 0), prefetch);
    }

    /** Verifies {@code batch} as the continuation of this log (index {@link #size()} onwards). */
    public AddResult tryAppend(List<Transaction> batch, String lastSignatureText) {
        return tryAppend(batch, lastSignatureText, null, 0, null);
    }

    private AddResult tryAppend(List<Transaction> batch, String lastSignatureText, CanonicalSlices canonical, int canonicalOffset,
            SignaturePrefetch prefetch) {
        if (batch.isEmpty()) return new AddResult.Added(transactions.size());
        settle();
        // the prefetch thread may have hashed this very batch from this very state already
        SignaturePrefetch.Hashed ahead = prefetch == null || canonicalOffset != 0 ? null : prefetch.takeHashed(batch);
        boolean adopt = ahead != null && ahead.startCount() == transactions.size()
                && java.util.Objects.equals(ahead.startHash(), lastHashText());
        Blake3Hasher staged = adopt ? ahead.after() : hasher.copy();
        int size = 0;
        for (int i = 0; i < batch.size(); i++) size += stage(staged, adopt, canonical, canonicalOffset + i, batch.get(i));
        // the hash text is built here and not re-validated (as for local writes)
        String expected = adopt ? ahead.hash() : Hash.PREFIX + Base58.encode(staged.digest());
        // A signature the prefetch thread verified was decoded there: it is well-formed. Any other
        // is decoded (checked) here; either way the Signature is made only when asked for.
        byte[] sigBytes = null;
        if (prefetch == null || !prefetch.verified(signer, expected, lastSignatureText)) {
            sigBytes = decodeSignature(lastSignatureText);
            if (sigBytes == null) {
                return reject(null, lastSignatureText, VerificationFailure.Kind.MALFORMED_SIGNATURE, signatureProblem(lastSignatureText));
            }
            if (!crypto.provider().ed25519Verify(signerKey, quoted(expected), sigBytes)) {
                return reject(new Hash(expected), lastSignatureText, VerificationFailure.Kind.SIGNATURE_MISMATCH,
                        "Core error: Signature verification failed: (hash: " + expected + ")");
            }
        }
        hasher = staged;
        transactions.addAll(batch);
        lastHash = null;
        lastHashText = expected;
        lastSignature = null;
        lastSignatureBytes = sigBytes;
        this.lastSignatureText = lastSignatureText;
        recordCheckpoint(size, transactions.size() - 1, lastSignatureText);
        return new AddResult.Added(transactions.size());
    }

    /**
     * Hashes one received transaction into {@code staged} (unless the prefetch {@code hashed} it
     * already) and answers its checkpoint size. A method per transaction: a batch of thousands
     * arrives a few times per process, too rarely for a JVM to compile a loop body inlined in
     * {@link #tryAppend}, while this is compiled after a few hundred calls.
     */
    private static int stage(Blake3Hasher staged, boolean hashed, CanonicalSlices canonical, int index, Transaction tx) {
        if (canonical != null) {
            if (!hashed) canonical.hash(staged, index, tx);
            return canonical.checkpointSize(index, tx);
        }
        if (!hashed) staged.update(tx.canonicalJson().getBytes(StandardCharsets.UTF_8));
        return tx.checkpointSize();
    }

    /**
     * The reference's decoding error for a received signature text ({@code Core error: Invalid
     * decoding prefix}, {@code Invalid base58}, {@code Invalid key length}), or null when it is a
     * well-formed 64-byte {@code signature_z…}. Stricter than the reference in one respect: the
     * reference decodes whatever follows the first {@code _z}; we require the {@code signature_z}
     * prefix, which every reference peer writes.
     */
    /** The 64 signature bytes of a well-formed {@code signature_z…} text, else null (see {@link #signatureProblem}). */
    private static byte[] decodeSignature(String text) {
        if (text == null || !text.startsWith(Signature.PREFIX)) return null;
        try {
            byte[] payload = Base58.decode(text.substring(Signature.PREFIX.length()));
            return payload.length == Signature.BYTES ? payload : null;
        } catch (InvalidEncodingException e) {
            return null;
        }
    }

    static String signatureProblem(String text) {
        if (text == null || !text.startsWith(Signature.PREFIX)) return "Core error: Invalid decoding prefix";
        byte[] payload;
        try {
            payload = Base58.decode(text.substring(Signature.PREFIX.length()));
        } catch (InvalidEncodingException e) {
            return "Core error: Invalid base58";
        }
        return payload.length == Signature.BYTES ? null : "Core error: Invalid key length";
    }

    /** Parses {@code transactionsJson} with the reference's rules, then {@link #tryAppend}. */
    public AddResult tryAppendJson(String transactionsJson, String lastSignatureText) {
        List<Transaction> batch;
        try {
            batch = TransactionCodec.parseArray(transactionsJson);
        } catch (MalformedTransactionException e) {
            return reject(null, lastSignatureText, VerificationFailure.Kind.MALFORMED_TRANSACTION, e.getMessage());
        }
        return tryAppend(batch, lastSignatureText);
    }

    private AddResult reject(Hash expected, String sig, VerificationFailure.Kind kind, String message) {
        return new AddResult.Rejected(new VerificationFailure(
                sessionID, transactions.size() - 1, lastHash(), expected, sig, kind, message));
    }

    /** A deep copy (same signer, transactions, hash state and checkpoints). */
    /**
     * A copy of the first {@code n} transactions, ready to be continued by local writes exactly as
     * this log's writer would have continued it at that point (same running hash, same checkpoint
     * bookkeeping); its last signature is known only when a checkpoint ends the prefix. Used to
     * re-derive transactions deterministically (recovery.md §5.3).
     */
    public SessionLog prefix(int n) {
        if (n < 0 || n > size()) throw new IndexOutOfBoundsException("prefix of " + n + " in a log of " + size());
        settle();
        SessionLog c = new SessionLog(crypto, sessionID, signer, checkpointBytes);
        int lastCheckpoint = -1;
        for (var e : signatureAfter.headMap(n, false).entrySet()) {
            c.signatureAfter.put(e.getKey(), e.getValue());
            lastCheckpoint = e.getKey();
        }
        for (int i = 0; i < n; i++) {
            Transaction t = transactions.get(i);
            c.transactions.add(t);
            c.hasher.update(t.canonicalJson().getBytes(StandardCharsets.UTF_8));
            if (i > lastCheckpoint) c.bytesSinceCheckpoint += t.checkpointSize();
        }
        if (n > 0) {
            c.lastHash = Hash.fromBytes(c.hasher.digest());
            c.lastSignature = n == size() ? lastSignature() : signatureAfter.get(n - 1);
        }
        return c;
    }

    public SessionLog copy() {
        SessionLog c = new SessionLog(crypto, sessionID, signer, checkpointBytes);
        c.transactions.addAll(transactions);
        c.signatureAfter.putAll(signatureAfter);
        c.pendingCheckpoints.putAll(pendingCheckpoints);
        c.pendingLast = pendingLast;
        c.hasher = hasher.copy();
        c.lastHash = lastHash;
        c.lastHashText = lastHashText;
        c.lastSignature = lastSignature;
        c.lastSignatureBytes = lastSignatureBytes;
        c.lastSignatureText = lastSignatureText;
        c.bytesSinceCheckpoint = bytesSinceCheckpoint;
        return c;
    }
}
