package io.cojson.sync;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.knownstate.KnownState;
import io.cojson.core.node.LocalNode;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durability window of recovery.md §13, as the sync layer sees it: local content (this node's
 * own sessions) sent to a peer before storage committed it. Before such content goes out, storage
 * names the (CoValue, session) in its marker (once per window and pair); once storage has confirmed
 * everything sent, the marker is cleared. After a crash the marker tells exactly which sessions may
 * have lost a tail that a peer already has, so the node starts a new session only then and verifies
 * only those values (T4). Only with storage that tracks the window, and not with persist-before-send
 * (nothing unstored goes out then). Sync executor only.
 */
final class DurabilityWindow {
    private static final Logger LOG = LoggerFactory.getLogger(DurabilityWindow.class);
    /** Where the marker is written: the sync layer's storage, or the node's storage written by NodePersistence. */
    interface Marker {
        void mark(Set<String> entries);

        void clear();
    }

    private final Marker storage;
    private final Set<SessionID> own = new LinkedHashSet<>();
    /** Per CoValue and own session: the most sent beyond what storage confirmed at the time. */
    private final Map<RawCoID, Map<SessionID, Integer>> open = new HashMap<>();
    /** The pairs the marker names in this window. */
    private final Set<String> marked = new HashSet<>();

    private DurabilityWindow(Marker storage, LocalNode node) {
        this.storage = storage;
        SessionID current = node.sessionID();
        if (current != null) {
            own.add(current);
            if (node.accountID() != null) own.add(current.withAuthor(node.agentID().value())); // edits of the account itself
        }
    }

    /** Null when there is nothing to track: no storage, storage that cannot track it, or persist-before-send. */
    static DurabilityWindow of(SyncOptions options, LocalNode node) {
        SyncStorage s = options.storage();
        if (s == null || options.persistBeforeSend() || !s.tracksDurabilityWindow()) return null;
        return new DurabilityWindow(new Marker() {
            @Override
            public void mark(Set<String> entries) {
                s.markDurabilityWindow(entries);
            }

            @Override
            public void clear() {
                s.clearDurabilityWindow();
            }
        }, node);
    }

    /** For a node whose writes reach {@code storage} another way (NodePersistence); starts its marker. */
    static DurabilityWindow external(io.cojson.storage.engine.CoValueStorage storage, LocalNode node) {
        storage.trackDurabilityWindow();
        return new DurabilityWindow(new Marker() {
            @Override
            public void mark(Set<String> entries) {
                storage.markDurabilityWindow(entries);
            }

            @Override
            public void clear() {
                storage.clearDurabilityWindow();
            }
        }, node);
    }

    /** The CoValues with own content sent and not yet confirmed stored. */
    Set<RawCoID> openValues() {
        return Set.copyOf(open.keySet());
    }

    /**
     * Before {@code sent} of a CoValue goes to a peer; {@code confirmed} gives what storage
     * committed of it (null: nothing), asked only when {@code sent} holds own content. Answers
     * whether the window is open for it (own content not confirmed).
     */
    boolean beforeSend(KnownState sent, java.util.function.Function<RawCoID, KnownState> confirmedOf) {
        Set<String> marks = null;
        boolean unconfirmed = false;
        KnownState confirmed = null;
        boolean asked = false;
        for (SessionID s : own) {
            int n = sent.count(s);
            if (n == 0) continue;
            if (!asked) {
                confirmed = confirmedOf.apply(sent.id());
                asked = true;
            }
            if (confirmed != null && confirmed.count(s) >= n) continue;
            unconfirmed = true;
            open.computeIfAbsent(sent.id(), k -> new HashMap<>(2)).merge(s, n, Math::max);
            String pair = sent.id().value() + " " + s.value();
            if (marked.contains(pair)) continue;
            if (marks == null) marks = new LinkedHashSet<>();
            marks.add(pair);
        }
        if (marks == null) return unconfirmed;
        try {
            storage.mark(marks);
            marked.addAll(marks);
        } catch (RuntimeException e) {
            // Prevention only: a fork this would have avoided is still recovered (§4-§5).
            LOG.warn("durability-window marker not written, content goes out anyway: {}", e.toString());
        }
        return true;
    }

    /** Storage now holds {@code stored} of a CoValue (a commit, or a recovery unit that set it). */
    void stored(KnownState stored) {
        Map<SessionID, Integer> pending = open.get(stored.id());
        if (pending == null) return;
        pending.entrySet().removeIf(e -> stored.count(e.getKey()) >= e.getValue());
        if (pending.isEmpty()) open.remove(stored.id());
        closeIfCaughtUp();
    }

    /**
     * A recovery unit replaced {@code session} of a CoValue in storage: what was sent of the old
     * version is preserved in its conflict session (committed by the same unit), so it is no
     * longer at risk.
     */
    void replaced(KnownState stored) {
        Map<SessionID, Integer> pending = open.get(stored.id());
        if (pending == null) return;
        pending.entrySet().removeIf(e -> stored.count(e.getKey()) < e.getValue());
        stored(stored);
    }

    private void closeIfCaughtUp() {
        if (!open.isEmpty() || marked.isEmpty()) return;
        try {
            storage.clear();
            marked.clear();
        } catch (RuntimeException e) {
            LOG.warn("durability-window marker not cleared (a crash now makes its sessions at risk): {}", e.toString());
        }
    }
}
