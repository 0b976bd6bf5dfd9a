package io.cojson.core.node;

import io.cojson.core.groups.GroupKeys;
import io.cojson.core.header.CoValueKind;
import io.cojson.core.covalue.CoValueCore;
import io.cojson.core.covalue.CoValueResolver;
import io.cojson.core.covalue.TxEntry;
import io.cojson.core.crypto.Crypto;
import io.cojson.core.groups.GroupView;
import io.cojson.core.groups.KeyResolver;
import io.cojson.core.groups.ReaderIdentity;
import io.cojson.core.groups.Roles;
import io.cojson.core.groups.Validation;
import io.cojson.core.header.CoValueHeader;
import io.cojson.core.header.Ruleset;
import io.cojson.core.ids.AgentID;
import io.cojson.core.ids.AgentSecret;
import io.cojson.core.ids.KeyID;
import io.cojson.core.ids.KeySecret;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.ids.SignerID;
import io.cojson.core.ids.Signature;
import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import io.cojson.core.session.AddResult;
import io.cojson.core.session.SessionLog;
import io.cojson.core.session.SignaturePrefetch;
import io.cojson.core.session.SignedTransaction;
import io.cojson.core.session.Transaction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * An in-memory cojson peer: it owns an agent (and usually an account) and one session, holds the
 * CoValues it knows, verifies what it imports, and signs what it writes.
 *
 * <p>Threading: every method may be called from any thread; state changes are serialized by one
 * lock per node. Listeners run on the thread that made the change, after the node's lock has been
 * released (a change made inside {@link #locked} is announced when it returns), so they may read
 * from (and write to) the node.
 */
public final class LocalNode implements CoValueResolver {
    private final Crypto crypto;
    private final AgentSecret agentSecret;
    private final AgentID agentID;
    private final RawCoID accountID;
    private final SessionID sessionID;
    private final LongSupplier clock;
    private final Object lock = new Object();
    private final Map<RawCoID, CoValueCore> values = new LinkedHashMap<>(); // creation/import order
    private final Listeners listeners = new Listeners(this, lock);
    private final ViewCache views = new ViewCache(this);
    /** Key secrets this node encrypted with, by "group|keyID": unsealing one costs a key exchange. */
    private final Map<String, KeySecret> writeKeys = new HashMap<>();
    /** Sign writes to a value the writer's role forbids, as the reference does (see {@link #writeForbiddenAsReference}). */
    private volatile boolean forbiddenAsReference;

    LocalNode(Crypto crypto, AgentSecret agentSecret, RawCoID accountID, SessionID sessionID, LongSupplier clock) {
        this.crypto = crypto;
        this.agentSecret = agentSecret;
        this.agentID = crypto.getAgentID(agentSecret);
        this.accountID = accountID;
        this.sessionID = sessionID != null ? sessionID
                : crypto.newRandomSessionID(accountID != null ? accountID.value() : agentID.value());
        this.clock = clock;
    }

    /** A node without an account (e.g. a sync server), writing as its agent. */
    public static LocalNode forAgent(Crypto crypto, AgentSecret agentSecret) {
        return new LocalNode(crypto, agentSecret, null, null, System::currentTimeMillis);
    }

    /**
     * A node for an existing account. The account must then be imported (with its profile)
     * before use; {@link Accounts#checkLogin} verifies the agent matches.
     */
    public static LocalNode forAccount(Crypto crypto, RawCoID accountID, AgentSecret agentSecret, SessionID session) {
        return new LocalNode(crypto, agentSecret, accountID, session, System::currentTimeMillis);
    }

    public Crypto crypto() {
        return crypto;
    }

    /**
     * How a write to a group-owned value that the writer's role forbids (a reader's {@code set}) is
     * answered. By default it is refused before signing ({@link PermissionDeniedException}): a
     * write that every peer would ignore is almost always an app bug. With {@code true} it is
     * signed and added as the reference does (it checks no role): every peer, this one included,
     * then ignores it, and the caller sees no error. A write without the read key is refused either
     * way, with the reference's words.
     */
    public void writeForbiddenAsReference(boolean asReference) {
        this.forbiddenAsReference = asReference;
    }

    public AgentID agentID() {
        return agentID;
    }

    AgentSecret agentSecret() {
        return agentSecret;
    }

    /** The account this node acts as, or null for an agent-only node. */
    public RawCoID accountID() {
        return accountID;
    }

    public SessionID sessionID() {
        return sessionID;
    }

    /** The identity that holds roles: the account, or the agent. */
    public String me() {
        return accountID != null ? accountID.value() : agentID.value();
    }

    long now() {
        return clock.getAsLong();
    }

    @Override
    public CoValueCore get(RawCoID id) {
        synchronized (lock) {
            return values.get(id);
        }
    }

    public CoValueCore require(RawCoID id) {
        CoValueCore c = get(id);
        if (c == null) throw new IllegalArgumentException("CoValue " + id + " is not loaded on this node");
        return c;
    }

    /** Holds the agent secret, so not public: outside code signs through {@link #appendSigned}. */
    ReaderIdentity identity() {
        return new ReaderIdentity(accountID, agentSecret, agentID, Map.of());
    }

    /**
     * Appends a trusting transaction to {@code log}, signed as this node's agent: for code that
     * writes a session log itself (conflict sessions in recovery) without the secret leaving the node.
     */
    public SignedTransaction appendSigned(SessionLog log, String changesJson, long madeAt, String metaJson) {
        return log.appendTrusting(agentSecret.signer(), changesJson, madeAt, metaJson);
    }

    /** As {@link #appendSigned}, for a private transaction encrypted with {@code key}. */
    public SignedTransaction appendSignedPrivate(SessionLog log, RawCoID coID, KeyID keyID, KeySecret key,
            String changesJson, long madeAt, String metaJson) {
        return log.appendPrivate(agentSecret.signer(), coID, keyID, key, changesJson, madeAt, metaJson);
    }

    /**
     * A value this node's agent sealed for {@code to} under one nonce, sealed again under another,
     * without the secret leaving the node: recovery moves a group's key revelations to another
     * transaction ID (recovery.md §5.3), and their nonce derives from it.
     *
     * @throws io.cojson.core.crypto.CryptoException when this agent did not seal it for {@code to} under {@code fromNonce}
     */
    public io.cojson.core.ids.Sealed resealOwn(io.cojson.core.ids.Sealed sealed, io.cojson.core.ids.SealerID to,
            io.cojson.core.json.JsonValue fromNonce, io.cojson.core.json.JsonValue toNonce) {
        io.cojson.core.json.JsonValue plain = crypto.unseal(sealed, agentSecret.sealer(), to, fromNonce);
        return crypto.seal(plain, agentSecret.sealer(), to, toNonce);
    }

    public KeyResolver keys() {
        return new KeyResolver(crypto, this, identity());
    }

    /**
     * Runs {@code action} holding this node's lock, so that what it reads and writes forms one
     * atomic step (e.g. resolving a list index and writing the insertion). Listeners for changes
     * made inside are called after it returns.
     */
    public <R> R locked(Supplier<R> action) {
        R result;
        synchronized (lock) {
            result = action.get();
        }
        listeners.flush();
        return result;
    }

    /** {@link #locked} for internal multi-write operations without a result. */
    void inLock(Runnable action) {
        locked(() -> {
            action.run();
            return null;
        });
    }

    /**
     * The content view of a loaded CoValue, brought up to date incrementally: a
     * {@link io.cojson.core.content.CoMapContent} (also for groups and accounts), {@code CoListContent},
     * {@code CoPlainTextContent}, {@code CoStreamContent} or {@code BinaryStreamContent}, by
     * {@link CoValueKind}. The node owns and keeps mutating it: use it only inside {@link #locked}
     * and never modify it (write through {@link #write}, which updates it).
     */
    public Object view(RawCoID id) {
        synchronized (lock) {
            return views.view(require(id));
        }
    }

    /** The processing queue (unsorted: the reference's {@code getValidTransactions} order); lock held. */
    List<TxEntry> processingQueue(RawCoID id) {
        synchronized (lock) {
            return new ArrayList<>(views.processingQueue(require(id)));
        }
    }

    /**
     * The valid transactions of a loaded CoValue whose changes this node can read, sorted as the
     * reference's {@code getValidSortedTransactions} sorts them: a stable sort of its processing
     * queue (covalues.md §3.3) by the comparator of §3.2, so transactions of different sessions
     * with equal {@code madeAt} keep the order in which this node processed them. Brings the
     * content view up to date first (creating it if needed). The entries belong to the CoValue:
     * read them only inside {@link #locked}.
     */
    public List<TxEntry> validSortedTransactions(RawCoID id) {
        synchronized (lock) {
            List<TxEntry> out = new ArrayList<>(views.processingQueue(require(id)));
            out.sort(TxEntry::compare);
            return out;
        }
    }

    // ---- creating and importing ----

    /** Registers a CoValue created locally from {@code header}; returns it (idempotent). */
    public CoValueCore createCoValue(CoValueHeader header) {
        CoValueCore core = CoValueCore.create(crypto, Validation.RULES, header);
        CoValueCore existing;
        synchronized (lock) {
            existing = values.putIfAbsent(core.id(), core);
        }
        if (existing != null) return existing;
        listeners.changed(core.id()); // a new value is a change: sync pushes its header even before any transaction
        return core;
    }

    /**
     * Imports a verifiable piece of content. A CoValue this node does not know needs the header;
     * dependencies (accounts that sign, owning groups) should be imported first.
     */
    public List<AddResult> importContent(ContentPiece piece) {
        return importContent(piece, null);
    }

    /**
     * Imports pieces in order, as {@link #importContent(ContentPiece)} one by one, with their
     * signatures checked ahead on a second thread when the JVM has more than one processor (see
     * {@link SignaturePrefetch}). The results of all pieces, in order.
     */
    public List<AddResult> importContent(List<ContentPiece> pieces) {
        return importContent(pieces, SignaturePrefetch.ENABLED && pieces.size() >= PREFETCH_MIN_PIECES);
    }

    /** Batches smaller than this are verified inline (a thread start costs about one verification). */
    static final int PREFETCH_MIN_PIECES = 8;

    /** As {@link #importContent(List)}, with the signature prefetch on or off (the results are the same). */
    public List<AddResult> importContent(List<ContentPiece> pieces, boolean prefetchSignatures) {
        return importContent(pieces, prefetchSignatures ? signaturePrefetch(pieces).start() : null);
    }

    List<AddResult> importContent(List<ContentPiece> pieces, SignaturePrefetch prefetch) {
        List<AddResult> results = new ArrayList<>();
        try {
            for (int i = 0; i < pieces.size(); i++) {
                if (prefetch != null) prefetch.applying(i);
                results.addAll(importContent(pieces.get(i), prefetch));
            }
        } finally {
            if (prefetch != null) prefetch.close();
        }
        return results;
    }

    /**
     * Parses a JSON array of content messages (an exported state) and imports them in order: the
     * results of {@code importContent(ContentMessages.parseArray(text))}, but with the signatures of
     * the first pieces checked on a second thread while the rest of the text is still being read.
     * Throws what {@link ContentMessages#parseArray} throws for text that is not such an array.
     */
    public List<AddResult> importContentText(String text) {
        if (!SignaturePrefetch.ENABLED) return importContent(ContentMessages.parseArray(text), false);
        StreamingPrefetch feed = new StreamingPrefetch();
        List<ContentPiece> pieces;
        try {
            pieces = ContentMessages.parseArray(text, feed);
        } catch (RuntimeException | Error e) {
            if (feed.prefetch != null) feed.prefetch.close();
            throw e;
        }
        if (feed.prefetch != null) feed.prefetch.complete();
        return importContent(pieces, feed.prefetch);
    }

    /**
     * Feeds the pieces being read to a streaming prefetch, started once the batch has
     * {@link #PREFETCH_MIN_PIECES} pieces (smaller batches are verified inline).
     */
    private final class StreamingPrefetch implements Consumer<ContentPiece> {
        private final Map<RawCoID, CoValueHeader> headers = new java.util.concurrent.ConcurrentHashMap<>();
        private final List<SignaturePrefetch.Job> early = new ArrayList<>();
        private int count;
        SignaturePrefetch prefetch;

        @Override
        public void accept(ContentPiece p) {
            int i = count++;
            if (p.header() != null) headers.putIfAbsent(p.id(), p.header());
            for (ContentPiece.SessionPiece s : p.sessions()) {
                SignaturePrefetch.Job job = new SignaturePrefetch.Job(i, s.sessionID(), s.after(), s.transactions(), s.canonical(),
                        s.lastSignature());
                if (prefetch != null) {
                    prefetch.offer(job);
                } else {
                    early.add(job);
                }
            }
            if (prefetch == null && count == PREFETCH_MIN_PIECES) {
                prefetch = SignaturePrefetch.streaming(crypto, new SignerGuess(headers));
                for (SignaturePrefetch.Job job : early) prefetch.offer(job);
                early.clear();
                prefetch.start();
            }
        }
    }

    /** The prefetch for {@code pieces}: signers from the batch's own account headers, else from this node. */
    SignaturePrefetch signaturePrefetch(List<ContentPiece> pieces) {
        Map<RawCoID, CoValueHeader> headers = new HashMap<>();
        List<SignaturePrefetch.Job> jobs = new ArrayList<>();
        for (int i = 0; i < pieces.size(); i++) {
            ContentPiece p = pieces.get(i);
            if (p.header() != null) headers.putIfAbsent(p.id(), p.header());
            for (ContentPiece.SessionPiece s : p.sessions()) {
                jobs.add(new SignaturePrefetch.Job(i, s.sessionID(), s.after(), s.transactions(), s.canonical(), s.lastSignature()));
            }
        }
        return new SignaturePrefetch(crypto, jobs, new SignerGuess(headers));
    }

    /**
     * What SignerResolution will find when a session's log is created: the author's agent, or the
     * initialAdmin of its account header (from the batch, else this node). A wrong guess only
     * means the applying thread verifies itself. A class, not a lambda: nothing to bootstrap in
     * the first import of a process.
     */
    private final class SignerGuess implements java.util.function.Function<SessionID, SignerID> {
        private final Map<RawCoID, CoValueHeader> headers;

        SignerGuess(Map<RawCoID, CoValueHeader> headers) {
            this.headers = headers;
        }

        @Override
        public SignerID apply(SessionID session) {
            String author = session.author();
            if (!author.startsWith(RawCoID.PREFIX)) return AgentID.parse(author).signer();
            RawCoID account = new RawCoID(author);
            CoValueHeader h = headers.get(account);
            if (h == null) {
                synchronized (lock) {
                    CoValueCore c = values.get(account);
                    h = c == null ? null : c.header();
                }
            }
            if (h == null || !h.type().equals("comap") || !h.isAccount() || !(h.ruleset() instanceof Ruleset.Group g)) return null;
            return AgentID.parse(g.initialAdmin()).signer();
        }
    }

    private List<AddResult> importContent(ContentPiece piece, SignaturePrefetch prefetch) {
        List<AddResult> results = new ArrayList<>();
        boolean changed = false;
        synchronized (lock) {
            CoValueCore core = values.get(piece.id());
            if (core == null) {
                if (piece.header() == null) throw new IllegalArgumentException("unknown CoValue " + piece.id() + " and no header");
                core = CoValueCore.fromHeader(crypto, Validation.RULES, piece.id(), piece.header());
                values.put(core.id(), core);
                changed = true;
            }
            for (ContentPiece.SessionPiece s : piece.sessions()) {
                var log = core.sessions().get(s.sessionID());
                int had = log == null ? 0 : log.size();
                AddResult r = core.tryAddTransactions(s.sessionID(), s.after(), s.transactions(), s.lastSignature(), s.canonical(),
                        prefetch, this);
                results.add(r);
                // accepted with nothing new (a duplicate, content already held): no change to announce, as the reference
                if (r instanceof AddResult.Added a && a.newLength() > had) {
                    changed = true;
                    if (core.isGroupOrAccount()) views.groupChanged();
                    views.imported(core); // the reference processes each session batch as it arrives
                }
            }
            if (changed && core.isGroupOrAccount()) views.groupChanged();
        }
        if (changed) listeners.changed(piece.id());
        return results;
    }

    /** Everything this node has of a CoValue, as verifiable pieces (header in the first). */
    public List<ContentPiece> exportContent(RawCoID id) {
        synchronized (lock) {
            CoValueCore core = require(id);
            List<List<ContentPiece.SessionPiece>> pieces = new ArrayList<>();
            for (SessionLog log : core.sessions().values()) {
                if (core.isDeleted() && !log.sessionID().isDeleteSession()) continue; // tombstone: header + delete sessions
                int piece = 0;
                int start = 0;
                NavigableMap<Integer, Signature> cuts = log.signatureAfter();
                for (int end = 0; end < log.size(); end++) {
                    Signature sig = end == log.size() - 1 ? log.lastSignature() : cuts.get(end);
                    if (sig == null) continue;
                    while (pieces.size() <= piece) pieces.add(new ArrayList<>());
                    pieces.get(piece++).add(new ContentPiece.SessionPiece(log.sessionID(), start,
                            log.transactions().subList(start, end + 1), sig.value()));
                    start = end + 1;
                }
            }
            List<ContentPiece> out = new ArrayList<>();
            if (pieces.isEmpty()) pieces.add(List.of());
            for (int i = 0; i < pieces.size(); i++) out.add(new ContentPiece(id, i == 0 ? core.header() : null, pieces.get(i)));
            return out;
        }
    }

    // ---- writing ----

    /** The session this node writes a CoValue in (account edits use the agent, covalues.md §11.1). */
    SessionID writeSessionFor(CoValueCore core) {
        if (accountID != null && core.id().equals(accountID)) return sessionID.withAuthor(agentID.value());
        return sessionID;
    }

    /** The index the next local transaction on {@code core} will get. */
    public int nextTxIndex(CoValueCore core) {
        synchronized (lock) {
            SessionLog log = core.sessions().get(writeSessionFor(core));
            return log == null ? 0 : log.size();
        }
    }

    /**
     * Signs and adds a transaction after checking that the CoValue's rules accept it; throws
     * {@link PermissionDeniedException} (nothing signed) otherwise. Private transactions use the
     * writer's current key of the owning group (covalues.md §6.4).
     */
    public SignedTransaction write(RawCoID id, List<JsonValue> changes, JsonValue.Obj meta, boolean privateTx) {
        return write(id, changes, meta, privateTx, null);
    }

    /**
     * {@link #write(RawCoID, List, JsonValue.Obj, boolean)} at a given {@code madeAt} (null: now);
     * a branch merge writes all its transactions with one time (covalues.md §13.3).
     */
    SignedTransaction write(RawCoID id, List<JsonValue> changes, JsonValue.Obj meta, boolean privateTx, Long at) {
        SignedTransaction st;
        synchronized (lock) {
            CoValueCore core = require(id);
            if (core.isDeleted()) throw new CoValueDeletedException(id);
            SessionID s = writeSessionFor(core);
            SessionLog log = core.sessions().get(s);
            if (log == null) log = new SessionLog(crypto, s, agentID.signer());
            JsonValue.Arr changesArr = new JsonValue.Arr(changes);
            String changesJson = JsonWriter.stringify(changesArr);
            String metaJson = meta == null ? null : JsonWriter.stringify(meta);
            long madeAt = at != null ? at : now();
            // A value owned by a group: the key comes first, so a writer without it gets the
            // reference's error even when it lacks the role too (the reference checks no role).
            boolean ownedByLoadedGroup = core.header().ruleset() instanceof Ruleset.OwnedByGroup o && get(o.group()) != null;
            CoValueCore keyGroup = privateTx && ownedByLoadedGroup ? keyGroupFor(core) : null;
            KeyID keyID = keyGroup == null ? null : currentKeyID(keyGroup);
            KeySecret key = keyGroup == null ? null : writeKey(keyGroup, keyID);
            checkPermission(core, s, log.size(), changesJson, madeAt, metaJson, privateTx);
            views.beforeWrite(core);
            if (privateTx) {
                if (keyGroup == null) {
                    keyGroup = keyGroupFor(core);
                    keyID = currentKeyID(keyGroup);
                    key = writeKey(keyGroup, keyID);
                }
                st = log.appendPrivate(agentSecret.signer(), core.id(), keyID, key, changesJson, madeAt, metaJson);
            } else {
                st = log.appendTrusting(agentSecret.signer(), changesJson, madeAt, metaJson);
            }
            if (privateTx) core.addLocal(log);
            else core.addLocal(log, changesArr, meta);
            if (st.isCheckpoint()) core.localCheckpointWritten();
            // The plaintext is known, so views need not decrypt it. A transaction with meta is left
            // to the decoder: validation must not see a private meta sooner than after an import.
            if (privateTx && meta == null) {
                core.setDecrypted(core.entries().get(core.entries().size() - 1), new JsonValue.Arr(changes), null);
            }
            written(core);
        }
        listeners.changed(id);
        return st;
    }

    /**
     * Deletes a value owned by a group: a tombstone transaction in a fresh delete session. Only
     * admins of the owning group may (a role inherited from a parent counts); groups and accounts
     * cannot be deleted (covalues.md §14). As the reference: a deleted value is left as it is, and
     * the refusals carry the reference's messages.
     */
    public void deleteCoValue(RawCoID id) {
        synchronized (lock) {
            CoValueCore core = require(id);
            if (core.isDeleted()) return;
            if (core.isGroupOrAccount()) throw new PermissionDeniedException("Cannot delete Group or Account coValues");
            if (!(core.header().ruleset() instanceof Ruleset.OwnedByGroup o) || get(o.group()) == null) {
                throw new PermissionDeniedException("Cannot verify delete permissions for coValues not owned by a group");
            }
            if (!Roles.ADMIN.equals(myRoleIn(require(o.group()), null))) {
                throw new PermissionDeniedException("The current account lacks admin permissions to delete this coValue");
            }
            SessionID del = crypto.newDeleteSessionID(me());
            SessionLog log = new SessionLog(crypto, del, agentID.signer());
            log.appendTrusting(agentSecret.signer(), "[]", now(), JsonWriter.stringify(JsonValue.obj("deleted", JsonValue.of(id.value()))));
            AddResult r = core.tryAddTransactions(del, 0, log.transactions(), log.lastSignature().value(), this);
            if (!r.isAdded()) throw new PermissionDeniedException("delete rejected: " + r);
        }
        listeners.changed(id);
    }

    /**
     * The memory swap of a recovery (recovery.md §5.5): appends {@code conflict} (verified here;
     * null when the divergent tail is empty) and replaces {@code session}'s log with the verified
     * {@code serverTxs}, then rebuilds every view of the value and announces the change once.
     * Returns the first failure, in which case nothing changed.
     */
    public AddResult swapRecoveredSession(RawCoID id, SessionID session, List<Transaction> serverTxs, String serverSignature,
            ContentPiece.SessionPiece conflict) {
        AddResult result;
        synchronized (lock) {
            CoValueCore core = require(id);
            SessionLog current = core.sessions().get(session);
            SignerID signer = current != null ? current.signer() : agentID.signer();
            SessionLog check = new SessionLog(crypto, session, signer);
            result = check.tryAppend(serverTxs, serverSignature);
            if (!result.isAdded()) return result;
            if (conflict != null) {
                result = core.tryAddTransactions(conflict.sessionID(), conflict.after(), conflict.transactions(),
                        conflict.lastSignature(), this);
                if (!result.isAdded()) return result;
            }
            result = core.replaceSessionContent(session, serverTxs, serverSignature, this);
            if (core.isGroupOrAccount()) views.groupChanged();
            views.imported(core); // the verdict epoch advanced: the view is rebuilt from scratch
        }
        listeners.changed(id);
        return result;
    }

    private void written(CoValueCore core) {
        if (core.isGroupOrAccount()) views.groupChanged();
        views.changed(core);
    }

    private KeySecret writeKey(CoValueCore keyGroup, KeyID keyID) {
        String cacheKey = keyGroup.id().value() + "|" + keyID.value();
        KeySecret key = writeKeys.get(cacheKey);
        if (key == null) {
            key = keys().readKey(keyGroup, keyID).orElseThrow(() -> new PermissionDeniedException(
                    "Can't make transaction without read key secret")); // the reference's words
            writeKeys.put(cacheKey, key);
        }
        return key;
    }

    private void checkPermission(CoValueCore core, SessionID s, int index, String changes, long madeAt, String meta,
            boolean privateTx) {
        Ruleset r = core.header().ruleset();
        if (r instanceof Ruleset.Group) {
            if (privateTx && !core.header().isAccount()) throw new PermissionDeniedException("Can't make private transactions in groups");
            if (privateTx) return;
            TxEntry tentative = CoValueCore.tentativeEntry(s, index, new Transaction.Trusting(changes, madeAt, meta));
            String reason = Validation.groupWouldReject(core, tentative, this);
            if (reason != null) throw new PermissionDeniedException(reason + " (in " + core.id() + ")");
        } else if (r instanceof Ruleset.OwnedByGroup o) {
            CoValueCore owner = get(o.group());
            if (owner == null) throw new PermissionDeniedException("owning group " + o.group() + " is not loaded");
            String role = myRoleIn(owner, madeAt);
            boolean readersBranchPointer = Roles.READER.equals(role) && !privateTx && meta != null
                    && CoValueCore.parseMetaText(meta) != null && Branches.isBranchPointer(CoValueCore.parseMetaText(meta));
            if (!readersBranchPointer && !forbiddenAsReference && (role == null || !Roles.CAN_WRITE.contains(role))) {
                throw new PermissionDeniedException("Transactor has no write permissions: role " + role + " in " + owner.id());
            }
        }
    }

    /** My read-side role in a group or account ({@code at} null = now). */
    public String myRoleIn(CoValueCore group, Long at) {
        GroupView v = GroupView.of(group, this);
        String who = group.header().isAccount() && accountID != null && group.id().equals(accountID) ? agentID.value() : me();
        return v.roleOf(who, at, this);
    }

    CoValueCore keyGroupFor(CoValueCore core) {
        Ruleset r = core.header().ruleset();
        if (r instanceof Ruleset.OwnedByGroup o) return require(o.group());
        if (r instanceof Ruleset.Group) return core;
        throw new PermissionDeniedException("values with ruleset unsafeAllowAll cannot hold private transactions");
    }

    /** The key this node encrypts with in {@code group} (covalues.md §6.4). */
    public KeyID currentKeyID(CoValueCore group) {
        KeyID everyones = GroupMigrations.lastReadableKey(this, group); // the reference checks it first
        if (everyones != null) return everyones;
        GroupView v = GroupView.of(group, this);
        String role = myRoleIn(group, null);
        String writeKey = v.getString(GroupKeys.WRITE_KEY_FOR + me(), null);
        if (writeKey != null && (Roles.WRITE_ONLY.equals(role) || role == null)) return new KeyID(writeKey);
        String readKey = v.getString(GroupKeys.READ_KEY, null);
        if (readKey == null) throw new PermissionDeniedException("group " + group.id() + " has no read key");
        return new KeyID(readKey);
    }

    // ---- listeners ----

    /** Calls {@code listener} with the ID after every change of {@code id} or of a value it depends on. */
    public Subscription subscribe(RawCoID id, Consumer<RawCoID> listener) {
        return listeners.subscribe(id, listener);
    }

    /**
     * Live subscriptions made with {@link #subscribe} (closed ones are gone, with any entry kept
     * for their CoValue): for diagnostics and leak checks (reliability.md RL-18).
     */
    public int subscriptionCount() {
        return listeners.counts()[0];
    }

    /** How many distinct CoValues {@link #subscriptionCount()}'s subscriptions watch. */
    public int subscribedValueCount() {
        return listeners.counts()[1];
    }

    /** Calls {@code listener} after any CoValue of this node changed. */
    public Subscription subscribeAll(Consumer<RawCoID> listener) {
        return listeners.subscribeAll(listener);
    }

    /**
     * Drops {@code id} from memory (the garbage collector's step, reliability.md RL-07); the caller
     * has made sure storage holds all of it, so that the next use reads it back. Refused (false)
     * for accounts and groups, for a value another loaded value depends on, and for one not
     * loaded. Subscriptions stay: a reload notifies them.
     */
    public boolean unload(RawCoID id) {
        synchronized (lock) {
            CoValueCore core = values.get(id);
            if (core == null || core.isGroupOrAccount()) return false;
            for (CoValueCore other : values.values()) {
                if (other != core && other.dependencies().contains(id)) return false;
            }
            values.remove(id);
            views.forget(id);
            return true;
        }
    }

    /** IDs of every CoValue this node holds. */
    public List<RawCoID> ids() {
        synchronized (lock) {
            return new ArrayList<>(values.keySet());
        }
    }

    /** Snapshot of known states, for sync. */
    public Map<RawCoID, io.cojson.core.knownstate.KnownState> knownStates() {
        synchronized (lock) {
            Map<RawCoID, io.cojson.core.knownstate.KnownState> m = new LinkedHashMap<>();
            values.forEach((k, v) -> m.put(k, v.knownState()));
            return m;
        }
    }
}
