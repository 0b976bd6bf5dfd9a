package io.cojson.core.covalue;

import io.cojson.core.crypto.Crypto;
import io.cojson.core.header.CoValueHeader;
import io.cojson.core.header.Ruleset;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.ids.SignerID;
import io.cojson.core.json.InvalidJsonException;
import io.cojson.core.json.Json;
import io.cojson.core.json.JsonValue;
import io.cojson.core.knownstate.KnownState;
import io.cojson.core.session.AddResult;
import io.cojson.core.session.CanonicalSlices;
import io.cojson.core.session.SessionLog;
import io.cojson.core.session.SignaturePrefetch;
import io.cojson.core.session.Transaction;
import io.cojson.core.session.VerificationFailure;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A CoValue: its header, its verified session logs in insertion order, and the working list of
 * transactions in arrival order with their verdicts (covalues.md §3). Views are derived from it.
 * Not thread-safe: the owning node serializes access.
 */
public final class CoValueCore {
    private final Crypto crypto;
    private final CoValueRules rules;
    private final RawCoID id;
    private final CoValueHeader header;
    private final LinkedHashMap<SessionID, SessionLog> sessions = new LinkedHashMap<>();
    private final ArrayList<TxEntry> working = new ArrayList<>();
    /** How many transactions of each session are in {@link #working}. */
    private final Map<SessionID, Integer> loaded = new java.util.HashMap<>();
    /** How many entries were ever added to {@link #working} (the next entry's arrival number). */
    private long arrivals;
    /** Bumped on every change of this CoValue's transactions; dependents compare stamps. */
    private long version;
    private long validatedDeps = Long.MIN_VALUE;
    private int validatedCount;
    private long verdictEpoch;
    private boolean validating;
    private boolean deleted;
    private CoValueRules.GroupState groupState;
    /** {@link #dependencies}, with the same IDs as an array for {@link #depsStamp}: one reference, so read together. */
    private Dependencies dependencies;
    private volatile long localCheckpoints;
    private long dependenciesVersion;
    /** The last entry of each session in {@link #working} (the next one's {@code previous}). */
    private final Map<SessionID, TxEntry> lastBySession = new java.util.HashMap<>();
    /** This value's own ID if it is a branch (its txIDs carry it), else null. */
    private final String branchId;
    private final TransactionMeta meta;

    private CoValueCore(Crypto crypto, CoValueRules rules, RawCoID id, CoValueHeader header) {
        this.crypto = crypto;
        this.rules = java.util.Objects.requireNonNull(rules, "rules");
        this.id = id;
        this.header = header;
        this.branchId = branchSourceOf(header) != null ? id.value() : null;
        this.meta = new TransactionMeta(branchId != null);
    }

    /** The source of a branch: the header's {@code meta.source} (covalues.md §13.1), or null. */
    public static RawCoID branchSourceOf(CoValueHeader header) {
        if (header.meta() instanceof JsonValue.Obj m && m.get("source") instanceof JsonValue.Str s
                && !s.value().isEmpty() && RawCoID.isValid(s.value())) {
            return new RawCoID(s.value());
        }
        return null;
    }

    /** The branch's source CoValue ID if this value is a branch, else null. */
    public RawCoID branchSource() {
        return branchId == null ? null : branchSourceOf(header);
    }

    /** The name this branch was created with ({@code meta.branch} of its header), or null. */
    public String branchName() {
        return header.meta() instanceof JsonValue.Obj m && m.get("branch") instanceof JsonValue.Str s ? s.value() : null;
    }

    /**
     * For a branch: the source frontier its start commits name (SessionID to count), or null until
     * one is known (it is private, so it needs the read key). Call after the view was refreshed.
     */
    public Map<SessionID, Integer> branchStart() {
        return meta.branchStart();
    }

    /** Metas of the merge commits parsed so far ({@code {"merged": {...}, "branch": id}}). */
    public List<JsonValue.Obj> mergeCommits() {
        return meta.mergeCommits();
    }

    /** Metas of the branch pointers parsed so far ({@code {"branch": name, "ownerId"?: id}}). */
    public List<JsonValue.Obj> branchPointers() {
        return meta.branchPointers();
    }

    /**
     * Advances whenever meta parsing (first-writer-wins, tampered merge times) marks a valid
     * transaction invalid: views that consumed it must be rebuilt.
     */
    public long metaInvalidations() {
        return meta.invalidations();
    }

    /** Parses a decrypted (or otherwise newly known) meta, in processing order. */
    void parseMeta(TxEntry e) {
        meta.parse(e);
    }

    /**
     * How many in-between checkpoint signatures local writes made here: each one completes a
     * content piece, which the sync layer sends at once. Readable without the node's lock.
     */
    public long localCheckpoints() {
        return localCheckpoints;
    }

