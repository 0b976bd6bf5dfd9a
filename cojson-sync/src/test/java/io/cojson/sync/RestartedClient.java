package io.cojson.sync;

import io.cojson.core.node.LocalNode;
import io.cojson.storage.engine.MapDbStorage;
import io.cojson.sync.recovery.RecoveryCoordinator;
import io.cojson.sync.storage.CoValueSyncStorage;
import java.util.function.Consumer;

/**
 * A client restarted on its MapDB disk after a crash: the node loaded from the disk, a sync manager
 * storing to it and a recovery coordinator, not connected yet. {@code owner} gets each for closing.
 */
record RestartedClient(LocalNode node, SyncManager sync, RecoveryCoordinator rc) {
    static RestartedClient on(LocalNode node, MapDbStorage disk, Consumer<AutoCloseable> owner) {
        AliceRecoverChild.load(node, disk);
        CoValueSyncStorage storage = CoValueSyncStorage.of(disk);
        owner.accept(storage::close);
        SyncManager sync = SyncManager.create(node, SyncOptions.defaults().withStorage(storage));
        owner.accept(sync::close);
        RecoveryCoordinator rc = RecoveryCoordinator.install(sync, disk);
        owner.accept(rc::close);
        return new RestartedClient(node, sync, rc);
    }
}
