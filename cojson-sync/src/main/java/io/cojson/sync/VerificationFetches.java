package io.cojson.sync;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.knownstate.KnownState;
import io.cojson.core.node.ContentPiece.SessionPiece;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The verification fetch of recovery.md §4.2: asks a server peer for its whole version of one
 * session with a {@code load} that leaves the session out (0.20.19 servers take a load's session
 * map as the truth and answer with the session from index 0), and routes the content of that
 * session that then arrives here instead of into the node. The fetch ends when the pieces reach
 * the length the server is known to hold, or once the server has answered and a quiet period
 * passed without more pieces; a hard timeout bounds it. Sync executor only.
 */
final class VerificationFetches {
    private static final Logger LOG = LoggerFactory.getLogger(VerificationFetches.class);

    private record Key(PeerState peer, RawCoID id, SessionID session) {}

    private static final class Fetch {
        final Key key;
        final Duration quiet;
        final CompletableFuture<SyncMessage.SignatureMismatch> done = new CompletableFuture<>();
        final List<SessionPiece> pieces = new ArrayList<>();
        int minLength;
        int length;
        boolean answered;
        ScheduledFuture<?> quietTimer;
        ScheduledFuture<?> deadline;

        Fetch(Key key, int minLength, Duration quiet) {
            this.key = key;
            this.minLength = minLength;
            this.quiet = quiet;
        }
    }

    private final SyncContext ctx;
    private final Map<Key, Fetch> active = new LinkedHashMap<>();
    final AtomicLong started = new AtomicLong();
    final AtomicLong completed = new AtomicLong();
    final AtomicLong failed = new AtomicLong();

    VerificationFetches(SyncContext ctx) {
        this.ctx = ctx;
    }

    CompletableFuture<SyncMessage.SignatureMismatch> start(PeerState peer, RawCoID id, SessionID session, int minLength, Duration quiet,
            Duration timeout) {
        Key key = new Key(peer, id, session);
        Fetch running = active.get(key);
        if (running != null) {
            running.minLength = Math.max(running.minLength, minLength);
            return running.done;
        }
        Fetch f = new Fetch(key, minLength, quiet);
        if (peer.isClosed()) {
            f.done.completeExceptionally(new IllegalStateException("peer " + peer.id() + " is closed"));
            return f.done;
        }
        active.put(key, f);
        started.incrementAndGet();
        KnownState ours = ctx.out.replyState(peer, id, false);
        Map<SessionID, Integer> without = new LinkedHashMap<>(ours.sessions());
        without.remove(session);
        peer.send(new SyncMessage.Load(new KnownState(id, ours.header(), without)));
        f.deadline = ctx.scheduler.schedule(() -> ctx.exec.execute(() -> fail(f, new TimeoutException(
                "no answer from " + peer.id() + " within " + timeout.toMillis() + " ms to the verification fetch of " + id + " session "
                        + session + " (" + f.length + " transactions received)"))), timeout.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("verification fetch of {} session {} from {} (at least {} transactions)", id, session, peer.id(), minLength);
        return f.done;
    }

    boolean active(PeerState peer, RawCoID id, SessionID session) {
        return active.containsKey(new Key(peer, id, session));
    }

    /** A piece of content from {@code from}: true if a fetch took it (the node must not see it). */
    boolean intercept(PeerState from, RawCoID id, SessionPiece s) {
        if (active.isEmpty()) return false;
        Fetch f = active.get(new Key(from, id, s.sessionID()));
        if (f == null) return false;
        f.answered = true;
        int end = s.after() + s.transactions().size();
        if (s.after() == f.length && end > f.length) { // the next piece; repeats and pieces of the ordinary flow are left out
            f.pieces.add(s);
            f.length = end;
        }
        progress(f);
        return true;
    }

    /** Content or a known state for {@code id} arrived from {@code from}: the server has answered. */
    void answered(PeerState from, RawCoID id, KnownState theirs) {
        if (active.isEmpty()) return;
        for (Fetch f : List.copyOf(active.values())) {
            if (f.key.peer() != from || !f.key.id().equals(id)) continue;
            f.answered = true;
            if (theirs != null) f.minLength = Math.max(f.minLength, theirs.count(f.key.session()));
            progress(f);
        }
    }

    private void progress(Fetch f) {
        if (f.minLength > 0 && f.length >= f.minLength) {
            complete(f);
            return;
        }
        if (!f.answered) return;
        if (f.quietTimer != null) f.quietTimer.cancel(false);
        f.quietTimer = ctx.scheduler.schedule(() -> ctx.exec.execute(() -> {
            if (active.get(f.key) == f) complete(f);
        }), f.quiet.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void complete(Fetch f) {
        if (active.remove(f.key) != f) return;
        cancelTimers(f);
        completed.incrementAndGet();
        LOG.info("verification fetch of {} session {} from {}: {} transactions in {} pieces", f.key.id(), f.key.session(),
                f.key.peer().id(), f.length, f.pieces.size());
        f.done.complete(SyncMessage.SignatureMismatch.of(f.key.id(), f.key.session(), f.pieces, "verification fetch"));
    }

    private void fail(Fetch f, Throwable cause) {
        if (active.remove(f.key) != f) return;
        cancelTimers(f);
        failed.incrementAndGet();
        LOG.info("verification fetch of {} session {} from {} failed: {}", f.key.id(), f.key.session(), f.key.peer().id(),
                cause.getMessage());
        f.done.completeExceptionally(cause);
    }

    private static void cancelTimers(Fetch f) {
        if (f.quietTimer != null) f.quietTimer.cancel(false);
        if (f.deadline != null) f.deadline.cancel(false);
    }

    void peerClosed(PeerState p) {
        for (Fetch f : new ArrayList<>(active.values())) {
            if (f.key.peer() == p) fail(f, new IllegalStateException("connection to " + p.id() + " closed during the verification fetch"));
        }
    }

    /** Ends every fetch (the manager closes). */
    void closeAll() {
        for (Fetch f : new ArrayList<>(active.values())) fail(f, new IllegalStateException("sync closed"));
    }

}
