package io.cojson.sync;

import static io.cojson.sync.ForkedSession.set;
import static io.cojson.sync.SyncTestKit.CRYPTO;
import static io.cojson.sync.SyncTestKit.await;
import static io.cojson.sync.SyncTestKit.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.ids.SessionID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import io.cojson.core.node.LocalNode;
import io.cojson.storage.engine.MapDbStorage;
import io.cojson.storage.engine.NodePersistence;
import io.cojson.sync.interop.RefClient;
import io.cojson.sync.interop.RefServer;
import io.cojson.sync.recovery.ConflictRecord;
import io.cojson.sync.recovery.ForkConfirmation;
import io.cojson.sync.recovery.RecoveryCoordinator;
import io.cojson.sync.recovery.RecoveryState;
import io.cojson.sync.transport.ReconnectingClient;
import io.cojson.sync.transport.WebSocketClientChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * RA-2 (recovery.md §12.5): a Java client recovers through the real JS reference sync server
 * (cojson 0.20.19), which never sends {@code SignatureMismatch}. With T4 on (an at-risk session,
 * verified before anything of it is pushed), cases A, B and C recover without a rejected push;
 * with T4 off, case A recovers through T3 (one reconnect: the server ignores the value on the
 * connection it rejected a push on) and case B through T2. In every variant the server ends with
 * its S unchanged plus S!, as a fresh JS client of the account sees.
 */
