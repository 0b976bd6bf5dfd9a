package io.cojson.sync.internal;

import io.cojson.core.groups.GroupKeys;
import io.cojson.core.covalue.CoValueCore;
import io.cojson.core.covalue.TxEntry;
import io.cojson.core.header.CoValueHeader;
import io.cojson.core.header.Ruleset;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.json.Json;
import io.cojson.core.json.JsonValue;
import io.cojson.core.session.SessionLog;
import io.cojson.core.node.ContentPiece;
import io.cojson.core.session.Transaction;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a CoValue depends on (sync-protocol §6): the owning group, a branch's source, every account
 * that authored a session (needed to resolve the signer), and for groups the accounts and parent
 * groups named by trusting {@code set} ops. The CoValue itself is excluded.
 */
public final class Dependencies {
    private Dependencies() {}

    /** Dependencies of a CoValue in memory; call with the node's lock held. */
    public static Set<RawCoID> of(CoValueCore core) {
        Set<RawCoID> deps = new LinkedHashSet<>();
        fromHeader(core.header(), deps);
        for (SessionLog log : core.sessions().values()) author(log.sessionID(), deps);
        if (core.header().ruleset() instanceof Ruleset.Group) {
            for (TxEntry e : core.entries()) {
                if (e.isTrusting() && e.changes() != null) fromGroupChanges(e.changes(), deps);
            }
        }
        deps.remove(core.id());
        return deps;
    }

    /**
     * Dependencies named by received content: {@code header} is the message's or the one this node
     * already has (null if neither: then only session authors count).
     */
    public static Set<RawCoID> of(RawCoID id, CoValueHeader header, List<ContentPiece.SessionPiece> sessions) {
        Set<RawCoID> deps = new LinkedHashSet<>();
        if (header != null) fromHeader(header, deps);
        boolean group = header != null && header.ruleset() instanceof Ruleset.Group;
        for (ContentPiece.SessionPiece s : sessions) {
            author(s.sessionID(), deps);
            if (!group) continue;
            for (Transaction tx : s.transactions()) {
                if (!(tx instanceof Transaction.Trusting t)) continue;
                try {
                    if (Json.parse(t.changes()) instanceof JsonValue.Arr a) fromGroupChanges(a, deps);
                } catch (IllegalArgumentException e) {
                    // unparseable changes are judged (invalid) by validation, not a dependency
                }
            }
        }
        deps.remove(id);
        return deps;
    }

    private static void fromHeader(CoValueHeader header, Set<RawCoID> deps) {
        if (header.ruleset() instanceof Ruleset.OwnedByGroup o) deps.add(o.group());
        if (header.meta() instanceof JsonValue.Obj m && m.get("source") instanceof JsonValue.Str src) add(src.value(), deps);
    }

    private static void author(SessionID s, Set<RawCoID> deps) {
        if (s.isAccountAuthor()) deps.add(s.accountID());
    }

    private static void fromGroupChanges(JsonValue.Arr changes, Set<RawCoID> deps) {
        for (JsonValue c : changes.items()) {
            if (!(c instanceof JsonValue.Obj op) || !JsonValue.of("set").equals(op.get("op"))
                    || !(op.get("key") instanceof JsonValue.Str k)) {
                continue;
            }
            String key = k.value();
            if (key.startsWith(RawCoID.PREFIX)) {
                add(key, deps);
            } else if (key.startsWith(GroupKeys.PARENT + RawCoID.PREFIX)) {
                add(key.substring(GroupKeys.PARENT.length()), deps);
            }
        }
    }

    private static void add(String id, Set<RawCoID> deps) {
        if (RawCoID.isValid(id)) deps.add(new RawCoID(id));
    }
}
