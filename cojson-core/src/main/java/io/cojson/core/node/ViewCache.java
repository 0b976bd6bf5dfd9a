package io.cojson.core.node;

import io.cojson.core.header.CoValueKind;
import io.cojson.core.content.BinaryStreamContent;
import io.cojson.core.content.CoListContent;
import io.cojson.core.content.CoMapContent;
import io.cojson.core.content.CoPlainTextContent;
import io.cojson.core.content.CoStreamContent;
import io.cojson.core.content.DecodedTx;
import io.cojson.core.covalue.CoValueCore;
import io.cojson.core.covalue.TransactionDecoder;
import io.cojson.core.covalue.TxEntry;
import io.cojson.core.ids.RawCoID;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One content view per CoValue, kept up to date incrementally, with the reference's processing
 * passes (covalues.md §3.3). A view remembers how many working-list entries it consumed and the
 * verdict epoch it was built at: while the epoch stays the same, transactions are only ever
 * appended, so only the new ones are decoded and fed (the decoder's order: new readable ones, then
 * new ones decrypted now). Views are brought up to date after every local write and after every
 * imported session batch, as the reference processes each batch when it arrives; what arrives in
 * separate batches therefore lands in separate passes, whenever it is read.
 *
 * <p>A new epoch (verdicts recomputed because something the value depends on changed), or a change
 * to any group or account while some private transaction was unreadable (a key may have arrived),
 * is the reference's {@code resetParsedTransactions}: the processing queue is rebuilt in
 * working-list order, and the content is rebuilt only if the set of valid readable transactions
 * it already consumed changed; otherwise it keeps its state (and its CoMap key order) and only the
 * new transactions are fed. The reference resets the dependants of a group as soon as the group
 * changes; here that happens at the dependant's next refresh (its next read, write or imported
 * batch), which differs only if a verdict changed and new transactions of the value arrived before
 * that refresh (they then join the rebuild instead of forming a pass of their own). Guarded by the
 * node's lock.
 */
final class ViewCache {
    private final LocalNode node;
    private final Map<RawCoID, View> views = new HashMap<>();
    /** Bumped on every change to a group or account: key resolution may have changed. */
    private long groupChanges;

    private static final class View {
        Object content;
        /** The reference's "to process" queue: the valid readable entries, in processing order. */
        List<TxEntry> queue = new ArrayList<>();
        /** How many working-list entries were considered (valid only while the epoch is unchanged). */
        int consumed;
        /** {@link CoValueCore#arrivals()} when last refreshed: entries below it were considered. */
        long arrivals;
        long epoch;
        int undecryptable;
        long groupChanges;
        long metaInvalidations;
        /** A branch's content: its own queue plus the source's up to the branch start (see {@link #branchView}). */
        Object branchContent;
        List<TxEntry> branchInputs = List.of();
    }

    ViewCache(LocalNode node) {
        this.node = node;
    }

    /** The value was unloaded: its view goes with it. */
    void forget(RawCoID id) {
        views.remove(id);
    }

    void groupChanged() {
        groupChanges++;
    }

    /** The up-to-date view of {@code core}. */
    Object view(CoValueCore core) {
        View v = views.computeIfAbsent(core.id(), k -> new View());
        refresh(core, v);
        return core.branchSource() == null ? v.content : branchView(core, v);
    }

    /**
     * A branch's view (covalues.md §13.2): the branch's own valid transactions, then the source's
     * valid ones whose own index is at most the branch start's count for their session (all of a
     * session the start does not name), as one processing pass, like a fresh load in the
     * reference. Rebuilt whenever that list of transactions changes. Without the source, or before
     * the (private) start commit is readable, only the branch's own transactions count.
     */
    private Object branchView(CoValueCore core, View v) {
        List<TxEntry> inputs = new ArrayList<>(v.queue);
        CoValueCore source = node.get(core.branchSource());
        Map<io.cojson.core.ids.SessionID, Integer> start = core.branchStart();
        if (source != null && start != null) {
            for (TxEntry e : processingQueue(source)) {
                Integer count = start.get(e.sessionID());
                if (count == null || e.txIndex() <= count) inputs.add(e);
            }
        }
        if (v.branchContent == null || !sameEntries(inputs, v.branchInputs)) {
            List<DecodedTx> txs = new ArrayList<>(inputs.size());
            for (TxEntry e : inputs) txs.add(TransactionDecoder.decoded(e));
            Object content = create(CoValueKind.of(core.header()), core.id());
            feed(content, txs);
            v.branchContent = content;
            v.branchInputs = inputs;
        }
        return v.branchContent;
    }

