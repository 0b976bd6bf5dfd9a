package io.cojson.samples.cli;

import static io.cojson.samples.cli.Args.await;
import static io.cojson.samples.cli.Args.coId;
import static io.cojson.samples.cli.Args.str;

import io.cojson.core.covalue.CoValueCore;
import io.cojson.core.crypto.Crypto;
import io.cojson.core.ids.AgentSecret;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.node.Accounts;
import io.cojson.core.header.CoValueKind;
import io.cojson.core.node.LocalNode;
import io.cojson.core.values.CoValue;
import io.cojson.core.values.CojsonNode;
import io.cojson.storage.AsyncMapDbStorage;
import io.cojson.storage.NodePersistence;
import io.cojson.sync.recovery.SessionGuard;
import io.cojson.sync.recovery.SessionRegistry;
import io.cojson.sync.PeerRole;
import io.cojson.sync.SyncManager;
import io.cojson.sync.transport.ReconnectingClient;
import io.cojson.sync.transport.WebSocketClientChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The client's active account: its node, its connection to the sync server ({@code peer}, null
 * when offline) and its optional local storage; the account and connection commands; loading
 * CoValues (from storage or the server) and waiting for them to sync. One account at a time: a
 * new one replaces the active one, which gets up to 5 s to sync first.
 */
final class ClientSession {
    private final String peer;
    private final Path db;
    private final long defaultTimeoutMs;
    /** The connection of each sync manager: reconnects by itself, like the reference client's. */
    private final Map<SyncManager, ReconnectingClient> connections = new IdentityHashMap<>();
    private io.cojson.storage.CoValueStorage storage;
    /** Whether storage commits each write inline instead of through the asynchronous write queue (the default). */
    private boolean inlineStorage;
    private NodePersistence persistence;
    private Crypto crypto;
    private LocalNode node;
    private CojsonNode typed;
    private SyncManager sync;
    private AgentSecret agentSecret;
    /** Crash recovery of the connected account (recovery.md §5); its conflict records live in {@link #storage}. */
    private io.cojson.sync.recovery.RecoveryCoordinator recovery;

    ClientSession(String peer, Path db, long defaultTimeoutMs) {
        this.peer = peer;
        this.db = db;
        this.defaultTimeoutMs = defaultTimeoutMs;
    }

    /** Chooses the inline storage API instead of the asynchronous write queue; before {@link #openStorage}. */
    void useInlineStorage(boolean inline) {
        this.inlineStorage = inline;
    }

    /** Opens the local storage, if one was configured (idempotent). */
    void openStorage() throws Exception {
        if (db != null && storage == null) {
            Files.createDirectories(db);
            storage = inlineStorage ? io.cojson.storage.MapDbStorage.open(db) : AsyncMapDbStorage.open(db);
        }
    }

    /** Closes the active account, giving it {@code syncTimeoutMs} to sync, then the local storage. */
    void close(long syncTimeoutMs) {
        if (node != null) closeNode(syncTimeoutMs);
        if (storage != null) {
            storage.close();
            storage = null;
        }
    }

    Crypto crypto() {
        if (crypto == null) crypto = Crypto.create();
        return crypto;
    }

    /** The active account's node; fails the command when there is none. */
    LocalNode node() {
        requireNode();
        return node;
    }

    CojsonNode typed() {
        requireNode();
        return typed;
    }

    boolean hasSync() {
        return sync != null;
    }

    void requireNode() {
        if (node == null) throw new CommandError("no account: run createAccount or login first");
    }

    long timeout(JsonValue.Obj req) {
        return Args.timeout(req, defaultTimeoutMs);
    }

    /** Waits until every change is committed to the local storage (no-op without storage). */
    void awaitPersisted(JsonValue.Obj req) throws Exception {
        if (persistence != null) await(persistence.persistedAll(), timeout(req), "committing to local storage");
    }

    // ---- account and connection commands ----

    void whoami(Map<String, JsonValue> r) {
        requireNode();
        r.put("accountID", JsonValue.of(node.accountID().value()));
        r.put("agentSecret", JsonValue.of(agentSecret.value()));
        r.put("agentID", JsonValue.of(crypto().getAgentID(agentSecret).value()));
        r.put("sessionID", JsonValue.of(node.sessionID().value()));
        r.put("peer", peer == null ? JsonValue.NULL : JsonValue.of(peer));
        r.put("connected", JsonValue.of(isConnected()));
    }

