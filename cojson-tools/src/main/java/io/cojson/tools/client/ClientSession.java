package io.cojson.tools.client;

import static io.cojson.tools.client.Args.await;
import static io.cojson.tools.client.Args.coId;
import static io.cojson.tools.client.Args.str;

import io.cojson.client.AccountNotUploadedException;
import io.cojson.client.ClientTimeoutException;
import io.cojson.client.CojsonClient;
import io.cojson.client.CojsonClientException;
import io.cojson.client.CreatedAccount;
import io.cojson.client.Credentials;
import io.cojson.client.InvalidCredentialsException;
import io.cojson.client.StorageWriteMode;
import io.cojson.client.UnavailableException;
import io.cojson.client.peer.ClientPeer;
import io.cojson.core.covalue.CoValueCore;
import io.cojson.core.crypto.Crypto;
import io.cojson.core.ids.AgentSecret;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.header.CoValueKind;
import io.cojson.core.node.LocalNode;
import io.cojson.core.values.Account;
import io.cojson.core.values.CoValue;
import io.cojson.core.values.CojsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The client's account and connection commands on one {@link CojsonClient}, which owns the node,
 * the storage ({@code --db}), sync with {@code --peer}, reconnection, crash recovery and the
 * threads; loading CoValues (from storage or the server) and waiting for them to sync. One
 * account at a time: a new one replaces the active one, which gets up to 5 s to sync first.
 *
 * <p>What the typed API does not cover and only a protocol test peer needs (raw exports, loads
 * with the reference's retry, the sync manager's per-peer waits) goes through the client's
 * account ({@link ClientPeer}), never a second stack.
 */
final class ClientSession {
    private final String peer;
    private final Path db;
    private final long defaultTimeoutMs;
    /** Whether storage commits each write inline instead of through the asynchronous write queue (the default). */
    private boolean inlineStorage;
    private CojsonClient client;
    private Crypto crypto;
    private AgentSecret agentSecret;

    ClientSession(String peer, Path db, long defaultTimeoutMs) {
        this.peer = peer;
        this.db = db;
        this.defaultTimeoutMs = defaultTimeoutMs;
    }

    /** Chooses the inline storage API instead of the asynchronous write queue; before {@link #openStorage}. */
    void useInlineStorage(boolean inline) {
        this.inlineStorage = inline;
    }

    /** Builds the client, opening the local storage if one was configured (idempotent). */
    void openStorage() {
        client();
    }

    private CojsonClient client() {
        if (client == null) {
            CojsonClient.Builder b = CojsonClient.builder()
                    .storageWriteMode(inlineStorage ? StorageWriteMode.INLINE : StorageWriteMode.ASYNC_QUEUE)
                    .continueLastSession(false) // as ref-client: a login without sessionID writes in a new session
                    .timeout(Duration.ofMillis(defaultTimeoutMs))
                    .crypto(crypto().provider());
            if (db != null) b.dataDirectory(db);
            else b.inMemory();
            if (peer != null) b.syncServer(peer);
            client = b.build();
        }
        return client;
    }

    /** Closes the active account, giving it {@code syncTimeoutMs} to sync, then the client. */
    void close(long syncTimeoutMs) {
        if (client == null) return;
        closeNode(syncTimeoutMs);
        client.close();
        client = null;
    }

    Crypto crypto() {
        if (crypto == null) crypto = Crypto.create();
        return crypto;
    }

    /** The client's account as it runs (node, sync, persistence, recovery); fails the command when there is none. */
    private ClientPeer active() {
        ClientPeer a = client == null ? null : ClientPeer.of(client);
        if (a == null) throw new CommandError("no account: run createAccount or login first");
        return a;
    }

    /** The active account's node; fails the command when there is none. */
    LocalNode node() {
        return active().node();
    }

    CojsonNode typed() {
        active(); // the command error when there is no account
        return client.node();
    }

    boolean hasSync() {
        return client != null && client.isLoggedIn() && active().sync() != null;
    }

    void requireNode() {
        active();
    }

    long timeout(JsonValue.Obj req) {
        return Args.timeout(req, defaultTimeoutMs);
    }

    /** Waits until every change is committed to the local storage (no-op without storage). */
    void awaitPersisted(JsonValue.Obj req) throws Exception {
        if (client != null && client.isLoggedIn() && db != null) {
            await(active().persistence().persistedAll(), timeout(req), "committing to local storage");
        }
    }

    // ---- account and connection commands ----

