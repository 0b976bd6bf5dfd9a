package io.cojson.core.groups;

import io.cojson.core.covalue.CoValueCore;
import io.cojson.core.covalue.CoValueResolver;
import io.cojson.core.covalue.TxEntry;
import io.cojson.core.header.Ruleset;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
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
        GroupView group = GroupView.of(owner, resolver);
        String accountAgent = group.isAccount() ? ((Ruleset.Group) owner.header().ruleset()).initialAdmin() : null;
        // A role depends only on (transactor, time): consecutive transactions of one session often
        // share both (many writes per millisecond), so the last answer is reused.
        SessionID lastSession = null;
        String transactor = null;
        long lastTime = 0;
        String role = null;
        boolean known = false;
        for (TxEntry e : working) {
            e.resetVerdict();
            if (!e.sessionID().equals(lastSession)) {
                lastSession = e.sessionID();
                String author = lastSession.author();
                transactor = accountAgent != null && author.equals(ownerId.value()) ? accountAgent : author;
                known = false;
            }
            if (!known || e.madeAt() != lastTime) {
                role = group.roleOf(transactor, e.madeAt(), resolver);
                lastTime = e.madeAt();
                known = true;
            }
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
