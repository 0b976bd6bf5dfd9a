package io.cojson.core.groups;

import io.cojson.core.covalue.CoValueCore;
import io.cojson.core.covalue.CoValueResolver;
import io.cojson.core.covalue.TxEntry;
import io.cojson.core.header.Ruleset;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.json.JsonValue;
import java.util.List;

/** Verdicts for values owned by a group or account (covalues.md §5.3). */
final class OwnedValidator {
    private OwnedValidator() {}

    static void validate(CoValueCore core, RawCoID ownerId, List<TxEntry> working, CoValueResolver resolver) {
        CoValueCore owner = resolver.get(ownerId);
        if (owner == null || !owner.isGroupOrAccount()) {
            // Without the owner nothing can be judged; verdicts stay open until it is loaded.
            for (TxEntry e : working) e.resetVerdict();
            return;
        }
        GroupView group = owner.groupView(resolver);
        String accountAgent = group.isAccount() ? ((Ruleset.Group) owner.header().ruleset()).initialAdmin() : null;
        for (TxEntry e : working) {
            e.resetVerdict();
            String author = e.sessionID().author();
            String transactor = accountAgent != null && author.equals(ownerId.value()) ? accountAgent : author;
            String role = group.roleOf(transactor, e.madeAt(), resolver);
            JsonValue.Obj meta = e.isTrusting() ? e.meta() : null;
            if (Roles.READER.equals(role) && meta != null && meta.has("branch") && meta.has("ownerId")) {
                e.markBranchPointerOnly(JsonValue.obj("branch", meta.get("branch"), "ownerId", meta.get("ownerId")));
            } else if (role != null && Roles.CAN_WRITE.contains(role)) {
                e.markValid();
            } else {
                e.markInvalid("Transactor has no write permissions");
            }
        }
    }
}