    void whoami(Map<String, JsonValue> r) {
        LocalNode node = node();
        r.put("accountID", JsonValue.of(node.accountID().value()));
        r.put("agentSecret", JsonValue.of(agentSecret.value()));
        r.put("agentID", JsonValue.of(crypto().getAgentID(agentSecret).value()));
        r.put("sessionID", JsonValue.of(node.sessionID().value()));
        r.put("peer", peer == null ? JsonValue.NULL : JsonValue.of(peer));
        r.put("connected", JsonValue.of(isConnected()));
    }

    void status(Map<String, JsonValue> r) {
        boolean in = client != null && client.isLoggedIn();
        LocalNode node = in ? node() : null;
        r.put("loggedIn", JsonValue.of(in));
        r.put("accountID", node == null ? JsonValue.NULL : JsonValue.of(node.accountID().value()));
        r.put("sessionID", node == null ? JsonValue.NULL : JsonValue.of(node.sessionID().value()));
        r.put("peer", peer == null ? JsonValue.NULL : JsonValue.of(peer));
        r.put("connected", JsonValue.of(isConnected()));
    }

    void createAccount(JsonValue.Obj req, Map<String, JsonValue> r) throws Exception {
        String name = str(req, "name", true);
        if (name == null) name = "ref-client";
        long t = timeout(req);
        boolean waitSync = !JsonValue.FALSE.equals(req.get("waitSync"));
        boolean keep = JsonValue.TRUE.equals(req.get("keepCurrent"));
        CreatedAccount created;
        if (keep) { // stored and given t to upload on connections of its own, beside the active account
            try {
                created = client().createAccountWithoutSwitching(name, Duration.ofMillis(t));
            } catch (AccountNotUploadedException e) {
                if (waitSync) throw notUploaded(e.getCause(), t);
                created = e.created();
            }
        } else { // the active account stays until the new one is uploaded, then gets 5 s to sync
            try {
                created = client().createAccountAndSwitch(name, peer != null && waitSync ? Duration.ofMillis(t) : null, Duration.ofMillis(5000));
            } catch (AccountNotUploadedException e) {
                throw notUploaded(e.getCause(), t);
            }
            active().node().writeForbiddenAsReference(true); // this driver answers as ref-client.mjs does (issue 12 A.5)
            agentSecret = created.credentials().agentSecret();
        }
        AgentSecret secret = created.credentials().agentSecret();
        r.put("accountID", JsonValue.of(created.credentials().accountID().value()));
        r.put("agentSecret", JsonValue.of(secret.value()));
        r.put("agentID", JsonValue.of(crypto().getAgentID(secret).value()));
        r.put("sessionID", JsonValue.of(created.sessionID().value()));
        r.put("profileID", profileOf(created.account()));
        r.put("synced", JsonValue.of(peer == null || waitSync));
        r.put("active", JsonValue.of(!keep));
    }

    private CommandError notUploaded(Throwable cause, long t) {
        String why = cause != null && cause.getMessage() != null ? cause.getMessage()
                : "timeout after " + t + " ms waiting for all CoValues to sync";
        return new CommandError("account created but not uploaded to " + peer + ": " + why);
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
        Account account;
        try { // the active account stays until this login succeeded; with storage, a session the previous process may have forked is not reused (recovery.md §13)
            account = client().switchAccount(new Credentials(accountID, secret), requested, Duration.ofMillis(5000));
        } catch (InvalidCredentialsException e) { // the reference's words (account.js), as Accounts.checkLogin says them
            throw new CommandError("Account secret does not match expected agent ID in account");
        } catch (UnavailableException e) {
            throw new CommandError(accountID.value() + " is unavailable");
        } catch (ClientTimeoutException e) {
            throw new CommandError("timeout after " + t + " ms logging in as " + accountID.value());
        } catch (CojsonClientException e) {
            throw new CommandError(e.getCause() instanceof IllegalStateException c ? c.getMessage() : e.getMessage());
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new CommandError(e.getMessage());
        }
        active().node().writeForbiddenAsReference(true); // this driver answers as ref-client.mjs does (issue 12 A.5)
        agentSecret = secret;
        r.put("accountID", JsonValue.of(accountID.value()));
        r.put("agentID", JsonValue.of(crypto().getAgentID(secret).value()));
        r.put("sessionID", JsonValue.of(client.sessionID().value()));
        r.put("profileID", profileOf(account));
    }

