package io.cojson.core.groups;

import io.cojson.core.covalue.CoValueCore;
import io.cojson.core.covalue.CoValueResolver;
import io.cojson.core.covalue.CoValueRules;
import io.cojson.core.covalue.TxEntry;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.json.JsonValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A group (or account) read as a map of its valid transactions, with the reference's read-side
 * role function ({@code roleOf}, covalues.md §5.5) and time travel. Immutable snapshot of one
 * validation pass.
 */
public final class GroupView implements CoValueRules.GroupState {
    /** One valid {@code set} of a key, in the group's sorted order. */
    public record Edit(long madeAt, JsonValue value, TxEntry source) {}

    private final CoValueCore core;
    private final boolean account;
    private final Map<String, List<Edit>> edits;
    private final List<RawCoID> parents;
    /** The latest madeAt of any edit: roles asked for at or after it are the current ones. */
    private final long lastMadeAt;
    /** The last current role asked of a group without parents (a writer asks the same one per write). */
    private volatile CurrentRole currentRole;

    private record CurrentRole(String member, String role) {}

    private GroupView(CoValueCore core, Map<String, List<Edit>> edits, List<RawCoID> parents, long lastMadeAt) {
        this.core = core;
        this.account = core.header().isAccount();
        this.edits = edits;
        this.parents = parents;
        this.lastMadeAt = lastMadeAt;
    }

    /**
     * The view of a group or account as of everything {@code resolver} knows (validates first).
     * Throws IllegalStateException for any other value.
     */
    public static GroupView of(CoValueCore groupOrAccount, CoValueResolver resolver) {
        return (GroupView) groupOrAccount.groupState(resolver);
    }

    /** Builds the view from validated entries (already in the group's sorted order). */
    static GroupView build(CoValueCore core, List<TxEntry> sortedEntries) {
        LinkedHashMap<String, List<Edit>> edits = new LinkedHashMap<>();
        List<RawCoID> parents = new ArrayList<>();
        long last = Long.MIN_VALUE;
        for (TxEntry e : sortedEntries) {
            if (!e.isValid() || e.changes() == null || e.changes().size() != 1) continue;
            if (!(e.changes().get(0) instanceof JsonValue.Obj c) || !(c.get("key") instanceof JsonValue.Str k)) continue;
            if (!JsonValue.of("set").equals(c.get("op"))) continue;
            JsonValue value = c.get("value") == null ? JsonValue.NULL : c.get("value");
            edits.computeIfAbsent(k.value(), x -> new ArrayList<>()).add(new Edit(e.madeAt(), value, e));
            last = Math.max(last, e.madeAt());
            if (k.value().startsWith(GroupKeys.PARENT)) {
                RawCoID p = parentId(k.value());
                if (p != null && !parents.contains(p)) parents.add(p);
            }
        }
        return new GroupView(core, edits, Collections.unmodifiableList(parents), last);
    }

    static RawCoID parentId(String key) {
        String s = key.substring(GroupKeys.PARENT.length());
        return RawCoID.isValid(s) ? new RawCoID(s) : null;
    }

    public boolean isAccount() {
        return account;
    }

    /** The current value of {@code key} at time {@code atTime} (null or 0 = now), or null. */
    public JsonValue get(String key, Long atTime) {
        Edit e = lastEdit(key, atTime);
        return e == null ? null : e.value();
    }

    public Edit lastEdit(String key, Long atTime) {
        List<Edit> list = edits.get(key);
        if (list == null) return null;
        if (atTime == null || atTime == 0) return list.get(list.size() - 1);
        for (int i = list.size() - 1; i >= 0; i--) {
            if (list.get(i).madeAt() <= atTime) return list.get(i);
        }
        return null;
    }

    /** Every valid edit of {@code key} in order (empty if none). */
    public List<Edit> edits(String key) {
        return edits.getOrDefault(key, List.of());
    }

    public String getString(String key, Long atTime) {
        return get(key, atTime) instanceof JsonValue.Str s ? s.value() : null;
    }

    /** Keys with at least one valid set, in first-seen order. */
    public Set<String> keys() {
        return Collections.unmodifiableSet(edits.keySet());
    }

