package io.cojson.core.node;

import io.cojson.core.groups.GroupKeys;
import io.cojson.core.covalue.CoValueCore;
import io.cojson.core.crypto.Crypto;
import io.cojson.core.groups.GroupView;
import io.cojson.core.groups.Roles;
import io.cojson.core.header.Ruleset;
import io.cojson.core.ids.KeyID;
import io.cojson.core.ids.KeySecret;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SealerID;
import io.cojson.core.ids.TransactionID;
import io.cojson.core.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Read-key rotation and write-only keys, as the reference's {@code rotateReadKey} and
 * {@code internalCreateWriteOnlyKeyForMember} write them (covalues.md §5.7, §6.5). Rotation
 * reaches every loaded group that extends the rotated one, recursively: without that step a
 * member removed from a parent keeps reading whatever is written in its child groups.
 */
final class KeyRotation {
    private static final Logger LOG = LoggerFactory.getLogger(KeyRotation.class);

    /** Direct roles that receive a new read key (the reference's {@code canRead}; not managerInvite). */
    static final Set<String> ROTATION_READERS = Set.of(Roles.ADMIN, Roles.MANAGER, Roles.WRITER, Roles.READER,
            Roles.ADMIN_INVITE, Roles.WRITER_INVITE, Roles.READER_INVITE);
    private static final Set<String> ACCOUNT_ROLES = Set.of(Roles.ADMIN, Roles.MANAGER, Roles.WRITER, Roles.READER,
            Roles.WRITE_ONLY);

    private KeyRotation() {}

    /**
     * Rotates {@code group}'s read key so that {@code removed} (a member key, {@code everyone}, or
     * null) cannot read what is written afterwards, then rotates every loaded child group. Skipped
     * when everyone can read the group, unless everyone is the one removed.
     */
    static void rotateReadKey(LocalNode node, CoValueCore group, String removed) {
        GroupView v = GroupView.of(group, node);
        if (!Roles.EVERYONE.equals(removed) && canRead(v, Roles.EVERYONE)) return;
        Crypto crypto = node.crypto();
        List<String> members = new ArrayList<>();
        for (String m : GroupOperations.directMembers(v)) if (!m.equals(removed)) members.add(m);
        List<String> readers = new ArrayList<>();
        List<String> writeOnly = new ArrayList<>();
        for (String m : members) {
            String role = v.getString(m, null);
            if (role == null) continue;
            if (ROTATION_READERS.contains(role)) readers.add(m);
            if (role.equals(Roles.WRITE_ONLY) || role.equals(Roles.WRITE_ONLY_INVITE)) writeOnly.add(m);
        }
        List<RawCoID> parents = v.activeParents();
        KeyID oldKey = GroupOperations.currentReadKey(node, group);
        KeySecret oldSecret = GroupOperations.secretOf(node, group, oldKey);
        Crypto.NewKey fresh = crypto.newRandomKeySecret();
        // 1. the new read key to every remaining reader
        for (String reader : readers) GroupOperations.revealTo(node, group, fresh.id(), fresh.secret(), reader);
        // 2. a new write key per remaining writeOnly member, revealed to it, the readers and the parents
        for (String member : writeOnly) {
            Crypto.NewKey writeKey = crypto.newRandomKeySecret();
            GroupOperations.revealTo(node, group, writeKey.id(), writeKey.secret(), member);
            GroupOperations.set(node, group.id(), GroupKeys.WRITE_KEY_FOR + member, JsonValue.of(writeKey.id().value()));
            for (String reader : readers) GroupOperations.revealTo(node, group, writeKey.id(), writeKey.secret(), reader);
            for (RawCoID p : parents) revealToParent(node, group, p, writeKey.id(), writeKey.secret());
        }
        // 3.–5. the old key readable with the new one; the new key and its group sealer current
        GroupOperations.set(node, group.id(), oldKey.value() + GroupKeys.FOR + fresh.id().value(),
                crypto.encryptKeySecret(oldKey, oldSecret, fresh.id(), fresh.secret()).get("encrypted"));
        GroupOperations.set(node, group.id(), GroupKeys.READ_KEY, JsonValue.of(fresh.id().value()));
        GroupOperations.set(node, group.id(), GroupKeys.GROUP_SEALER,
                JsonValue.of(fresh.id().value() + "@" + crypto.groupSealerFromReadKey(fresh.secret()).id().value()));
        // 6. the new key readable by the parents' members (only where we hold the parent's key)
        for (RawCoID parentID : parents) {
            CoValueCore parent = node.get(parentID);
            if (parent == null) continue;
            String parentKey = GroupView.of(parent, node).getString(GroupKeys.READ_KEY, null);
            if (parentKey == null) continue;
            KeySecret ps = node.keys().readKey(parent, new KeyID(parentKey)).orElse(null);
            if (ps == null) {
                LOG.warn("cannot reveal the new key of {} to parent {}: its read key is not accessible", group.id(), parentID);
                continue;
            }
            GroupOperations.set(node, group.id(), fresh.id().value() + GroupKeys.FOR + parentKey,
                    crypto.encryptKeySecret(fresh.id(), fresh.secret(), new KeyID(parentKey), ps).get("encrypted"));
        }
        // 7. every loaded child group, recursively (the reference does not de-duplicate: a child
        // reached twice through a diamond rotates twice, so its final key is revealed only to
        // parent keys that were already rotated)
        for (CoValueCore child : loadedChildren(node, group)) {
            if (GroupView.isSelfExtension(child.id(), group.id(), node)) continue;
            String why = cannotRotate(node, child);
            if (why != null) {
                LOG.warn("cannot rotate the read key of child group {} of {}: {}", child.id(), group.id(), why);
                continue;
            }
            rotateReadKey(node, child, removed);
        }
    }