    private static JsonValue profileOf(Account a) {
        RawCoID p = a.profileId();
        return p == null ? JsonValue.NULL : JsonValue.of(p.value());
    }

    void disconnect() {
        requireNode();
        client.disconnect(); // the sync manager drops the peer; local edits keep working
    }

    void reconnect(JsonValue.Obj req) throws Exception {
        requireNode();
        if (peer == null) throw new CommandError("no --peer was given");
        long t = timeout(req);
        client.connect(); // after disconnect; otherwise it retries by itself
        // the server answered once it confirmed (or received) our account
        await(syncFuture(node().accountID(), t), t, "connecting");
    }

    void waitSynced(JsonValue.Obj req, Map<String, JsonValue> r) throws Exception {
        requireNode();
        long t = timeout(req);
        if (!hasSync()) {
            r.put("peers", JsonValue.of(0));
            return;
        }
        String id = coId(req, "id", true);
        if (id != null) syncOne(new RawCoID(id), t);
        else await(syncFuture(null, t), t, "waiting for all CoValues to sync");
    }

    /**
     * The client's wait for {@code id} (null: everything) to reach the server, its own bound a
     * second past {@code t}: the caller's {@code await} within {@code t} says what timed out.
     */
    private CompletableFuture<Void> syncFuture(RawCoID id, long t) {
        Duration bound = Duration.ofMillis(t).plusSeconds(1);
        return id == null ? client.waitForSync(bound) : client.waitForSync(id, bound);
    }

    /** The conflict records (recovery.md §11) kept by the local storage; a command error without {@code --db}. */
    io.cojson.sync.recovery.ConflictRecords conflictRecords() {
        if (db == null) throw new CommandError("conflict records need local storage: start the client with --db");
        return active().conflicts();
    }

    /** Edits a deletion discarded (recovery.md §5.3, {@code DISCARDED_DELETED}); a command error without {@code --db}. */
    java.util.List<io.cojson.sync.recovery.DiscardedDeletedRecord> discardedRecords() {
        if (db == null) throw new CommandError("discarded-edit records need local storage: start the client with --db");
        ClientPeer a = active();
        return a.recovery() != null ? a.recovery().discardedEdits().records() : io.cojson.sync.recovery.DiscardedEdits.readFrom(a.storage());
    }

    /** Gives the active account up to {@code timeoutMs} to sync, then logs it out; true if it synced. */
    boolean closeNode(long timeoutMs) {
        agentSecret = null;
        if (client == null || !client.isLoggedIn()) return true;
        return client.logout(Duration.ofMillis(timeoutMs));
    }

    /** Whether the connection to the peer is open and the sync manager has it as its server peer. */
    private boolean isConnected() {
        if (client == null || !client.isLoggedIn()) return false;
        ClientPeer a = active();
        return a.sync() != null && a.firstServerOpen() && a.sync().peer("server").map(p -> !p.isClosed()).orElse(false);
    }

    // ---- syncing ----

    /** With {@code "sync":true}: waits until {@code id} reached the server and adds {@code synced:true}. */
    void maybeSync(JsonValue.Obj req, RawCoID id, Map<String, JsonValue> r) throws Exception {
        if (!JsonValue.TRUE.equals(req.get("sync"))) return;
        syncOne(id, timeout(req));
        r.put("synced", JsonValue.TRUE);
    }

    private void syncOne(RawCoID id, long timeoutMs) throws Exception {
        if (!hasSync()) return;
        await(syncFuture(id, timeoutMs), timeoutMs, "waiting for " + id.value() + " to sync");
    }

    // ---- loading ----

    /** Makes {@code id} available locally (from the server if needed). */
    RawCoID load(String idString, long timeoutMs) throws Exception {
        return load(idString, timeoutMs, true);
    }

    /** As ref-client: with {@code retry}, a value no peer had is asked for once more after 3 s. */
    RawCoID load(String idString, long timeoutMs, boolean retry) throws Exception {
        ClientPeer a = active();
        LocalNode node = a.node();
        RawCoID id = new RawCoID(idString);
        if (node.get(id) != null && node.locked(() -> node.get(id).header() != null)) return id;
        if (a.persistence() != null) {
            a.persistence().load(id);
            if (node.get(id) != null && node.locked(() -> node.get(id).header() != null)) return id;
        }
        if (a.sync() == null) throw new CommandError(idString + " is unavailable");
        Optional<CoValueCore> got = await(a.sync().load(id, retry), timeoutMs, "loading " + idString);
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
