package io.cojson.core.content;

import static io.cojson.core.content.CoListContentTest.A;
import static io.cojson.core.content.CoListContentTest.B;
import static io.cojson.core.content.CoListContentTest.C;
import static io.cojson.core.content.CoListContentTest.D;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cojson.core.ids.OpID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.ids.TransactionID;
import io.cojson.core.json.JsonValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Random concurrent editing by 2–4 sessions. Each session writes transactions (non-decreasing madeAt)
 * whose anchors and deletion targets are insertions it has seen (its own, plus those of sessions it
 * synced from); the logs are then delivered in random interleavings that keep each session's order.
 */
class CoListProperties {
    private static final SessionID[] POOL = {A, B, C, D};

    /** With distinct madeAt the view is a function of the transactions alone. */
    @Property(tries = 400)
    void viewIsIndependentOfArrivalAndBatching(@ForAll @IntRange(min = 2, max = 4) int sessions, @ForAll long seed) {
        Random r = new Random(seed);
        List<List<DecodedTx>> logs = generate(r, sessions, true);
        List<DecodedTx> first = interleave(r, logs);
        List<DecodedTx> second = interleave(r, logs);
        CoListContent expected = oneBatch(first);
        assertEquals(model(first), expected.opIDs());
        assertSame(expected, oneBatch(second));
        assertSame(expected, incremental(r, first));
        assertSame(expected, incremental(r, second));
    }

    /** Ties are allowed here: for one arrival sequence, incremental batches equal a build from scratch. */
    @Property(tries = 400)
    void incrementalEqualsRebuildForTheSameArrival(@ForAll @IntRange(min = 2, max = 4) int sessions, @ForAll long seed) {
        Random r = new Random(seed);
        List<DecodedTx> arrival = interleave(r, generate(r, sessions, false));
        CoListContent inc = incremental(r, arrival);
        assertEquals(model(arrival), inc.opIDs());
        assertSame(oneBatch(arrival), inc);
        CoListContent rebuilt = incremental(r, arrival);
        rebuilt.rebuild(arrival, tx -> false);
        assertSame(inc, rebuilt);
    }

    private static void assertSame(CoListContent expected, CoListContent actual) {
        assertEquals(expected.opIDs(), actual.opIDs());
        assertEquals(expected.items(), actual.items());
        assertEquals(expected.deletionEdits(), actual.deletionEdits());
    }

    private static CoListContent oneBatch(List<DecodedTx> arrival) {
        CoListContent c = new CoListContent();
        c.add(arrival);
        return c;
    }

    private static CoListContent incremental(Random r, List<DecodedTx> arrival) {
        CoListContent c = new CoListContent();
        for (int i = 0; i < arrival.size(); ) {
            int n = Math.min(arrival.size() - i, 1 + r.nextInt(4));
            c.add(arrival.subList(i, i + n));
            c.size(); // read between batches so cached reads are exercised
            i += n;
        }
        return c;
    }

