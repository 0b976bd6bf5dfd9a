package io.cojson.core.content;

import io.cojson.core.ids.OpID;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The materialized visible order of a CoList's insertion forest (covalues.md §8.3). It is patched
 * in place for the edits whose position is certain (an append after a visible entry, a first
 * {@code pre} before a visible entry, a new last root, a deletion), so that a local editor that
 * resolves an index after every write does not re-walk the whole forest; any other change makes it
 * stale and the next read walks again.
 */
final class ListOrder {
    private ArrayList<ListEntry> order; // null = stale
    private long pass;

    void invalidate() {
        order = null;
    }

    List<ListEntry> entries(List<ListEntry> afterStart, List<ListEntry> beforeEnd, Set<OpID> deleted) {
        if (order == null) {
            ArrayList<ListEntry> out = new ArrayList<>();
            pass++;
            for (ListEntry root : afterStart) walk(root, out, deleted);
            for (ListEntry root : beforeEnd) walk(root, out, deleted);
            order = out;
        }
        return order;
    }

    /**
     * A visible entry {@code e} was just linked as the newest successor ({@code app}) or
     * predecessor of {@code anchor}. The walk visits a newest successor right after its anchor, and
     * a sole predecessor right before it; both only if the anchor itself is visible.
     */
    void linked(ListEntry e, ListEntry anchor, boolean app) {
        if (order == null) return;
        if (!app && anchor.predecessors.size() != 1) {
            order = null; // goes before the older predecessors' subtrees: position not known cheaply
            return;
        }
        int at = indexOf(anchor);
        if (at < 0) {
            order = null; // anchor hidden or deleted: the entry lands after an invisible position
            return;
        }
        order.add(app ? at + 1 : at, e);
    }

    /** A visible entry became a new root; {@code last} when no root is walked after it. */
    void rooted(ListEntry e, boolean last) {
        if (order == null) return;
        if (last) order.add(e);
        else order = null;
    }

    /** A previously visible entry was deleted. */
    void removed(ListEntry e) {
        if (order == null) return;
        int at = indexOf(e);
        if (at >= 0) order.remove(at);
    }

    private int indexOf(ListEntry e) {
        int last = order.size() - 1;
        if (last >= 0 && order.get(last) == e) return last; // appending at the end is the common case
        for (int i = 0; i <= last; i++) if (order.get(i) == e) return i;
        return -1;
    }

    /**
     * The reference's depth-first walk. Each entry is linked into at most one parent (double
     * insertions are skipped and anchors must already exist), so the structure reachable from the
     * roots is a forest and one "expanded" mark per materialization pass is enough. (A change
     * anchored on its own OpID links only to itself, stays unreachable and cannot loop.)
     */
    private void walk(ListEntry root, List<ListEntry> out, Set<OpID> deleted) {
        ArrayDeque<ListEntry> stack = new ArrayDeque<>();
        boolean noneDeleted = deleted.isEmpty();
        stack.push(root);
        // In short calls: a walk of a large list runs once per process with hundreds of thousands of
        // steps, and a JVM compiles a method after enough calls, not a loop that runs in one call.
        while (steps(stack, out, deleted, noneDeleted)) {
            // more
        }
    }

    /** Up to {@link #STEPS} steps of {@link #walk}; answers whether entries are left. */
    private boolean steps(ArrayDeque<ListEntry> stack, List<ListEntry> out, Set<OpID> deleted, boolean noneDeleted) {
        for (int n = 0; n < STEPS; n++) {
            ListEntry cur = stack.peek();
            if (cur == null) return false;
            // indexed loops: no iterator per entry (a cold JVM does not elide them), and no
            // deletion lookup while nothing is deleted
            List<ListEntry> ps = cur.predecessors;
            if (!ps.isEmpty() && cur.expandedInPass != pass) {
                for (int i = 0; i < ps.size(); i++) stack.push(ps.get(i)); // the last one ends on top
                cur.expandedInPass = pass;
            } else {
                stack.pop();
                if (cur.fromValidTx && (noneDeleted || !deleted.contains(cur.opID))) out.add(cur);
                List<ListEntry> ss = cur.successors;
                for (int i = 0; i < ss.size(); i++) stack.push(ss.get(i)); // newest successor right after cur
            }
        }
        return !stack.isEmpty();
    }

    /** Steps per call of {@link #steps}: few enough that it is called (and so compiled) early in a long walk. */
    static final int STEPS = 32;
}
