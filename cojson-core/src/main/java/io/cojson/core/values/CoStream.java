package io.cojson.core.values;

import io.cojson.core.content.CoStreamContent;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.json.JsonValue;
import java.util.List;
import java.util.function.Consumer;

/**
 * An append-only collaborative stream: every writer session has its own list of items (a feed per
 * device), each item with its author and time.
 */
public final class CoStream extends CoValue {
    CoStream(CojsonNode node, RawCoID id, boolean privateWrites) {
        super(node, id, privateWrites);
    }

    /** This stream, writing trusting (unencrypted) transactions. */
    public CoStream trusting() {
        return new CoStream(node, id, false);
    }

    /** Appends an item to this node's session of the stream. */
    public CoStream push(JsonValue item) {
        write(List.of(item));
        return this;
    }

    public CoStream push(String item) {
        return push(JsonValue.of(item));
    }

    /** Appends {@code items} in one transaction, as the reference's {@code group.createStream(init)} writes its init. */
    public CoStream pushAll(List<JsonValue> items) {
        if (!items.isEmpty()) write(List.copyOf(items));
        return this;
    }

    /** The reference's {@code toJSON()}: {@code {<sessionID>: [items…]}}. */
    public JsonValue.Obj toJson() {
        return read(CoStreamContent.class, CoStreamContent::toJson);
    }

    /** Sessions that have items, in order of their first item. */
    public List<SessionID> sessions() {
        return read(CoStreamContent.class, CoStreamContent::sessions);
    }

    public List<StreamItem> itemsIn(SessionID session) {
        return read(CoStreamContent.class, s -> items(s.itemsIn(session)));
    }

    /** Items of every session of {@code accountOrAgentId}, by time. */
    public List<StreamItem> itemsBy(String accountOrAgentId) {
        return read(CoStreamContent.class, s -> items(s.itemsBy(accountOrAgentId)));
    }

    public List<StreamItem> itemsBy(RawCoID accountId) {
        return itemsBy(accountId.value());
    }

    /** The latest item of {@code accountOrAgentId}, or {@code null}. */
    public StreamItem lastItemBy(String accountOrAgentId) {
        return read(CoStreamContent.class, s -> item(s.lastItemBy(accountOrAgentId)));
    }

    private static List<StreamItem> items(List<CoStreamContent.Item> items) {
        List<StreamItem> out = new java.util.ArrayList<>(items.size());
        for (CoStreamContent.Item i : items) out.add(item(i));
        return out;
    }

    private static StreamItem item(CoStreamContent.Item i) {
        return i == null ? null : new StreamItem(i.value(), i.tx(), i.madeAt());
    }

    /** Calls {@code listener} after every change of this stream, or of the groups it depends on. */
    public Subscription subscribe(Consumer<CoStream> listener) {
        return listen(() -> listener.accept(this));
    }
}
