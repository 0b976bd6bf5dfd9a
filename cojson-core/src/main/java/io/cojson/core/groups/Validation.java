package io.cojson.core.groups;

import io.cojson.core.covalue.CoValueCore;
import io.cojson.core.covalue.CoValueResolver;
import io.cojson.core.covalue.CoValueRules;
import io.cojson.core.covalue.TxEntry;
import io.cojson.core.header.Ruleset;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.json.JsonValue;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Gives every transaction of a CoValue its verdict, by ruleset (covalues.md §5): the rules every
 * {@link CoValueCore} of a node is created with.
 */
public final class Validation implements CoValueRules {
    /** The reference's rules; stateless. */
    public static final Validation RULES = new Validation();

    private Validation() {}

    @Override
    public void validate(CoValueCore core, List<TxEntry> working, CoValueResolver resolver) {
        Ruleset rules = core.header().ruleset();
        if (rules instanceof Ruleset.Group) {
            GroupValidator.validate(core, working, resolver);
        } else if (rules instanceof Ruleset.OwnedByGroup o) {
            OwnedValidator.validate(core, o.group(), working, resolver);
        } else {
            for (TxEntry e : working) e.markValid();
        }
        // First-writer-wins races are decided when metas are parsed (CoValueCore, TransactionMeta).
    }

    /** See {@link GroupValidator#wouldReject}; only for groups and accounts. */
    public static String groupWouldReject(CoValueCore core, TxEntry tentative, CoValueResolver resolver) {
        return GroupValidator.wouldReject(core, tentative, resolver);
    }

    @Override
    public void validateNew(CoValueCore core, List<TxEntry> fresh, CoValueResolver resolver) {
        Ruleset rules = core.header().ruleset();
        if (rules instanceof Ruleset.OwnedByGroup o) {
            OwnedValidator.validate(core, o.group(), fresh, resolver);
        } else {
            for (TxEntry e : fresh) e.markValid();
        }
    }

    @Override
    public Set<RawCoID> dependencies(CoValueCore core) {
        Set<RawCoID> deps = new LinkedHashSet<>();
        Ruleset rules = core.header().ruleset();
        if (rules instanceof Ruleset.OwnedByGroup o) {
            deps.add(o.group());
        } else if (rules instanceof Ruleset.Group) {
            for (TxEntry e : core.entries()) {
                if (e.changes() == null) continue;
                for (JsonValue c : e.changes().items()) {
                    if (c instanceof JsonValue.Obj o && o.get("key") instanceof JsonValue.Str k && k.value().startsWith(GroupKeys.PARENT)) {
                        RawCoID p = GroupView.parentId(k.value());
                        if (p != null) deps.add(p);
                    }
                }
            }
        }
        return deps;
    }

    @Override
    public GroupState groupState(CoValueCore groupOrAccount, List<TxEntry> sortedEntries) {
        return GroupView.build(groupOrAccount, sortedEntries);
    }

    @Override
    public boolean isAdmin(CoValueCore group, String author, long madeAt, CoValueResolver resolver) {
        return Roles.ADMIN.equals(GroupView.of(group, resolver).roleOf(author, madeAt, resolver));
    }
}
