package io.cojson.sync;

import io.cojson.core.content.CoListContent;
import io.cojson.core.content.CoMapContent;
import io.cojson.core.content.DecodedTx;
import io.cojson.core.covalue.TransactionDecoder;
import io.cojson.core.crypto.Crypto;
import io.cojson.core.ids.AgentSecret;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import io.cojson.core.node.LocalNode;
import io.cojson.storage.engine.MapDbStorage;
import io.cojson.sync.recovery.RecoveryCoordinator;
import io.cojson.sync.recovery.RecoveryState;
import io.cojson.sync.recovery.SessionGuard;
import io.cojson.sync.recovery.SessionRegistry;
import io.cojson.sync.storage.CoValueSyncStorage;
import io.cojson.sync.transport.WebSocketClientChannel;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One device of {@link RecoveryModelRealCrashTest}, in a child JVM: alice's node on MapDB storage in
 * {@code dir}, a client of the server at {@code url}, editing one CoMap or CoList. It continues
 * {@code last} (or a new session for {@code -}) as {@link SessionGuard} decides: with the guard off
 * (arg {@code guard=false}) a session left at risk by a SIGKILL is reused, so forks really happen.
 * Prints {@code READY <session>}, then answers each stdin command with one line, {@code OK <json>}
 * or {@code ERR <message>}: {@code edit <v>}, {@code persist} (waits until storage holds all of the
 * value), {@code sync} (waits for the server's acknowledgement), {@code present} (the values in the
 * value's transactions, one per change), {@code state} (known state, whether recovery is idle, forks repaired).
 *
 * <p>Args: dir secret account last url value list|map private|trusting guard=true|false.
 */
public final class ModelReplayChild {
    private ModelReplayChild() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        AgentSecret secret = AgentSecret.parse(args[1]);
        RawCoID account = new RawCoID(args[2]);
        SessionID last = args[3].equals("-") ? null : new SessionID(args[3]);
        String url = args[4];
        RawCoID id = new RawCoID(args[5]);
        boolean list = args[6].equals("list");
        boolean privateTx = args[7].equals("private");
        System.setProperty(RecoverySwitches.SESSION_REUSE_GUARD, args[8].substring("guard=".length()));
        Crypto crypto = Crypto.create();
        MapDbStorage disk = MapDbStorage.open(dir);
        SessionID session = SessionGuard.choose(disk, SessionRegistry.of(disk), crypto, account, last).session();
        LocalNode node = LocalNode.forAccount(crypto, account, secret, session);
        AliceRecoverChild.load(node, disk);
        SyncManager sync = SyncManager.create(node, SyncOptions.defaults().withStorage(CoValueSyncStorage.of(disk)));
        RecoveryCoordinator rc = RecoveryCoordinator.install(sync, disk);
        sync.addPeer("server", PeerRole.SERVER, WebSocketClientChannel.connect(url));
        System.out.println("READY " + session.value());
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null;) {
            String answer;
            try {
                answer = "OK " + handle(line, node, disk, sync, rc, id, list, privateTx);
            } catch (Exception | AssertionError e) {
                answer = "ERR " + e;
            }
            System.out.println(answer.replace('\n', ' '));
            System.out.flush();
        }
    }

    private static String handle(String line, LocalNode node, MapDbStorage disk, SyncManager sync, RecoveryCoordinator rc,
            RawCoID id, boolean list, boolean privateTx) throws Exception {
        String[] cmd = line.split(" ", 2);
        switch (cmd[0]) {
            case "edit" -> {
                String v = cmd[1];
                node.locked(() -> {
                    List<JsonValue> changes = list ? ((CoListContent) node.view(id)).appendChanges(List.of(JsonValue.of(v)), null)
                            : List.of(CoMapContent.setChange(v, JsonValue.of(v)));
                    node.write(id, changes, null, privateTx);
                    return null;
                });
                return "null";
            }
            case "persist" -> {
                sync.flush().get(20, TimeUnit.SECONDS);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (!covers(disk.knownState(id), SyncTestKit.known(node, id))) {
                    if (System.nanoTime() > deadline) throw new IllegalStateException("storage never held " + SyncTestKit.known(node, id));
                    Thread.sleep(5);
                }
                return present(node, id);
            }
            case "sync" -> {
                sync.waitForSync(id, "server").get(20, TimeUnit.SECONDS);
                return present(node, id);
            }
            case "present" -> {
                return present(node, id);
            }
            case "state" -> {
                boolean idle = rc.pending() == 0 && rc.statuses().stream()
                        .allMatch(st -> st.state() == RecoveryState.DONE || st.state() == RecoveryState.IDLE);
                return JsonWriter.stringify(JsonValue.obj("known", sessions(SyncTestKit.known(node, id)), "idle", JsonValue.of(idle),
                        "forks", JsonValue.of(rc.stats().committed())));
            }
            default -> throw new IllegalArgumentException("unknown command " + line);
        }
    }

    /** A known state's sessions as a JSON object, sessions sorted (comparable as text). */
    static JsonValue sessions(io.cojson.core.knownstate.KnownState ks) {
        java.util.Map<String, JsonValue> m = new java.util.TreeMap<>();
        if (ks != null) ks.sessions().forEach((s, n) -> m.put(s.value(), JsonValue.of(n)));
        return new JsonValue.Obj(new java.util.LinkedHashMap<>(m));
    }

    private static boolean covers(io.cojson.core.knownstate.KnownState stored, io.cojson.core.knownstate.KnownState inMemory) {
        if (inMemory == null) return true;
        if (stored == null) return false;
        for (var e : inMemory.sessions().entrySet()) if (stored.count(e.getKey()) < e.getValue()) return false;
        return true;
    }

    /** As {@code RecoveryModelProperties.Model#present}: the values written, one entry per change, as a JSON array. */
    static String present(LocalNode n, RawCoID id) {
        return n.locked(() -> {
            List<JsonValue> out = new ArrayList<>();
            if (n.get(id) == null) return "[]";
            for (DecodedTx tx : TransactionDecoder.decode(n.require(id), n, n.keys())) {
                for (JsonValue c : tx.changes()) {
                    if (((JsonValue.Obj) c).get("value") instanceof JsonValue.Str s) out.add(s);
                }
            }
            return JsonWriter.stringify(new JsonValue.Arr(out));
        });
    }
}
