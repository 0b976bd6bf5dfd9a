package io.cojson.sync.recovery;

import io.cojson.core.content.BinaryStreamContent;
import io.cojson.core.content.CoListContent;
import io.cojson.core.content.CoMapContent;
import io.cojson.core.content.CoPlainTextContent;
import io.cojson.core.content.CoStreamContent;
import io.cojson.core.content.DecodedTx;
import io.cojson.core.covalue.CoValueCore;
import io.cojson.core.covalue.TransactionDecoder;
import io.cojson.core.covalue.TxEntry;
import io.cojson.core.header.Ruleset;
import io.cojson.core.ids.OpID;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.header.CoValueKind;
import io.cojson.core.node.LocalNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Resolution and inspection of conflict records (recovery.md §11). Resolution never rewrites a
 * session: "prefer the server version" adds compensating transactions in the node's current
 * session, which sync like any edit; record status is local metadata.
 */
public final class ConflictResolver {
    private final LocalNode node;
    private final ConflictRecords records;

    /**
     * What {@link #preferServer} did.
     *
     * @param record       the record, now {@code RESOLVED_SERVER}
     * @param written      compensating transactions written (0 when the value already matched)
     * @param notReverted  what could not be undone (list deletions, stream entries, other types), for the app to show
     */
    public record Outcome(ConflictRecord record, int written, List<String> notReverted) {}

    public ConflictResolver(LocalNode node, ConflictRecords records) {
        this.node = Objects.requireNonNull(node);
        this.records = Objects.requireNonNull(records);
    }

    /** Keeps the merged state and marks the record seen (persisted). */
    public ConflictRecord acknowledge(ConflictRecord record) {
        return records.setStatus(record.recordId(), ConflictStatus.ACKNOWLEDGED, null);
    }

    /** Marks the record resolved after the app made its own edits through the normal API. */
    public ConflictRecord markResolved(ConflictRecord record) {
        return records.setStatus(record.recordId(), ConflictStatus.RESOLVED_CUSTOM, null);
    }

    /**
     * Undoes the round's S! effects in the value's view: every CoMap key it touched gets the
     * value it has without those transactions (deleted if it then has none); CoList and
     * CoPlainText items it inserted are deleted. List deletions of the round, stream entries and
     * other types cannot be reverted and are listed in the outcome (and the record's reason).
     */
    public Outcome preferServer(ConflictRecord record) {
        Predicate<TxEntry> round = e -> e.sessionID().equals(record.conflictSession()) && e.txIndex() >= record.conflictFrom()
                && e.txIndex() < record.conflictTo();
        List<String> notReverted = new ArrayList<>();
        int written = node.locked(() -> {
            CoValueCore core = node.require(record.coValueId());
            if (core.isDeleted()) {
                notReverted.add("the value is deleted");
                return 0;
            }
            List<TxEntry> all = node.validSortedTransactions(record.coValueId());
            List<DecodedTx> ofRound = new ArrayList<>();
            for (TxEntry e : all) if (round.test(e)) ofRound.add(TransactionDecoder.decoded(e));
            boolean privateTx = !(core.header().ruleset() instanceof Ruleset.UnsafeAllowAll);
            Object live = node.view(record.coValueId());
            List<JsonValue> changes = new ArrayList<>();
            if (live instanceof CoMapContent now) {
                CoMapContent without = (CoMapContent) build(CoValueKind.COMAP, all, round.negate());
                for (String key : touchedKeys(ofRound)) {
                    JsonValue want = valueOf(without, key);
                    if (Objects.equals(want, valueOf(now, key))) continue;
                    changes.add(want == null ? CoMapContent.delChange(key) : CoMapContent.setChange(key, want));
                }
            } else if (live instanceof CoListContent || live instanceof CoPlainTextContent) {
                CoListContent list = live instanceof CoListContent l ? l : ((CoPlainTextContent) live).list();
                for (OpID op : list.opIDs()) {
                    if (op.sessionID().equals(record.conflictSession()) && op.txIndex() >= record.conflictFrom()
                            && op.txIndex() < record.conflictTo()) {
                        changes.add(JsonValue.obj("op", JsonValue.of("del"), "insertion", CoListContent.opIDToJson(op)));
                    }
                }
                int deletions = 0;
                for (DecodedTx tx : ofRound) for (JsonValue c : tx.changes()) if (isOp(c, "del")) deletions++;
                if (deletions > 0) notReverted.add(deletions + " list deletion(s) cannot be undone with the same item identity");
            } else {
                notReverted.add(CoValueKind.of(core.header()).label() + " entries cannot be retracted");
            }
            if (changes.isEmpty()) return 0;
            node.write(record.coValueId(), changes, null, privateTx);
            return 1;
        });
        ConflictRecord resolved = records.setStatus(record.recordId(), ConflictStatus.RESOLVED_SERVER,
                notReverted.isEmpty() ? null : "not reverted: " + String.join("; ", notReverted));
        return new Outcome(resolved, written, List.copyOf(notReverted));
    }

