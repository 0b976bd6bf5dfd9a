package io.cojson.core.node;

import io.cojson.core.groups.GroupKeys;
import io.cojson.core.covalue.CoValueCore;
import io.cojson.core.covalue.SignerResolution;
import io.cojson.core.crypto.Crypto;
import io.cojson.core.groups.GroupView;
import io.cojson.core.groups.Roles;
import io.cojson.core.header.CoValueHeader;
import io.cojson.core.header.Ruleset;
import io.cojson.core.ids.AgentID;
import io.cojson.core.ids.AgentSecret;
import io.cojson.core.ids.InviteSecret;
import io.cojson.core.ids.KeyID;
import io.cojson.core.ids.KeySecret;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.ids.TransactionID;
import io.cojson.core.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Group operations, writing exactly the transactions the reference writes (covalues.md §12):
 * one trusting {@code set} per transaction, keys revealed by sealing to each member's agent.
 */
public final class GroupOperations {
    private static final Set<String> READ_ROLES = Set.of(Roles.ADMIN, Roles.MANAGER, Roles.WRITER, Roles.READER,
            Roles.ADMIN_INVITE, Roles.MANAGER_INVITE, Roles.WRITER_INVITE, Roles.READER_INVITE);

    private GroupOperations() {}

    /** Creates a group with this node's identity as admin; {@code meta} may be null or e.g. {name}. */
    public static RawCoID createGroup(LocalNode node, JsonValue.Obj meta) {
        Crypto crypto = node.crypto();
        CoValueHeader header = CoValueHeader.create("comap", new Ruleset.Group(node.me()), meta,
                CoValueHeader.isoTimestamp(node.now()), JsonValue.of(crypto.newUniqueness()));
        return node.locked(() -> {
            CoValueCore group = node.createCoValue(header);
            set(node, group.id(), node.me(), JsonValue.of(Roles.ADMIN));
            Crypto.NewKey key = crypto.newRandomKeySecret();
            revealTo(node, group, key.id(), key.secret(), node.me());
            set(node, group.id(), GroupKeys.READ_KEY, JsonValue.of(key.id().value()));
            set(node, group.id(), GroupKeys.GROUP_SEALER, JsonValue.of(key.id().value() + "@" + crypto.groupSealerFromReadKey(key.secret()).id().value()));
            return group.id();
        });
    }

    /**
     * Adds (or changes) a member: an account ID, an agent ID or {@code everyone}. As the reference's
     * {@code addMemberInternal}: the same role again writes nothing; a reader or more becoming
     * writeOnly first rotates the read key, which it must not keep.
     */
    public static void addMember(LocalNode node, RawCoID groupID, String member, String role) {
        node.inLock(() -> {
            CoValueCore group = node.require(groupID);
            requireGroup(group);
            String previous = GroupView.of(group, node).getString(member, null);
            if (role.equals(previous)) return;
            if (member.equals(Roles.EVERYONE)) {
                if (!role.equals(Roles.READER) && !role.equals(Roles.WRITER) && !role.equals(Roles.WRITE_ONLY)) {
                    throw new PermissionDeniedException("everyone can only be reader, writer or writeOnly, not " + role);
                }
                KeySecret secret = addersReadKey(node, group);
                KeyID readKey = currentReadKey(node, group);
                setRole(node, group, member, role);
                if (role.equals(Roles.WRITE_ONLY)) {
                    // The reference also writes a delete of <key>_for_everyone, which groups always
                    // reject (covalues.md §5.3 step 4): a permission-checked writer leaves it out.
                    if (Roles.READER.equals(previous) || Roles.WRITER.equals(previous)) {
                        KeyRotation.rotateReadKey(node, group, Roles.EVERYONE);
                    }
                } else {
                    set(node, groupID, readKey.value() + GroupKeys.FOR_EVERYONE, JsonValue.of(secret.value()));
                }
                return;
            }
            if (role.equals(Roles.WRITE_ONLY) || role.equals(Roles.WRITE_ONLY_INVITE)) {
                if (previous != null && Roles.CAN_READ.contains(previous)) KeyRotation.rotateReadKey(node, group, member);
                setRole(node, group, member, role);
                KeyRotation.newWriteKeyFor(node, group, member);
                return;
            }
            KeySecret secret = addersReadKey(node, group); // before the role: no member without the key
            KeyID readKey = currentReadKey(node, group);
            setRole(node, group, member, role);
            if (!READ_ROLES.contains(role)) return; // "revoked" (or a role groups reject): nothing to reveal
            revealTo(node, group, readKey, secret, member);
            for (KeyID writeKey : writeKeys(node, group)) {
                node.keys().readKey(group, writeKey).ifPresent(s -> revealTo(node, group, writeKey, s, member));
            }
        });
    }