@Tag("interop")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class RecoveryJsServerInteropTest {
    @TempDir
    Path tmp;
    private RefServer js;
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        js = new RefServer();
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) cleanup.get(i).close();
        js.close();
    }

    /** The crash: what the server got and alice's disk did not ({@code lost}), then her edits after the restart. */
    private record Fork(ForkedSession f, LocalNode restarted, SessionID s, int serverLength) {}

    private Fork fork(List<String[]> lost, List<String[]> after) throws Exception {
        ForkedSession f = new ForkedSession();
        SyncManager first = SyncManager.create(f.alice);
        cleanup.add(first::close);
        first.addPeer("server", PeerRole.SERVER, WebSocketClientChannel.connect(js.url()));
        set(f.alice, f.map, "title", "Task");
        set(f.alice, f.map, "priority", "high");
        get(first.waitForSync(f.map, "server").orTimeout(30, TimeUnit.SECONDS));
        LocalNode restarted = f.restart();
        for (String[] kv : lost) set(f.alice, f.map, kv[0], kv[1]);
        get(first.waitForSync(f.map, "server").orTimeout(30, TimeUnit.SECONDS));
        first.close();
        for (String[] kv : after) set(restarted, f.map, kv[0], kv[1]);
        return new Fork(f, restarted, f.alice.sessionID(), 2 + lost.size());
    }

    /** Alice on the node, in memory (no at-risk marker: T4 does not apply), behind a reconnecting client. */
    private RecoveryCoordinator connectInMemory(LocalNode node) {
        SyncManager sync = SyncManager.create(node);
        cleanup.add(sync::close);
        RecoveryCoordinator rc = RecoveryCoordinator.install(sync, null);
        cleanup.add(rc::close);
        connect(sync);
        return rc;
    }

    private void connect(SyncManager sync) {
        ReconnectingClient client = ReconnectingClient.builder(js.url())
                .onChannel(ch -> sync.addPeer("server", PeerRole.SERVER, ch, true)).start();
        cleanup.add(client);
    }

    /** Alice restarted on her disk with the fork's session marked at risk (§13), so that T4 verifies it before a push. */
    private RecoveryCoordinator connectAtRisk(Fork k) throws Exception {
        Path dir = tmp.resolve("alice");
        try (MapDbStorage disk = MapDbStorage.open(dir); NodePersistence p = NodePersistence.attach(k.restarted(), disk)) {
            get(p.persistedAll());
            disk.markAtRisk(Set.of(k.f().map.value() + " " + k.s().value()));
        }
        MapDbStorage disk = MapDbStorage.open(dir);
        cleanup.add(disk::close);
        LocalNode alice = LocalNode.forAccount(CRYPTO, k.f().alice.accountID(), k.f().secret, k.s());
        RestartedClient client = RestartedClient.on(alice, disk, cleanup::add);
        connect(client.sync());
        return client.rc();
    }

    private void expectRecovered(Fork k, RecoveryCoordinator rc, String trigger, int divergent, List<String> fields) throws Exception {
        ForkedSession f = k.f();
        await("recovery DONE", () -> rc.status(f.map, k.s()).state() == RecoveryState.DONE
                && rc.status(f.map, k.s()).outcome() == ForkConfirmation.Outcome.FORK);
        List<ConflictRecord> records = rc.conflicts().all();
        assertEquals(1, records.size(), records.toString());
        assertEquals(trigger, records.get(0).trigger());
        assertEquals(divergent, records.get(0).divergent());
        // What the JS server holds, seen by a fresh JS client of the account.
        RefClient ref = new RefClient(js.url());
        cleanup.add(ref);
        ref.cmd("{\"cmd\":\"login\",\"accountID\":\"" + f.alice.accountID() + "\",\"agentSecret\":\"" + f.secret.value() + "\"}");
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        JsonValue.Obj sessions;
        do {
            JsonValue.Obj known = (JsonValue.Obj) ref.cmd("{\"cmd\":\"knownState\",\"id\":\"" + f.map + "\"}").get("knownState");
            sessions = (JsonValue.Obj) known.get("sessions");
            if (JsonValue.of(divergent).equals(sessions.get(k.s().conflictSession().value()))) break;
            Thread.sleep(200);
        } while (System.nanoTime() < until);
        assertEquals(JsonValue.of(k.serverLength()), sessions.get(k.s().value()), "the server's S unchanged: " + sessions);
        assertEquals(JsonValue.of(divergent), sessions.get(k.s().conflictSession().value()), "the server has S!: " + sessions);
        JsonValue.Obj got = ref.cmd("{\"cmd\":\"get\",\"id\":\"" + f.map + "\"}");
        TreeMap<String, String> shown = new TreeMap<>();
        ((JsonValue.Obj) got.get("value")).fields().forEach((key, v) -> shown.put(key, JsonWriter.stringify(v)));
        for (String field : fields) assertTrue(shown.toString().contains(field), field + " in " + shown);
    }

    private static List<String[]> kv(String... pairs) {
        List<String[]> out = new ArrayList<>();
        for (String p : pairs) out.add(p.split("=", 2));
        return out;
    }

    @Test
    @DisplayName("RA-2 JS server, T4 off, case B (client shorter): recovery through T2")
    void RA2_caseB_T2() throws Exception {
        Fork k = fork(kv("status=review", "assignee=carol"), kv("archived=false"));
        RecoveryCoordinator rc = connectInMemory(k.restarted());
        expectRecovered(k, rc, "local-verification", 1,
                List.of("status=\"review\"", "assignee=\"carol\"", "archived=\"false\"", "title=\"Task\""));
    }

    @Test
    @DisplayName("RA-2 JS server, T4 off, case A (client longer): recovery through T3 after one reconnect")
    void RA2_caseA_T3() throws Exception {
        Fork k = fork(kv("status=review"), kv("assignee=bob", "archived=false"));
        RecoveryCoordinator rc = connectInMemory(k.restarted());
        expectRecovered(k, rc, "ack-shortfall", 2, List.of("status=\"review\"", "assignee=\"bob\"", "archived=\"false\""));
    }

    @Test
    @DisplayName("RA-2 JS server, T4 on, case A (client longer): verified before push, recovered")
    void RA2_caseA_T4() throws Exception {
        Fork k = fork(kv("status=review"), kv("assignee=bob", "archived=false"));
        expectRecovered(k, connectAtRisk(k), "startup-check", 2, List.of("status=\"review\"", "assignee=\"bob\"", "archived=\"false\""));
    }

    @Test
    @DisplayName("RA-2 JS server, T4 on, case B (client shorter): verified before push, recovered")
    void RA2_caseB_T4() throws Exception {
        Fork k = fork(kv("status=review", "assignee=carol"), kv("archived=false"));
        RecoveryCoordinator rc = connectAtRisk(k);
        await("recovery DONE", () -> rc.status(k.f().map, k.s()).state() == RecoveryState.DONE);
        String trigger = rc.conflicts().all().isEmpty() ? "none" : rc.conflicts().all().get(0).trigger();
        // The server's content for S may arrive before the first push (T2) or the check may run first (T4): both are this variant's trigger.
        assertTrue(Set.of("startup-check", "local-verification").contains(trigger), trigger);
        expectRecovered(k, rc, trigger, 1, List.of("status=\"review\"", "assignee=\"carol\"", "archived=\"false\""));
    }

    @Test
    @DisplayName("RA-2 JS server, T4 on, case C (same length, different content): caught by the startup check")
    void RA2_caseC_T4() throws Exception {
        Fork k = fork(kv("status=review"), kv("assignee=bob"));
        expectRecovered(k, connectAtRisk(k), "startup-check", 1, List.of("status=\"review\"", "assignee=\"bob\"", "title=\"Task\""));
    }
}