    void status(Map<String, JsonValue> r) {
        r.put("loggedIn", JsonValue.of(node != null));
        r.put("accountID", node == null ? JsonValue.NULL : JsonValue.of(node.accountID().value()));
        r.put("sessionID", node == null ? JsonValue.NULL : JsonValue.of(node.sessionID().value()));
        r.put("peer", peer == null ? JsonValue.NULL : JsonValue.of(peer));
        r.put("connected", JsonValue.of(isConnected()));
    }

    void createAccount(JsonValue.Obj req, Map<String, JsonValue> r) throws Exception {
        String name = str(req, "name", true);
        long t = timeout(req);
        AgentSecret secret = crypto().newRandomAgentSecret();
        LocalNode created = Accounts.create(crypto(), secret, name == null ? "ref-client" : name);
        NodePersistence createdPersistence = storage == null ? null : NodePersistence.attach(created, storage);
        if (createdPersistence != null) await(createdPersistence.persistedAll(), t, "committing the account to local storage");
        SyncManager createdSync = connect(created);
        boolean synced = createdSync == null;
        if (createdSync != null && !JsonValue.FALSE.equals(req.get("waitSync"))) {
            try {
                syncAll(created, createdSync, t);
            } catch (CommandError e) {
                createdSync.close();
                throw new CommandError("account created but not uploaded to " + peer + ": " + e.getMessage());
            }
            synced = true;
        }
        r.put("accountID", JsonValue.of(created.accountID().value()));
        r.put("agentSecret", JsonValue.of(secret.value()));
        r.put("agentID", JsonValue.of(crypto().getAgentID(secret).value()));
        r.put("sessionID", JsonValue.of(created.sessionID().value()));
        r.put("profileID", profileOf(created));
        r.put("synced", JsonValue.of(synced));
        boolean keep = JsonValue.TRUE.equals(req.get("keepCurrent"));
        r.put("active", JsonValue.of(!keep));
        if (keep) {
            if (createdSync != null) {
                if (!synced) trySyncAll(created, createdSync, t);
                stopConnection(createdSync);
                createdSync.close();
            }
            if (createdPersistence != null) createdPersistence.close();
        } else {
            activate(created, createdSync, secret, createdPersistence);
        }
    }

    void login(JsonValue.Obj req, Map<String, JsonValue> r) throws Exception {
        RawCoID accountID = new RawCoID(coId(req, "accountID", false));
        String s = str(req, "agentSecret", true);
        if (s == null) s = str(req, "accountSecret", false);
        AgentSecret secret;
        try {
            secret = AgentSecret.parse(s);
        } catch (IllegalArgumentException e) {
            throw new CommandError("invalid agentSecret: " + e.getMessage());
        }
        String session = str(req, "sessionID", true);
        long t = timeout(req);
        SessionID requested = session == null ? null : new SessionID(session);
        // With storage: a session the previous process may have forked is not reused (recovery.md §13).
        SessionID chosen = storage != null
                ? SessionGuard.choose(storage, SessionRegistry.of(storage), crypto(), accountID, requested).session()
                : requested != null ? requested : crypto().newRandomSessionID(accountID.value());
        LocalNode loaded = LocalNode.forAccount(crypto(), accountID, secret, chosen);
        NodePersistence loadedPersistence = null;
        if (storage != null) {
            loadedPersistence = NodePersistence.attach(loaded, storage);
            loadedPersistence.loadAll(); // everything stored, verified on import
        }
        boolean local = loaded.get(accountID) != null;
        SyncManager loadedSync = connect(loaded);
        try {
            if (!local) {
                if (loadedSync == null) throw new CommandError(accountID.value() + " is unavailable");
                Optional<CoValueCore> account = await(loadedSync.load(accountID), t, "logging in as " + accountID.value());
                if (account.isEmpty()) throw new CommandError(accountID.value() + " is unavailable");
                RawCoID profile = profileID(loaded);
                if (profile != null) await(loadedSync.load(profile), t, "loading the profile");
            }
            Accounts.checkLogin(loaded);
        } catch (Exception | Error e) {
            if (loadedSync != null) loadedSync.close();
            if (loadedPersistence != null) loadedPersistence.close();
            if (e instanceof IllegalArgumentException || e instanceof IllegalStateException) throw new CommandError(e.getMessage());
            throw e;
        }
        activate(loaded, loadedSync, secret, loadedPersistence);
        r.put("accountID", JsonValue.of(accountID.value()));
        r.put("agentID", JsonValue.of(crypto().getAgentID(secret).value()));
        r.put("sessionID", JsonValue.of(loaded.sessionID().value()));
        r.put("profileID", profileOf(loaded));
    }