    /**
     * Revokes a member. An admin or manager first rotates the read key of the group and of every
     * loaded group extending it (covalues.md §6.5), so the member cannot read anything written
     * afterwards; anyone may revoke themselves.
     */
    public static void removeMember(LocalNode node, RawCoID groupID, String member) {
        node.inLock(() -> {
            CoValueCore group = node.require(groupID);
            requireGroup(group);
            String myRole = node.myRoleIn(group, null);
            if (Roles.ADMIN.equals(myRole) || Roles.MANAGER.equals(myRole)) KeyRotation.rotateReadKey(node, group, member);
            set(node, groupID, member, JsonValue.of(Roles.REVOKED));
        });
    }

    /** Rotates the read key of {@code group} and of its loaded child groups (§6.5). */
    public static void rotateReadKey(LocalNode node, CoValueCore group, String excluded) {
        node.inLock(() -> KeyRotation.rotateReadKey(node, group, excluded));
    }

    /**
     * Makes {@code childID} inherit from {@code parentID} ({@code role} "extend" or a role), §5.6:
     * the child's read key and all its write-only keys become readable by the parent's members.
     * As in the reference, extending a parent that already reaches the child (a cycle) writes
     * nothing, and only an admin of the child may extend it.
     */
    public static void extend(LocalNode node, RawCoID childID, RawCoID parentID, String role) {
        node.inLock(() -> {
            CoValueCore child = node.require(childID);
            CoValueCore parent = node.require(parentID);
            requireGroup(child);
            requireGroup(parent);
            if (GroupView.isSelfExtension(childID, parentID, node)) return;
            if (!Roles.ADMIN.equals(node.myRoleIn(child, null))) {
                throw new PermissionDeniedException("To extend a group, the current account must be an admin in the child group");
            }
            set(node, childID, GroupKeys.PARENT + parentID.value(), JsonValue.of(role));
            KeyID childKey = currentReadKey(node, child);
            KeyRotation.revealToParent(node, child, parentID, childKey, secretOf(node, child, childKey));
            for (KeyID writeKey : writeKeys(node, child)) {
                node.keys().readKey(child, writeKey).ifPresent(s -> KeyRotation.revealToParent(node, child, parentID, writeKey, s));
            }
        });
    }

    /** Creates an invite for {@code role}; the returned secret lets its holder join (§5.8). */
    public static InviteSecret createInvite(LocalNode node, RawCoID groupID, String role) {
        return node.locked(() -> {
            CoValueCore group = node.require(groupID);
            requireGroup(group);
            InviteSecret secret = node.crypto().newRandomInviteSecret();
            AgentID invite = node.crypto().getAgentID(node.crypto().agentSecretFromInviteSecret(secret));
            addMember(node, groupID, invite.value(), role + "Invite");
            return secret;
        });
    }

    /**
     * Joins a group with an invite, as the reference's {@code LocalNode.acceptInvite}: a node acting
     * as the invite's agent, holding this node's accounts and the group with the groups it extends,
     * runs {@link #addMember} for this account with the invite's role, and its new transactions are
     * imported here. So the
     * invite writes what any admin's addMember writes: for writeOnly a write key of the member's own
     * (revealed to the member, the group's readers and its parents), otherwise the read key and
     * every write-only key the invite can read.
     */
    public static void acceptInvite(LocalNode node, RawCoID groupID, InviteSecret invite) {
        node.inLock(() -> {
            CoValueCore group = node.require(groupID);
            requireGroup(group);
            AgentSecret inviteAgent = node.crypto().agentSecretFromInviteSecret(invite);
            AgentID inviteID = node.crypto().getAgentID(inviteAgent);
            String inviteRole = GroupView.of(group, node).getString(inviteID.value(), null);
            if (inviteRole == null) throw new PermissionDeniedException("No invite found");
            if (wouldDowngrade(GroupView.of(group, node).getString(node.me(), null), inviteRole)) return;
            LocalNode asInvite = new LocalNode(node.crypto(), inviteAgent, null, null, node::now);
            for (RawCoID id : node.ids()) { // accounts first: they sign the groups' transactions
                CoValueCore c = node.get(id);
                if (c != null && c.header().isAccount()) asInvite.importContent(node.exportContent(id));
            }
            List<RawCoID> ancestors = ancestorsFirst(node, group); // addMember reads and reveals to parents
            for (RawCoID id : ancestors) asInvite.importContent(node.exportContent(id));
            addMember(asInvite, groupID, node.me(), roleOfInvite(inviteRole));
            node.importContent(asInvite.exportContent(groupID));
        });
    }

    /** {@code group} and every loaded group it extends, directly or not, ancestors before descendants. */
    private static List<RawCoID> ancestorsFirst(LocalNode node, CoValueCore group) {
        List<RawCoID> order = new ArrayList<>();
        java.util.Deque<RawCoID> queue = new java.util.ArrayDeque<>(List.of(group.id()));
        java.util.Set<RawCoID> seen = new java.util.HashSet<>(queue);
        while (!queue.isEmpty()) {
            RawCoID id = queue.poll();
            order.add(id);
            for (RawCoID p : GroupView.of(node.require(id), node).activeParents()) {
                if (node.get(p) != null && seen.add(p)) queue.add(p);
            }
        }
        java.util.Collections.reverse(order);
        return order;
    }