    /**
     * Creates {@code writeKeyFor_<member>} and reveals it to the member, to every member that can
     * read the group and to the parent groups (the reference's
     * {@code internalCreateWriteOnlyKeyForMember}).
     */
    static void newWriteKeyFor(LocalNode node, CoValueCore group, String member) {
        Crypto.NewKey key = node.crypto().newRandomKeySecret();
        GroupOperations.set(node, group.id(), GroupKeys.WRITE_KEY_FOR + member, JsonValue.of(key.id().value()));
        GroupOperations.revealTo(node, group, key.id(), key.secret(), member);
        GroupView v = GroupView.of(group, node);
        for (String other : GroupOperations.directMembers(v)) {
            String role = v.getString(other, null);
            if (role == null || !ROTATION_READERS.contains(role)) continue;
            GroupOperations.revealTo(node, group, key.id(), key.secret(), other);
        }
        for (RawCoID p : v.activeParents()) revealToParent(node, group, p, key.id(), key.secret());
    }

    /**
     * Makes {@code keyID} of {@code group} readable by the members of {@code parentID}: encrypted with
     * the parent's read key when this node is an account member of the parent, else sealed to the
     * parent's group sealer (the reference's {@code revealReadKeyToParentGroup}).
     */
    static void revealToParent(LocalNode node, CoValueCore group, RawCoID parentID, KeyID keyID, KeySecret secret) {
        CoValueCore parent = node.get(parentID);
        if (parent == null) {
            LOG.warn("cannot reveal key {} of {} to parent {}: the parent is not loaded", keyID, group.id(), parentID);
            return;
        }
        GroupView pv = GroupView.of(parent, node);
        String myRole = node.myRoleIn(parent, null);
        String parentKey = pv.getString(GroupKeys.READ_KEY, null);
        KeySecret parentSecret = parentKey == null ? null : node.keys().readKey(parent, new KeyID(parentKey)).orElse(null);
        if ((myRole == null || !ACCOUNT_ROLES.contains(myRole)) || parentSecret == null) {
            String sealer = pv.getString(GroupKeys.GROUP_SEALER, null);
            if (sealer != null) {
                String sealerID = sealer.contains("@") ? sealer.substring(sealer.indexOf('@') + 1) : sealer;
                TransactionID tx = new TransactionID(node.writeSessionFor(group), node.nextTxIndex(group));
                JsonValue sealed = JsonValue.of(node.crypto().sealForGroup(JsonValue.of(secret.value()),
                        new SealerID(sealerID), tx.nonceMaterial(group.id())).value());
                GroupOperations.set(node, group.id(), keyID.value() + GroupKeys.SEALED_FOR + sealerID, sealed);
                return;
            }
            if (parentSecret == null) {
                throw new PermissionDeniedException("cannot share key " + keyID + " with parent " + parentID
                        + ": its read key is not accessible and it has no groupSealer");
            }
        }
        GroupOperations.set(node, group.id(), keyID.value() + GroupKeys.FOR + parentKey,
                node.crypto().encryptKeySecret(keyID, secret, new KeyID(parentKey), parentSecret).get("encrypted"));
    }

    /** Loaded groups whose current {@code parent_<group>} entry is not revoked, in load order. */
    static List<CoValueCore> loadedChildren(LocalNode node, CoValueCore group) {
        String parentKey = GroupKeys.PARENT + group.id().value();
        List<CoValueCore> out = new ArrayList<>();
        for (RawCoID id : node.ids()) {
            CoValueCore c = node.get(id);
            if (c == null || c == group || !(c.header().ruleset() instanceof Ruleset.Group) || c.header().isAccount()) continue;
            String mapping = GroupView.of(c, node).getString(parentKey, null);
            if (mapping != null && !mapping.equals(Roles.REVOKED)) out.add(c);
        }
        return out;
    }

    /**
     * Why this node cannot rotate {@code child}, or null. The reference skips a child whose read key
     * it cannot read; a child where it is not admin or manager would get only invalid transactions
     * there, which a permission-checked writer does not sign.
     */
    private static String cannotRotate(LocalNode node, CoValueCore child) {
        String role = node.myRoleIn(child, null);
        if (!Roles.ADMIN.equals(role) && !Roles.MANAGER.equals(role)) return "this account is " + role + " there, not admin or manager";
        String readKey = GroupView.of(child, node).getString(GroupKeys.READ_KEY, null);
        if (readKey == null) return "it has no read key";
        if (!node.keys().readKey(child, new KeyID(readKey)).isPresent()) return "its read key is not accessible";
        return null;
    }

    private static boolean canRead(GroupView v, String member) {
        String role = v.getString(member, null);
        return role != null && ROTATION_READERS.contains(role);
    }
}
