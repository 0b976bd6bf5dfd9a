package io.cojson.core.content;

import io.cojson.core.ids.InvalidIdException;
import io.cojson.core.ids.OpID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.ids.TransactionID;
import io.cojson.core.json.JsonValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The CoList content view (covalues.md §8), built incrementally like the reference's
 * {@code RawCoList.processNewTransactions}: each delivered batch is stably sorted and applied on top
 * of the existing insertion tree; the whole tree is rebuilt only when a batch holds a valid
 * transaction older than the newest valid one of the previous batch. The materialized order is
 * cached and patched in place for the common local edits ({@link ListOrder}).
 *
 * <p>Transactions are delivered in processing order (arrival order); transactions the caller flags
 * as hidden (invalidated during meta parsing, e.g. {@code fww} losers, §4.1) contribute anchors and
 * deletions but none of their insertions are visible. Malformed changes are skipped, never thrown.
 */
public final class CoListContent {
    /** {@code editAt(i)}: who inserted the item, in which transaction, when. */
    public record Edit(String by, TransactionID tx, long at, JsonValue value) {}

    /** One deletion; the reference reports the deleting change's full OpID as {@code tx}. */
    public record DeletionEdit(String by, OpID deletionID, long at) {
        public TransactionID tx() {
            return deletionID.txID();
        }
    }

    private record Arrival(DecodedTx tx, boolean hidden) {}

    private static final Comparator<Arrival> ORDER = (a, b) -> DecodedTx.compare(a.tx, b.tx);

    private final List<Arrival> working = new ArrayList<>();
    private final boolean timeTravel;
    /** Every insertion by OpID; replaced by a presized map when a large first batch arrives. */
    private Map<OpID, ListEntry> insertions = new HashMap<>();
    private final List<ListEntry> afterStart = new ArrayList<>();
    private final List<ListEntry> beforeEnd = new ArrayList<>();
    private final Set<OpID> deleted = new HashSet<>();
    /** Deletions keyed like the reference's nested JS object: target session (first seen), then (txIndex, changeIdx). */
    private final Map<String, TreeMap<Long, List<DeletionEdit>>> deletions = new LinkedHashMap<>();
    /** The reference's {@code lastValidTransaction}: newest valid madeAt of the last applied batch, null if none. */
    private Long lastValidMadeAt;
    private final ListOrder order = new ListOrder();
    /** The session {@link #parseOpID} read last. */
    private SessionID lastSession;
    /**
     * The OpID object {@link #parseOpID} read last and what it gave: the changes of one
     * {@code appendItems} share one anchor object (values are immutable).
     */
    private JsonValue lastOpIDValue;
    private OpID lastOpID;

    public CoListContent() {
        this(false);
    }

    private CoListContent(boolean timeTravel) {
        this.timeTravel = timeTravel;
    }

    // ---- building -------------------------------------------------------------------------------

    public void add(List<DecodedTx> batch) {
        add(batch, tx -> false);
    }

    /** Delivers new transactions in processing order; {@code hidden} marks meta-invalidated ones. */
    public void add(List<DecodedTx> batch, Predicate<DecodedTx> hidden) {
        if (batch.isEmpty()) return;
        List<Arrival> arrivals = arrivals(batch, hidden);
        working.addAll(arrivals);
        arrivals.sort(ORDER);
        Long oldest = null;
        for (Arrival a : arrivals) {
            if (!a.hidden && (oldest == null || a.tx.madeAt() < oldest)) oldest = a.tx.madeAt();
        }
        // The reference tests both values for truthiness (0 counts as absent) and compares madeAt only.
        if (truthy(lastValidMadeAt) && truthy(oldest) && oldest < lastValidMadeAt) {
            rebuild();
        } else {
            // Copied quirk: a batch with only hidden transactions resets this to "none".
            lastValidMadeAt = apply(arrivals);
        }
    }

    /**
     * Replaces every delivered transaction (processing order) and rebuilds, e.g. after validity
     * verdicts of already-delivered transactions changed (fww winner replaced, group re-validation).
     */
    public void rebuild(List<DecodedTx> all, Predicate<DecodedTx> hidden) {
        working.clear();
        working.addAll(arrivals(all, hidden));
        rebuild();
    }

    private void rebuild() {
        order.invalidate();
        insertions.clear();
        afterStart.clear();
        beforeEnd.clear();
        deleted.clear();
        deletions.clear();
        List<Arrival> sorted = new ArrayList<>(working);
        sorted.sort(ORDER); // List.sort is stable, like V8's Array.prototype.sort
        lastValidMadeAt = apply(sorted);
    }

