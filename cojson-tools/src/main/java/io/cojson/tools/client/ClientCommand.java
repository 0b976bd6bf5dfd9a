package io.cojson.tools.client;

import static io.cojson.tools.client.Args.integer;

import io.cojson.core.json.Json;
import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code client [--peer URL] [--timeout-ms N]}: a scriptable Java peer speaking the JSON-lines
 * command protocol of {@code ../shared/interop/ref-client.mjs}: one JSON command per stdin line,
 * exactly one JSON answer per line on stdout, in order, {@code reqId} echoed.
 *
 * <p>This class reads commands and dispatches them; the active account and its connection live in
 * {@link ClientSession}, the writing commands in {@link EditCommands}, the reading ones in
 * {@link ValueViews}, and {@code exportContent} in {@link ExportContent}.
 */
@Command(name = "client", mixinStandardHelpOptions = true,
        description = "A scriptable cojson client speaking the ref-client JSON-lines protocol on stdin/stdout.")
public final class ClientCommand implements Callable<Integer> {
    @Option(names = "--peer", description = "Sync server URL (ws://...). Without it the client works offline.")
    String peer;

    @Option(names = "--db", description = "Local MapDB storage directory: every change is committed before its answer; login works offline from it.")
    Path db;

    @Option(names = "--storage-queue", defaultValue = "async",
            description = "How --db commits: async (the asynchronous write queue, default) or inline (each write committed before it returns).")
    String storageQueue;

    @Option(names = "--session-reuse-guard", arity = "1", description = "Prevention switch cojson.sessionReuseGuard (true/false; default true).")
    Boolean sessionReuseGuard;

    @Option(names = "--persist-before-send", arity = "1", description = "Prevention switch cojson.persistBeforeSend (true/false; default false).")
    Boolean persistBeforeSend;

    @Option(names = "--verify-before-push", arity = "1", description = "Prevention switch cojson.verifyBeforePush (true/false; default true).")
    Boolean verifyBeforePush;

    @Option(names = "--timeout-ms", defaultValue = "10000", description = "Default timeout of loads and waits (default ${DEFAULT-VALUE}).")
    long defaultTimeoutMs;

    @Option(names = "--crypto", description = "Accepted for compatibility with ref-client.mjs; ignored (see -Dcojson.crypto).")
    String cryptoName;

    @Option(names = "--log-level", description = "Accepted for compatibility with ref-client.mjs; ignored.")
    String logLevel;

    private ClientSession session;
    private EditCommands edits;
    private ValueViews views;
    private ExportContent export;
    private ConflictCommands conflicts;
    private boolean quitting;

    /** A client for in-process use (tests): {@code peer} may be null (offline). */
    public static ClientCommand create(String peer, long defaultTimeoutMs) {
        ClientCommand c = new ClientCommand();
        c.peer = peer;
        c.defaultTimeoutMs = defaultTimeoutMs;
        return c;
    }

    /** Same, with local storage in {@code db} (opened now; {@link #close} releases it). */
    public static ClientCommand create(String peer, long defaultTimeoutMs, Path db) throws Exception {
        ClientCommand c = create(peer, defaultTimeoutMs);
        c.db = db;
        c.session().openStorage();
        return c;
    }

    /** The session, made from the options on first use (picocli sets them after construction). */
    private ClientSession session() {
        if (session == null) {
            session = new ClientSession(peer, db, defaultTimeoutMs);
            session.useInlineStorage("inline".equals(storageQueue));
            edits = new EditCommands(session);
            views = new ValueViews(session);
            export = new ExportContent(session);
            conflicts = new ConflictCommands(session);
        }
        return session;
    }

    /** Closes the active account (without waiting for sync) and the local storage. */
    public void close() {
        if (session != null) session.close(quitting ? 0 : 3000);
    }

    /** True once {@code quit} was answered. */
    public boolean quitting() {
        return quitting;
    }

