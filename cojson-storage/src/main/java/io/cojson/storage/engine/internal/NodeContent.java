package io.cojson.storage.engine.internal;

import io.cojson.core.covalue.CoValueCore;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.Signature;
import io.cojson.core.knownstate.KnownState;
import io.cojson.core.node.ContentPiece;
import io.cojson.core.node.LocalNode;
import io.cojson.core.session.SessionLog;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;

/** Reads a node's CoValue under the node's lock: its known state and its content beyond a known state. */
public final class NodeContent {
    private NodeContent() {}

    /** The node's known state of {@code id}, or null when it does not hold it. */
    public static KnownState knownState(LocalNode node, RawCoID id) {
        return node.locked(() -> {
            CoValueCore core = node.get(id);
            return core == null ? null : core.knownState();
        });
    }

    /**
     * What the node has of {@code id} beyond {@code known}, as verifiable pieces: per session from
     * {@code known}'s count, cut at every signature the node holds; round k of every session in
     * piece k; the header in the first piece iff {@code known} lacks it. Empty when nothing is new.
     * A deleted CoValue yields only its delete sessions.
     */
    public static List<ContentPiece> since(LocalNode node, RawCoID id, KnownState known) {
        return node.locked(() -> {
            CoValueCore core = node.get(id);
            if (core == null) return List.of();
            List<List<ContentPiece.SessionPiece>> rounds = new ArrayList<>();
            for (SessionLog log : core.sessions().values()) {
                if (core.isDeleted() && !log.sessionID().isDeleteSession()) continue;
                int start = known.count(log.sessionID());
                int round = 0;
                NavigableMap<Integer, Signature> cuts = log.signatureAfter();
                for (int end = start; end < log.size(); end++) {
                    Signature sig = end == log.size() - 1 ? log.lastSignature() : cuts.get(end);
                    if (sig == null) continue;
                    while (rounds.size() <= round) rounds.add(new ArrayList<>());
                    rounds.get(round++).add(new ContentPiece.SessionPiece(log.sessionID(), start,
                            log.transactions().subList(start, end + 1), sig.value()));
                    start = end + 1;
                }
            }
            boolean needHeader = !known.header();
            if (rounds.isEmpty() && !needHeader) return List.of();
            if (rounds.isEmpty()) rounds.add(List.of());
            List<ContentPiece> out = new ArrayList<>(rounds.size());
            for (int i = 0; i < rounds.size(); i++) out.add(new ContentPiece(id, i == 0 && needHeader ? core.header() : null, rounds.get(i)));
            return out;
        });
    }

    /** Whether the node holds {@code id} as a tombstone. */
    public static boolean isDeleted(LocalNode node, RawCoID id) {
        return node.locked(() -> {
            CoValueCore core = node.get(id);
            return core != null && core.isDeleted();
        });
    }
}
