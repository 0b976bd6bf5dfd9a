package io.cojson.tools.client;

import static io.cojson.tools.client.Args.coId;

import io.cojson.core.covalue.CoValueCore;
import io.cojson.core.covalue.TxEntry;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.ids.Signature;
import io.cojson.core.json.Json;
import io.cojson.core.json.JsonValue;
import io.cojson.core.node.LocalNode;
import io.cojson.core.session.SessionLog;
import io.cojson.core.session.Transaction;
import io.cojson.core.values.CoValue;
import io.cojson.sync.SyncMessage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code exportContent} command: the raw verified state of a CoValue, in the shape of
 * ref-client.mjs (which reads it off cojson's {@code CoValueCore}):
 * <pre>
 * { id, type, owner?, meta?,
 *   header            the header as hashed into the ID (key order as created or received),
 *   knownState        {id, header:true, sessions:{sessionID: txCount}},
 *   sessions          {sessionID: {transactions:[raw transactions], lastSignature, signatureAfter:{txIndex: signature}}},
 *   contentMessages   the "content" messages for a peer that knows nothing (newContentSince(undefined)),
 *   validTransactions [{sessionID, txIndex, author, madeAt, privacy, changes, meta?}] }
 * </pre>
 * Sessions are listed in this node's insertion order. Raw transactions are the canonical JSON
 * objects that were signed (keys sorted, which is also how the reference's Rust core emits them).
 * {@code validTransactions} are the valid transactions whose changes this account can read (private
 * ones decrypted), sorted like {@code getValidSortedTransactions}: a stable sort of this node's
 * processing queue by {@code madeAt} (same session: {@code txIndex}), so cross-session ties keep
 * the order in which this node processed them. {@code author} is the session's account or agent;
 * {@code meta} is the parsed (decrypted) meta object, present only when there is one. This SDK has
 * no branches, so the reference's optional {@code branch} field never appears.
 */
final class ExportContent {
    private final ClientSession session;

    ExportContent(ClientSession session) {
        this.session = session;
    }

    void run(JsonValue.Obj req, Map<String, JsonValue> r) throws Exception {
        RawCoID id = session.load(coId(req, "id", false), session.timeout(req));
        CoValue v = session.typed().load(id);
        ValueViews.describe(v, r);
        LocalNode node = session.node();
        List<SyncMessage.Content> messages = node.locked(() -> {
            CoValueCore core = node.require(id);
            r.put("header", core.header().json());
            r.put("knownState", core.knownState().toJson());
            r.put("sessions", sessions(core));
            return SyncMessage.Content.allOf(core);
        });
        List<JsonValue> content = new ArrayList<>(messages.size());
        for (SyncMessage.Content m : messages) content.add(Json.parse(m.toJson()));
        r.put("contentMessages", new JsonValue.Arr(content));
        r.put("validTransactions", node.locked(() -> validTransactions(node.validSortedTransactions(id))));
    }

    /** {@code verified.getSessions()}: per session its transactions, last signature and in-between signatures. */
    static JsonValue.Obj sessions(CoValueCore core) {
        Map<String, JsonValue> out = new LinkedHashMap<>();
        for (Map.Entry<SessionID, SessionLog> e : core.sessions().entrySet()) {
            SessionLog log = e.getValue();
            List<JsonValue> txs = new ArrayList<>(log.size());
            for (Transaction t : log.transactions()) txs.add(t.toJson());
            Map<String, JsonValue> after = new LinkedHashMap<>();
            for (Map.Entry<Integer, Signature> s : log.signatureAfter().entrySet()) {
                after.put(Integer.toString(s.getKey()), JsonValue.of(s.getValue().value()));
            }
            Signature last = log.lastSignature();
            out.put(e.getKey().value(), JsonValue.obj(
                    "transactions", new JsonValue.Arr(txs),
                    "lastSignature", last == null ? JsonValue.NULL : JsonValue.of(last.value()),
                    "signatureAfter", new JsonValue.Obj(after)));
        }
        return new JsonValue.Obj(out);
    }

    /** The entries in the reference's {@code validTransactions} shape. */
    static JsonValue.Arr validTransactions(List<TxEntry> sorted) {
        List<JsonValue> out = new ArrayList<>(sorted.size());
        for (TxEntry e : sorted) {
            Map<String, JsonValue> tx = new LinkedHashMap<>();
            tx.put("sessionID", JsonValue.of(e.sessionID().value()));
            tx.put("txIndex", JsonValue.of(e.txIndex()));
            tx.put("author", JsonValue.of(e.sessionID().author()));
            tx.put("madeAt", JsonValue.of(e.madeAt()));
            tx.put("privacy", JsonValue.of(e.isTrusting() ? "trusting" : "private"));
            tx.put("changes", e.changes());
            if (e.meta() != null) tx.put("meta", e.meta());
            out.add(new JsonValue.Obj(tx));
        }
        return new JsonValue.Arr(out);
    }
}
