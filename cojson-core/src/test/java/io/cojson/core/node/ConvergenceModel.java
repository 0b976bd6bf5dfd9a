package io.cojson.core.node;

import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * An independent model of what a fresh CoMap / CoList view must show, written from covalues.md
 * alone (§3.2 comparator, §3.3 processing order, §7.2 LWW, §8.2–8.3 list structure and walk). Its
 * input is what the test itself recorded: the transactions it wrote and the order in which each
 * node received them. Nothing here calls the content classes under test.
 */
final class ConvergenceModel {
    /** One transaction as the test wrote it. All of them are valid (every author is a writer). */
    record Tx(String session, int txIndex, long madeAt, boolean trusting, List<JsonValue> changes) {
        String id() {
            return session + "#" + txIndex;
        }
    }

    private ConvergenceModel() {}

    /** §3.2: madeAt ascending; same session → txIndex; otherwise equal (a stable sort keeps the order). */
    static final Comparator<Tx> COMPARATOR = (a, b) -> {
        if (a.madeAt() != b.madeAt()) return Long.compare(a.madeAt(), b.madeAt());
        if (a.session().equals(b.session())) return Integer.compare(a.txIndex(), b.txIndex());
        return 0;
    };

    /**
     * §3.3 for one processing pass of a fresh view: valid trusting transactions in arrival order,
     * then the private ones (they enter the queue only once decrypted) in arrival order.
     */
    static List<Tx> processingOrder(List<Tx> arrival) {
        List<Tx> out = new ArrayList<>();
        for (Tx t : arrival) if (t.trusting()) out.add(t);
        for (Tx t : arrival) if (!t.trusting()) out.add(t);
        return out;
    }

    /** §7.2: key → JSON of its value; deleted keys absent. */
    static TreeMap<String, String> map(List<Tx> arrival) {
        Map<String, List<Object[]>> ops = new HashMap<>(); // key -> [tx, change] in processing order
        for (Tx t : processingOrder(arrival)) {
            for (JsonValue c : t.changes()) {
                JsonValue.Obj o = (JsonValue.Obj) c;
                ops.computeIfAbsent(str(o.get("key")), k -> new ArrayList<>()).add(new Object[] {t, o});
            }
        }
        TreeMap<String, String> out = new TreeMap<>();
        for (Map.Entry<String, List<Object[]>> e : ops.entrySet()) {
            List<Object[]> list = e.getValue();
            list.sort((x, y) -> COMPARATOR.compare((Tx) x[0], (Tx) y[0])); // stable; one tx's changes stay in order
            JsonValue.Obj last = (JsonValue.Obj) list.get(list.size() - 1)[1];
            if (str(last.get("op")).equals("set")) out.put(e.getKey(), JsonWriter.stringify(last.get("value")));
        }
        return out;
    }

    private static final class Node {
        final JsonValue value;
        final List<String> predecessors = new ArrayList<>();
        final List<String> successors = new ArrayList<>();

        Node(JsonValue value) {
            this.value = value;
        }
    }

    /** §8.2–8.3: the visible items as a JSON array text. */
    static String list(List<Tx> arrival) {
        List<Tx> order = new ArrayList<>(processingOrder(arrival));
        order.sort(COMPARATOR);
        Map<String, Node> nodes = new HashMap<>();
        List<String> afterStart = new ArrayList<>();
        List<String> beforeEnd = new ArrayList<>();
        Set<String> deleted = new HashSet<>();
        for (Tx t : order) {
            for (int i = 0; i < t.changes().size(); i++) {
                JsonValue.Obj c = (JsonValue.Obj) t.changes().get(i);
                String op = str(c.get("op"));
                if (op.equals("del")) {
                    deleted.add(opId(c.get("insertion")));
                    continue;
                }
                String id = t.session() + "/" + t.txIndex() + "/" + i;
                if (nodes.containsKey(id)) continue;
                nodes.put(id, new Node(c.get("value")));
                boolean app = op.equals("app");
                JsonValue anchor = c.get(app ? "after" : "before");
                if (anchor instanceof JsonValue.Str s) {
                    (s.value().equals("start") ? afterStart : beforeEnd).add(id);
                } else {
                    Node x = nodes.get(opId(anchor));
                    if (x != null) (app ? x.successors : x.predecessors).add(id); // else never visible
                }
            }
        }
        List<JsonValue> result = new ArrayList<>();
        for (String root : afterStart) walk(root, nodes, deleted, result);
        for (String root : beforeEnd) walk(root, nodes, deleted, result);
        return JsonWriter.stringify(new JsonValue.Arr(result));
    }

    private static void walk(String root, Map<String, Node> nodes, Set<String> deleted, List<JsonValue> result) {
        Deque<String> stack = new ArrayDeque<>();
        Set<String> expanded = new HashSet<>();
        stack.push(root);
        while (!stack.isEmpty()) {
            String cur = stack.peek();
            Node n = nodes.get(cur);
            if (!n.predecessors.isEmpty() && expanded.add(cur)) {
                for (String p : n.predecessors) stack.push(p); // the last one ends on top
            } else {
                stack.pop();
                if (!deleted.contains(cur)) result.add(n.value);
                for (String s : n.successors) stack.push(s);
            }
        }
    }

    private static String opId(JsonValue v) {
        JsonValue.Obj o = (JsonValue.Obj) v;
        return str(o.get("sessionID")) + "/" + (long) ((JsonValue.Num) o.get("txIndex")).value() + "/"
                + (long) ((JsonValue.Num) o.get("changeIdx")).value();
    }

    private static String str(JsonValue v) {
        return ((JsonValue.Str) v).value();
    }
}