    /** Applies already-sorted transactions; returns the reference's batch {@code lastValidTransaction}. */
    private Long apply(List<Arrival> sorted) {
        if (insertions.isEmpty() && sorted.size() > 1) {
            // a cold load delivers the whole list at once: size the map for it instead of rehashing
            // every insertion through a dozen doublings
            int changes = 0;
            for (Arrival a : sorted) changes += a.tx.changes().size();
            if (changes > 12) insertions = new HashMap<>(changes + changes / 3 + 1);
        }
        Long last = null;
        for (Arrival a : sorted) {
            if (!a.hidden) last = Math.max(last == null ? 0 : last, a.tx.madeAt());
            apply(a); // a call per transaction: a cold load applies thousands in one call of this method
        }
        return last;
    }

    private void apply(Arrival a) {
        List<JsonValue> changes = a.tx.changes();
        for (int i = 0; i < changes.size(); i++) {
            if (changes.get(i) instanceof JsonValue.Obj change) applyChange(a.tx, i, change, !a.hidden);
        }
    }

    private void applyChange(DecodedTx tx, int changeIdx, JsonValue.Obj change, boolean valid) {
        if (!(change.get("op") instanceof JsonValue.Str op)) return;
        OpID id = new OpID(tx.sessionID(), tx.txIndex(), changeIdx, tx.branch());
        switch (op.value()) {
            case "app" -> insert(id, tx, change, valid, true);
            case "pre" -> insert(id, tx, change, valid, false);
            case "del" -> {
                // No existence check: a deletion that precedes its insertion still hides it.
                OpID target = parseOpID(change.get("insertion"), this);
                if (target == null) return;
                if (deleted.add(target)) {
                    ListEntry gone = insertions.get(target);
                    if (gone != null && gone.fromValidTx) order.removed(gone);
                }
                long key = ((long) target.txIndex() << 32) | target.changeIdx();
                deletions.computeIfAbsent(target.sessionKey(), s -> new TreeMap<>())
                        .computeIfAbsent(key, k -> new ArrayList<>(1))
                        .add(new DeletionEdit(tx.sessionID().author(), id, tx.madeAt()));
            }
            default -> { } // the reference throws on unknown ops; a view must not fail on foreign data
        }
    }

    private void insert(OpID id, DecodedTx tx, JsonValue.Obj change, boolean valid, boolean app) {
        JsonValue value = change.get("value");
        ListEntry entry = new ListEntry(id, value == null ? JsonValue.UNDEFINED : value, tx.madeAt(), valid);
        if (insertions.putIfAbsent(id, entry) != null) return; // double merge of the same insertion
        boolean visible = valid && (deleted.isEmpty() || !deleted.contains(id));
        JsonValue anchor = change.get(app ? "after" : "before");
        if (anchor instanceof JsonValue.Str s && s.value().equals(app ? "start" : "end")) {
            (app ? afterStart : beforeEnd).add(entry);
            if (visible) order.rooted(entry, !app || beforeEnd.isEmpty());
            return;
        }
        // An anchor unknown at this moment leaves the entry unlinked, i.e. invisible forever (§8.2).
        OpID anchorID = parseOpID(anchor, this);
        ListEntry target = anchorID == null ? null : insertions.get(anchorID);
        if (target == null) return;
        if (app) target.addSuccessor(entry);
        else target.addPredecessor(entry);
        if (visible) order.linked(entry, target, app);
    }

    // ---- time travel (§4.2): filter first, then build -------------------------------------------

    /** A fresh view of {@code all} (processing order). */
    public static CoListContent build(List<DecodedTx> all, Predicate<DecodedTx> hidden) {
        CoListContent c = new CoListContent();
        c.add(all, hidden);
        return c;
    }

    /** The list's {@code atTime(t)}: only {@code madeAt <= t}. Unlike CoMap, {@code t == 0} is a real filter. */
    public static CoListContent buildAtTime(List<DecodedTx> all, Predicate<DecodedTx> hidden, long t) {
        return filtered(arrivals(all, hidden), atTimeFilter(t));
    }

    /** {@code atFrontier(f)}: only {@code txIndex < f[session]}; sessions absent from f are excluded. */
    public static CoListContent buildAtFrontier(List<DecodedTx> all, Predicate<DecodedTx> hidden,
                                                Map<SessionID, Integer> frontier) {
        return filtered(arrivals(all, hidden), atFrontierFilter(frontier));
    }

    /** This view at time {@code t}, from every transaction delivered so far (hidden flags kept). */
    public CoListContent atTime(long t) {
        return filtered(working, atTimeFilter(t));
    }

    public CoListContent atFrontier(Map<SessionID, Integer> frontier) {
        return filtered(working, atFrontierFilter(frontier));
    }

    private static Predicate<DecodedTx> atTimeFilter(long t) {
        return tx -> tx.madeAt() <= t;
    }

