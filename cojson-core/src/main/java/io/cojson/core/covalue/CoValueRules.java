package io.cojson.core.covalue;

import io.cojson.core.ids.RawCoID;
import java.util.List;
import java.util.Set;

/**
 * The permission rules that give transactions their verdicts (covalues.md §5). They are implemented
 * in the groups package, which builds on this one; a {@link CoValueCore} receives them when it is
 * created, so this package never depends on groups.
 */
public interface CoValueRules {
    /** Judges every transaction of {@code working} (the whole working list, in its order). */
    void validate(CoValueCore core, List<TxEntry> working, CoValueResolver resolver);

    /** Judges only {@code fresh} (appended transactions of a non-group value). */
    void validateNew(CoValueCore core, List<TxEntry> fresh, CoValueResolver resolver);

    /**
     * CoValues whose state the verdicts of {@code core} depend on. For a value that is not a group
     * or an account they may depend only on its header: they are asked for once per such value.
     */
    Set<RawCoID> dependencies(CoValueCore core);

    /** The state derived from a validated group or account's valid transactions, in sorted order. */
    GroupState groupState(CoValueCore groupOrAccount, List<TxEntry> sortedEntries);

    /** Whether {@code author} (an agent or account ID) is an admin of {@code group} at {@code madeAt}. */
    boolean isAdmin(CoValueCore group, String author, long madeAt, CoValueResolver resolver);

    /** What a validation pass derives from a group or an account; read through the groups package. */
    interface GroupState {}
}