    /** The role an invite grants (the reference's mapping: anything unknown grants reader). */
    static String roleOfInvite(String inviteRole) {
        switch (inviteRole) {
            case Roles.ADMIN_INVITE: return Roles.ADMIN;
            case Roles.MANAGER_INVITE: return Roles.MANAGER;
            case Roles.WRITER_INVITE: return Roles.WRITER;
            case Roles.WRITE_ONLY_INVITE: return Roles.WRITE_ONLY;
            default: return Roles.READER;
        }
    }

    /**
     * The reference's rule for an invite that would replace or downgrade the current role (it is
     * then not accepted). As in the reference, a writer accepting a readerInvite becomes a reader.
     */
    static boolean wouldDowngrade(String existing, String inviteRole) {
        return Roles.ADMIN.equals(existing)
                || (Roles.WRITER.equals(existing) && inviteRole.equals(Roles.WRITER_INVITE))
                || (Roles.READER.equals(existing) && inviteRole.equals(Roles.READER_INVITE))
                || (existing != null && inviteRole.equals(Roles.WRITE_ONLY_INVITE));
    }

    // ---- helpers ----

    /** The current read key, which addMember needs for any role but writeOnly (the reference's check and words). */
    private static KeySecret addersReadKey(LocalNode node, CoValueCore group) {
        String k = GroupView.of(group, node).getString(GroupKeys.READ_KEY, null);
        KeySecret secret = k == null ? null : node.keys().readKey(group, new KeyID(k)).orElse(null);
        if (secret == null) throw new PermissionDeniedException("Can't add member without read key secret");
        return secret;
    }

    /**
     * Sets a member's role. The reference writes the role, then throws if the group did not accept
     * it; this writer refuses the transaction instead (it is never written), with the reference's words.
     */
    private static void setRole(LocalNode node, CoValueCore group, String member, String role) {
        try {
            set(node, group.id(), member, JsonValue.of(role));
        } catch (PermissionDeniedException e) {
            String mine = node.myRoleIn(group, null);
            throw new PermissionDeniedException("Failed to set role " + role + " to " + member + " (role of current account is "
                    + (mine == null ? "undefined" : mine) + ")", e);
        }
    }

    static JsonValue setChange(String key, JsonValue value) {
        return JsonValue.obj("op", JsonValue.of("set"), "key", JsonValue.of(key), "value", value);
    }

    static void set(LocalNode node, RawCoID id, String key, JsonValue value) {
        node.write(id, List.of(setChange(key, value)), null, false);
    }

    /** Writes {@code <keyID>_for_<member>}: the secret sealed from this agent to the member's agent. */
    static void revealTo(LocalNode node, CoValueCore group, KeyID keyID, KeySecret secret, String member) {
        AgentID target = SignerResolution.agentOf(member, node);
        TransactionID tx = new TransactionID(node.writeSessionFor(group), node.nextTxIndex(group));
        JsonValue sealed = JsonValue.of(node.crypto().seal(JsonValue.of(secret.value()), node.agentSecret().sealer(),
                target.sealer(), tx.nonceMaterial(group.id())).value());
        set(node, group.id(), keyID.value() + GroupKeys.FOR + member, sealed);
    }

    static KeyID currentReadKey(LocalNode node, CoValueCore group) {
        String k = GroupView.of(group, node).getString(GroupKeys.READ_KEY, null);
        if (k == null) throw new PermissionDeniedException("group " + group.id() + " has no read key");
        return new KeyID(k);
    }

    static KeySecret secretOf(LocalNode node, CoValueCore group, KeyID key) {
        return node.keys().readKey(group, key)
                .orElseThrow(() -> new PermissionDeniedException("this node cannot read key " + key + " of " + group.id()));
    }

    private static List<KeyID> writeKeys(LocalNode node, CoValueCore group) {
        List<KeyID> out = new ArrayList<>();
        GroupView v = GroupView.of(group, node);
        for (String k : v.keys()) {
            if (k.startsWith(GroupKeys.WRITE_KEY_FOR) && v.get(k, null) instanceof JsonValue.Str s) out.add(new KeyID(s.value()));
        }
        return out;
    }

    /** Keys of the view that name members (accounts and agents). */
    static List<String> directMembers(GroupView v) {
        List<String> out = new ArrayList<>();
        for (String k : v.keys()) {
            boolean agent = AgentID.looksLikeAgentID(k) && !k.contains(GroupKeys.FOR) && !k.contains("_session");
            if (RawCoID.isValid(k) || agent) out.add(k);
        }
        return out;
    }

    private static void requireGroup(CoValueCore group) {
        if (!group.isGroupOrAccount() || group.header().isAccount()) {
            throw new PermissionDeniedException(group.id() + " is not a group (accounts cannot add members, extend or invite)");
        }
    }
}