    private static RawCoID profileID(LocalNode n) {
        try {
            JsonValue p = n.locked(() -> ((io.cojson.core.content.CoMapContent) n.view(n.accountID())).toJson().get("profile"));
            return p instanceof JsonValue.Str ? new RawCoID(((JsonValue.Str) p).value()) : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static JsonValue profileOf(LocalNode n) {
        RawCoID p = profileID(n);
        return p == null ? JsonValue.NULL : JsonValue.of(p.value());
    }

    private SyncManager connect(LocalNode n) {
        if (peer == null) return null;
        SyncManager s = SyncManager.create(n);
        if (storage != null) s.trackDurabilityWindow(storage); // recovery.md §13: writes reach storage via NodePersistence
        s.onError(e -> System.err.println("[client] sync error: " + e));
        startConnection(s);
        return s;
    }

    /** Connects {@code s} to the peer; every new connection (after a drop) re-handshakes as peer "server". */
    private void startConnection(SyncManager s) {
        java.util.concurrent.CountDownLatch added = new java.util.concurrent.CountDownLatch(1);
        connections.put(s, ReconnectingClient.builder(peer)
                .onChannel(ch -> {
                    s.addPeer("server", PeerRole.SERVER, ch);
                    added.countDown();
                })
                .start());
        try { // the first attempt runs on the client's thread: have the peer in place before the next command
            if (!added.await(10, java.util.concurrent.TimeUnit.SECONDS)) System.err.println("[client] connection attempt did not start");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void stopConnection(SyncManager s) {
        ReconnectingClient c = connections.remove(s);
        if (c != null) c.close(); // stops reconnecting too
    }

    void disconnect() {
        requireNode();
        if (sync != null) stopConnection(sync); // the sync manager drops the peer; local edits keep working
    }

    void reconnect(JsonValue.Obj req) throws Exception {
        requireNode();
        if (sync == null) throw new CommandError("no --peer was given");
        long t = timeout(req);
        if (!connections.containsKey(sync)) startConnection(sync); // after disconnect; otherwise it retries by itself
        // the server answered once it confirmed (or received) our account
        await(sync.waitForSync(node.accountID(), "server"), t, "connecting");
    }

    void waitSynced(JsonValue.Obj req, Map<String, JsonValue> r) throws Exception {
        requireNode();
        long t = timeout(req);
        if (sync == null) {
            r.put("peers", JsonValue.of(0));
            return;
        }
        String id = coId(req, "id", true);
        if (id != null) syncOne(new RawCoID(id), t);
        else syncAll(node, sync, t);
    }

    private void activate(LocalNode n, SyncManager s, AgentSecret secret, NodePersistence p) {
        closeNode(5000);
        persistence = p;
        node = n;
        n.writeForbiddenAsReference(true); // this driver answers as ref-client.mjs does (issue 12 A.5)
        typed = CojsonNode.of(n);
        sync = s;
        agentSecret = secret;
        if (s != null) {
            recovery = io.cojson.sync.recovery.RecoveryCoordinator.install(s, storage);
            if (p != null) { // the recovered session's stored length changed under NodePersistence
                recovery.onStatus(st -> {
                    switch (st.state()) {
                        case COMMITTING -> p.replacing(st.id());
                        case PROPAGATING, DONE, FAILED -> p.resync(st.id()); // DONE too: a plan can end without a swap
                        default -> { }
                    }
                });
            }
        }
    }

    /** The conflict records (recovery.md §11) kept by the local storage; a command error without {@code --db}. */
    io.cojson.sync.recovery.ConflictRecords conflictRecords() {
        if (storage == null) throw new CommandError("conflict records need local storage: start the client with --db");
        return recovery != null ? recovery.conflicts() : io.cojson.sync.recovery.ConflictRecords.of(storage);
    }

    /** Edits a deletion discarded (recovery.md §5.3, {@code DISCARDED_DELETED}); a command error without {@code --db}. */
    java.util.List<io.cojson.sync.recovery.DiscardedDeletedRecord> discardedRecords() {
        if (storage == null) throw new CommandError("discarded-edit records need local storage: start the client with --db");
        return recovery != null ? recovery.discardedEdits().records() : io.cojson.sync.recovery.DiscardedEdits.readFrom(storage);
    }

    /** Gives the active account up to {@code timeoutMs} to sync, then closes it; true if it synced. */
    boolean closeNode(long timeoutMs) {
        boolean synced = true;
        if (recovery != null) {
            recovery.close();
            recovery = null;
        }
        if (sync != null) {
            synced = isConnected() && trySyncAll(node, sync, timeoutMs);
            stopConnection(sync);
            sync.close();
        }
        if (persistence != null) {
            persistence.close(); // hands storage what is pending and waits for the commit
            persistence = null;
        }
        node = null;
        typed = null;
        sync = null;
        agentSecret = null;
        return synced;
    }

    private boolean isConnected() {
        ReconnectingClient c = sync == null ? null : connections.get(sync);
        // the current socket is open (the client's "established" flag follows a frame a moment later)
        return c != null && (c.isConnected() || (c.current() instanceof WebSocketClientChannel w && w.isOpen()))
                && sync.peer("server").map(p -> !p.isClosed()).orElse(false);
    }

    // ---- syncing ----

    /** With {@code "sync":true}: waits until {@code id} reached the server and adds {@code synced:true}. */
    void maybeSync(JsonValue.Obj req, RawCoID id, Map<String, JsonValue> r) throws Exception {
        if (!JsonValue.TRUE.equals(req.get("sync"))) return;
        syncOne(id, timeout(req));
        r.put("synced", JsonValue.TRUE);
    }

    private void syncOne(RawCoID id, long timeoutMs) throws Exception {
        if (sync == null) return;
        await(sync.waitForSync(id, "server"), timeoutMs, "waiting for " + id.value() + " to sync");
    }

    private static void syncAll(LocalNode n, SyncManager s, long timeoutMs) throws Exception {
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (RawCoID id : n.ids()) all.add(s.waitForSync(id, "server"));
        await(CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])), timeoutMs, "waiting for all CoValues to sync");
    }

    private static boolean trySyncAll(LocalNode n, SyncManager s, long timeoutMs) {
        try {
            syncAll(n, s, timeoutMs);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    // ---- loading ----

    /** Makes {@code id} available locally (from the server if needed). */
    RawCoID load(String idString, long timeoutMs) throws Exception {
        return load(idString, timeoutMs, true);
    }

    /** As ref-client: with {@code retry}, a value no peer had is asked for once more after 3 s. */
    RawCoID load(String idString, long timeoutMs, boolean retry) throws Exception {
        requireNode();
        RawCoID id = new RawCoID(idString);
        if (node.get(id) != null && node.locked(() -> node.get(id).header() != null)) return id;
        if (persistence != null) {
            persistence.load(id);
            if (node.get(id) != null && node.locked(() -> node.get(id).header() != null)) return id;
        }
        if (sync == null) throw new CommandError(idString + " is unavailable");
        Optional<CoValueCore> got = await(sync.load(id, retry), timeoutMs, "loading " + idString);
        if (got.isEmpty()) throw new CommandError(idString + " is unavailable");
        return id;
    }

    /** The loaded value {@code id}; fails the command unless its type is one of {@code kinds}. */
    CoValue expectKind(RawCoID id, String... kinds) {
        CoValue v = typed().load(id);
        String kind = ValueViews.kindName(v.kind());
        if (!Arrays.asList(kinds).contains(kind)) throw new CommandError(id.value() + " is a " + kind + ", expected " + String.join(" or ", kinds));
        return v;
    }

    /** A group or an account (an account is a group in the reference: ref-client's loadGroup takes both). */
    RawCoID loadGroup(String id, long timeoutMs) throws Exception {
        RawCoID g = load(id, timeoutMs);
        String kind = ValueViews.kindName(typed().load(g).kind());
        if (!kind.equals("group") && !kind.equals("account")) throw new CommandError(id + " is a " + kind + ", expected a group");
        return g;
    }

    /** Fails with the reference's {@code message} (account.js) when {@code group} is an account. */
    void refuseAccount(RawCoID group, String message) {
        if (typed().load(group).kind() == CoValueKind.ACCOUNT) throw new CommandError(message);
    }

    /** The {@code member} argument: an account (loaded), an agent ID or {@code everyone}. */
    String resolveMember(JsonValue.Obj req) throws Exception {
        String member = str(req, "member", false);
        if (member.equals("everyone") || member.startsWith("sealer_")) return member;
        if (!member.startsWith("co_z")) throw new CommandError("\"member\" must be an account ID (co_z...), an agent ID or \"everyone\"");
        RawCoID id = load(member, timeout(req));
        String kind = ValueViews.kindName(typed().load(id).kind());
        if (!kind.equals("account")) throw new CommandError(member + " is a " + kind + ", expected an account");
        return member;
    }
}
