package io.cojson.core.content;

import io.cojson.core.ids.SessionID;
import io.cojson.core.ids.TransactionID;
import io.cojson.core.json.JsonValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The view of a CoStream (covalues.md §10.1): every change of a valid transaction is one item,
 * grouped per session and sorted by madeAt, then sessionID, then txIndex (stable, so the items of
 * one transaction keep their order). Sessions keep the order of their first item. Not thread-safe.
 */
public final class CoStreamContent {
    /** One stream item: any JSON value, the transaction that carried it, and its time. */
    public record Item(JsonValue value, TransactionID tx, long madeAt) {
        /** The account or agent that wrote the item (the session's author). */
        public String by() {
            return tx.sessionID().author();
        }
    }

    private final LinkedHashMap<SessionID, ArrayList<Item>> items = new LinkedHashMap<>();
    private final boolean timeTravel;

    public CoStreamContent() {
        this(false);
    }

    private CoStreamContent(boolean timeTravel) {
        this.timeTravel = timeTravel;
    }

    /** Appends the batch's items; only session lists that received an out-of-order item are re-sorted. */
    public void add(List<DecodedTx> batch) {
        if (timeTravel) throw new IllegalStateException("Cannot process transactions on a time travel view");
        Set<ArrayList<Item>> unsorted = null;
        for (DecodedTx tx : batch) {
            if (tx.changes().isEmpty()) continue; // a session appears only once it has an item
            ArrayList<Item> list = items.computeIfAbsent(tx.sessionID(), s -> new ArrayList<>());
            for (JsonValue change : tx.changes()) {
                Item item = new Item(change, tx.txID(), tx.madeAt());
                if (!list.isEmpty() && compare(list.get(list.size() - 1), item) > 0) {
                    if (unsorted == null) unsorted = Collections.newSetFromMap(new IdentityHashMap<>());
                    unsorted.add(list);
                }
                list.add(item);
            }
        }
        if (unsorted != null) {
            for (ArrayList<Item> list : unsorted) list.sort(CoStreamContent::compare);
        }
    }

    /** The reference's {@code compareStreamItems}: madeAt, sessionID (UTF-16 order), txIndex. */
    static int compare(Item a, Item b) {
        int c = Long.compare(a.madeAt, b.madeAt);
        if (c != 0) return c;
        c = Integer.signum(a.tx.sessionID().value().compareTo(b.tx.sessionID().value()));
        if (c != 0) return c;
        return Integer.compare(a.tx.txIndex(), b.tx.txIndex());
    }

    /** Sessions that have items, in order of their first item. */
    public List<SessionID> sessions() {
        return List.copyOf(items.keySet());
    }

    public List<Item> itemsIn(SessionID session) {
        ArrayList<Item> list = items.get(session);
        return list == null ? List.of() : List.copyOf(list);
    }

    /** The session's last item, or {@code null}. */
    public Item lastItemIn(SessionID session) {
        ArrayList<Item> list = items.get(session);
        return list == null ? null : list.get(list.size() - 1);
    }

    /**
     * Items of every session whose ID starts with {@code accountId}, merged by madeAt only (stable:
     * ties keep session order, then position), as the reference does.
     */
    public List<Item> itemsBy(String accountId) {
        List<Item> out = new ArrayList<>();
        for (Map.Entry<SessionID, ArrayList<Item>> e : items.entrySet()) {
            if (e.getKey().value().startsWith(accountId)) out.addAll(e.getValue());
        }
        out.sort(Comparator.comparingLong(Item::madeAt));
        return Collections.unmodifiableList(out);
    }

    /**
     * The latest last-item among sessions whose ID starts with {@code accountId}; a later session
     * replaces the current pick only when strictly newer. {@code null} when there is none.
     */
    public Item lastItemBy(String accountId) {
        Item latest = null;
        for (Map.Entry<SessionID, ArrayList<Item>> e : items.entrySet()) {
            if (!e.getKey().value().startsWith(accountId)) continue;
            Item item = e.getValue().get(e.getValue().size() - 1);
            if (latest == null || item.madeAt > latest.madeAt) latest = item;
        }
        return latest;
    }

    /**
     * The values of the only session; {@code null} when the stream is empty.
     *
     * @throws IllegalStateException when several sessions have items
     */
    public List<JsonValue> singleStream() {
        if (items.isEmpty()) return null;
        if (items.size() > 1) {
            throw new IllegalStateException("CoStream.getSingleStream() can only be called when there is exactly one stream");
        }
        return values(items.values().iterator().next());
    }

    /** {@code toJSON()}: {@code {<sessionID>: [values…]}} (session IDs are never array indices, so insertion order). */
    public JsonValue.Obj toJson() {
        LinkedHashMap<String, JsonValue> fields = new LinkedHashMap<>();
        for (Map.Entry<SessionID, ArrayList<Item>> e : items.entrySet()) {
            fields.put(e.getKey().value(), new JsonValue.Arr(values(e.getValue())));
        }
        return new JsonValue.Obj(fields);
    }

    /**
     * The view with only items whose {@code txIndex < frontier[session]} (absent sessions excluded).
     * Filtering keeps each session's sort order, which is what rebuilding from the kept
     * transactions would produce.
     */
    public CoStreamContent atFrontier(Map<SessionID, Integer> frontier) {
        CoStreamContent view = new CoStreamContent(true);
        for (Map.Entry<SessionID, ArrayList<Item>> e : items.entrySet()) {
            Integer count = frontier.get(e.getKey());
            if (count == null) continue;
            ArrayList<Item> kept = new ArrayList<>();
            for (Item item : e.getValue()) {
                if (item.tx.txIndex() < count) kept.add(item);
            }
            if (!kept.isEmpty()) view.items.put(e.getKey(), kept);
        }
        return view;
    }

    private static List<JsonValue> values(List<Item> list) {
        List<JsonValue> out = new ArrayList<>(list.size());
        for (Item item : list) out.add(item.value);
        return out;
    }
}
