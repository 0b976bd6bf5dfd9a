package io.cojson.sync;

import io.cojson.core.crypto.Crypto;
import io.cojson.core.ids.AgentSecret;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.node.Accounts;
import io.cojson.core.node.LocalNode;
import io.cojson.storage.engine.AsyncMapDbStorage;
import io.cojson.storage.engine.CoValueStorage;
import io.cojson.storage.engine.MapDbStorage;
import io.cojson.storage.engine.NodePersistence;
import io.cojson.sync.recovery.RecoveryCoordinator;
import io.cojson.sync.recovery.RecoveryState;
import io.cojson.sync.storage.CoValueSyncStorage;
import io.cojson.sync.transport.WebSocketClientChannel;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Alice's restarted process for {@link RecoveryKillPointsTest}, in a child JVM: loads her storage
 * (same session), installs recovery and connects; {@code COJSON_FAULTS} halts it at one of the
 * recovery's kill points. Prints {@code DONE} if the recovery ends without being halted.
 */
public final class AliceRecoverChild {
    private AliceRecoverChild() {}

    public static void main(String[] args) throws Exception {
        LocalNode alice = open(Path.of(args[0]), AgentSecret.parse(args[1]), new RawCoID(args[2]), new SessionID(args[3]));
        // 7th argument "async": the asynchronous storage queue (RS-4), else inline storage
        CoValueStorage disk = args.length > 6 && args[6].equals("async") ? AsyncMapDbStorage.open(Path.of(args[0]))
                : MapDbStorage.open(Path.of(args[0]));
        load(alice, disk);
        SyncManager sync = SyncManager.create(alice, SyncOptions.defaults().withStorage(CoValueSyncStorage.of(disk)));
        RecoveryCoordinator rc = RecoveryCoordinator.install(sync, disk);
        sync.addPeer("server", PeerRole.SERVER, WebSocketClientChannel.connect(args[4]));
        RawCoID map = new RawCoID(args[5]);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (rc.status(map, alice.sessionID()).state() != RecoveryState.DONE) {
            if (System.nanoTime() > deadline) System.exit(4);
            Thread.sleep(5);
        }
        System.out.println("DONE");
        System.out.flush();
        System.exit(0);
    }

    static LocalNode open(Path dir, AgentSecret secret, RawCoID account, SessionID session) {
        return LocalNode.forAccount(Crypto.create(), account, secret, session);
    }

    /** Everything stored, into {@code node}; fails on anything left out. */
    static void load(LocalNode node, CoValueStorage disk) {
        try (NodePersistence p = NodePersistence.attach(node, disk)) {
            var report = p.loadAll();
            if (!report.rejected().isEmpty() || !report.missing().isEmpty() || !report.quarantined().isEmpty()) {
                throw new IllegalStateException("load: " + report);
            }
        }
        Accounts.checkLogin(node);
    }
}
