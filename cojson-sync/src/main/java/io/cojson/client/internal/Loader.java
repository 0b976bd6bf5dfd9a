package io.cojson.client.internal;

import io.cojson.client.LoadMode;
import io.cojson.client.NoAccessException;
import io.cojson.client.UnavailableException;
import io.cojson.core.covalue.CoValueCore;
import io.cojson.core.groups.Roles;
import io.cojson.core.header.Ruleset;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.internal.Compat;
import io.cojson.core.node.LocalNode;
import io.cojson.core.values.CoValue;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/** {@code CojsonClient.load}: where a value comes from in each {@link LoadMode}, and the access check on what came. */
public final class Loader {
    private final ActiveAccount a;
    private final Duration timeout;
    private final ScheduledExecutorService timer;
    private final Executor io;
    private final ConnectionTracker tracker;

    public Loader(ActiveAccount a, Duration timeout, ScheduledExecutorService timer, Executor io, ConnectionTracker tracker) {
        this.a = a;
        this.timeout = timeout;
        this.timer = timer;
        this.io = io;
        this.tracker = tracker;
    }

    public CompletableFuture<CoValue> load(RawCoID id, LoadMode mode) {
        return mode == LoadMode.FRESH ? fresh(id) : localFirst(id);
    }

    private CompletableFuture<CoValue> localFirst(RawCoID id) {
        return CompletableFuture.supplyAsync(() -> {
            if (!available(id) && a.persistence != null) a.persistence.load(id); // a disk read: off the caller's thread
            return available(id);
        }, io).thenCompose(here -> {
            if (here) return CompletableFuture.completedFuture(readable(id));
            if (a.sync == null) {
                return Compat.failedFuture(new UnavailableException(id,
                        id.value() + " is unavailable: not in " + (a.persistence != null ? "local storage" : "memory")
                                + " and no sync server is configured"));
            }
            return fromServers(id);
        });
    }

    private CompletableFuture<CoValue> fresh(RawCoID id) {
        if (a.sync == null) {
            return Compat.failedFuture(new UnavailableException(id,
                    "loading " + id.value() + " FRESH needs a sync server and none is configured"));
        }
        return tracker.whenConnected(timeout, timer).thenCompose(v -> {
            if (!available(id)) return fromServers(id);
            // the servers confirmed holding what we have after this connection's handshake answered about it
            return Futures.within(a.waitForSync(id, timeout), timeout, timer, () -> "the sync servers to answer about " + id.value())
                    .thenApply(x -> readable(id));
        });
    }

    private CompletableFuture<CoValue> fromServers(RawCoID id) {
        CompletableFuture<Optional<CoValueCore>> got = a.sync.load(id, true);
        return Futures.within(got, timeout, timer, () -> "the sync servers to send " + id.value() + " (" + tracker.describe() + ")")
                .thenApply(found -> {
                    if (!found.isPresent()) {
                        throw new UnavailableException(id, id.value() + " is unavailable: no sync server has it (" + tracker.describe() + ")");
                    }
                    return readable(id);
                });
    }

    private boolean available(RawCoID id) {
        LocalNode n = a.node;
        return n.locked(() -> {
            CoValueCore core = n.get(id);
            return core != null && core.header() != null;
        });
    }

    /** The typed handle, or {@link NoAccessException} when this account has no read role in the value's owner. */
    private CoValue readable(RawCoID id) {
        LocalNode n = a.node;
        String denied = n.locked(() -> {
            CoValueCore core = n.require(id);
            if (!(core.header().ruleset() instanceof Ruleset.OwnedByGroup o)) return null; // groups, accounts, unsafeAllowAll
            CoValueCore owner = n.get(o.group());
            if (owner == null) return "its owner " + o.group().value() + " is not loaded";
            String role = n.myRoleIn(owner, null);
            return role != null && Roles.CAN_READ.contains(role) ? null
                    : "account " + n.accountID().value() + " has " + (role == null ? "no role" : "role " + role) + " in its owner "
                            + o.group().value();
        });
        if (denied != null) throw new NoAccessException(id, "no read access to " + id.value() + ": " + denied);
        return a.typed.load(id);
    }
}
