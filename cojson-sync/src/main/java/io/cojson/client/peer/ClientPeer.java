package io.cojson.client.peer;

import io.cojson.client.CojsonClient;
import io.cojson.client.internal.ActiveAccount;
import io.cojson.client.internal.ClientInternals;
import io.cojson.core.node.LocalNode;
import io.cojson.storage.engine.CoValueStorage;
import io.cojson.storage.engine.NodePersistence;
import io.cojson.sync.SyncManager;
import io.cojson.sync.recovery.ConflictRecords;
import io.cojson.sync.recovery.RecoveryCoordinator;

/**
 * The running parts of a client's logged-in account below the typed API, for cojson's own test
 * peers (the sample {@code client} command, the twin of the reference's scripted client): its
 * node, sync manager, persistence and recovery, owned and closed by the client. Not for apps:
 * this package is not exported by the module, and what it hands out changes without notice.
 */
public final class ClientPeer {
    private final ActiveAccount a;

    private ClientPeer(ActiveAccount a) {
        this.a = a;
    }

    /** The client's logged-in account, or null when it has none. */
    public static ClientPeer of(CojsonClient client) {
        ActiveAccount a = ClientInternals.active(client);
        return a == null ? null : new ClientPeer(a);
    }

    public LocalNode node() {
        return a.node;
    }

    /** Null without sync servers. */
    public SyncManager sync() {
        return a.sync;
    }

    /** Null in memory. */
    public NodePersistence persistence() {
        return a.persistence;
    }

    /** Null without sync servers (only a server reports forks). */
    public RecoveryCoordinator recovery() {
        return a.recovery();
    }

    /** Null in memory. */
    public CoValueStorage storage() {
        return a.storage();
    }

    /** The coordinator's conflict records, else those kept by storage, else none. */
    public ConflictRecords conflicts() {
        return a.conflicts();
    }

    /**
     * Whether the first server's connection is open now (established, or its socket open before
     * the first frame) and not stopped by {@code disconnect()}.
     */
    public boolean firstServerOpen() {
        return a.online() && !a.links().isEmpty() && a.links().get(0).isOpen();
    }
}
