package io.cojson.core.node;

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
            set(node, group.id(), "readKey", JsonValue.of(key.id().value()));
            set(node, group.id(), "groupSealer", JsonValue.of(key.id().value() + "@" + crypto.groupSealerFromReadKey(key.secret()).id().value()));
            return group.id();
        });
    }

    /** Adds (or changes) a member: an account ID, an agent ID or {@code everyone}. */
    public static void addMember(LocalNode node, RawCoID groupID, String member, String role) {
        node.inLock(() -> {
            CoValueCore group = node.require(groupID);
            requireGroup(group);
            if (member.equals(Roles.EVERYONE)) {
                set(node, groupID, member, JsonValue.of(role));
                if (role.equals(Roles.READER) || role.equals(Roles.WRITER)) {
                    KeyID readKey = currentReadKey(node, group);
                    set(node, groupID, readKey.value() + "_for_everyone", JsonValue.of(secretOf(node, group, readKey).value()));
                }
                return;
            }
            if (role.equals(Roles.WRITE_ONLY) || role.equals(Roles.WRITE_ONLY_INVITE)) {
                set(node, groupID, member, JsonValue.of(role));
                newWriteKeyFor(node, group, member);
                return;
            }
            set(node, groupID, member, JsonValue.of(role));
            if (READ_ROLES.contains(role)) {
                KeyID readKey = currentReadKey(node, group);
                revealTo(node, group, readKey, secretOf(node, group, readKey), member);
                for (KeyID writeKey : writeKeys(node, group)) {
                    node.keys().readKey(group, writeKey).ifPresent(s -> revealTo(node, group, writeKey, s, member));
                }
            }
        });
    }

    /** Rotates the read key (so the member cannot read new content), then revokes the member. */
    public static void removeMember(LocalNode node, RawCoID groupID, String member) {
        node.inLock(() -> {
            CoValueCore group = node.require(groupID);
            requireGroup(group);
            String everyone = group.groupView(node).getString(Roles.EVERYONE, null);
            boolean everyoneReads = everyone != null && (everyone.equals(Roles.READER) || everyone.equals(Roles.WRITER));
            if (!everyoneReads || member.equals(Roles.EVERYONE)) rotateReadKey(node, group, member);
            set(node, groupID, member, JsonValue.of(Roles.REVOKED));
        });
    }

    /** A new read key revealed to every remaining reader, chained from the old one (§6.5). */
    public static void rotateReadKey(LocalNode node, CoValueCore group, String excluded) {
        Crypto crypto = node.crypto();
        GroupView v = group.groupView(node);
        KeyID oldKey = currentReadKey(node, group);
        KeySecret oldSecret = secretOf(node, group, oldKey);
        Crypto.NewKey fresh = crypto.newRandomKeySecret();
        for (String member : directMembers(v)) {
            String role = v.getString(member, null);
            if (member.equals(excluded) || role == null || !READ_ROLES.contains(role)) continue;
            revealTo(node, group, fresh.id(), fresh.secret(), member);
        }
        for (String member : directMembers(v)) {
            String role = v.getString(member, null);
            if (member.equals(excluded) || !(Roles.WRITE_ONLY.equals(role) || Roles.WRITE_ONLY_INVITE.equals(role))) continue;
            newWriteKeyFor(node, group, member);
        }
        set(node, group.id(), oldKey.value() + "_for_" + fresh.id().value(),
                crypto.encryptKeySecret(oldKey, oldSecret, fresh.id(), fresh.secret()).get("encrypted"));
        set(node, group.id(), "readKey", JsonValue.of(fresh.id().value()));
        set(node, group.id(), "groupSealer",
                JsonValue.of(fresh.id().value() + "@" + crypto.groupSealerFromReadKey(fresh.secret()).id().value()));
        for (RawCoID parentID : v.activeParents()) {
            CoValueCore parent = node.get(parentID);
            if (parent == null) continue;
            String parentKey = parent.groupView(node).getString("readKey", null);
            if (parentKey == null) continue;
            node.keys().readKey(parent, new KeyID(parentKey)).ifPresent(ps -> set(node, group.id(),
                    fresh.id().value() + "_for_" + parentKey,
                    crypto.encryptKeySecret(fresh.id(), fresh.secret(), new KeyID(parentKey), ps).get("encrypted")));
        }
    }

    /** Makes {@code childID} inherit from {@code parentID} ({@code role} "extend" or a role), §5.6. */
    public static void extend(LocalNode node, RawCoID childID, RawCoID parentID, String role) {
        node.inLock(() -> {
            CoValueCore child = node.require(childID);
            CoValueCore parent = node.require(parentID);
            requireGroup(child);
            requireGroup(parent);
            set(node, childID, "parent_" + parentID.value(), JsonValue.of(role));
            KeyID childKey = currentReadKey(node, child);
            KeySecret childSecret = secretOf(node, child, childKey);
            GroupView pv = parent.groupView(node);
            String parentKey = pv.getString("readKey", null);
            KeySecret parentSecret = parentKey == null ? null : node.keys().readKey(parent, new KeyID(parentKey)).orElse(null);
            if (parentSecret != null) {
                set(node, childID, childKey.value() + "_for_" + parentKey,
                        node.crypto().encryptKeySecret(childKey, childSecret, new KeyID(parentKey), parentSecret).get("encrypted"));
            } else {
                String sealer = pv.getString("groupSealer", null);
                if (sealer == null || !sealer.contains("@")) {
                    throw new PermissionDeniedException("cannot share the key with parent " + parentID + ": not a member and no groupSealer");
                }
                String sealerID = sealer.substring(sealer.indexOf('@') + 1);
                TransactionID tx = new TransactionID(node.writeSessionFor(child), node.nextTxIndex(child));
                JsonValue sealed = JsonValue.of(node.crypto().sealForGroup(JsonValue.of(childSecret.value()),
                        new io.cojson.core.ids.SealerID(sealerID), tx.nonceMaterial(childID)).value());
                set(node, childID, childKey.value() + "_sealedFor_" + sealerID, sealed);
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

    /** Joins a group with an invite: authoring as the invite's agent, grants this account the role. */
    public static void acceptInvite(LocalNode node, RawCoID groupID, InviteSecret invite) {
        node.inLock(() -> {
            CoValueCore group = node.require(groupID);
            AgentSecret inviteAgent = node.crypto().agentSecretFromInviteSecret(invite);
            AgentID inviteID = node.crypto().getAgentID(inviteAgent);
            String inviteRole = group.groupView(node).getString(inviteID.value(), null);
            if (inviteRole == null || !inviteRole.endsWith("Invite")) throw new PermissionDeniedException("not a valid invite for " + groupID);
            String role = inviteRole.substring(0, inviteRole.length() - "Invite".length());
            SessionID session = node.crypto().newRandomSessionID(inviteID.value());
            node.writeAsAgent(groupID, inviteAgent, session, List.of(setChange(node.me(), JsonValue.of(role))));
            if (!role.equals(Roles.WRITE_ONLY)) {
                String readKey = group.groupView(node).getString("readKey", null);
                KeySecret secret = readKey == null ? null : new io.cojson.core.groups.KeyResolver(node.crypto(), node,
                        new io.cojson.core.groups.ReaderIdentity(null, inviteAgent, inviteID, java.util.Map.of()))
                        .readKey(group, new KeyID(readKey)).orElse(null);
                if (secret != null) {
                    TransactionID tx = new TransactionID(session, 1);
                    AgentID target = SignerResolution.agentOf(node.me(), node);
                    JsonValue sealed = JsonValue.of(node.crypto().seal(JsonValue.of(secret.value()), inviteAgent.sealer(),
                            target.sealer(), tx.nonceMaterial(groupID)).value());
                    node.writeAsAgent(groupID, inviteAgent, session, List.of(setChange(readKey + "_for_" + node.me(), sealed)));
                }
            }
        });
    }

    // ---- helpers ----

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
        set(node, group.id(), keyID.value() + "_for_" + member, sealed);
    }

    private static void newWriteKeyFor(LocalNode node, CoValueCore group, String member) {
        Crypto.NewKey key = node.crypto().newRandomKeySecret();
        set(node, group.id(), "writeKeyFor_" + member, JsonValue.of(key.id().value()));
        revealTo(node, group, key.id(), key.secret(), member);
        GroupView v = group.groupView(node);
        for (String other : directMembers(v)) {
            String role = v.getString(other, null);
            if (other.equals(member) || role == null || !READ_ROLES.contains(role)) continue;
            revealTo(node, group, key.id(), key.secret(), other);
        }
    }

    static KeyID currentReadKey(LocalNode node, CoValueCore group) {
        String k = group.groupView(node).getString("readKey", null);
        if (k == null) throw new PermissionDeniedException("group " + group.id() + " has no read key");
        return new KeyID(k);
    }

    static KeySecret secretOf(LocalNode node, CoValueCore group, KeyID key) {
        return node.keys().readKey(group, key)
                .orElseThrow(() -> new PermissionDeniedException("this node cannot read key " + key + " of " + group.id()));
    }

    private static List<KeyID> writeKeys(LocalNode node, CoValueCore group) {
        List<KeyID> out = new ArrayList<>();
        GroupView v = group.groupView(node);
        for (String k : v.keys()) {
            if (k.startsWith("writeKeyFor_") && v.get(k, null) instanceof JsonValue.Str s) out.add(new KeyID(s.value()));
        }
        return out;
    }

    /** Keys of the view that name members (accounts and agents). */
    private static List<String> directMembers(GroupView v) {
        List<String> out = new ArrayList<>();
        for (String k : v.keys()) {
            boolean agent = AgentID.looksLikeAgentID(k) && !k.contains("_for_") && !k.contains("_session");
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