    /** Counts a local write whose signature is a checkpoint (called with the node's lock held). */
    public void localCheckpointWritten() {
        localCheckpoints++;
    }

    /** A CoValue from a received header; throws InvalidHeaderException if it does not hash to {@code id}. */
    public static CoValueCore fromHeader(Crypto crypto, CoValueRules rules, RawCoID id, CoValueHeader header) {
        header.validate(id, crypto);
        return new CoValueCore(crypto, rules, id, header);
    }

    /** A CoValue created here (its ID is computed from the header). */
    public static CoValueCore create(Crypto crypto, CoValueRules rules, CoValueHeader header) {
        return new CoValueCore(crypto, rules, header.id(crypto), header);
    }

    public RawCoID id() {
        return id;
    }

    public CoValueHeader header() {
        return header;
    }

    public Crypto crypto() {
        return crypto;
    }

    /** The permission rules this value was created with. */
    public CoValueRules rules() {
        return rules;
    }

    public boolean isGroupOrAccount() {
        return header.ruleset() instanceof Ruleset.Group;
    }

    /** Sessions in insertion order (the order that breaks cross-session ties). */
    public Map<SessionID, SessionLog> sessions() {
        return Collections.unmodifiableMap(sessions);
    }

    public long version() {
        return version;
    }

    /** What this node holds; a deleted CoValue lists only its delete sessions (covalues.md §14). */
    public KnownState knownState() {
        LinkedHashMap<SessionID, Integer> m = new LinkedHashMap<>();
        sessions.forEach((s, log) -> {
            if (!deleted || s.isDeleteSession()) m.put(s, log.size());
        });
        return new KnownState(id, true, m);
    }

    /**
     * Verifies and adds a received batch of one session. The signer is resolved through the
     * author's account when needed; failures are returned, never thrown, and change nothing.
     */
    public AddResult tryAddTransactions(SessionID session, int after, List<Transaction> txs, String lastSignature,
            CoValueResolver resolver) {
        return tryAddTransactions(session, after, txs, lastSignature, null, null, resolver);
    }

    /** As above, with the batch's canonical JSON as it arrived (nullable; see {@link CanonicalSlices}). */
    public AddResult tryAddTransactions(SessionID session, int after, List<Transaction> txs, String lastSignature,
            CanonicalSlices canonical, SignaturePrefetch prefetch, CoValueResolver resolver) {
        if (deleted && !session.isDeleteSession()) {
            return reject(session, lastSignature, VerificationFailure.Kind.COVALUE_DELETED, "Cannot add to deleted CoValue: " + id);
        }
        SessionLog log = sessions.get(session);
        if (session.isDeleteSession()) {
            String why = DeletionRules.rejection(this, session, log == null ? 0 : log.size(), after, txs, resolver);
            if (why != null) return reject(session, lastSignature, VerificationFailure.Kind.DELETE_REJECTED, why);
        }
        if (log == null) {
            SignerID signer;
            try {
                signer = SignerResolution.signerOf(session, resolver);
            } catch (SignerResolution.UnresolvableSignerException e) {
                return new AddResult.Rejected(new VerificationFailure(session, -1, null, null, lastSignature,
                        VerificationFailure.Kind.SIGNER_UNKNOWN, e.getMessage()));
            }
            log = new SessionLog(crypto, session, signer);
        }
        int before = log.size();
        AddResult r = log.tryAdd(after, txs, lastSignature, canonical, prefetch);
        if (r instanceof AddResult.Added) {
            sessions.putIfAbsent(session, log);
            appendEntries(log, before);
            if (session.isDeleteSession() && DeletionRules.isDeleteMarker(this, log)) deleted = true;
        }
        return r;
    }

    private AddResult reject(SessionID session, String sig, VerificationFailure.Kind kind, String message) {
        SessionLog log = sessions.get(session);
        return new AddResult.Rejected(new VerificationFailure(session, log == null ? -1 : log.size() - 1,
                log == null ? null : log.lastHash(), null, sig, kind, message));
    }

    /** Whether an accepted delete marker made this CoValue a tombstone. */
    public boolean isDeleted() {
        return deleted;
    }

