package io.cojson.core.node;

import io.cojson.core.covalue.CoValueCore;
import io.cojson.core.covalue.TxEntry;
import io.cojson.core.groups.Roles;
import io.cojson.core.header.CoValueHeader;
import io.cojson.core.header.Ruleset;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.json.JsonValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Branches and merges of values owned by a group (covalues.md §13), written as the reference's
 * {@code branching.ts} writes them, so that either side can read the other's history.
 */
public final class Branches {
    private Branches() {}

    /**
     * A branch header: {@code {type, meta: {branch, source}, ruleset: {type: ownedByGroup, group},
     * uniqueness: ""}} (no createdAt), so the ID is a function of type, name, owner and source.
     */
    public static CoValueHeader header(String type, String name, RawCoID owner, RawCoID source) {
        LinkedHashMap<String, JsonValue> m = new LinkedHashMap<>();
        m.put("type", JsonValue.of(type));
        m.put("meta", JsonValue.obj("branch", JsonValue.of(name), "source", JsonValue.of(source.value())));
        m.put("ruleset", new Ruleset.OwnedByGroup(owner, false).toJson());
        m.put("uniqueness", JsonValue.of(""));
        return new CoValueHeader(new JsonValue.Obj(m));
    }

    /** The ID of {@code source}'s branch {@code name} owned by {@code owner} (null: the source's group). */
    public static RawCoID branchId(LocalNode node, RawCoID source, String name, RawCoID owner) {
        CoValueCore src = node.require(source);
        if (!(src.header().ruleset() instanceof Ruleset.OwnedByGroup o)) return source;
        return header(src.header().type(), name, owner != null ? owner : o.group(), source).id(node.crypto());
    }

    /** Whether a meta is a branch pointer the reader exception of §5.3 lets through. */
    static boolean isBranchPointer(JsonValue.Obj meta) {
        return meta.has("branch") && meta.has("ownerId");
    }

    /**
     * {@code createBranch(name, ownerId?)}: the branch (with its start commit) and a pointer in the
     * source. Like the reference, answers the source itself when the value cannot be branched or
     * this account has no role in its group, or is only a reader and names no owner.
     */
    public static RawCoID createBranch(LocalNode node, RawCoID source, String name, RawCoID owner) {
        CoValueCore src = node.require(source);
        if (!(src.header().ruleset() instanceof Ruleset.OwnedByGroup o)) return source;
        String role = node.myRoleIn(node.require(o.group()), null);
        if (role == null || (Roles.READER.equals(role) && owner == null)) return source;
        RawCoID branch = node.createCoValue(header(src.header().type(), name, owner != null ? owner : o.group(), source)).id();
        LinkedHashMap<String, JsonValue> from = new LinkedHashMap<>();
        node.locked(() -> src.knownState().sessions()).forEach((s, n) -> from.put(s.value(), JsonValue.of(n)));
        node.write(branch, List.of(), JsonValue.obj("from", new JsonValue.Obj(from)), true);
        // The reference writes "ownerId": undefined, which JSON leaves out.
        JsonValue.Obj pointer = owner == null ? JsonValue.obj("branch", JsonValue.of(name))
                : JsonValue.obj("branch", JsonValue.of(name), "ownerId", JsonValue.of(owner.value()));
        node.write(source, List.of(), pointer, !Roles.READER.equals(role));
        return branch;
    }

    /**
     * {@code hasBranch(name, ownerId?)}: whether {@code source} holds a pointer to branch {@code name}
     * with that owner ({@code owner} null, or a pointer without one, stands for the source's group).
     */
    public static boolean hasBranch(LocalNode node, RawCoID source, String name, RawCoID owner) {
        return node.locked(() -> {
            CoValueCore src = node.require(source);
            node.view(source); // pointers written by writers are private: parsed once decrypted
            String current = src.header().ruleset() instanceof Ruleset.OwnedByGroup o ? o.group().value() : null;
            for (JsonValue.Obj p : src.branchPointers()) {
                if (!JsonValue.of(name).equals(p.get("branch"))) continue;
                String pointerOwner = p.get("ownerId") instanceof JsonValue.Str s ? s.value() : null;
                String wanted = owner == null ? null : owner.value();
                if (java.util.Objects.equals(pointerOwner, wanted)) return true;
                if (wanted == null && java.util.Objects.equals(pointerOwner, current)) return true;
                if (pointerOwner == null && java.util.Objects.equals(wanted, current)) return true;
            }
            return false;
        });
    }

    /**
     * {@code mergeBranch()}: re-writes the branch's valid, not yet merged transactions that have
     * changes into the source, each with its origin in {@code mi/t/s/b}, all at one time, then a
     * merge commit. Returns the source. Nothing is written if there is nothing new to merge.
     */
    public static RawCoID mergeBranch(LocalNode node, RawCoID branch) {
        CoValueCore br = node.require(branch);
        RawCoID sourceId = br.branchSource();
        if (sourceId == null) return branch;
        CoValueCore source = node.get(sourceId);
        if (source == null) throw new IllegalStateException("unable to find source branch " + sourceId);
        Map<SessionID, Integer> merged = new HashMap<>();
        List<TxEntry> toMerge = new ArrayList<>();
        node.locked(() -> {
            node.view(sourceId); // merge commits are private: parsed once decrypted
            for (JsonValue.Obj commit : source.mergeCommits()) {
                if (!JsonValue.of(branch.value()).equals(commit.get("branch"))) continue;
                if (!(commit.get("merged") instanceof JsonValue.Obj m)) continue;
                m.fields().forEach((s, n) -> {
                    if (n instanceof JsonValue.Num num && num.isSafeInteger()) {
                        merged.merge(new SessionID(s), (int) num.value(), Math::max);
                    }
                });
            }
            for (TxEntry e : node.processingQueue(branch)) {
                if (merged.getOrDefault(e.sessionID(), -1) > e.txIndex()) continue;
                if (e.changes() == null || e.changes().items().isEmpty()) continue;
                toMerge.add(e);
            }
            return null;
        });
        if (toMerge.isEmpty()) return sourceId;
        long now = node.now();
        SessionID lastSession = null;
        String lastBranch = null;
        long lastMadeAt = 0;
        for (TxEntry e : toMerge) {
            LinkedHashMap<String, JsonValue> meta = new LinkedHashMap<>();
            meta.put("mi", JsonValue.of(e.effectiveTxIndex()));
            if (e.effectiveMadeAt() != lastMadeAt) meta.put("t", JsonValue.of(now - e.effectiveMadeAt()));
            if (!e.effectiveSession().equals(lastSession)) meta.put("s", JsonValue.of(e.effectiveSession().value()));
            if (!java.util.Objects.equals(e.effectiveBranch(), lastBranch) && e.effectiveBranch() != null) {
                meta.put("b", JsonValue.of(e.effectiveBranch()));
            }
            node.write(sourceId, e.changes().items(), new JsonValue.Obj(meta), !e.isTrusting(), now);
            lastSession = e.effectiveSession();
            lastBranch = e.effectiveBranch();
            lastMadeAt = e.effectiveMadeAt();
        }
        LinkedHashMap<String, JsonValue> diff = new LinkedHashMap<>();
        node.locked(() -> br.knownState().sessions()).forEach((s, n) -> {
            if (merged.getOrDefault(s, 0) < n) diff.put(s.value(), JsonValue.of(n));
        });
        node.write(sourceId, List.of(), JsonValue.obj("merged", new JsonValue.Obj(diff), "branch", JsonValue.of(branch.value())), true);
        return sourceId;
    }
}
