package io.cojson.tools.bench;

import io.cojson.core.content.CoMapContent;
import io.cojson.core.crypto.Crypto;
import io.cojson.core.ids.AgentSecret;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.node.Accounts;
import io.cojson.core.node.ContentPiece;
import io.cojson.core.node.GroupOperations;
import io.cojson.core.node.LocalNode;
import io.cojson.server.CojsonServer;
import io.cojson.sync.PeerRole;
import io.cojson.sync.PeerState;
import io.cojson.sync.SyncManager;
import io.cojson.sync.recovery.ConflictRecord;
import io.cojson.sync.recovery.RecoveryCoordinator;
import io.cojson.sync.recovery.RecoveryState;
import io.cojson.sync.transport.MessageChannel;
import io.cojson.sync.transport.ObservedChannel;
import io.cojson.sync.transport.ReconnectingClient;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Crash recovery measured (issue 8): a session S of {@code n} transactions on the server; alice's
 * disk lost the last one the server acknowledged; after the restart she writes two more and
 * reconnects. Timed from the reconnect until her divergent edits are in S! and the server has
 * acknowledged them; also the peak heap during that time and the messages and bytes her
 * connection carried. Through the Java server (T1: it reports the fork) or the JS reference
 * server (T3: a rejected push, one reconnect, the verification fetch). One JSON line per run.
 *
 * <pre>java -cp samples.jar io.cojson.tools.bench.RecoveryBench [--n 10,1000,100000] [--server java|ref|both] [--interop-dir DIR]</pre>
 */
public final class RecoveryBench {
    private static final long TIMEOUT_S = 600;

    private RecoveryBench() {}

    public static void main(String[] args) throws Exception {
        List<Integer> ns = List.of(10, 1_000, 100_000);
        List<String> servers = List.of("java", "ref");
        File interop = W5SyncE2E.defaultInteropDir();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--n" -> {
                    List<Integer> parsed = new ArrayList<>();
                    for (String s : args[++i].split(",")) parsed.add(Integer.parseInt(s.trim()));
                    ns = parsed;
                }
                case "--server" -> servers = args[++i].equals("both") ? List.of("java", "ref") : List.of(args[i]);
                case "--interop-dir" -> interop = new File(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        for (String server : servers) {
            for (int n : ns) System.out.println(run(n, server, interop));
        }
        System.exit(0);
    }

    /** Counts what crosses one connection. */
    private static final class Counting {
        final AtomicLong sent = new AtomicLong();
        final AtomicLong sentBytes = new AtomicLong();
        final AtomicLong received = new AtomicLong();
        final AtomicLong receivedBytes = new AtomicLong();
        final MessageChannel channel;

        Counting(MessageChannel inner) {
            channel = ObservedChannel.of(inner, json -> {
                sent.incrementAndGet();
                sentBytes.addAndGet(json.getBytes(StandardCharsets.UTF_8).length);
            }, json -> {
                received.incrementAndGet();
                receivedBytes.addAndGet(json.getBytes(StandardCharsets.UTF_8).length);
            });
        }
    }