    private static Predicate<DecodedTx> atFrontierFilter(Map<SessionID, Integer> frontier) {
        return tx -> tx.txIndex() < frontier.getOrDefault(tx.sessionID(), -1);
    }

    private static List<Arrival> arrivals(List<DecodedTx> txs, Predicate<DecodedTx> hidden) {
        List<Arrival> out = new ArrayList<>(txs.size());
        for (DecodedTx tx : txs) out.add(new Arrival(tx, hidden.test(tx)));
        return out;
    }

    private static CoListContent filtered(List<Arrival> all, Predicate<DecodedTx> keep) {
        CoListContent c = new CoListContent(true);
        for (Arrival a : all) if (keep.test(a.tx)) c.working.add(a);
        c.rebuild();
        return c;
    }

    /** Every delivered transaction in processing order. */
    public List<DecodedTx> transactions() {
        List<DecodedTx> out = new ArrayList<>(working.size());
        for (Arrival a : working) out.add(a.tx);
        return out;
    }

    // ---- reading (§8.3) -------------------------------------------------------------------------

    private List<ListEntry> entries() {
        return order.entries(afterStart, beforeEnd, deleted);
    }

    public List<JsonValue> items() {
        List<ListEntry> es = entries();
        JsonValue[] out = new JsonValue[es.size()];
        // in short calls, compiled early in a long list (see ListOrder#steps)
        for (int from = 0; from < out.length; from += ListOrder.STEPS) values(es, out, from, Math.min(out.length, from + ListOrder.STEPS));
        return Collections.unmodifiableList(Arrays.asList(out));
    }

    private static void values(List<ListEntry> es, JsonValue[] out, int from, int to) {
        for (int i = from; i < to; i++) out[i] = es.get(i).value;
    }

    public List<OpID> opIDs() {
        List<ListEntry> es = entries();
        OpID[] out = new OpID[es.size()];
        for (int from = 0; from < out.length; from += ListOrder.STEPS) opIDs(es, out, from, Math.min(out.length, from + ListOrder.STEPS));
        return Collections.unmodifiableList(Arrays.asList(out));
    }

    private static void opIDs(List<ListEntry> es, OpID[] out, int from, int to) {
        for (int i = from; i < to; i++) out[i] = es.get(i).opID;
    }

    public int size() {
        return entries().size();
    }

    public JsonValue.Arr toJson() {
        return new JsonValue.Arr(items());
    }

    /** The visible item at {@code i}, or Java null when out of range (the reference's undefined). */
    public JsonValue get(int i) {
        ListEntry e = entryAt(i);
        return e == null ? null : e.value;
    }

    public OpID opIDAt(int i) {
        ListEntry e = entryAt(i);
        return e == null ? null : e.opID;
    }

    public Edit editAt(int i) {
        ListEntry e = entryAt(i);
        return e == null ? null : new Edit(e.opID.sessionID().author(), e.opID.txID(), e.madeAt, e.value);
    }

    /** One edit per recorded deletion, in the reference's object-key iteration order. */
    public List<DeletionEdit> deletionEdits() {
        List<DeletionEdit> out = new ArrayList<>();
        for (TreeMap<Long, List<DeletionEdit>> bySession : deletions.values()) {
            for (List<DeletionEdit> list : bySession.values()) out.addAll(list);
        }
        return out;
    }

    private ListEntry entryAt(int i) {
        List<ListEntry> es = entries();
        return i >= 0 && i < es.size() ? es.get(i) : null;
    }

    // ---- what the local API writes (§8.4) -------------------------------------------------------

    /**
     * {@code appendItems(items, after)}: on an empty list one {@code app} after "start" per item in
     * natural order; otherwise all anchored after entry {@code afterIndex} (default: the last) and
     * written in reverse, so that newest-first placement renders them in natural order.
     */
    public List<JsonValue> appendChanges(List<JsonValue> items, Integer afterIndex) {
        checkMutable();
        int n = size();
        int after = afterIndex == null ? Math.max(n - 1, 0) : Math.max(0, afterIndex);
        JsonValue anchor;
        if (n > 0) {
            anchor = opIDToJson(requireOpID(after));
        } else {
            if (after != 0) throw new IllegalArgumentException("Invalid index " + after);
            anchor = JsonValue.of("start");
        }
        List<JsonValue> changes = new ArrayList<>(items.size());
        for (JsonValue item : items) changes.add(JsonValue.obj("op", JsonValue.of("app"), "value", item, "after", anchor));
        if (n > 0) Collections.reverse(changes);
        return changes;
    }

