package io.cojson.core.groups;

import io.cojson.core.covalue.CoValueCore;
import io.cojson.core.covalue.CoValueResolver;
import io.cojson.core.covalue.TxEntry;
import io.cojson.core.header.Ruleset;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.json.JsonValue;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Verdicts for a group's or account's own transactions (covalues.md §5.2): the whole history is
 * stably sorted and replayed with a fresh resolver state every time. Reason strings are the
 * reference's, byte for byte.
 */
final class GroupValidator {
    private static final Set<String> REVEALERS = Set.of(Roles.ADMIN, Roles.ADMIN_INVITE, Roles.MANAGER,
            Roles.MANAGER_INVITE, Roles.WRITER_INVITE, Roles.READER_INVITE, Roles.WRITE_ONLY_INVITE);

    private final CoValueCore core;
    private final CoValueResolver resolver;
    private final boolean account;
    private final String initialAdmin;
    private final Map<String, String> memberRoles = new HashMap<>();
    private final LinkedHashMap<RawCoID, String> parents = new LinkedHashMap<>();
    private final Map<String, String> writeOnlyKeys = new HashMap<>();
    private final Set<String> writeKeysSeen = new HashSet<>();

    private GroupValidator(CoValueCore core, CoValueResolver resolver) {
        this.core = core;
        this.resolver = resolver;
        this.account = core.header().isAccount();
        this.initialAdmin = ((Ruleset.Group) core.header().ruleset()).initialAdmin();
    }

    static void validate(CoValueCore core, List<TxEntry> working, CoValueResolver resolver) {
        working.sort(TxEntry::compare); // List.sort is stable, as V8's Array.prototype.sort
        GroupValidator v = new GroupValidator(core, resolver);
        for (TxEntry e : working) {
            e.resetVerdict();
            v.judge(e);
        }
    }

    /**
     * The verdict a new trusting transaction would get if appended now: the reason it would be
     * rejected, or null if it would be valid. Lets local writes fail before anything is signed.
     */
    static String wouldReject(CoValueCore core, TxEntry tentative, CoValueResolver resolver) {
        java.util.List<TxEntry> all = new java.util.ArrayList<>(core.entries());
        all.add(tentative);
        validate(core, all, resolver);
        if (tentative.isValid()) return null;
        return tentative.invalidReason() == null ? "Group transaction changes are not valid JSON" : tentative.invalidReason();
    }

    private void judge(TxEntry e) {
        String author = e.sessionID().author();
        long t = e.madeAt();
        if (!e.isTrusting()) {
            if (!account) {
                e.markInvalid("Can't make private transactions in groups");
            } else if (Roles.ADMIN.equals(roleOf(author, t))) {
                e.markValid();
            } else {
                e.markInvalid("Only admins can make private transactions in groups");
            }
            return;
        }
        if (e.changes() == null) return; // unparseable changes: never marked (reference quirk)
        if (e.changes().size() != 1) {
            e.markInvalid("Group transaction must have exactly one change");
            return;
        }
        if (!(e.changes().get(0) instanceof JsonValue.Obj change) || !JsonValue.of("set").equals(change.get("op"))) {
            e.markInvalid("Group transaction must set a role or readKey");
            return;
        }
        String key = change.get("key") instanceof JsonValue.Str k ? k.value() : String.valueOf(change.get("key"));
        JsonValue value = change.get("value");
        String role = roleOf(author, t);
        boolean adminOrManager = Roles.ADMIN.equals(role) || Roles.MANAGER.equals(role);
        switch (key) {
            case GroupKeys.READ_KEY:
                verdict(e, adminOrManager, "Only admins can set readKeys");
                return;
            case GroupKeys.GROUP_SEALER:
                verdict(e, adminOrManager, "Only admins can set groupSealer");
                return;
            case "profile":
                verdict(e, adminOrManager, "Only admins can set profile");
                return;
            case "root":
                verdict(e, adminOrManager, "Only admins can set root");
                return;
            default:
                break;
        }
        if (isKeyRevelation(key)) {
            verdict(e, (role != null && REVEALERS.contains(role)) || isOwnWriteKeyRevelation(key, author),
                    "Only admins and managers can reveal keys");
        } else if (key.startsWith(GroupKeys.PARENT)) {
            judgeParent(e, key, value, adminOrManager);
        } else if (key.startsWith(GroupKeys.CHILD)) {
            e.markInvalid("Child extensions are not allowed anymore");
        } else if (key.startsWith(GroupKeys.WRITE_KEY_FOR)) {
            judgeWriteKey(e, key, value, author, role, adminOrManager);
        } else {
            judgeRole(e, key, value, author, role, t);
        }
    }

    private static void verdict(TxEntry e, boolean ok, String reason) {
        if (ok) {
            e.markValid();
        } else {
            e.markInvalid(reason);
        }
    }

    static boolean isKeyRevelation(String key) {
        if (key.contains(GroupKeys.FOR_EVERYONE)) return true;
        if (!key.startsWith("key_")) return false;
        return key.contains("_for_key") || key.contains("_for_sealer") || key.contains("_for_co")
                || key.contains("_sealedFor_sealer");
    }

    private boolean isOwnWriteKeyRevelation(String key, String author) {
        String own = writeOnlyKeys.get(author);
        if (own == null) return false;
        int at = key.indexOf(GroupKeys.FOR);
        if (at == -1) at = key.indexOf(GroupKeys.SEALED_FOR);
        // an empty key ID is never one's own, even if the write key was set to "" (the reference's !keyID)
        if (at <= 0) return false;
        return key.substring(0, at).equals(own);
    }

