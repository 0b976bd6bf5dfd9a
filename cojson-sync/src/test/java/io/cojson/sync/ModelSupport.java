package io.cojson.sync;

import static io.cojson.sync.SyncTestKit.CRYPTO;

import io.cojson.core.content.CoListContent;
import io.cojson.core.content.CoMapContent;
import io.cojson.core.content.DecodedTx;
import io.cojson.core.covalue.TransactionDecoder;
import io.cojson.core.ids.AgentSecret;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.node.Accounts;
import io.cojson.core.node.ContentPiece;
import io.cojson.core.node.LocalNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/** What both recovery model properties do to a device's node: edit, copy (a disk), read back. */
final class ModelSupport {
    private ModelSupport() {}

    /** Writes {@code v} into the map (as key and value), appends it to the list, or pushes it to the stream. */
    static void edit(LocalNode node, RawCoID id, String type, String v, boolean privateTx) {
        node.locked(() -> {
            List<JsonValue> changes = switch (type) {
                case "colist" -> ((CoListContent) node.view(id)).appendChanges(List.of(JsonValue.of(v)), null);
                case "costream" -> List.of(JsonValue.of(v)); // a stream's changes are its items
                default -> List.of(CoMapContent.setChange(v, JsonValue.of(v)));
            };
            node.write(id, changes, null, privateTx);
            return null;
        });
    }

    /**
     * A node of the account holding everything {@code from} holds, in {@code session} (null: a new
     * one). Values are imported again until their dependencies came (a server's order is arrival order).
     */
    static LocalNode copy(LocalNode from, LocalNode account, AgentSecret secret, SessionID session) {
        return copy(from, account, secret, session, null, Set.of(), null);
    }

    /**
     * {@link #copy}, except that {@code value}'s {@code sessions} are taken from {@code unit} (a
     * recovery unit replaced and appended them in storage, recovery.md §5.4) instead of {@code from}.
     */
    static LocalNode copy(LocalNode from, LocalNode account, AgentSecret secret, SessionID session,
            RawCoID value, Set<SessionID> sessions, LocalNode unit) {
        LocalNode n = LocalNode.forAccount(CRYPTO, account.accountID(), secret, session);
        List<RawCoID> left = new ArrayList<>(from.ids());
        for (int pass = 0; pass < 5 && !left.isEmpty(); pass++) {
            List<RawCoID> again = new ArrayList<>();
            for (RawCoID v : left) {
                for (ContentPiece p : from.exportContent(v)) n.importContent(v.equals(value) ? only(p, s -> !sessions.contains(s)) : p);
                if (n.get(v) == null) again.add(v);
            }
            left = again;
        }
        if (value != null && n.get(value) != null) {
            for (ContentPiece p : unit.exportContent(value)) n.importContent(only(p, sessions::contains));
        }
        Accounts.checkLogin(n);
        return n;
    }

    private static ContentPiece only(ContentPiece p, Predicate<SessionID> keep) {
        List<ContentPiece.SessionPiece> kept = new ArrayList<>();
        for (ContentPiece.SessionPiece s : p.sessions()) if (keep.test(s.sessionID())) kept.add(s);
        return new ContentPiece(p.id(), p.header(), kept);
    }

    /** The values written in {@code id}'s transactions that {@code keep} accepts, one entry per change. */
    static List<String> values(LocalNode n, RawCoID id, Predicate<DecodedTx> keep) {
        return n.locked(() -> {
            List<String> out = new ArrayList<>();
            if (n.get(id) == null) return out;
            for (DecodedTx tx : TransactionDecoder.decode(n.require(id), n, n.keys())) {
                if (!keep.test(tx)) continue;
                for (JsonValue c : tx.changes()) {
                    if (c instanceof JsonValue.Str item) out.add(item.value()); // a stream item
                    else if (c instanceof JsonValue.Obj o && o.get("value") instanceof JsonValue.Str s) out.add(s.value());
                }
            }
            return out;
        });
    }
}