    private static boolean sameEntries(List<TxEntry> a, List<TxEntry> b) {
        if (a.size() != b.size()) return false;
        for (int i = 0; i < a.size(); i++) if (a.get(i) != b.get(i)) return false;
        return true;
    }

    /**
     * The valid, readable transactions of {@code core} in the reference's processing-queue order
     * (the order {@code getValidTransactions} returns them in); creates the view if needed.
     */
    List<TxEntry> processingQueue(CoValueCore core) {
        View v = views.computeIfAbsent(core.id(), k -> new View());
        refresh(core, v);
        return Collections.unmodifiableList(v.queue);
    }

    /**
     * Before a local write: the reference writes through a CoValue's content, so the content exists
     * (and is up to date) before the write, which then forms a processing pass of its own. A view
     * that cannot be built does not block the write; the next read reports why.
     */
    void beforeWrite(CoValueCore core) {
        try {
            view(core);
        } catch (RuntimeException e) {
            views.remove(core.id());
        }
    }

    /** After a local write: brings an existing view up to date now (one processing pass). */
    void changed(CoValueCore core) {
        View v = views.get(core.id());
        if (v != null) refresh(core, v);
    }

    /**
     * After an imported batch: like {@link #changed}, but a view that cannot be brought up to date
     * now is dropped instead of failing the import; the next read rebuilds it (and reports why).
     */
    void imported(CoValueCore core) {
        View v = views.get(core.id());
        if (v == null) return;
        try {
            refresh(core, v);
        } catch (RuntimeException e) {
            views.remove(core.id());
        }
    }

    private void refresh(CoValueCore core, View v) {
        core.validate(node);
        int size = core.entries().size();
        if (v.content == null) {
            TransactionDecoder.Batch all = TransactionDecoder.decodeFrom(core, 0, node, node.keys());
            v.content = create(CoValueKind.of(core.header()), core.id());
            feed(v.content, all.txs());
            v.queue = new ArrayList<>(all.entries());
            v.undecryptable = all.undecryptable();
        } else if (v.epoch != core.verdictEpoch() || (v.undecryptable > 0 && v.groupChanges != groupChanges)) {
            reset(core, v);
        } else if (v.consumed < size) {
            TransactionDecoder.Batch fresh = TransactionDecoder.decodeFrom(core, v.consumed, node, node.keys());
            feed(v.content, fresh.txs());
            v.queue.addAll(fresh.entries());
            v.undecryptable += fresh.undecryptable();
        }
        v.consumed = size;
        v.arrivals = core.arrivals();
        v.epoch = core.verdictEpoch();
        v.groupChanges = groupChanges;
        if (v.metaInvalidations != core.metaInvalidations()) {
            // Meta parsing (fww, tampered merge times) took back transactions the content already
            // has: the reference then rebuilds the content from its processing queue.
            v.metaInvalidations = core.metaInvalidations();
            if (v.queue.removeIf(e -> !e.isValid())) {
                List<DecodedTx> txs = new ArrayList<>(v.queue.size());
                for (TxEntry e : v.queue) txs.add(TransactionDecoder.decoded(e));
                v.content = rebuild(core, v.content, txs);
            }
        }
    }

    /** {@code resetParsedTransactions}: a new queue; a new content only if the consumed set changed. */
    private void reset(CoValueCore core, View v) {
        Set<TxEntry> consumed = Collections.newSetFromMap(new IdentityHashMap<>());
        consumed.addAll(v.queue);
        TransactionDecoder.Batch all = TransactionDecoder.decodeFrom(core, 0, node, node.keys(), consumed::contains);
        int stillThere = 0;
        boolean same = true;
        List<DecodedTx> newTxs = new ArrayList<>();
        for (int i = 0; i < all.entries().size(); i++) {
            TxEntry e = all.entries().get(i);
            if (e.arrival() >= v.arrivals) {
                newTxs.add(all.txs().get(i));
            } else if (consumed.contains(e)) {
                stillThere++;
            } else {
                same = false; // became valid or readable
            }
        }
        if (stillThere != consumed.size()) same = false; // some became invalid (or were replaced)
        if (same) {
            feed(v.content, newTxs);
        } else {
            v.content = rebuild(core, v.content, all.txs());
        }
        v.queue = new ArrayList<>(all.entries());
        v.undecryptable = all.undecryptable();
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
