package io.cojson.sync;

import io.cojson.core.covalue.CoValueCore;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.ids.Signature;
import io.cojson.core.node.ContentPiece;
import io.cojson.core.session.SessionLog;
import io.cojson.sync.internal.TokenBucket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signature mismatches (recovery.md §4.1): as a server, reports a client's forked session back to
 * it with this node's whole version of the session, at most once per connection, CoValue, session
 * and version, within a per-connection budget, and keeps ignoring the fork's continuation from
 * that connection; as a client, hands received reports to the listeners (the recovery
 * coordinator). Sync executor only, except the counters and listener registration.
 */
final class MismatchReports {
    private static final Logger LOG = LoggerFactory.getLogger(MismatchReports.class);

    private final SyncContext ctx;
    private final LongSupplier nanoClock;
    /** Per open connection (a reconnection is a new {@link PeerState}, so it starts fresh). */
    private final Map<PeerState, Connection> connections = new HashMap<>();
    final List<BiConsumer<PeerState, SyncMessage.SignatureMismatch>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong detected = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong duplicate = new AtomicLong();
    private final AtomicLong rateLimited = new AtomicLong();
    private final AtomicLong notReportable = new AtomicLong();
    private final AtomicLong ignored = new AtomicLong();
    private final AtomicLong received = new AtomicLong();

    private record Fork(RawCoID id, SessionID session) {}

    private record Version(RawCoID id, SessionID session, String lastSignature) {}

    private final class Connection {
        final TokenBucket budget = new TokenBucket(ctx.options.mismatchReports().burst(),
                ctx.options.mismatchReports().perSecond(), nanoClock);
        final Set<Version> reported = new HashSet<>();
        final Set<Fork> forked = new HashSet<>();
    }

    MismatchReports(SyncContext ctx, LongSupplier nanoClock) {
        this.ctx = ctx;
        this.nanoClock = nanoClock;
    }

    SignatureMismatchStats stats() {
        return new SignatureMismatchStats(detected.get(), sent.get(), duplicate.get(), rateLimited.get(),
                notReportable.get(), ignored.get(), received.get());
    }

    // ---- server side ----

    /**
     * Whether a piece of {@code session} from {@code from} that starts beyond this node's version
     * is to be ignored (no correction asked): the session was reported forked on this connection,
     * and asking for it again would only bring the fork back, round after round (§4.1 step 6).
     */
    boolean ignoresContinuation(PeerState from, RawCoID id, SessionID session) {
        Connection c = connections.get(from);
        if (c == null || !c.forked.contains(new Fork(id, session))) return false;
        ignored.incrementAndGet();
        return true;
    }

    /** Content of a reported session from {@code from} verified against this node's version: the fork is over. */
    void continued(PeerState from, RawCoID id, SessionID session) {
        Connection c = connections.get(from);
        if (c != null && c.forked.remove(new Fork(id, session))) {
            LOG.info("{} continues this node's version of {} session {} again", from.id(), id, session);
        }
    }

    /**
     * Content for {@code session} of {@code id} from {@code from} failed verification as a
     * signature mismatch (a well-formed chain that the session's signer did not sign). Only the
     * session was rejected; a client peer gets this node's whole version of it.
     */
    void detected(PeerState from, RawCoID id, SessionID session) {
        if (from == null) return; // stored content that fails verification is storage's problem (RL-23)
        detected.incrementAndGet();
        if (from.role() != PeerRole.CLIENT || from.isClosed()) return; // from a server: the client's triggers (§4.2)
        Report report = ctx.node.locked(() -> report(id, session));
        if (report == null) {
            notReportable.incrementAndGet(); // nothing here to compare with: invalid content, not a fork
            return;
        }
        Connection c = connections.computeIfAbsent(from, p -> new Connection());
        Version version = new Version(id, session, report.lastSignature());
        if (c.reported.contains(version)) {
            duplicate.incrementAndGet();
            return;
        }
        if (!c.budget.tryTake()) {
            // Not marked forked: the client's next push of the fork reaches detection again.
            rateLimited.incrementAndGet();
            LOG.info("SignatureMismatch for {} session {} to {} dropped: rate limit", id, session, from.id());
            return;
        }
        c.reported.add(version);
        c.forked.add(new Fork(id, session));
        SyncMessage.SignatureMismatch m = SyncMessage.SignatureMismatch.of(id, session, report.pieces(),
                "content for this session does not verify against this peer's version of it ("
                        + report.length() + " transactions)");
        from.send(m);
        sent.incrementAndGet();
        LOG.info("SignatureMismatch sent to {}: {} session {}, this node holds {} transactions in {} pieces",
                from.id(), id, session, report.length(), report.pieces().size());
    }

    private record Report(List<ContentPiece.SessionPiece> pieces, int length, String lastSignature) {}

    /** This node's whole version of the session, cut after every checkpoint signature (node lock held). */
    private Report report(RawCoID id, SessionID session) {
        CoValueCore core = ctx.node.get(id);
        SessionLog log = core == null ? null : core.sessions().get(session);
        if (log == null || log.size() == 0) return null;
        return new Report(wholeSession(log), log.size(), log.lastSignature().value());
    }

    /** Pieces from index 0 that each end at a signature of the log: every checkpoint and the last. */
    static List<ContentPiece.SessionPiece> wholeSession(SessionLog log) {
        List<ContentPiece.SessionPiece> pieces = new ArrayList<>();
        NavigableMap<Integer, Signature> cuts = log.signatureAfter();
        int start = 0;
        for (Map.Entry<Integer, Signature> cut : cuts.entrySet()) {
            int end = cut.getKey();
            if (end >= log.size() - 1) break; // the last signature closes the last piece
            pieces.add(new ContentPiece.SessionPiece(log.sessionID(), start, log.transactions().subList(start, end + 1),
                    cut.getValue().value()));
            start = end + 1;
        }
        pieces.add(new ContentPiece.SessionPiece(log.sessionID(), start, log.transactions().subList(start, log.size()),
                log.lastSignature().value()));
        return pieces;
    }

    // ---- client side ----

    /** Content from a server failed as a signature mismatch and recovery took it over (T2, recovery.md §4.2). */
    void detectedFromServer() {
        detected.incrementAndGet();
    }

    /** A report received from {@code from}: only server peers can tell this node about their version. */
    void received(PeerState from, SyncMessage.SignatureMismatch m) {
        if (from.role() != PeerRole.SERVER) {
            ctx.error(from, m.id(), SyncError.Kind.INVALID_MESSAGE, "SignatureMismatch from a client peer ignored");
            return;
        }
        received.incrementAndGet();
        LOG.info("SignatureMismatch received from {}: {} session {}, its version has {} transactions in {} pieces",
                from.id(), m.id(), m.sessionID(), m.claimedLength(), m.content().size());
        if (listeners.isEmpty()) {
            LOG.info("no recovery installed: the fork of {} session {} stays", m.id(), m.sessionID());
            return;
        }
        for (BiConsumer<PeerState, SyncMessage.SignatureMismatch> l : listeners) {
            try {
                l.accept(from, m);
            } catch (RuntimeException e) {
                LOG.error("signature mismatch listener failed", e);
            }
        }
    }

    void peerClosed(PeerState p) {
        connections.remove(p);
    }
}
