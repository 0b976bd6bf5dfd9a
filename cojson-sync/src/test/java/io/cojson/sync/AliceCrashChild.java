package io.cojson.sync;

import io.cojson.core.crypto.Crypto;
import io.cojson.core.ids.AgentSecret;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.node.Accounts;
import io.cojson.core.node.GroupOperations;
import io.cojson.core.node.LocalNode;
import io.cojson.storage.Faults;
import io.cojson.storage.engine.MapDbStorage;
import io.cojson.sync.storage.CoValueSyncStorage;
import io.cojson.sync.transport.FaultPoints;
import io.cojson.sync.transport.WebSocketClientChannel;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Alice's first process for {@link RecoveryCrashTest}, run in a child JVM: MapDB storage, a client
 * of the server at {@code url}. Writes {@code title} and {@code priority} (or the edits of the
 * optional 4th argument, {@code k=v;k=v}; synced and stored), prints {@code IDS account session
 * group map}, then writes {@code status=review} (or those of the 5th argument) with the sync layer
 * paused between sending it and storing it ({@code sync.localBatch.afterSendBeforeStoreCommit}),
 * where the parent kills it with SIGKILL once the server has the transaction. With no such edits
 * (an empty 5th argument) it prints {@code IDLE} once its durability window is closed and waits
 * for the kill there.
 */
public final class AliceCrashChild {
    private AliceCrashChild() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        AgentSecret secret = AgentSecret.parse(args[1]);
        String url = args[2];
        Crypto crypto = Crypto.create();
        LocalNode alice = Accounts.create(crypto, secret, "Alice");
        MapDbStorage disk = MapDbStorage.open(dir);
        try (io.cojson.storage.engine.NodePersistence p = io.cojson.storage.engine.NodePersistence.attach(alice, disk)) {
            p.persistedAll().get(30, TimeUnit.SECONDS); // the account, created before sync (and its storage) started
        }
        CoValueSyncStorage storage = CoValueSyncStorage.of(disk);
        SyncManager sync = SyncManager.create(alice, SyncOptions.defaults().withStorage(storage));
        sync.addPeer("server", PeerRole.SERVER, WebSocketClientChannel.connect(url));
        RawCoID group = GroupOperations.createGroup(alice, null);
        if (args.length > 5 && args[5].equals("everyone-reads")) GroupOperations.addMember(alice, group, "everyone", "reader");
        RawCoID map = Accounts.createOwned(alice, "comap", group, JsonValue.NULL);
        String[] before = args.length > 3 ? edits(args[3]) : new String[] {"title=Task", "priority=high"};
        String[] lost = args.length > 4 ? edits(args[4]) : new String[] {"status=review"};
        for (String kv : before) set(alice, map, kv);
        for (RawCoID id : alice.ids()) sync.waitForSync(id, "server").get(30, TimeUnit.SECONDS);
        sync.flush().get(30, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (disk.knownState(map) == null || disk.knownState(map).count(alice.sessionID()) < before.length) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("the edits before the crash were never stored");
            Thread.sleep(5);
        }
        System.out.println("IDS " + alice.accountID() + " " + alice.sessionID() + " " + group + " " + map);
        System.out.flush();
        if (lost.length == 0) { // crash while idle: once the durability window is closed (recovery.md §13)
            java.nio.file.Path marker = dir.resolve("durability-window");
            while (!java.nio.file.Files.readString(marker).equals("tracked\n")) {
                if (System.nanoTime() > deadline) throw new IllegalStateException("the durability window never closed");
                Thread.sleep(5);
            }
            System.out.println("IDLE");
            System.out.flush();
            Thread.sleep(TimeUnit.MINUTES.toMillis(2)); // the parent kills this process long before
            System.exit(3);
        }
        Faults.configure(FaultPoints.SYNC_LOCAL_BATCH_AFTER_SEND_BEFORE_STORE_COMMIT + "=pause");
        // one batch: sent, then paused before its store commits. Written under one hold of the node
        // lock, so that the sync layer (which batches writes 2 ms apart) cannot send the first edit
        // alone and pause before the second is written, as it did once on a loaded machine.
        alice.locked(() -> {
            for (String kv : lost) set(alice, map, kv);
            return null;
        });
        sync.flush();
        Thread.sleep(TimeUnit.MINUTES.toMillis(2)); // the parent kills this process long before
        System.exit(3);
    }

    /** "k=v;k=v" (empty: none). */
    private static String[] edits(String arg) {
        return arg.isEmpty() ? new String[0] : arg.split(";");
    }

    private static void set(LocalNode node, RawCoID map, String kv) {
        String[] p = kv.split("=", 2);
        SyncTestKit.set(node, map, p[0], JsonValue.of(p[1]));
    }
}
