package io.cojson.core.groups;

import io.cojson.core.covalue.CoValueCore;
import io.cojson.core.covalue.CoValueResolver;
import io.cojson.core.covalue.TxEntry;
import io.cojson.core.header.Ruleset;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.json.JsonValue;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Gives every transaction of a CoValue its verdict, by ruleset (covalues.md §5). */
public final class Validation {
    private Validation() {}

    public static void validate(CoValueCore core, List<TxEntry> working, CoValueResolver resolver) {
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

    /** Whether new transactions can be judged without revisiting old verdicts (no fww races). */
    public static boolean canValidateIncrementally(List<TxEntry> fresh) {
        for (TxEntry e : fresh) if (e.meta() != null && e.meta().has("fww")) return false;
        return true;
    }

    /** Judges only {@code fresh} (appended transactions of a non-group value). */
    public static void validateNew(CoValueCore core, List<TxEntry> fresh, CoValueResolver resolver) {
        Ruleset rules = core.header().ruleset();
        if (rules instanceof Ruleset.OwnedByGroup o) {
            OwnedValidator.validate(core, o.group(), fresh, resolver);
        } else {
            for (TxEntry e : fresh) e.markValid();
        }
    }

    /** CoValues whose state the verdicts of {@code core} depend on. */
    public static Set<RawCoID> dependencies(CoValueCore core) {
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

}
