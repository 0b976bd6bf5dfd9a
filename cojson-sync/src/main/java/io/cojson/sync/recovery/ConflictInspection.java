package io.cojson.sync.recovery;

import io.cojson.core.content.CoListContent;
import io.cojson.core.content.CoMapContent;
import io.cojson.core.content.CoPlainTextContent;
import io.cojson.core.content.DecodedTx;
import io.cojson.core.covalue.TransactionDecoder;
import io.cojson.core.covalue.TxEntry;
import io.cojson.core.json.JsonValue;
import io.cojson.core.node.LocalNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The divergent changes of one conflict record decoded for the app (recovery.md §11,
 * "Inspection"): for a CoMap, per key the value S! set, the value without the round and the one
 * that currently wins; for a CoList or CoPlainText, the items the round inserted (and still
 * shows) and how many deletions it made; for other types, the round's raw changes.
 */
public final class ConflictInspection {
    private ConflictInspection() {}

    /** A JSON description: {@code {"type":"comap","keys":[{key,fromConflict,withoutConflict,current}]}} and so on. */
    public static JsonValue.Obj inspect(LocalNode node, ConflictRecord r) {
        return node.locked(() -> {
            List<TxEntry> all = node.validSortedTransactions(r.coValueId());
            List<DecodedTx> round = new ArrayList<>();
            for (TxEntry e : all) {
                if (e.sessionID().equals(r.conflictSession()) && e.txIndex() >= r.conflictFrom() && e.txIndex() < r.conflictTo()) {
                    round.add(TransactionDecoder.decoded(e));
                }
            }
            Object live = node.view(r.coValueId());
            Map<String, JsonValue> out = new LinkedHashMap<>();
            if (live instanceof CoMapContent now) {
                CoMapContent without = new CoMapContent();
                List<DecodedTx> rest = new ArrayList<>();
                for (TxEntry e : all) {
                    boolean inRound = e.sessionID().equals(r.conflictSession()) && e.txIndex() >= r.conflictFrom() && e.txIndex() < r.conflictTo();
                    if (!inRound) rest.add(TransactionDecoder.decoded(e));
                }
                if (!rest.isEmpty()) without.add(rest);
                Map<String, JsonValue> fromConflict = new LinkedHashMap<>();
                for (DecodedTx tx : round) {
                    for (JsonValue c : tx.changes()) {
                        if (c instanceof JsonValue.Obj o && o.get("key") instanceof JsonValue.Str k) {
                            fromConflict.put(k.value(), "del".equals(op(o)) ? JsonValue.NULL : orNull(o.get("value")));
                        }
                    }
                }
                List<JsonValue> keys = new ArrayList<>();
                for (Map.Entry<String, JsonValue> k : fromConflict.entrySet()) {
                    keys.add(JsonValue.obj("key", JsonValue.of(k.getKey()), "fromConflict", k.getValue(),
                            "withoutConflict", valueOf(without, k.getKey()), "current", valueOf(now, k.getKey())));
                }
                out.put("type", JsonValue.of("comap"));
                out.put("keys", new JsonValue.Arr(keys));
            } else if (live instanceof CoListContent || live instanceof CoPlainTextContent) {
                CoListContent list = live instanceof CoListContent l ? l : ((CoPlainTextContent) live).list();
                List<JsonValue> inserted = new ArrayList<>();
                for (int i = 0; i < list.size(); i++) {
                    var op = list.opIDAt(i);
                    if (op.sessionID().equals(r.conflictSession()) && op.txIndex() >= r.conflictFrom() && op.txIndex() < r.conflictTo()) {
                        inserted.add(list.get(i));
                    }
                }
                int deletions = 0;
                for (DecodedTx tx : round) for (JsonValue c : tx.changes()) if (c instanceof JsonValue.Obj o && "del".equals(op(o))) deletions++;
                out.put("type", JsonValue.of(live instanceof CoListContent ? "colist" : "coplaintext"));
                out.put("inserted", new JsonValue.Arr(inserted));
                out.put("deletions", JsonValue.of(deletions));
            } else {
                List<JsonValue> changes = new ArrayList<>();
                for (DecodedTx tx : round) changes.addAll(tx.changes());
                out.put("type", JsonValue.of("other"));
                out.put("changes", new JsonValue.Arr(changes));
            }
            return new JsonValue.Obj(out);
        });
    }

    private static String op(JsonValue.Obj o) {
        return o.get("op") instanceof JsonValue.Str s ? s.value() : null;
    }

    private static JsonValue orNull(JsonValue v) {
        return v == null ? JsonValue.NULL : v;
    }

    private static JsonValue valueOf(CoMapContent m, String key) {
        return m.keys().contains(key) ? orNull(m.get(key)) : JsonValue.NULL;
    }
}
