package io.cojson.sync;

import io.cojson.core.crypto.Crypto;
import io.cojson.core.ids.AgentSecret;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.node.Accounts;
import io.cojson.core.node.GroupOperations;
import io.cojson.core.node.LocalNode;
import io.cojson.storage.Faults;
import io.cojson.storage.MapDbStorage;
import io.cojson.sync.storage.CoValueSyncStorage;
import io.cojson.sync.transport.FaultPoints;
import io.cojson.sync.transport.WebSocketClientChannel;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Alice's first process for {@link RecoveryCrashTest}, run in a child JVM: MapDB storage, a client
 * of the server at {@code url}. Writes {@code title} and {@code priority} (synced and stored), prints
 * {@code IDS account session group map}, then writes {@code status=review} with the sync layer
 * paused between sending it and storing it ({@code sync.localBatch.afterSendBeforeStoreCommit}),
 * where the parent kills it with SIGKILL once the server has the transaction.
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
        try (io.cojson.storage.NodePersistence p = io.cojson.storage.NodePersistence.attach(alice, disk)) {
            p.persistedAll().get(30, TimeUnit.SECONDS); // the account, created before sync (and its storage) started
        }
        CoValueSyncStorage storage = CoValueSyncStorage.of(disk);
        SyncManager sync = SyncManager.create(alice, SyncOptions.defaults().withStorage(storage));
        sync.addPeer("server", PeerRole.SERVER, WebSocketClientChannel.connect(url));
        RawCoID group = GroupOperations.createGroup(alice, null);
        RawCoID map = Accounts.createOwned(alice, "comap", group, JsonValue.NULL);
        SyncTestKit.set(alice, map, "title", JsonValue.of("Task"));
        SyncTestKit.set(alice, map, "priority", JsonValue.of("high"));
        for (RawCoID id : alice.ids()) sync.waitForSync(id, "server").get(30, TimeUnit.SECONDS);
        sync.flush().get(30, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (disk.knownState(map).count(alice.sessionID()) < 2) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("title and priority never stored");
            Thread.sleep(5);
        }
        System.out.println("IDS " + alice.accountID() + " " + alice.sessionID() + " " + group + " " + map);
        System.out.flush();
        Faults.configure(FaultPoints.SYNC_LOCAL_BATCH_AFTER_SEND_BEFORE_STORE_COMMIT + "=pause");
        SyncTestKit.set(alice, map, "status", JsonValue.of("review"));
        sync.flush();
        Thread.sleep(TimeUnit.MINUTES.toMillis(2)); // the parent kills this process long before
        System.exit(3);
    }
}