    /** {@code prepend(item, before = 0)}: before entry {@code beforeIndex}, or "end" at the length. */
    public List<JsonValue> prependChanges(JsonValue item, Integer beforeIndex) {
        checkMutable();
        int before = beforeIndex == null ? 0 : beforeIndex;
        int n = size();
        JsonValue anchor;
        if (before >= 0 && before < n) {
            anchor = opIDToJson(opIDAt(before));
        } else if (before == n) {
            anchor = JsonValue.of("end");
        } else {
            throw new IllegalArgumentException("Invalid index " + before);
        }
        return List.of(JsonValue.obj("op", JsonValue.of("pre"), "value", item, "before", anchor));
    }

    /** {@code delete(i)}: the changes of its one transaction. */
    public List<JsonValue> deleteChange(int index) {
        checkMutable();
        return List.of(delChange(requireOpID(index)));
    }

    /** {@code replace(i, v)}: {@code [app v after entry i, del entry i]} in one transaction. */
    public List<JsonValue> replaceChanges(int index, JsonValue value) {
        checkMutable();
        OpID target = requireOpID(index);
        return List.of(
                JsonValue.obj("op", JsonValue.of("app"), "value", value, "after", opIDToJson(target)),
                delChange(target));
    }

    static JsonValue.Obj delChange(OpID target) {
        return JsonValue.obj("op", JsonValue.of("del"), "insertion", opIDToJson(target));
    }

    private OpID requireOpID(int index) {
        OpID id = opIDAt(index);
        if (id == null) throw new IllegalArgumentException("Invalid index " + index);
        return id;
    }

    private void checkMutable() {
        if (timeTravel) throw new IllegalStateException("Cannot mutate a time travel entity");
    }

    // ---- OpID wire form -------------------------------------------------------------------------

    /**
     * {@code {"sessionID","txIndex",["branch",]"changeIdx"}}: the key order the reference's
     * JSON.stringify writes (an undefined branch is left out).
     */
    public static JsonValue.Obj opIDToJson(OpID id) {
        if (id.branch() != null) {
            return JsonValue.obj("sessionID", JsonValue.of(id.sessionID().value()), "txIndex", JsonValue.of(id.txIndex()),
                    "branch", JsonValue.of(id.branch()), "changeIdx", JsonValue.of(id.changeIdx()));
        }
        return JsonValue.obj("sessionID", JsonValue.of(id.sessionID().value()),
                "txIndex", JsonValue.of(id.txIndex()), "changeIdx", JsonValue.of(id.changeIdx()));
    }

    /**
     * An OpID object as the reference resolves it, or null; a string {@code branch} names the
     * branch the operation was made in (entries are keyed with it, as the reference keys them).
     */
    static OpID parseOpID(JsonValue v) {
        return parseOpID(v, null);
    }

    /**
     * {@code cache} (nullable) remembers the last session read: the ops of a list name the same few
     * sessions over and over, and a session ID is validated (and its hash computed) when made.
     */
    private static OpID parseOpID(JsonValue v, CoListContent cache) {
        if (cache != null && v == cache.lastOpIDValue && v != null) return cache.lastOpID;
        OpID id = readOpID(v, cache);
        if (cache != null) {
            cache.lastOpIDValue = v;
            cache.lastOpID = id;
        }
        return id;
    }

    private static OpID readOpID(JsonValue v, CoListContent cache) {
        if (!(v instanceof JsonValue.Obj o) || !(o.get("sessionID") instanceof JsonValue.Str s)) return null;
        int txIndex = jsIndexKey(o.get("txIndex"));
        int changeIdx = jsIndexKey(o.get("changeIdx"));
        if (txIndex < 0 || changeIdx < 0) return null;
        try {
            String branch = o.get("branch") instanceof JsonValue.Str b ? b.value() : null;
            String text = s.value();
            SessionID session;
            if (cache != null && cache.lastSession != null && cache.lastSession.value().equals(text)) {
                session = cache.lastSession;
            } else {
                session = new SessionID(text);
                if (cache != null) cache.lastSession = session;
            }
            return new OpID(session, txIndex, changeIdx, branch);
        } catch (InvalidIdException e) {
            return null;
        }
    }

    /** The index a JS object lookup would hit: a non-negative integer number or its canonical string; else -1. */
    private static int jsIndexKey(JsonValue v) {
        if (v instanceof JsonValue.Num n) {
            return n.isSafeInteger() && n.value() >= 0 && n.value() <= Integer.MAX_VALUE ? (int) n.value() : -1;
        }
        if (!(v instanceof JsonValue.Str s)) return -1;
        String t = s.value();
        if (t.isEmpty() || t.length() > 10 || (t.length() > 1 && t.charAt(0) == '0')) return -1;
        for (int i = 0; i < t.length(); i++) if (t.charAt(i) < '0' || t.charAt(i) > '9') return -1;
        long l = Long.parseLong(t);
        return l <= Integer.MAX_VALUE ? (int) l : -1;
    }

    private static boolean truthy(Long v) {
        return v != null && v != 0;
    }
}
