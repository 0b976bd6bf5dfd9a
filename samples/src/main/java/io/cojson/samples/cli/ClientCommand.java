package io.cojson.samples.cli;

import io.cojson.core.content.CoStreamContent;
import io.cojson.core.crypto.Crypto;
import io.cojson.core.ids.AgentSecret;
import io.cojson.core.ids.InviteSecret;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.json.Json;
import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import io.cojson.core.node.Accounts;
import io.cojson.core.covalue.CoValueCore;
import io.cojson.core.node.CoValueKind;
import io.cojson.core.node.GroupOperations;
import io.cojson.core.node.LocalNode;
import io.cojson.core.values.CoList;
import io.cojson.core.values.CoMap;
import io.cojson.core.values.CoPlainText;
import io.cojson.core.values.CoStream;
import io.cojson.core.values.CoValue;
import io.cojson.core.values.CojsonNode;
import io.cojson.core.values.Group;
import io.cojson.core.values.Role;
import io.cojson.sync.PeerRole;
import io.cojson.sync.SyncManager;
import io.cojson.sync.transport.ReconnectingClient;
import io.cojson.sync.transport.WebSocketClientChannel;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code client [--peer URL] [--timeout-ms N]}: a scriptable Java peer speaking the JSON-lines
 * command protocol of {@code ../shared/interop/ref-client.mjs}: one JSON command per stdin line,
 * exactly one JSON answer per line on stdout, in order, {@code reqId} echoed.
 */
@Command(name = "client", mixinStandardHelpOptions = true,
        description = "A scriptable cojson client speaking the ref-client JSON-lines protocol on stdin/stdout.")
public final class ClientCommand implements Callable<Integer> {
    @Option(names = "--peer", description = "Sync server URL (ws://...). Without it the client works offline.")
    String peer;

    @Option(names = "--db", description = "Local MapDB storage directory: every change is committed before its answer; login works offline from it.")
    java.nio.file.Path db;

    @Option(names = "--timeout-ms", defaultValue = "10000", description = "Default timeout of loads and waits (default ${DEFAULT-VALUE}).")
    long defaultTimeoutMs;

    @Option(names = "--crypto", description = "Accepted for compatibility with ref-client.mjs; ignored (see -Dcojson.crypto).")
    String cryptoName;

    @Option(names = "--log-level", description = "Accepted for compatibility with ref-client.mjs; ignored.")
    String logLevel;

    private static final List<String> MEMBER_ROLES = List.of("reader", "writer", "manager", "admin", "writeOnly");

    /** A failed command: its message is the answer's {@code error}. */
    static final class CommandError extends RuntimeException {
        CommandError(String message) {
            super(message);
        }
    }

    /** A client for in-process use (tests): {@code peer} may be null (offline). */
    public static ClientCommand create(String peer, long defaultTimeoutMs) {
        ClientCommand c = new ClientCommand();
        c.peer = peer;
        c.defaultTimeoutMs = defaultTimeoutMs;
        return c;
    }

    /** Same, with local storage in {@code db} (opened now; {@link #close} releases it). */
    public static ClientCommand create(String peer, long defaultTimeoutMs, java.nio.file.Path db) throws Exception {
        ClientCommand c = create(peer, defaultTimeoutMs);
        c.db = db;
        c.openStorage();
        return c;
    }

    private void openStorage() throws Exception {
        if (db != null && storage == null) {
            java.nio.file.Files.createDirectories(db);
            storage = io.cojson.storage.AsyncMapDbStorage.open(db);
        }
    }

    /** Closes the active account (without waiting for sync) and the local storage. */
    public void close() {
        if (node != null) closeNode(quitting ? 0 : 3000);
        if (storage != null) {
            storage.close();
            storage = null;
        }
    }

    private io.cojson.storage.AsyncMapDbStorage storage;
    private io.cojson.storage.NodePersistence persistence;

    /** True once {@code quit} was answered. */
    public boolean quitting() {
        return quitting;
    }

    /** The connection of each sync manager: reconnects by itself, like the reference client's. */
    private final Map<SyncManager, ReconnectingClient> connections = new java.util.IdentityHashMap<>();
    private Crypto crypto;
    private LocalNode node;
    private CojsonNode typed;
    private SyncManager sync;
    private AgentSecret agentSecret;
    private boolean quitting;