    /**
     * Whether this group or account names key {@code keyID} in a valid transaction: in a field that
     * reveals, wraps or seals it ({@code <keyID>_for_…}, {@code <keyID>_sealedFor_…}). Every key a
     * writer can use has one: a new read key is revealed to its admin in the same transaction, a
     * writeOnly member's key to that member.
     */
    public boolean namesKey(String keyID) {
        String prefix = keyID + "_";
        for (String field : edits.keySet()) {
            if (field.startsWith(prefix)) return true;
        }
        return false;
    }

    /** Parents ever referenced by a valid {@code parent_…} entry, first-seen order. */
    public List<RawCoID> parentIDs() {
        return parents;
    }

    /** Parents whose current mapping is not revoked. */
    public List<RawCoID> activeParents() {
        List<RawCoID> out = new ArrayList<>();
        for (RawCoID p : parents) {
            String m = getString(GroupKeys.PARENT + p.value(), null);
            if (m != null && !m.equals(Roles.REVOKED)) out.add(p);
        }
        return out;
    }

    /**
     * The reference's {@code isSelfExtension(child, parent)}: whether {@code parent} is {@code child}
     * or reaches it through its current (not revoked) parents, transitively. Extending such a parent
     * would make a cycle; the reference then writes nothing.
     */
    public static boolean isSelfExtension(RawCoID child, RawCoID parent, CoValueResolver resolver) {
        Set<RawCoID> checked = new HashSet<>();
        List<RawCoID> queue = new ArrayList<>(List.of(parent));
        while (!queue.isEmpty()) {
            RawCoID current = queue.remove(queue.size() - 1);
            if (current.equals(child)) return true;
            checked.add(current);
            CoValueCore core = resolver.get(current);
            if (core == null || !core.isGroupOrAccount()) continue;
            for (RawCoID p : GroupView.of(core, resolver).activeParents()) if (!checked.contains(p)) queue.add(p);
        }
        return false;
    }

    /** Read-side role of {@code member} at {@code atTime} (null = now); null means no role. */
    public String roleOf(String member, Long atTime, CoValueResolver resolver) {
        // Without parents the role depends only on this snapshot's edits, and at or after the last
        // of them it is the current role: kept, since every write and every incoming transaction
        // of a value asks it (as of its madeAt) for its author.
        boolean current = parents.isEmpty() && (atTime == null || atTime == 0 || atTime >= lastMadeAt);
        if (current) {
            CurrentRole c = currentRole;
            if (c != null && c.member().equals(member)) return c.role();
        }
        String role = roleOf(member, atTime, resolver, new HashSet<>());
        if (current) currentRole = new CurrentRole(member, role);
        return role;
    }

    String roleOf(String member, Long atTime, CoValueResolver resolver, Set<RawCoID> visiting) {
        if (account && member.equals(core.id().value())) return Roles.ADMIN;
        String result = directRole(member, atTime);
        if (visiting.add(core.id())) {
            try {
                for (RawCoID parent : parents) {
                    String mapping = getString(GroupKeys.PARENT + parent.value(), atTime);
                    if (mapping == null || mapping.equals(Roles.REVOKED)) continue;
                    CoValueCore pc = resolver.get(parent);
                    if (pc == null || !pc.isGroupOrAccount()) continue;
                    String p = GroupView.of(pc, resolver).roleOf(member, atTime, resolver, visiting);
                    if (p == null || !Roles.INHERITABLE.contains(p)) continue;
                    String candidate = mapping.equals("extend") ? p : mapping;
                    if (Roles.morePermissive(candidate, result)) result = candidate;
                }
                // this view's own everyone entry only: a parent's everyone already came in through
                // the parent's role of the member (a member writeOnly in a parent open to everyone
                // gets nothing here, as in the reference)
                if (result == null && !member.equals(Roles.EVERYONE)) result = directRole(Roles.EVERYONE, atTime);
            } finally {
                visiting.remove(core.id());
            }
        }
        return result;
    }

    private String directRole(String member, Long atTime) {
        String direct = getString(member, atTime);
        return direct == null || direct.equals(Roles.REVOKED) || !Roles.ALL.contains(direct) ? null : direct;
    }
}