    private static List<List<DecodedTx>> generate(Random r, int n, boolean distinct) {
        List<List<DecodedTx>> logs = new ArrayList<>();
        for (int s = 0; s < n; s++) logs.add(new ArrayList<>());
        int[][] seen = new int[n][n]; // seen[s][o]: how many of o's transactions s knows
        long[] clock = new long[n];
        // madeAt 0 is avoided: the reference treats it as "absent" when deciding to rebuild (copied quirk)
        for (int s = 0; s < n; s++) clock[s] = 1 + r.nextInt(distinct ? 20 : 3);
        int steps = 5 + r.nextInt(40);
        for (int step = 0; step < steps; step++) {
            int s = r.nextInt(n);
            if (r.nextInt(4) == 0) {
                int o = r.nextInt(n);
                seen[s][o] = logs.get(o).size();
                continue;
            }
            clock[s] += distinct ? 1 + r.nextInt(3) : r.nextInt(2);
            long madeAt = distinct ? clock[s] * n + s : clock[s];
            List<OpID> known = new ArrayList<>();
            for (int o = 0; o < n; o++) {
                for (DecodedTx t : logs.get(o).subList(0, o == s ? logs.get(o).size() : seen[s][o])) {
                    for (int i = 0; i < t.changes().size(); i++) {
                        if (!op(t.changes().get(i)).equals("del")) known.add(new OpID(t.sessionID(), t.txIndex(), i));
                    }
                }
            }
            int txIndex = logs.get(s).size();
            List<JsonValue> changes = new ArrayList<>();
            for (int i = 0, k = 1 + r.nextInt(3); i < k; i++) {
                String value = s + "." + txIndex + "." + i;
                int kind = r.nextInt(known.isEmpty() ? 2 : 3);
                boolean root = known.isEmpty() || r.nextInt(4) == 0;
                OpID anchor = root ? null : known.get(r.nextInt(known.size()));
                if (kind == 2) {
                    changes.add(CoListContent.delChange(known.get(r.nextInt(known.size()))));
                    continue;
                }
                JsonValue anchorJson = root ? JsonValue.of(kind == 0 ? "start" : "end") : CoListContent.opIDToJson(anchor);
                changes.add(JsonValue.obj("op", JsonValue.of(kind == 0 ? "app" : "pre"), "value", JsonValue.of(value),
                        kind == 0 ? "after" : "before", anchorJson));
                known.add(new OpID(POOL[s], txIndex, i));
            }
            logs.get(s).add(new DecodedTx(new TransactionID(POOL[s], txIndex), madeAt, changes, true));
        }
        return logs;
    }

    private static List<DecodedTx> interleave(Random r, List<List<DecodedTx>> logs) {
        int[] next = new int[logs.size()];
        List<DecodedTx> out = new ArrayList<>();
        int total = logs.stream().mapToInt(List::size).sum();
        while (out.size() < total) {
            int s = r.nextInt(logs.size());
            if (next[s] < logs.get(s).size()) out.add(logs.get(s).get(next[s]++));
        }
        return out;
    }

    private static String op(JsonValue change) {
        return ((JsonValue.Str) ((JsonValue.Obj) change).get("op")).value();
    }

    // ---- an independent model: process in comparator order, emit recursively ----------------------

    private static final class Node {
        final OpID id;
        final List<Node> pre = new ArrayList<>();
        final List<Node> succ = new ArrayList<>();

        Node(OpID id) {
            this.id = id;
        }
    }

    /** Visible OpIDs: predecessors newest-first, the item, then successors newest-first. */
    private static List<OpID> model(List<DecodedTx> arrival) {
        List<DecodedTx> sorted = new ArrayList<>(arrival);
        sorted.sort(DecodedTx::compare);
        Map<OpID, Node> nodes = new HashMap<>();
        List<Node> start = new ArrayList<>();
        List<Node> end = new ArrayList<>();
        Set<OpID> deleted = new HashSet<>();
        for (DecodedTx t : sorted) {
            for (int i = 0; i < t.changes().size(); i++) {
                JsonValue.Obj c = (JsonValue.Obj) t.changes().get(i);
                OpID id = new OpID(t.sessionID(), t.txIndex(), i);
                if (op(c).equals("del")) {
                    deleted.add(CoListContent.parseOpID(c.get("insertion")));
                    continue;
                }
                boolean app = op(c).equals("app");
                Node node = new Node(id);
                nodes.put(id, node);
                JsonValue anchor = c.get(app ? "after" : "before");
                if (anchor instanceof JsonValue.Str) {
                    (app ? start : end).add(node);
                } else {
                    Node target = nodes.get(CoListContent.parseOpID(anchor));
                    if (target != null) (app ? target.succ : target.pre).add(node);
                }
            }
        }
        List<OpID> out = new ArrayList<>();
        for (Node root : start) emit(root, deleted, out);
        for (Node root : end) emit(root, deleted, out);
        return out;
    }

    private static void emit(Node n, Set<OpID> deleted, List<OpID> out) {
        for (int i = n.pre.size() - 1; i >= 0; i--) emit(n.pre.get(i), deleted, out);
        if (!deleted.contains(n.id)) out.add(n.id);
        for (int i = n.succ.size() - 1; i >= 0; i--) emit(n.succ.get(i), deleted, out);
    }
}