    @Override
    public Integer call() throws Exception {
        if (defaultTimeoutMs <= 0) {
            System.err.println("client: --timeout-ms must be positive");
            return 2;
        }
        if (peer != null && !(peer.startsWith("ws://") || peer.startsWith("wss://"))) {
            System.err.println("client: --peer must be a ws:// or wss:// URL");
            return 2;
        }
        try {
            openStorage();
        } catch (Exception e) {
            System.err.println("client: cannot open storage " + db + ": " + e);
            return 1;
        }
        try {
            run(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), System.out);
        } finally {
            close();
        }
        return 0;
    }

    /** The command loop; returns at {@code quit} or end of input. */
    public void run(BufferedReader in, PrintStream out) throws Exception {
        String line;
        while (!quitting && (line = in.readLine()) != null) {
            if (line.isBlank()) continue;
            out.println(JsonWriter.stringify(handle(line)));
            out.flush();
        }
        if (!quitting) closeNode(3000);
    }

    /** One command line in, its answer out (what the stdin loop prints). */
    public JsonValue.Obj handle(String line) {
        if (crypto == null) crypto = Crypto.create();
        Map<String, JsonValue> answer = new LinkedHashMap<>();
        JsonValue parsed;
        try {
            parsed = Json.parse(line);
        } catch (RuntimeException e) {
            answer.put("ok", JsonValue.FALSE);
            answer.put("error", JsonValue.of("invalid JSON: " + e.getMessage()));
            return new JsonValue.Obj(answer);
        }
        if (!(parsed instanceof JsonValue.Obj)) {
            answer.put("ok", JsonValue.FALSE);
            answer.put("error", JsonValue.of("a command must be a JSON object"));
            return new JsonValue.Obj(answer);
        }
        JsonValue.Obj req = (JsonValue.Obj) parsed;
        JsonValue name = req.has("cmd") && !(req.get("cmd") instanceof JsonValue.Null) ? req.get("cmd") : req.get("command");
        try {
            Map<String, JsonValue> result = new LinkedHashMap<>();
            if (!(name instanceof JsonValue.Str)) throw new CommandError("unknown command: " + (name == null ? "null" : JsonWriter.stringify(name)));
            dispatch(((JsonValue.Str) name).value(), req, result);
            if (persistence != null) await(persistence.persistedAll(), timeout(req), "committing to local storage");
            answer.put("ok", JsonValue.TRUE);
            answer.putAll(result);
        } catch (CommandError e) {
            answer.clear();
            answer.put("ok", JsonValue.FALSE);
            answer.put("error", JsonValue.of(e.getMessage()));
        } catch (RuntimeException e) {
            answer.clear();
            answer.put("ok", JsonValue.FALSE);
            answer.put("error", JsonValue.of(e.getMessage() == null ? e.toString() : e.getMessage()));
        } catch (Exception e) {
            answer.clear();
            answer.put("ok", JsonValue.FALSE);
            answer.put("error", JsonValue.of(String.valueOf(e)));
        }
        if (req.has("reqId")) answer.put("reqId", req.get("reqId"));
        return new JsonValue.Obj(answer);
    }

    private void dispatch(String cmd, JsonValue.Obj req, Map<String, JsonValue> r) throws Exception {
        switch (cmd) {
            case "ping": r.put("pong", JsonValue.TRUE); break;
            case "sleep": Thread.sleep(integer(req, "ms", false)); break;
            case "createAccount": createAccount(req, r); break;
            case "login": login(req, r); break;
            case "whoami": {
                requireNode();
                r.put("accountID", JsonValue.of(node.accountID().value()));
                r.put("agentSecret", JsonValue.of(agentSecret.value()));
                r.put("agentID", JsonValue.of(crypto.getAgentID(agentSecret).value()));
                r.put("sessionID", JsonValue.of(node.sessionID().value()));
                r.put("peer", peer == null ? JsonValue.NULL : JsonValue.of(peer));
                r.put("connected", JsonValue.of(isConnected()));
                break;
            }
            case "status":
                r.put("loggedIn", JsonValue.of(node != null));
                r.put("accountID", node == null ? JsonValue.NULL : JsonValue.of(node.accountID().value()));
                r.put("sessionID", node == null ? JsonValue.NULL : JsonValue.of(node.sessionID().value()));
                r.put("peer", peer == null ? JsonValue.NULL : JsonValue.of(peer));
                r.put("connected", JsonValue.of(isConnected()));
                break;
            case "createGroup": {
                requireNode();
                String name = str(req, "name", true);
                RawCoID id = GroupOperations.createGroup(node, name == null ? null : (JsonValue.Obj) JsonValue.obj("name", JsonValue.of(name)));
                r.put("id", JsonValue.of(id.value()));
                maybeSync(req, id, r);
                break;
            }
            case "addMember": {
                String role = str(req, "role", false);
                if (!MEMBER_ROLES.contains(role)) throw new CommandError("\"role\" must be one of " + String.join(", ", MEMBER_ROLES));
                RawCoID group = loadGroup(coId(req, "group", false), timeout(req));
                String member = resolveMember(req);
                GroupOperations.addMember(node, group, member, role);
                maybeSync(req, group, r);
                break;
            }
            case "removeMember": {
                RawCoID group = loadGroup(coId(req, "group", false), timeout(req));
                String member = resolveMember(req);
                if (member.startsWith("sealer_")) throw new CommandError("removeMember takes an account ID or everyone");
                GroupOperations.removeMember(node, group, member);
                maybeSync(req, group, r);
                break;
            }
            case "roleOf": {
                RawCoID group = loadGroup(coId(req, "group", false), timeout(req));
                Role role = typed.group(group).roleOf(str(req, "member", false));
                r.put("role", role == null ? JsonValue.NULL : JsonValue.of(role.wireName()));
                break;
            }
            case "extendGroup": {
                long t = timeout(req);
                RawCoID child = loadGroup(coId(req, "group", false), t);
                RawCoID parent = loadGroup(coId(req, "parent", false), t);
                String role = str(req, "role", true);
                GroupOperations.extend(node, child, parent, role == null || role.equals("inherit") ? "extend" : role);
                maybeSync(req, child, r);
                break;
            }
            case "createInvite": {
                RawCoID group = loadGroup(coId(req, "group", false), timeout(req));
                InviteSecret secret = GroupOperations.createInvite(node, group, str(req, "role", false));
                r.put("inviteSecret", JsonValue.of(secret.value()));
                maybeSync(req, group, r);
                break;
            }
            case "acceptInvite": {
                RawCoID id = load(coId(req, "id", false), timeout(req));
                CoValue v = typed.load(id);
                RawCoID group = v.kind() == CoValueKind.GROUP ? id : v.ownerId();
                GroupOperations.acceptInvite(node, group, new InviteSecret(str(req, "inviteSecret", false)));
                break;
            }
            case "createMap": create(req, r, "comap"); break;
            case "createList": create(req, r, "colist"); break;
            case "createText": create(req, r, "coplaintext"); break;
            case "createStream": create(req, r, "costream"); break;
            case "set": {
                CoMap map = mapFor(req);
                map.set(str(req, "key", false), value(req, "value"));
                maybeSync(req, map.id(), r);
                break;
            }
            case "delete":
            case "deleteKey": {
                CoMap map = mapFor(req);
                map.delete(str(req, "key", false));
                maybeSync(req, map.id(), r);
                break;
            }
            case "append": {
                CoList list = listFor(req);
                Integer after = optInt(req, "after");
                if (after == null) list.append(value(req, "value"));
                else list.append(value(req, "value"), after);
                listDone(req, list, r);
                break;
            }
            case "prepend": {
                CoList list = listFor(req);
                Integer before = optInt(req, "before");
                list.prepend(value(req, "value"), before == null ? 0 : before);
                listDone(req, list, r);
                break;
            }
            case "insert": {
                CoList list = listFor(req);
                int index = integer(req, "index", false);
                int length = list.size();
                if (index < 0 || index > length) throw new CommandError("index " + index + " out of range 0.." + length);
                list.insert(index, value(req, "value"));
                listDone(req, list, r);
                break;
            }
            case "deleteAt": {
                CoList list = listFor(req);
                list.delete(integer(req, "index", false));
                listDone(req, list, r);
                break;
            }
            case "replace": {
                CoList list = listFor(req);
                list.replace(integer(req, "index", false), value(req, "value"));
                listDone(req, list, r);
                break;
            }
            case "insertText": {
                CoPlainText text = textFor(req);
                String insert = str(req, "text", false);
                int length = text.length();
                Integer index = optInt(req, "index");
                int at = index == null ? length : index;
                if (at < 0 || at > length) throw new CommandError("index " + at + " out of range 0.." + length);
                if (!insert.isEmpty()) {
                    if (at < length) text.insertBefore(at, insert);
                    else if (length == 0) text.insertBefore(0, insert);
                    else text.insertAfter(length - 1, insert);
                }
                r.put("text", JsonValue.of(text.toString()));
                maybeSync(req, text.id(), r);
                break;
            }
            case "deleteText": {
                CoPlainText text = textFor(req);
                int from = integer(req, "from", false);
                int to = integer(req, "to", false);
                int length = text.length();
                if (from < 0 || to > length || from > to) throw new CommandError("range " + from + ".." + to + " out of 0.." + length);
                if (to > from) text.deleteRange(from, to);
                r.put("text", JsonValue.of(text.toString()));
                maybeSync(req, text.id(), r);
                break;
            }
            case "push": {
                RawCoID id = load(coId(req, "id", false), timeout(req));
                CoValue v = expectKind(id, "costream");
                CoStream s = (CoStream) v;
                (privacy(req) ? s : s.trusting()).push(value(req, "value"));
                maybeSync(req, id, r);
                break;
            }
            case "get":
            case "load": {
                RawCoID id = load(coId(req, "id", false), timeout(req), !JsonValue.FALSE.equals(req.get("retry")));
                CoValue v = typed.load(id);
                describe(v, r);
                JsonValue view = viewOf(v);
                List<JsonValue> path = splitPath(req.get("path"));
                JsonValue at = path.isEmpty() ? view : getPath(view, path);
                r.put("value", at == null ? JsonValue.NULL : at);
                break;
            }
            case "waitFor": waitFor(req, r); break;
            case "disconnect": disconnect(); break;
            case "connect": reconnect(req); break;
            case "knownState": {
                RawCoID id = load(coId(req, "id", false), timeout(req));
                r.put("knownState", node.locked(() -> node.get(id).knownState().toJson()));
                break;
            }
            case "waitSynced": {
                requireNode();
                long t = timeout(req);
                if (sync == null) {
                    r.put("peers", JsonValue.of(0));
                    break;
                }
                String id = coId(req, "id", true);
                if (id != null) syncOne(new RawCoID(id), t);
                else syncAll(t);
                break;
            }
            case "quit": {
                long t = req.has("timeoutMs") ? timeout(req) : 3000;
                r.put("synced", JsonValue.of(closeNode(t)));
                quitting = true;
                break;
            }
            default:
                throw new CommandError("unknown command: " + JsonWriter.stringify(JsonValue.of(cmd)));
        }
    }

    // ---- accounts and connection ----

    private void createAccount(JsonValue.Obj req, Map<String, JsonValue> r) throws Exception {
        String name = str(req, "name", true);
        long t = timeout(req);
        AgentSecret secret = crypto.newRandomAgentSecret();
        LocalNode created = Accounts.create(crypto, secret, name == null ? "ref-client" : name);
        io.cojson.storage.NodePersistence createdPersistence = storage == null ? null : io.cojson.storage.NodePersistence.attach(created, storage);
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
        r.put("agentID", JsonValue.of(crypto.getAgentID(secret).value()));
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

    private void login(JsonValue.Obj req, Map<String, JsonValue> r) throws Exception {
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
        LocalNode loaded = LocalNode.forAccount(crypto, accountID, secret,
                session == null ? crypto.newRandomSessionID(accountID.value()) : new SessionID(session));
        io.cojson.storage.NodePersistence loadedPersistence = null;
        if (storage != null) {
            loadedPersistence = io.cojson.storage.NodePersistence.attach(loaded, storage);
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
        r.put("agentID", JsonValue.of(crypto.getAgentID(secret).value()));
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

    private void disconnect() {
        requireNode();
        if (sync != null) stopConnection(sync); // the sync manager drops the peer; local edits keep working
    }

    private void reconnect(JsonValue.Obj req) throws Exception {
        requireNode();
        if (sync == null) throw new CommandError("no --peer was given");
        long t = timeout(req);
        if (!connections.containsKey(sync)) startConnection(sync); // after disconnect; otherwise it retries by itself
        // the server answered once it confirmed (or received) our account
        await(sync.waitForSync(node.accountID(), "server"), t, "connecting");
    }

    private void activate(LocalNode n, SyncManager s, AgentSecret secret, io.cojson.storage.NodePersistence p) {
        closeNode(5000);
        persistence = p;
        node = n;
        typed = CojsonNode.of(n);
        sync = s;
        agentSecret = secret;
    }

    /** Gives the active account up to {@code timeoutMs} to sync, then closes it; true if it synced. */
    private boolean closeNode(long timeoutMs) {
        boolean synced = true;
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

    // ---- helpers ----

    private void requireNode() {
        if (node == null) throw new CommandError("no account: run createAccount or login first");
    }

    private long timeout(JsonValue.Obj req) {
        JsonValue t = req.get("timeoutMs");
        if (t == null || t instanceof JsonValue.Null) return defaultTimeoutMs;
        if (!(t instanceof JsonValue.Num) || !(((JsonValue.Num) t).value() > 0)) throw new CommandError("timeoutMs must be a positive number");
        return (long) ((JsonValue.Num) t).value();
    }

    private static String str(JsonValue.Obj req, String name, boolean optional) {
        JsonValue v = req.get(name);
        if (v == null || v instanceof JsonValue.Null) {
            if (optional) return null;
            throw new CommandError("missing \"" + name + "\"");
        }
        if (!(v instanceof JsonValue.Str)) throw new CommandError("\"" + name + "\" must be a string");
        return ((JsonValue.Str) v).value();
    }

    private static Integer optInt(JsonValue.Obj req, String name) {
        JsonValue v = req.get(name);
        if (v == null || v instanceof JsonValue.Null) return null;
        return integer(req, name, false);
    }

    private static int integer(JsonValue.Obj req, String name, boolean optional) {
        JsonValue v = req.get(name);
        if (v == null || v instanceof JsonValue.Null) throw new CommandError("missing \"" + name + "\"");
        if (!(v instanceof JsonValue.Num)) throw new CommandError("\"" + name + "\" must be an integer");
        double d = ((JsonValue.Num) v).value();
        if (d != Math.rint(d) || Double.isInfinite(d)) throw new CommandError("\"" + name + "\" must be an integer");
        return (int) d;
    }

    private static String coId(JsonValue.Obj req, String name, boolean optional) {
        String v = str(req, name, optional);
        if (v != null && !v.startsWith("co_z")) {
            throw new CommandError("\"" + name + "\" must be a CoValue ID (co_z...), got " + JsonWriter.stringify(JsonValue.of(v)));
        }
        return v;
    }

    private static JsonValue value(JsonValue.Obj req, String name) {
        if (!req.has(name)) throw new CommandError("missing \"" + name + "\"");
        return req.get(name);
    }

    /** True for private (the default), false for trusting. */
    private static boolean privacy(JsonValue.Obj req) {
        String p = str(req, "privacy", true);
        if (p == null || p.equals("private")) return true;
        if (p.equals("trusting")) return false;
        throw new CommandError("\"privacy\" must be \"private\" or \"trusting\"");
    }

    private static <T> T await(CompletableFuture<T> f, long timeoutMs, String what) throws Exception {
        try {
            return f.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new CommandError("timeout after " + timeoutMs + " ms " + what);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw new CommandError(c.getMessage() == null ? c.toString() : c.getMessage());
        }
    }

    /** Makes {@code id} available locally (from the server if needed). */
    private RawCoID load(String idString, long timeoutMs) throws Exception {
        return load(idString, timeoutMs, true);
    }

    /** As ref-client: with {@code retry}, a value no peer had is asked for once more after 3 s. */
    private RawCoID load(String idString, long timeoutMs, boolean retry) throws Exception {
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

    private static String kindName(CoValueKind k) {
        switch (k) {
            case COMAP: return "comap";
            case COLIST: return "colist";
            case COSTREAM: return "costream";
            case BINARY_COSTREAM: return "binarystream";
            case COPLAINTEXT: return "coplaintext";
            case GROUP: return "group";
            case ACCOUNT: return "account";
            default: return "unknown";
        }
    }

    private CoValue expectKind(RawCoID id, String... kinds) {
        CoValue v = typed.load(id);
        String kind = kindName(v.kind());
        if (!Arrays.asList(kinds).contains(kind)) throw new CommandError(id.value() + " is a " + kind + ", expected " + String.join(" or ", kinds));
        return v;
    }

    private RawCoID loadGroup(String id, long timeoutMs) throws Exception {
        RawCoID g = load(id, timeoutMs);
        String kind = kindName(typed.load(g).kind());
        if (!kind.equals("group")) throw new CommandError(id + " is a " + kind + ", expected a group");
        return g;
    }

    private String resolveMember(JsonValue.Obj req) throws Exception {
        String member = str(req, "member", false);
        if (member.equals("everyone") || member.startsWith("sealer_")) return member;
        if (!member.startsWith("co_z")) throw new CommandError("\"member\" must be an account ID (co_z...), an agent ID or \"everyone\"");
        RawCoID id = load(member, timeout(req));
        String kind = kindName(typed.load(id).kind());
        if (!kind.equals("account")) throw new CommandError(member + " is a " + kind + ", expected an account");
        return member;
    }

    private CoMap mapFor(JsonValue.Obj req) throws Exception {
        RawCoID id = load(coId(req, "id", false), timeout(req));
        expectKind(id, "comap", "group", "account");
        CoMap m = typed.map(id);
        return privacy(req) ? m : m.trusting();
    }

    private CoList listFor(JsonValue.Obj req) throws Exception {
        RawCoID id = load(coId(req, "id", false), timeout(req));
        CoList l = (CoList) expectKind(id, "colist");
        return privacy(req) ? l : l.trusting();
    }

    private CoPlainText textFor(JsonValue.Obj req) throws Exception {
        RawCoID id = load(coId(req, "id", false), timeout(req));
        CoPlainText t = (CoPlainText) expectKind(id, "coplaintext");
        return privacy(req) ? t : t.trusting();
    }

    private void listDone(JsonValue.Obj req, CoList list, Map<String, JsonValue> r) throws Exception {
        r.put("length", JsonValue.of(list.size()));
        maybeSync(req, list.id(), r);
    }

    private void create(JsonValue.Obj req, Map<String, JsonValue> r, String type) throws Exception {
        requireNode();
        String ownerId = coId(req, "owner", true);
        boolean createdGroup = ownerId == null;
        RawCoID owner = createdGroup ? GroupOperations.createGroup(node, null) : loadGroup(ownerId, timeout(req));
        JsonValue init = req.get("init");
        if (init instanceof JsonValue.Null) init = null;
        boolean priv = privacy(req);
        if (init != null) {
            if (type.equals("comap") && !(init instanceof JsonValue.Obj)) throw new CommandError("\"init\" must be a JSON object");
            if ((type.equals("colist") || type.equals("costream")) && !(init instanceof JsonValue.Arr)) throw new CommandError("\"init\" must be a JSON array");
            if (type.equals("coplaintext") && !(init instanceof JsonValue.Str)) throw new CommandError("\"init\" must be a string");
        }
        JsonValue meta = req.get("meta");
        RawCoID id = Accounts.createOwned(node, type, owner, meta == null ? JsonValue.NULL : meta);
        if (init != null) {
            switch (type) {
                case "comap": {
                    CoMap m = priv ? typed.map(id) : typed.map(id).trusting();
                    if (!((JsonValue.Obj) init).fields().isEmpty()) m.setAll(((JsonValue.Obj) init).fields());
                    break;
                }
                case "colist": {
                    CoList l = priv ? typed.list(id) : typed.list(id).trusting();
                    if (((JsonValue.Arr) init).size() > 0) l.appendAll(((JsonValue.Arr) init).items());
                    break;
                }
                case "costream": {
                    CoStream s = priv ? typed.stream(id) : typed.stream(id).trusting();
                    for (JsonValue v : ((JsonValue.Arr) init).items()) s.push(v);
                    break;
                }
                default: {
                    String text = ((JsonValue.Str) init).value();
                    CoPlainText t = priv ? typed.plainText(id) : typed.plainText(id).trusting();
                    if (!text.isEmpty()) t.insertBefore(0, text);
                    break;
                }
            }
        }
        r.put("id", JsonValue.of(id.value()));
        r.put("owner", JsonValue.of(owner.value()));
        if (createdGroup) r.put("createdGroup", JsonValue.TRUE);
        maybeSync(req, id, r);
    }

    private void maybeSync(JsonValue.Obj req, RawCoID id, Map<String, JsonValue> r) throws Exception {
        if (!JsonValue.TRUE.equals(req.get("sync"))) return;
        syncOne(id, timeout(req));
        r.put("synced", JsonValue.TRUE);
    }

    private void syncOne(RawCoID id, long timeoutMs) throws Exception {
        if (sync == null) return;
        await(sync.waitForSync(id, "server"), timeoutMs, "waiting for " + id.value() + " to sync");
    }

    private void syncAll(long timeoutMs) throws Exception {
        syncAll(node, sync, timeoutMs);
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

    // ---- views ----

    private void describe(CoValue v, Map<String, JsonValue> r) {
        r.put("id", JsonValue.of(v.id().value()));
        r.put("type", JsonValue.of(kindName(v.kind())));
        if (v.ownerId() != null) r.put("owner", JsonValue.of(v.ownerId().value()));
        JsonValue meta = v.header().meta();
        if (meta != null && !(meta instanceof JsonValue.Null)) r.put("meta", meta);
    }

    private JsonValue viewOf(CoValue v) {
        switch (v.kind()) {
            case COPLAINTEXT: return JsonValue.of(((CoPlainText) v).toString());
            case COLIST: return ((CoList) v).toJson();
            case COSTREAM: return streamView((CoStream) v);
            case COMAP: return ((CoMap) v).toJson();
            case GROUP:
            case ACCOUNT: return node.locked(() -> ((io.cojson.core.content.CoMapContent) node.view(v.id())).toJson());
            default: return JsonValue.NULL;
        }
    }

    private static JsonValue streamView(CoStream s) {
        List<CoStreamContent.Item> entries = new ArrayList<>();
        for (SessionID session : s.sessions()) entries.addAll(s.itemsIn(session));
        entries.sort(Comparator.<CoStreamContent.Item>comparingLong(CoStreamContent.Item::madeAt)
                .thenComparing(i -> i.tx().sessionID().value())
                .thenComparingInt(i -> i.tx().txIndex()));
        List<JsonValue> items = new ArrayList<>();
        Map<String, List<JsonValue>> byAccount = new LinkedHashMap<>();
        List<JsonValue> entryJson = new ArrayList<>();
        for (CoStreamContent.Item i : entries) {
            items.add(i.value());
            byAccount.computeIfAbsent(i.by(), k -> new ArrayList<>()).add(i.value());
            entryJson.add(JsonValue.obj("value", i.value(), "by", JsonValue.of(i.by()), "sessionID", JsonValue.of(i.tx().sessionID().value()),
                    "txIndex", JsonValue.of(i.tx().txIndex()), "madeAt", JsonValue.of(i.madeAt())));
        }
        Map<String, JsonValue> by = new LinkedHashMap<>();
        byAccount.forEach((k, v) -> by.put(k, new JsonValue.Arr(v)));
        return JsonValue.obj("items", new JsonValue.Arr(items), "byAccount", new JsonValue.Obj(by),
                "bySession", s.toJson(), "entries", new JsonValue.Arr(entryJson));
    }

    private static List<JsonValue> splitPath(JsonValue path) {
        if (path == null || path instanceof JsonValue.Null) return List.of();
        if (path instanceof JsonValue.Arr) return ((JsonValue.Arr) path).items();
        if (path instanceof JsonValue.Str) {
            String p = ((JsonValue.Str) path).value();
            if (p.isEmpty()) return List.of();
            List<JsonValue> out = new ArrayList<>();
            for (String seg : p.split("\\.", -1)) out.add(JsonValue.of(seg));
            return out;
        }
        throw new CommandError("\"path\" must be a string (\"a.b.0\") or an array ([\"a\",\"b\",0])");
    }

    /** JavaScript's {@code cur[seg]} walk; null when absent (JS undefined). */
    private static JsonValue getPath(JsonValue value, List<JsonValue> segments) {
        JsonValue cur = value;
        for (JsonValue seg : segments) {
            String key = seg instanceof JsonValue.Str ? ((JsonValue.Str) seg).value() : JsonWriter.stringify(seg);
            if (cur instanceof JsonValue.Obj) {
                cur = ((JsonValue.Obj) cur).get(key);
            } else if (cur instanceof JsonValue.Arr) {
                JsonValue.Arr a = (JsonValue.Arr) cur;
                int i;
                try {
                    i = Integer.parseInt(key);
                } catch (NumberFormatException e) {
                    return key.equals("length") ? JsonValue.of(a.size()) : null;
                }
                cur = i >= 0 && i < a.size() && String.valueOf(i).equals(key) ? a.get(i) : null;
            } else if (cur instanceof JsonValue.Str && key.equals("length")) {
                cur = JsonValue.of(((JsonValue.Str) cur).value().length());
            } else {
                return null;
            }
            if (cur == null) return null;
        }
        return cur;
    }

    private void waitFor(JsonValue.Obj req, Map<String, JsonValue> r) throws Exception {
        requireNode();
        String idString = coId(req, "id", false);
        long timeoutMs = timeout(req);
        List<JsonValue> path = splitPath(req.get("path"));
        boolean hasExpected = req.has("expected");
        JsonValue expected = req.get("expected");
        JsonValue existsV = req.get("exists");
        if (existsV != null && !(existsV instanceof JsonValue.Bool)) throw new CommandError("\"exists\" must be a boolean");
        long started = System.currentTimeMillis();
        long deadline = started + timeoutMs;
        RawCoID id = null;
        while (id == null) {
            long remaining = deadline - System.currentTimeMillis();
            if (remaining <= 0) throw new CommandError("timeout after " + timeoutMs + " ms: " + idString + " is unavailable");
            try {
                id = load(idString, remaining, false); // this loop polls by itself
            } catch (CommandError e) {
                Thread.sleep(Math.min(100, Math.max(0, deadline - System.currentTimeMillis())));
            }
        }
        JsonValue last = null;
        while (true) {
            try {
                JsonValue view = viewOf(typed.load(id));
                last = path.isEmpty() ? view : getPath(view, path);
            } catch (RuntimeException e) {
                last = null;
            }
            boolean match;
            if (hasExpected) match = jsEqual(last, expected);
            else if (existsV != null) match = (last != null && !(last instanceof JsonValue.Null)) == ((JsonValue.Bool) existsV).value();
            else match = true;
            if (match) {
                r.put("value", last == null ? JsonValue.NULL : last);
                r.put("elapsedMs", JsonValue.of(System.currentTimeMillis() - started));
                return;
            }
            if (System.currentTimeMillis() >= deadline) {
                throw new CommandError("timeout after " + timeoutMs + " ms waiting for " + idString
                        + (path.isEmpty() ? "" : " at " + JsonWriter.stringify(new JsonValue.Arr(path)))
                        + (hasExpected ? " to equal " + JsonWriter.stringify(expected) : "")
                        + (existsV != null ? (((JsonValue.Bool) existsV).value() ? " to exist" : " to be absent") : "")
                        + "; last value: " + JsonWriter.stringify(last == null ? JsonValue.NULL : last));
            }
            Thread.sleep(Math.min(50, Math.max(1, deadline - System.currentTimeMillis())));
        }
    }

    /** deepEqual of ref-client.mjs (null vs absent: absent never equals null). */
    private static boolean jsEqual(JsonValue a, JsonValue b) {
        if (a == null || b == null) return a == b;
        return Json.parse(JsonWriter.stringify(a)).equals(Json.parse(JsonWriter.stringify(b)));
    }
}
