package io.cojson.sync.internal;

import io.cojson.core.covalue.CoValueCore;
import io.cojson.core.ids.SessionID;
import io.cojson.core.ids.Signature;
import io.cojson.core.knownstate.KnownState;
import io.cojson.core.node.ContentPiece;
import io.cojson.core.session.SessionLog;
import io.cojson.sync.SyncMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * The reference's {@code newContentSince} (sync-protocol §4): what a peer that holds {@code known}
 * lacks of a CoValue, as pieces that are each verifiable given the receiver's prefix. Sessions are
 * cut only at checkpoint signatures; a session larger than {@link #MAX_RECOMMENDED_TX_SIZE} goes
 * into its own piece; the header rides in the first piece.
 */
public final class ContentProducer {
    /** {@code MAX_RECOMMENDED_TX_SIZE} of cojson's config.ts. */
    public static final int MAX_RECOMMENDED_TX_SIZE = 102_400;

    private ContentProducer() {}

    /**
     * The pieces to send, in order; the {@code expectContentUntil} of the first one (null when the
     * transfer is a single piece of a CoValue that is not itself still streaming); the CoValue's
     * priority (from its header, also for headerless pieces).
     */
    public record Pieces(List<ContentPiece> pieces, Map<SessionID, Integer> expectContentUntil, int priority) {
        public boolean isEmpty() {
            return pieces.isEmpty();
        }

        /** The wire messages (built outside the node's lock: it converts every transaction to JSON). */
        public List<SyncMessage.Content> toMessages() {
            List<SyncMessage.Content> out = new ArrayList<>(pieces.size());
            for (int i = 0; i < pieces.size(); i++) {
                ContentPiece p = pieces.get(i);
                out.add(SyncMessage.Content.of(p, priority, i == 0 ? expectContentUntil : null));
            }
            return out;
        }
    }

    /**
     * Must be called with the node's lock held (it reads session logs).
     *
     * @param known     the receiver's (optimistic) known state, or null when nothing is known of it
     * @param streaming the counters this node itself still expects from an ongoing stream, or null
     */
    public static Pieces newContentSince(CoValueCore core, KnownState known, KnownState streaming) {
        return newContentSince(core, known, streaming, null);
    }

    /**
     * As {@link #newContentSince(CoValueCore, KnownState, KnownState)}, sending of each session at
     * most what {@code sendable} lists (null: no limit). A piece must end at a signature, so a
     * limited session ends at its last checkpoint within the limit, or is left out.
     */
    public static Pieces newContentSince(CoValueCore core, KnownState known, KnownState streaming, KnownState sendable) {
        List<List<ContentPiece.SessionPiece>> pieces = new ArrayList<>();
        List<ContentPiece.SessionPiece> current = new ArrayList<>();
        pieces.add(current); // the current piece is always the last one
        int currentSize = 0;
        for (SessionLog log : core.sessions().values()) {
            SessionID s = log.sessionID();
            if (core.isDeleted() && !s.isDeleteSession()) continue; // a tombstone only syncs its delete sessions
            int start = known == null ? 0 : known.count(s);
            int size = sendable == null ? log.size() : sendableEnd(log, sendable.count(s));
            if (start >= size) continue;
            NavigableMap<Integer, Signature> checkpoints = log.signatureAfter();
            int pieceStart = start;
            int sessionSize = 0;
            for (int i = start; i < size; i++) {
                sessionSize += log.get(i).jsLength(); // JS string lengths, as the reference
                Signature checkpoint = checkpoints.get(i);
                if (checkpoint != null) {
                    // A checkpoint closes a verifiable range: it travels as its own piece, ahead of the current one.
                    pieces.add(pieces.size() - 1, List.of(slice(log, pieceStart, i, checkpoint)));
                    pieceStart = i + 1;
                    sessionSize = 0;
                } else if (i == size - 1) {
                    ContentPiece.SessionPiece rest = slice(log, pieceStart, i, log.lastSignature());
                    if (sessionSize > MAX_RECOMMENDED_TX_SIZE) {
                        pieces.add(pieces.size() - 1, List.of(rest));
                    } else if (currentSize + sessionSize > MAX_RECOMMENDED_TX_SIZE) {
                        current.add(rest);
                        current = new ArrayList<>();
                        pieces.add(current);
                        currentSize = 0;
                    } else {
                        current.add(rest);
                        currentSize += sessionSize;
                    }
                }
            }
        }
        pieces.removeIf(List::isEmpty);
        boolean withHeader = known == null || !known.header();
        if (pieces.isEmpty()) {
            if (!withHeader) return new Pieces(List.of(), null, 0);
            pieces.add(List.of());
        }
        Map<SessionID, Integer> expect = null;
        if (pieces.size() > 1 || streaming != null) {
            KnownState target = streaming == null ? core.knownState() : core.knownState().combine(streaming);
            if (sendable != null) target = limited(core, target, sendable);
            expect = known == null ? target.sessions() : target.sessionsAheadOf(known);
        }
        List<ContentPiece> out = new ArrayList<>(pieces.size());
        for (int i = 0; i < pieces.size(); i++) {
            out.add(new ContentPiece(core.id(), i == 0 && withHeader ? core.header() : null, pieces.get(i)));
        }
        return new Pieces(out, expect, ContentPiece.priorityOf(core.header()));
    }

    /** How much of {@code log} can go out when only {@code limit} transactions may: up to a signature. */
    static int sendableEnd(SessionLog log, int limit) {
        if (limit >= log.size()) return log.size();
        Integer checkpoint = limit <= 0 ? null : log.signatureAfter().floorKey(limit - 1);
        return checkpoint == null ? 0 : checkpoint + 1;
    }

    private static KnownState limited(CoValueCore core, KnownState target, KnownState sendable) {
        Map<SessionID, Integer> m = new java.util.LinkedHashMap<>();
        target.sessions().forEach((s, n) -> {
            SessionLog log = core.sessions().get(s);
            int end = log == null ? n : Math.min(n, sendableEnd(log, sendable.count(s)));
            if (end > 0) m.put(s, end);
        });
        return new KnownState(target.id(), target.header(), m);
    }

    private static ContentPiece.SessionPiece slice(SessionLog log, int from, int to, Signature sig) {
        return new ContentPiece.SessionPiece(log.sessionID(), from, log.transactions().subList(from, to + 1), sig.value());
    }

    /** The known state a receiver has once it applied {@code piece} ({@code knownStateFromContent}). */
    public static KnownState impliedKnownState(ContentPiece piece) {
        Map<SessionID, Integer> m = new java.util.LinkedHashMap<>();
        for (ContentPiece.SessionPiece s : piece.sessions()) m.put(s.sessionID(), s.after() + s.transactions().size());
        return new KnownState(piece.id(), piece.header() != null, m);
    }
}