    static String run(int n, String server, File interopDir) throws Exception {
        ServerProcess ref = null;
        CojsonServer java = null;
        List<AutoCloseable> open = new ArrayList<>();
        try {
            String url;
            if (server.equals("ref")) {
                ref = ServerProcess.ref(interopDir);
                url = ref.url;
            } else {
                java = CojsonServer.builder().start();
                url = java.url();
            }
            Crypto crypto = Crypto.create();
            AgentSecret secret = crypto.newRandomAgentSecret();
            LocalNode alice = Accounts.create(crypto, secret, "Alice");
            RawCoID group = GroupOperations.createGroup(alice, null);
            RawCoID map = Accounts.createOwned(alice, "comap", group, JsonValue.NULL);
            SessionID s = alice.sessionID();
            SyncManager first = SyncManager.create(alice);
            open.add(first);
            first.addPeer("server", PeerRole.SERVER, io.cojson.sync.transport.WebSocketClientChannel.connect(url));
            for (int i = 0; i < n - 1; i++) set(alice, map, "k" + (i % 100), JsonValue.of(i));
            first.waitForSync(map, "server", Duration.ofSeconds(TIMEOUT_S)).get(TIMEOUT_S, TimeUnit.SECONDS);
            LocalNode restarted = LocalNode.forAccount(crypto, alice.accountID(), secret, s); // her disk
            for (RawCoID id : alice.ids()) for (ContentPiece p : alice.exportContent(id)) restarted.importContent(p);
            Accounts.checkLogin(restarted);
            set(alice, map, "status", JsonValue.of("review")); // acknowledged by the server, lost by her disk
            first.waitForSync(map, "server", Duration.ofSeconds(TIMEOUT_S)).get(TIMEOUT_S, TimeUnit.SECONDS);
            first.close();
            set(restarted, map, "assignee", JsonValue.of("bob"));
            set(restarted, map, "archived", JsonValue.of("false"));

            SyncManager sync = SyncManager.create(restarted);
            open.add(sync);
            RecoveryCoordinator rc = RecoveryCoordinator.install(sync, null);
            open.add(rc);
            List<Counting> connections = new java.util.concurrent.CopyOnWriteArrayList<>();
            Runtime rt = Runtime.getRuntime();
            System.gc();
            long baseline = rt.totalMemory() - rt.freeMemory();
            AtomicLong peak = new AtomicLong(baseline);
            Thread sampler = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    peak.accumulateAndGet(rt.totalMemory() - rt.freeMemory(), Math::max);
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "heap-sampler");
            sampler.setDaemon(true);
            sampler.start();
            long t0 = System.nanoTime();
            ReconnectingClient client = ReconnectingClient.builder(url).onChannel(ch -> {
                Counting c = new Counting(ch);
                connections.add(c);
                sync.addPeer("server", PeerRole.SERVER, c.channel, true);
            }).start();
            open.add(client);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
            while (!(rc.status(map, s).state() == RecoveryState.DONE && serverHasConflict(sync, s, map))) {
                if (System.nanoTime() > deadline) throw new IllegalStateException("no recovery within " + TIMEOUT_S + " s: " + rc.status(map, s));
                Thread.sleep(2);
            }
            long t1 = System.nanoTime();
            sampler.interrupt();
            List<ConflictRecord> records = rc.conflicts().all();
            long msgsOut = connections.stream().mapToLong(c -> c.sent.get()).sum();
            long msgsIn = connections.stream().mapToLong(c -> c.received.get()).sum();
            long bytesOut = connections.stream().mapToLong(c -> c.sentBytes.get()).sum();
            long bytesIn = connections.stream().mapToLong(c -> c.receivedBytes.get()).sum();
            return String.format(Locale.ROOT, "{\"bench\":\"recovery\",\"server\":\"%s\",\"n\":%d,\"reconnect_to_converged_s\":%.3f,"
                    + "\"peak_heap_mb\":%.1f,\"baseline_heap_mb\":%.1f,\"connections\":%d,\"messages_out\":%d,\"messages_in\":%d,"
                    + "\"bytes_out\":%d,\"bytes_in\":%d,\"trigger\":\"%s\",\"divergent\":%d}",
                    server, n, (t1 - t0) / 1e9, peak.get() / 1048576.0, baseline / 1048576.0, connections.size(), msgsOut, msgsIn,
                    bytesOut, bytesIn, records.isEmpty() ? "none" : records.get(0).trigger(),
                    records.isEmpty() ? 0 : records.get(0).divergent());
        } finally {
            for (int i = open.size() - 1; i >= 0; i--) open.get(i).close();
            if (java != null) java.close();
            if (ref != null) ref.close();
        }
    }

    private static boolean serverHasConflict(SyncManager sync, SessionID s, RawCoID map) {
        for (PeerState p : sync.peers()) {
            var k = p.knownState(map);
            if (!p.isClosed() && k != null && k.count(s.conflictSession()) >= 2) return true;
        }
        return false;
    }

    private static void set(LocalNode node, RawCoID map, String key, JsonValue value) {
        node.write(map, List.of(CoMapContent.setChange(key, value)), null, false);
    }
}