    /**
     * Replaces one session's history with another verified version (the recovery feature's
     * primitive): {@code txs} must verify from index 0 against the session's signer with
     * {@code lastSignature}; otherwise nothing changes. Other sessions keep their logs; the working
     * list is rebuilt in session order, as a fresh load of the same content would be, and every
     * view must be rebuilt ({@link #verdictEpoch()} advances). A deleted CoValue stays deleted.
     */
    public AddResult replaceSessionContent(SessionID session, List<Transaction> txs, String lastSignature,
            CoValueResolver resolver) {
        SessionLog old = sessions.get(session);
        SignerID signer;
        try {
            signer = old != null ? old.signer() : SignerResolution.signerOf(session, resolver);
        } catch (SignerResolution.UnresolvableSignerException e) {
            return reject(session, lastSignature, VerificationFailure.Kind.SIGNER_UNKNOWN, e.getMessage());
        }
        SessionLog fresh = new SessionLog(crypto, session, signer);
        AddResult r = fresh.tryAppend(txs, lastSignature);
        if (!(r instanceof AddResult.Added)) return r;
        sessions.put(session, fresh); // an existing key keeps its insertion position
        working.clear();
        loaded.clear();
        lastBySession.clear();
        for (SessionLog log : sessions.values()) appendEntries(log, 0);
        validatedDeps = Long.MIN_VALUE; // forces a full re-validation and a new verdict epoch
        version++;
        return r;
    }

    /** Adds a transaction this node just wrote and signed into {@code log} (which it owns). */
    public void addLocal(SessionLog log) {
        addLocal(log, null, null);
    }

    /**
     * {@link #addLocal(SessionLog)} when the writer still has the changes (and meta) of the new
     * last trusting transaction as values: they are used instead of parsing the text back, if
     * {@link JsonValue#roundTripsExactly} says that parsing would give the same values.
     */
    public void addLocal(SessionLog log, JsonValue.Arr changes, JsonValue.Obj meta) {
        SessionLog existing = sessions.putIfAbsent(log.sessionID(), log);
        if (existing != null && existing != log) throw new IllegalStateException("session " + log.sessionID() + " already has a log");
        int from = loaded.getOrDefault(log.sessionID(), 0);
        if (changes != null && from == log.size() - 1 && log.get(from) instanceof Transaction.Trusting t
                && (meta == null) == (t.meta() == null)
                && JsonValue.roundTripsExactly(changes) && (meta == null || JsonValue.roundTripsExactly(meta))) {
            TxEntry e = newEntry(log.sessionID(), from, t);
            e.setChanges(changes);
            e.meta = meta;
            working.add(e);
            loaded.put(log.sessionID(), log.size());
            version++;
            return;
        }
        appendEntries(log, from);
    }

    private void appendEntries(SessionLog log, int from) {
        working.ensureCapacity(working.size() + Math.max(0, log.size() - from)); // one growth per batch
        // a call per transaction: a loop that runs a few times with thousands of turns is never compiled
        for (int i = from; i < log.size(); i++) working.add(entryOf(log, i));
        if (log.size() > from) {
            loaded.put(log.sessionID(), log.size());
            version++;
        }
    }

    private TxEntry entryOf(SessionLog log, int index) {
        TxEntry e = newEntry(log.sessionID(), index, log.get(index));
        if (e.tx instanceof Transaction.Trusting t) {
            parseTrusting(e, t);
        }
        return e;
    }

    private TxEntry newEntry(SessionID session, int index, Transaction tx) {
        TxEntry e = new TxEntry(session, index, tx, arrivals++, branchId, lastBySession.get(session));
        lastBySession.put(session, e);
        return e;
    }

    private static void parseTrusting(TxEntry e, Transaction.Trusting t) {
        e.parseChangesLazily();
        e.meta = parseMeta(t.meta());
    }

    /** A meta text parsed as the reference does: an object, or null if absent or not valid JSON. */
    public static JsonValue.Obj parseMetaText(String meta) {
        return parseMeta(meta);
    }

    static JsonValue.Obj parseMeta(String meta) {
        if (meta == null) return null;
        try {
            return Json.parse(meta) instanceof JsonValue.Obj o ? o : null;
        } catch (InvalidJsonException ex) {
            return null;
        }
    }

    /** A transaction that is not (yet) part of any log, for judging a local write before signing. */
    public static TxEntry tentativeEntry(SessionID session, int txIndex, Transaction.Trusting tx) {
        TxEntry e = new TxEntry(session, txIndex, tx, -1);
        parseTrusting(e, tx);
        return e;
    }

    /** Records the plaintext of a private transaction once decrypted. */
    public void setDecrypted(TxEntry e, JsonValue.Arr changes, JsonValue.Obj meta) {
        e.setChanges(changes);
        e.meta = meta;
    }

    /**
     * How many entries were ever added to the working list; every entry's {@link TxEntry#arrival()}
     * is below it. Not reset by {@link #replaceSessionContent}, whose fresh entries get new numbers.
     */
    public long arrivals() {
        return arrivals;
    }

    /** All transactions in the working-list order (arrival order; sorted for groups after validation). */
    public List<TxEntry> entries() {
        return Collections.unmodifiableList(working);
    }

