package io.cojson.core.values;

import io.cojson.core.groups.GroupView;
import io.cojson.core.content.CoListContent;
import io.cojson.core.covalue.CoValueCore;
import io.cojson.core.groups.Roles;
import io.cojson.core.ids.InviteSecret;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.node.Accounts;
import io.cojson.core.node.GroupOperations;
import io.cojson.core.node.LocalNode;
import io.cojson.core.node.PermissionDeniedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A group: members with roles, and the keys that encrypt the values it owns. Membership changes
 * write exactly the transactions the reference writes (removing a member rotates the key).
 */
public final class Group extends CoValue {
    /** The member name that stands for everyone, e.g. {@code addMember(Group.EVERYONE, Role.READER)}. */
    public static final String EVERYONE = Roles.EVERYONE;

    Group(CojsonNode node, RawCoID id) {
        super(node, id, false);
    }

    /** The current role of an account, an agent or {@link #EVERYONE}, including inherited roles; null if none. */
    public Role roleOf(String member) {
        LocalNode n = local();
        return n.locked(() -> Role.fromWire(GroupView.of(n.require(id), n).roleOf(member, null, n)));
    }

    public Role roleOf(RawCoID account) {
        return roleOf(account.value());
    }

    /** This node's role in the group, or null. */
    public Role myRole() {
        LocalNode n = local();
        return n.locked(() -> Role.fromWire(n.myRoleIn(n.require(id), null)));
    }

    /**
     * Adds a member or changes its role. An account must be loaded on this node (its agent receives
     * the key); {@code member} may also be an agent ID or {@link #EVERYONE}.
     */
    public Group addMember(String member, Role role) {
        GroupOperations.addMember(local(), id, member, role.wireName());
        return this;
    }

    public Group addMember(RawCoID account, Role role) {
        return addMember(account.value(), role);
    }

    /** Revokes a member after rotating the read key, so it cannot read anything written afterwards. */
    public Group removeMember(String member) {
        GroupOperations.removeMember(local(), id, member);
        return this;
    }

    public Group removeMember(RawCoID account) {
        return removeMember(account.value());
    }

    /** Makes members of {@code parent} members of this group with the role they have there. */
    public Group extend(Group parent) {
        GroupOperations.extend(local(), id, parent.id(), "extend");
        return this;
    }

    /** Makes members of {@code parent} members of this group with {@code role}. */
    public Group extend(Group parent, Role role) {
        GroupOperations.extend(local(), id, parent.id(), role.wireName());
        return this;
    }

    /** An invite: whoever holds the secret can join with {@code role} ({@link CojsonNode#acceptInvite}). */
    public InviteSecret createInvite(Role role) {
        return GroupOperations.createInvite(local(), id, role.wireName());
    }

    public CoMap createMap() {
        return createMap(Map.of());
    }

    /** A map owned by this group, with {@code init} written in its first transaction. */
    public CoMap createMap(Map<String, JsonValue> init) {
        return local().locked(() -> new CoMap(node, create("comap", JsonValue.NULL), true).setAll(init));
    }

    public CoList createList() {
        return createList(List.of());
    }

    /** A list owned by this group, with {@code init} appended in its first transaction. */
    public CoList createList(List<JsonValue> init) {
        return local().locked(() -> {
            CoList list = new CoList(node, create("colist", JsonValue.NULL), true);
            if (!init.isEmpty()) list.write(new CoListContent().appendChanges(new ArrayList<>(init), null));
            return list;
        });
    }

    public CoStream createStream() {
        return new CoStream(node, create("costream", JsonValue.NULL), true);
    }

    public BinaryCoStream createBinaryStream() {
        return new BinaryCoStream(node, create("costream", JsonValue.obj("type", JsonValue.of("binary"))), true);
    }

    public CoPlainText createPlainText() {
        return createPlainText("");
    }

    /** A plain text owned by this group, starting with {@code text}. */
    public CoPlainText createPlainText(String text) {
        return local().locked(() -> {
            CoPlainText t = new CoPlainText(node, create("coplaintext", JsonValue.NULL), true);
            if (!text.isEmpty()) t.insertAfter(0, text);
            return t;
        });
    }

    /** Calls {@code listener} after every change of this group (members, keys) or of its parents. */
    public Subscription subscribe(Consumer<Group> listener) {
        return listen(() -> listener.accept(this));
    }

    private RawCoID create(String type, JsonValue meta) {
        LocalNode n = local();
        CoValueCore group = n.require(id);
        String role = n.myRoleIn(group, null);
        if (role == null || !Roles.CAN_WRITE.contains(role)) {
            throw new PermissionDeniedException("role " + role + " in " + id + " cannot create values in it");
        }
        return Accounts.createOwned(n, type, id, meta);
    }
}
