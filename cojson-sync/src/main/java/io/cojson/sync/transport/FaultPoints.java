package io.cojson.sync.transport;

import io.cojson.storage.Faults;

/**
 * The transport's and the server's fault points (reliability.md §2.1). They report to the one
 * registry, {@link io.cojson.storage.Faults}, so that {@code after:} chains span storage, sync and
 * server points (e.g. {@code after:server.shutdown.begin/storage.tx.begin=throw:closed*}).
 */
public final class FaultPoints {
    /** Every incoming sync message; {@code transport.in.<action>} for one action. */
    public static final String TRANSPORT_IN = "transport.in";
    /** Every outgoing sync message; {@code transport.out.<action>} for one action. */
    public static final String TRANSPORT_OUT = "transport.out";
    /** The Java server accepted a WebSocket; {@code drop} or {@code throw} refuses it. */
    public static final String SERVER_ACCEPT = "server.accept";
    /** Java server, after the store commit, before the known-state acknowledgement (protocol layer). */
    public static final String SERVER_BEFORE_ACK = "server.beforeAck";
    /** Before a received sync message is handled (after parsing, on the sync executor). */
    public static final String SYNC_INCOMING_BEFORE_HANDLE = "sync.incoming.beforeHandle";
    /** Local content has been handed to the transport, its store not yet committed (the seed-004 window). */
    public static final String SYNC_LOCAL_BATCH_AFTER_SEND_BEFORE_STORE_COMMIT = "sync.localBatch.afterSendBeforeStoreCommit";
    /** Start of the Java server's shutdown sequence. */
    public static final String SERVER_SHUTDOWN_BEGIN = "server.shutdown.begin";
    /** Server startup: sockets already accept, storage not yet opened. */
    public static final String STARTUP_BEFORE_STORAGE_OPEN = "startup.beforeStorageOpen";

    private FaultPoints() {}

    /**
     * One message through a transport point: hits {@code base} and {@code base.<action>}; drop wins
     * over dup. Callers check {@link Faults#active()} first, so this costs nothing when off.
     */
    public static Faults.Effect transport(String base, String action) {
        Faults.Effect a = Faults.hit(base);
        Faults.Effect b = action == null ? Faults.Effect.NONE : Faults.hit(base + "." + action);
        if (a == Faults.Effect.DROP || b == Faults.Effect.DROP) return Faults.Effect.DROP;
        return a == Faults.Effect.DUP || b == Faults.Effect.DUP ? Faults.Effect.DUP : Faults.Effect.NONE;
    }
}
