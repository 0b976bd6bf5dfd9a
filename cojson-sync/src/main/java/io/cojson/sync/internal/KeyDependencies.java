package io.cojson.sync.internal;

import io.cojson.core.covalue.CoValueCore;
import io.cojson.core.covalue.CoValueResolver;
import io.cojson.core.groups.GroupView;
import io.cojson.core.header.CoValueHeader;
import io.cojson.core.header.Ruleset;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.node.ContentPiece;
import io.cojson.core.session.Transaction;
import java.util.HashSet;
import java.util.Set;

/**
 * A private transaction depends on the group content that names its key (a rotation). A client's
 * content whose key its owning group does not name yet must wait for that group content: applied
 * and acknowledged first, it could never be read by anyone if its writer crashed before the
 * rotation reached the server (issue 11, the model's "third finding"). The reference sends a
 * group's content before content that depends on it on one connection, so it never waits there.
 */
public final class KeyDependencies {
    private KeyDependencies() {}

    /**
     * The owning group of a value if {@code piece} holds a private transaction whose key that
     * group, as {@code resolver} knows it, does not name; null otherwise (also for groups, accounts
     * and values whose group is not loaded). Call with the node's lock held.
     */
    public static RawCoID groupLackingKey(CoValueHeader header, ContentPiece.SessionPiece piece, CoValueResolver resolver) {
        if (!(header.ruleset() instanceof Ruleset.OwnedByGroup o)) return null;
        Set<String> keys = null;
        for (Transaction tx : piece.transactions()) {
            if (tx instanceof Transaction.Private p) {
                if (keys == null) keys = new HashSet<>(2);
                keys.add(p.keyUsed());
            }
        }
        if (keys == null) return null;
        CoValueCore group = resolver.get(o.group());
        if (group == null || !group.isGroupOrAccount()) return null;
        GroupView view = GroupView.of(group, resolver);
        for (String k : keys) {
            if (!view.namesKey(k)) return o.group();
        }
        return null;
    }
}
