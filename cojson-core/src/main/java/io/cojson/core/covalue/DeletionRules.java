package io.cojson.core.covalue;

import io.cojson.core.header.Ruleset;
import io.cojson.core.ids.SessionID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.session.SessionLog;
import io.cojson.core.session.Transaction;
import java.util.List;

/**
 * What a delete session may hold (wire-format §9.3 step 3, covalues.md §14): exactly one
 * transaction; a {@code deleted} marker must name this CoValue and be written by an admin of the
 * owning group at its {@code madeAt}; groups and accounts cannot be deleted.
 */
final class DeletionRules {
    private DeletionRules() {}

    /** The reference's rejection reason, or null when the batch is acceptable. */
    static String rejection(CoValueCore core, SessionID session, int held, int after, List<Transaction> txs, CoValueResolver resolver) {
        if (core.isGroupOrAccount()) return "CoValueNotDeletable";
        int fresh = Math.max(0, after + txs.size() - held);
        if (held + fresh > 1 || txs.size() > 1) return "InvalidDeleteTransaction: a delete session holds one transaction";
        if (txs.isEmpty() || held > 0) return null;
        Transaction tx = txs.get(0);
        String marker = markerOf(tx);
        if (marker == null) return null; // an ordinary transaction in a delete session
        if (!marker.equals(core.id().value())) return "InvalidDeleteTransaction: marker names " + marker;
        if (!(core.header().ruleset() instanceof Ruleset.OwnedByGroup o)) return "CannotVerifyPermissions";
        CoValueCore owner = resolver.get(o.group());
        if (owner == null || !owner.isGroupOrAccount()) return "CannotVerifyPermissions";
        String author = session.author();
        if (owner.header().isAccount() && author.equals(owner.id().value())) {
            author = ((Ruleset.Group) owner.header().ruleset()).initialAdmin();
        }
        return core.rules().isAdmin(owner, author, tx.madeAt(), resolver) ? null : "NotAdmin";
    }

    static boolean isDeleteMarker(CoValueCore core, SessionLog log) {
        return log.size() == 1 && core.id().value().equals(markerOf(log.get(0)));
    }

    private static String markerOf(Transaction tx) {
        if (!(tx instanceof Transaction.Trusting t)) return null;
        JsonValue.Obj meta = CoValueCore.parseMeta(t.meta());
        return meta != null && meta.get("deleted") instanceof JsonValue.Str s ? s.value() : null;
    }
}