    /**
     * A read-only view of {@code id} materialized without any conflict session (sessions ending
     * in {@code !}), to compare with the merged state: a {@link CoMapContent}, {@link CoListContent},
     * {@link CoPlainTextContent}, {@link CoStreamContent} or {@link BinaryStreamContent}, detached
     * from the node (later edits do not change it).
     */
    public static Object viewWithoutConflicts(LocalNode node, RawCoID id) {
        return node.locked(() -> build(CoValueKind.of(node.require(id).header()), node.validSortedTransactions(id),
                e -> !e.sessionID().isConflictSession()));
    }

    /** The JSON of {@link #viewWithoutConflicts} (a map's object, a list's array, a text's string, a stream's per-session entries). */
    public static JsonValue jsonWithoutConflicts(LocalNode node, RawCoID id) {
        Object v = viewWithoutConflicts(node, id);
        if (v instanceof CoMapContent m) return m.toJson();
        if (v instanceof CoListContent l) return l.toJson();
        if (v instanceof CoPlainTextContent t) return JsonValue.of(t.toString());
        if (v instanceof CoStreamContent s) {
            java.util.Map<String, JsonValue> out = new java.util.LinkedHashMap<>();
            for (var session : s.sessions()) {
                List<JsonValue> items = new ArrayList<>();
                for (CoStreamContent.Item i : s.itemsIn(session)) items.add(i.value());
                out.put(session.value(), new JsonValue.Arr(items));
            }
            return new JsonValue.Obj(out);
        }
        throw new IllegalArgumentException(id + ": no JSON form for a binary stream");
    }

    private static Object build(CoValueKind kind, List<TxEntry> sorted, Predicate<TxEntry> keep) {
        List<DecodedTx> txs = new ArrayList<>();
        for (TxEntry e : sorted) if (keep.test(e)) txs.add(TransactionDecoder.decoded(e));
        switch (kind) {
            case COMAP:
            case GROUP:
            case ACCOUNT: {
                CoMapContent m = new CoMapContent();
                if (!txs.isEmpty()) m.add(txs);
                return m;
            }
            case COLIST: {
                CoListContent l = new CoListContent();
                if (!txs.isEmpty()) l.add(txs);
                return l;
            }
            case COPLAINTEXT: {
                CoPlainTextContent t = new CoPlainTextContent();
                if (!txs.isEmpty()) t.add(txs);
                return t;
            }
            case COSTREAM: {
                CoStreamContent s = new CoStreamContent();
                if (!txs.isEmpty()) s.add(txs);
                return s;
            }
            case BINARY_COSTREAM: {
                BinaryStreamContent b = new BinaryStreamContent();
                if (!txs.isEmpty()) b.add(txs);
                return b;
            }
            default:
                throw new IllegalArgumentException("a value of unknown type has no content view");
        }
    }

    private static Set<String> touchedKeys(List<DecodedTx> txs) {
        Set<String> keys = new LinkedHashSet<>();
        for (DecodedTx tx : txs) {
            for (JsonValue c : tx.changes()) {
                if (c instanceof JsonValue.Obj o && o.get("key") instanceof JsonValue.Str k) keys.add(k.value());
            }
        }
        return keys;
    }

    private static JsonValue valueOf(CoMapContent m, String key) {
        return m.keys().contains(key) ? m.get(key) : null;
    }

    private static boolean isOp(JsonValue c, String op) {
        return c instanceof JsonValue.Obj o && o.get("op") instanceof JsonValue.Str s && s.value().equals(op);
    }
}
