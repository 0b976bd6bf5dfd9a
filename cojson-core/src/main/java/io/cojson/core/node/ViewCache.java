package io.cojson.core.node;

import io.cojson.core.content.BinaryStreamContent;
import io.cojson.core.content.CoListContent;
import io.cojson.core.content.CoMapContent;
import io.cojson.core.content.CoPlainTextContent;
import io.cojson.core.content.CoStreamContent;
import io.cojson.core.content.DecodedTx;
import io.cojson.core.covalue.CoValueCore;
import io.cojson.core.covalue.TransactionDecoder;
import io.cojson.core.ids.RawCoID;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One content view per CoValue, kept up to date incrementally. A view remembers how many working
 * list entries it consumed and the verdict epoch it was built at: while the epoch stays the same,
 * transactions are only ever appended, so only the new ones are decoded and fed (the decoder's
 * order: new trusting, then new decryptable private ones). A new epoch, or a change to any group or
 * account while some private transaction was unreadable (a key may have arrived), rebuilds it.
 * Guarded by the node's lock.
 */
final class ViewCache {
    private final LocalNode node;
    private final Map<RawCoID, View> views = new HashMap<>();
    /** Bumped on every change to a group or account: key resolution may have changed. */
    private long groupChanges;

    private static final class View {
        Object content;
        int consumed;
        long epoch;
        int undecryptable;
        long groupChanges;
    }

    ViewCache(LocalNode node) {
        this.node = node;
    }

    void groupChanged() {
        groupChanges++;
    }

    /** The up-to-date view of {@code core}. */
    Object view(CoValueCore core) {
        View v = views.computeIfAbsent(core.id(), k -> new View());
        refresh(core, v);
        return v.content;
    }

    /** After a local write: brings an existing view up to date now, so the next read is free. */
    void written(CoValueCore core) {
        View v = views.get(core.id());
        if (v != null) refresh(core, v);
    }

    private void refresh(CoValueCore core, View v) {
        core.validate(node);
        int size = core.entries().size();
        boolean stale = v.content == null || v.epoch != core.verdictEpoch()
                || (v.undecryptable > 0 && v.groupChanges != groupChanges);
        if (stale) {
            TransactionDecoder.Batch all = TransactionDecoder.decodeFrom(core, 0, node, node.keys());
            v.content = rebuild(core, v.content, all.txs());
            v.undecryptable = all.undecryptable();
        } else if (v.consumed < size) {
            TransactionDecoder.Batch fresh = TransactionDecoder.decodeFrom(core, v.consumed, node, node.keys());
            feed(v.content, fresh.txs());
            v.undecryptable += fresh.undecryptable();
        }
        v.consumed = size;
        v.epoch = core.verdictEpoch();
        v.groupChanges = groupChanges;
    }

    /**
     * A fresh view; list-based views are rebuilt in place because a plain-text edit keeps using the
     * instance it planned with while its transactions are written.
     */
    private static Object rebuild(CoValueCore core, Object old, List<DecodedTx> all) {
        if (old instanceof CoListContent l) {
            l.rebuild(all, tx -> false);
            return l;
        }
        if (old instanceof CoPlainTextContent t) {
            t.list().rebuild(all, tx -> false);
            return t;
        }
        Object content = create(CoValueKind.of(core.header()), core.id());
        feed(content, all);
        return content;
    }

    private static Object create(CoValueKind kind, RawCoID id) {
        switch (kind) {
            case COMAP:
            case GROUP:
            case ACCOUNT:
                return new CoMapContent();
            case COLIST:
                return new CoListContent();
            case COPLAINTEXT:
                return new CoPlainTextContent();
            case COSTREAM:
                return new CoStreamContent();
            case BINARY_COSTREAM:
                return new BinaryStreamContent();
            default:
                throw new IllegalArgumentException(id + " has an unknown type: no content view");
        }
    }

    private static void feed(Object content, List<DecodedTx> txs) {
        if (txs.isEmpty()) return;
        if (content instanceof CoMapContent m) m.add(txs);
        else if (content instanceof CoListContent l) l.add(txs);
        else if (content instanceof CoPlainTextContent t) t.add(txs);
        else if (content instanceof CoStreamContent s) s.add(txs);
        else ((BinaryStreamContent) content).add(txs);
    }
}