    private void judgeParent(TxEntry e, String key, JsonValue value, boolean adminOrManager) {
        if (!adminOrManager) {
            e.markInvalid("Only admins and managers can set parent extensions");
            return;
        }
        RawCoID parentId = GroupView.parentId(key);
        CoValueCore parent = parentId == null ? null : resolver.get(parentId);
        if (parent == null || !parent.isGroupOrAccount() || parent.header().isAccount()) {
            e.markInvalid("Parent group is not a group");
            return;
        }
        if (reaches(parentId)) {
            e.markInvalid("Parent group is a circular dependency");
            return;
        }
        e.markValid();
        if (value instanceof JsonValue.Str s && s.value().equals(Roles.REVOKED)) {
            parents.remove(parentId);
        } else {
            parents.put(parentId, value instanceof JsonValue.Str s ? s.value() : String.valueOf(value));
        }
    }

    /** Whether {@code candidate} already reaches this group through its current parent chain. */
    private boolean reaches(RawCoID candidate) {
        Deque<RawCoID> todo = new ArrayDeque<>();
        Set<RawCoID> seen = new HashSet<>();
        todo.add(candidate);
        while (!todo.isEmpty()) {
            RawCoID g = todo.poll();
            if (g.equals(core.id())) return true;
            if (!seen.add(g)) continue;
            CoValueCore c = resolver.get(g);
            if (c == null || !c.isGroupOrAccount()) continue;
            todo.addAll(GroupView.of(c, resolver).activeParents());
        }
        return false;
    }

    private void judgeWriteKey(TxEntry e, String key, JsonValue value, String author, String role, boolean adminOrManager) {
        String member = key.substring(GroupKeys.WRITE_KEY_FOR.length());
        if (!adminOrManager && !Roles.WRITE_ONLY_INVITE.equals(role) && !member.equals(author)) {
            e.markInvalid("Only admins and managers can set writeKeys");
            return;
        }
        // Recorded before the override check, as the reference does.
        writeOnlyKeys.put(member, value instanceof JsonValue.Str s ? s.value() : String.valueOf(value));
        if (writeKeysSeen.contains(key) && !adminOrManager) {
            e.markInvalid("Write key already exists and can't be overridden by invite");
            return;
        }
        writeKeysSeen.add(key);
        e.markValid();
    }

    private void judgeRole(TxEntry e, String member, JsonValue value, String author, String role, long t) {
        String assigned = value instanceof JsonValue.Str s ? s.value() : null;
        if (assigned == null || !Roles.ALL.contains(assigned)) {
            e.markInvalid("Group transaction must set a valid role");
            return;
        }
        if (member.equals(Roles.EVERYONE) && !Set.of(Roles.READER, Roles.WRITER, Roles.WRITE_ONLY, Roles.REVOKED).contains(assigned)) {
            e.markInvalid("Everyone can only be set to reader, writer, writeOnly or revoked");
            return;
        }
        if (role == null && author.equals(initialAdmin) && member.equals(author) && assigned.equals(Roles.ADMIN)) {
            accept(e, member, assigned);
            return;
        }
        if (member.equals(author) && assigned.equals(Roles.REVOKED)) {
            accept(e, member, assigned);
            return;
        }
        String current = roleOf(member, t);
        String reason = roleChangeRejection(role, current, assigned, member, author);
        if (reason == null) {
            accept(e, member, assigned);
        } else {
            e.markInvalid(reason);
        }
    }

    private static String roleChangeRejection(String role, String current, String assigned, String member, String author) {
        if (role == null) return "Group transaction must be made by current admin, manager, or invite";
        switch (role) {
            case Roles.ADMIN:
                return Roles.ADMIN.equals(current) && !assigned.equals(Roles.ADMIN) && !member.equals(author)
                        ? "Admins can't demote admins." : null;
            case Roles.MANAGER:
                if (Roles.ADMIN.equals(current)) return "Managers can't demote admins.";
                if (assigned.equals(Roles.ADMIN)) return "Managers can't promote to admin.";
                if (assigned.equals(Roles.ADMIN_INVITE)) return "Managers can't invite admins.";
                if (assigned.equals(Roles.MANAGER_INVITE)) return "Managers can't invite managers.";
                return null;
            case Roles.ADMIN_INVITE:
                return assigned.equals(Roles.ADMIN) ? null : "AdminInvites can only create admins.";
            case Roles.MANAGER_INVITE:
                return assigned.equals(Roles.MANAGER) ? null : "managerInvite can only create managers.";
            case Roles.WRITER_INVITE:
                return assigned.equals(Roles.WRITER) ? null : "WriterInvites can only create writers.";
            case Roles.READER_INVITE:
                return assigned.equals(Roles.READER) ? null : "ReaderInvites can only create reader.";
            case Roles.WRITE_ONLY_INVITE:
                return assigned.equals(Roles.WRITE_ONLY) ? null : "WriteOnlyInvites can only create writeOnly.";
            default:
                return "Group transaction must be made by current admin, manager, or invite";
        }
    }

    private void accept(TxEntry e, String member, String assigned) {
        memberRoles.put(member, assigned);
        e.markValid();
    }

    /** The resolver role: direct (time-ignoring) plus parents' read-side roles at {@code t}. */
    private String roleOf(String member, long t) {
        String result = memberRoles.get(member);
        for (Map.Entry<RawCoID, String> p : parents.entrySet()) {
            CoValueCore parent = resolver.get(p.getKey());
            if (parent == null || !parent.isGroupOrAccount()) continue;
            String inherited = GroupView.of(parent, resolver).roleOf(member, t, resolver);
            if (inherited == null || !Roles.INHERITABLE.contains(inherited)) continue;
            String candidate = p.getValue().equals("extend") ? inherited : p.getValue();
            if (Roles.isHigher(candidate, result)) result = candidate;
        }
        return result;
    }
}