    /**
     * Ensures every transaction has a verdict reflecting everything this node knows. Groups replay
     * their whole history (as the reference does); other values judge only new transactions unless
     * something they depend on changed, in which case every verdict is recomputed and
     * {@link #verdictEpoch()} advances.
     */
    public void validate(CoValueResolver resolver) {
        if (validating) return;
        long deps = depsStamp(resolver, new ArrayList<>(4)); // a short chain: a list beats a hash set
        if (deps == validatedDeps && validatedCount == working.size()) return;
        validating = true;
        try {
            boolean incremental = deps == validatedDeps && !isGroupOrAccount()
                    && canValidateIncrementally(working.subList(validatedCount, working.size()));
            List<TxEntry> judged;
            if (incremental) {
                judged = working.subList(validatedCount, working.size());
                rules.validateNew(this, judged, resolver);
            } else {
                judged = working;
                rules.validate(this, working, resolver);
                meta.reset();
                verdictEpoch++;
            }
            // Known metas are parsed in validation order; private ones when decrypted (TransactionDecoder).
            for (TxEntry e : judged) meta.parse(e);
            groupState = isGroupOrAccount() ? rules.groupState(this, working) : null;
            validatedDeps = deps;
            validatedCount = working.size();
        } finally {
            validating = false;
        }
    }

    /**
     * Changes whenever verdicts of already-judged transactions may have changed (or the working
     * list was reordered); views built from an older epoch must be rebuilt, otherwise they may
     * consume just the transactions after the ones they saw.
     */
    public long verdictEpoch() {
        return verdictEpoch;
    }

    /**
     * The group state of the last validation (valid transactions as a map); only for groups and
     * accounts. Read it as a {@code GroupView} through {@code GroupView.of(core, resolver)}.
     */
    public CoValueRules.GroupState groupState(CoValueResolver resolver) {
        if (!isGroupOrAccount()) throw new IllegalStateException(id + " is not a group or account");
        validate(resolver);
        if (groupState == null) groupState = rules.groupState(this, working); // re-entered during its own validation
        return groupState;
    }

    /** Whether new transactions can be judged without revisiting old verdicts (no fww races). */
    private static boolean canValidateIncrementally(List<TxEntry> fresh) {
        for (TxEntry e : fresh) if (e.meta() != null && e.meta().has("fww")) return false;
        return true;
    }

    /**
     * {@link CoValueRules#dependencies} of this value, recomputed only when the working list
     * changed (every write checks permissions, which asks a group for its dependencies).
     */
    public java.util.Set<RawCoID> dependencies() {
        // a non-group value's dependencies come from its header (CoValueRules): not once per write
        return currentDependencies().set();
    }

    /** A value's dependencies as a set and as an array (no iterator per value per validation). */
    private record Dependencies(java.util.Set<RawCoID> set, RawCoID[] array) {}

    private Dependencies currentDependencies() {
        Dependencies d = dependencies;
        if (d == null || (dependenciesVersion != version && isGroupOrAccount())) {
            java.util.Set<RawCoID> set = java.util.Collections.unmodifiableSet(rules.dependencies(this));
            d = dependencies = new Dependencies(set, set.toArray(new RawCoID[0]));
            dependenciesVersion = version;
        }
        return d;
    }

    /**
     * Combines the stamps of this value's dependencies (a value's stamp: its own version combined
     * with the stamps of its dependencies, recursively), walking the dependency graph
     * depth-first with an explicit stack: written as two mutually recursive methods, C2 inlined
     * them into each other into a 50 KB method whose compilation took ~350 ms of a core on a cold
     * JVM, while a cold load runs for 200 ms. Same value as the recursive definition: a
     * dependency on the current path (a cycle) counts 0, a missing one -1.
     */
    private long depsStamp(CoValueResolver resolver, List<RawCoID> visiting) {
        visiting.add(id);
        StampFrame top = new StampFrame(this, null);
        while (true) {
            if (top.next < top.deps.length) {
                CoValueCore d = resolver.get(top.deps[top.next++]);
                if (d == null) {
                    top.s = top.s * 1_000_003 - 1;
                } else if (visiting.contains(d.id)) {
                    top.s = top.s * 1_000_003;
                } else {
                    visiting.add(d.id);
                    top = new StampFrame(d, top);
                }
            } else if (top.parent == null) {
                return top.s;
            } else {
                long stamp = top.core.version * 31 + top.s;
                visiting.remove(top.core.id);
                top = top.parent;
                top.s = top.s * 1_000_003 + stamp;
            }
        }
    }

    /** One value being stamped by {@link #depsStamp}: its dependencies still to visit and the combination so far. */
    private static final class StampFrame {
        final CoValueCore core;
        final RawCoID[] deps;
        final StampFrame parent;
        int next;
        long s = 17;

        StampFrame(CoValueCore core, StampFrame parent) {
            this.core = core;
            this.deps = core.currentDependencies().array();
            this.parent = parent;
        }
    }
}