    @Override
    public Integer call() throws Exception {
        if (defaultTimeoutMs <= 0) {
            System.err.println("client: --timeout-ms must be positive");
            return 2;
        }
        if (storageQueue != null && !storageQueue.equals("async") && !storageQueue.equals("inline")) {
            System.err.println("client: --storage-queue must be async or inline");
            return 2;
        }
        // The switches are read where they apply (recovery.md §13, reliability.md §2.1): set them for this process.
        if (sessionReuseGuard != null) System.setProperty(io.cojson.sync.RecoverySwitches.SESSION_REUSE_GUARD, sessionReuseGuard.toString());
        if (persistBeforeSend != null) System.setProperty(io.cojson.sync.RecoverySwitches.PERSIST_BEFORE_SEND, persistBeforeSend.toString());
        if (verifyBeforePush != null) System.setProperty(io.cojson.sync.RecoverySwitches.VERIFY_BEFORE_PUSH, verifyBeforePush.toString());
        if (peer != null && !(peer.startsWith("ws://") || peer.startsWith("wss://"))) {
            System.err.println("client: --peer must be a ws:// or wss:// URL");
            return 2;
        }
        try {
            session().openStorage();
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
        if (!quitting) session().closeNode(3000);
    }

    /** One command line in, its answer out (what the stdin loop prints). */
    public JsonValue.Obj handle(String line) {
        ClientSession s = session();
        s.crypto();
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
            s.awaitPersisted(req);
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
            case "sleep": Thread.sleep(integer(req, "ms")); break;
            case "createAccount": session.createAccount(req, r); break;
            case "login": session.login(req, r); break;
            case "whoami": session.whoami(r); break;
            case "status": session.status(r); break;
            case "disconnect": session.disconnect(); break;
            case "connect": session.reconnect(req); break;
            case "waitSynced": session.waitSynced(req, r); break;
            case "quit": {
                long t = req.has("timeoutMs") ? session.timeout(req) : 3000;
                r.put("synced", JsonValue.of(session.closeNode(t)));
                quitting = true;
                break;
            }
            case "createGroup": edits.createGroup(req, r); break;
            case "addMember": edits.addMember(req, r); break;
            case "removeMember": edits.removeMember(req, r); break;
            case "roleOf": edits.roleOf(req, r); break;
            case "extendGroup": edits.extendGroup(req, r); break;
            case "createInvite": edits.createInvite(req, r); break;
            case "acceptInvite": edits.acceptInvite(req); break;
            case "createMap": edits.create(req, r, "comap"); break;
            case "createList": edits.create(req, r, "colist"); break;
            case "createText": edits.create(req, r, "coplaintext"); break;
            case "createStream": edits.create(req, r, "costream"); break;
            case "set": edits.set(req, r); break;
            case "delete":
            case "deleteKey": edits.delete(req, r); break;
            case "deleteCoValue": edits.deleteCoValue(req, r); break;
            case "append": edits.append(req, r); break;
            case "prepend": edits.prepend(req, r); break;
            case "insert": edits.insert(req, r); break;
            case "deleteAt": edits.deleteAt(req, r); break;
            case "replace": edits.replace(req, r); break;
            case "insertText": edits.insertText(req, r); break;
            case "deleteText": edits.deleteText(req, r); break;
            case "push": edits.push(req, r); break;
            case "get":
            case "load": views.get(req, r); break;
            case "waitFor": views.waitFor(req, r); break;
            case "knownState": views.knownState(req, r); break;
            case "exportContent": export.run(req, r); break;
            case "sessionID": conflicts.sessionID(r); break;
            case "conflicts": conflicts.conflicts(req, r); break;
            case "discarded": conflicts.discarded(req, r); break;
            case "getWithoutConflicts": conflicts.getWithoutConflicts(req, r); break;
            case "resolveConflict": conflicts.resolveConflict(req, r); break;
            case "setFaults": conflicts.setFaults(req, r); break;
            default:
                throw new CommandError("unknown command: " + JsonWriter.stringify(JsonValue.of(cmd)));
        }
    }
}
