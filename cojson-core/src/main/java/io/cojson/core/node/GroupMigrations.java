package io.cojson.core.node;

import io.cojson.core.groups.GroupKeys;
import io.cojson.core.covalue.CoValueCore;
import io.cojson.core.groups.GroupView;
import io.cojson.core.groups.Roles;
import io.cojson.core.header.Ruleset;
import io.cojson.core.ids.InvalidIdException;
import io.cojson.core.ids.KeyID;
import io.cojson.core.ids.KeySecret;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.json.JsonValue;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The migrations the reference runs, as the current account, when a group (not an account)
 * becomes completely downloaded (covalues.md §6.6; {@code RawGroup.migrate} in cojson 0.20.19):
 * <ol>
 *   <li>{@code healMissingKeyForEveryone}: {@code everyone} can read but the current read key has
 *       no {@code <readKey>_for_everyone}: if this account can read, it reveals the key to everyone;
 *   <li>{@code healMissingGroupSealer}: no {@code groupSealer}, and this account is a <em>direct</em>
 *       admin or manager: it writes {@code <readKey>@<SealerID>}, derived from the read key.
 * </ol>
 * Both writes are deterministic in value, so parallel migrations by several members agree. Callers
 * run it once the group and what it depends on are loaded (the sync layer, after a load).
 */
public final class GroupMigrations {
    /** The reference's {@code canRead}: note that {@code managerInvite} is not among them. */
    private static final Set<String> CAN_READ = Set.of(Roles.ADMIN, Roles.MANAGER, Roles.WRITER, Roles.READER,
            Roles.ADMIN_INVITE, Roles.WRITER_INVITE, Roles.READER_INVITE);

    private GroupMigrations() {}

    /** What {@link #run} wrote. */
    public enum Healed { KEY_FOR_EVERYONE, GROUP_SEALER }

    /**
     * Runs both migrations on {@code groupID} if it is a loaded plain group; returns what was
     * written (nothing for accounts, other values, or groups that need no healing).
     */
    public static List<Healed> run(LocalNode node, RawCoID groupID) {
        return node.locked(() -> {
            CoValueCore group = node.get(groupID);
            if (group == null || !(group.header().ruleset() instanceof Ruleset.Group) || group.header().isAccount()) {
                return List.of();
            }
            List<Healed> done = new java.util.ArrayList<>(2);
            if (healMissingKeyForEveryone(node, group)) done.add(Healed.KEY_FOR_EVERYONE);
            if (healMissingGroupSealer(node, group)) done.add(Healed.GROUP_SEALER);
            return List.copyOf(done);
        });
    }

    private static boolean healMissingKeyForEveryone(LocalNode node, CoValueCore group) {
        GroupView v = GroupView.of(group, node);
        String readKey = v.getString(GroupKeys.READ_KEY, null);
        if (readKey == null || !canRead(v, Roles.EVERYONE) || v.get(readKey + GroupKeys.FOR_EVERYONE, null) != null) return false;
        // Otherwise the reference remembers the newest GroupKeys.FOR_EVERYONE key as the group's current key
        // (node-local, no write): see lastReadableKey, which LocalNode#currentKeyID consults.
        if (!canRead(v, node.me())) return false;
        Optional<KeySecret> secret = secret(node, group, readKey);
        if (!secret.isPresent()) return false;
        return write(node, group, readKey + GroupKeys.FOR_EVERYONE, secret.get().value());
    }

    /**
     * The key the reference's {@code healMissingKeyForEveryone} makes current when this account
     * cannot read the group's read key, everyone can read, and that key was never revealed to
     * everyone: the {@code key_…_for_everyone} entry set last (by madeAt; the first seen on ties).
     * Null when that case does not apply. Private writes then use it, readable by everyone.
     */
    public static KeyID lastReadableKey(LocalNode node, CoValueCore group) {
        if (!(group.header().ruleset() instanceof Ruleset.Group) || group.header().isAccount()) return null;
        GroupView v = GroupView.of(group, node);
        String readKey = v.getString(GroupKeys.READ_KEY, null);
        if (readKey == null || !canRead(v, Roles.EVERYONE) || v.get(readKey + GroupKeys.FOR_EVERYONE, null) != null
                || canRead(v, node.me())) {
            return null;
        }
        String latest = null;
        long latestAt = 0;
        for (String key : v.keys()) {
            if (!key.startsWith("key_") || !key.endsWith(GroupKeys.FOR_EVERYONE)) continue;
            GroupView.Edit e = v.lastEdit(key, null);
            if (latest == null || (e != null && e.madeAt() > latestAt)) {
                latest = key;
                latestAt = e == null ? 0 : e.madeAt();
            }
        }
        if (latest == null) return null;
        try {
            return new KeyID(latest.substring(0, latest.length() - GroupKeys.FOR_EVERYONE.length()));
        } catch (InvalidIdException e) {
            return null;
        }
    }

    private static boolean healMissingGroupSealer(LocalNode node, CoValueCore group) {
        GroupView v = GroupView.of(group, node);
        if (truthy(v.get(GroupKeys.GROUP_SEALER, null))) return false;
        String direct = v.getString(node.me(), null); // direct membership only, as the reference checks
        if (!Roles.ADMIN.equals(direct) && !Roles.MANAGER.equals(direct)) return false;
        String readKey = v.getString(GroupKeys.READ_KEY, null);
        if (readKey == null) return false;
        Optional<KeySecret> secret = secret(node, group, readKey);
        if (!secret.isPresent()) return false;
        String sealer = node.crypto().groupSealerFromReadKey(secret.get()).id().value();
        return write(node, group, GroupKeys.GROUP_SEALER, readKey + "@" + sealer);
    }

    /** The reference's {@code canRead(group, key)}: the raw (direct) value of the member's entry. */
    private static boolean canRead(GroupView v, String member) {
        String role = v.getString(member, null);
        return role != null && CAN_READ.contains(role);
    }

    private static Optional<KeySecret> secret(LocalNode node, CoValueCore group, String keyID) {
        try {
            return node.keys().readKey(group, new KeyID(keyID));
        } catch (InvalidIdException e) {
            return Optional.empty();
        }
    }

    /**
     * A trusting set, as {@code group.set(key, value, "trusting")}. Where the group's rules refuse
     * it (a reader revealing to everyone) the reference still writes a transaction that every peer
     * marks invalid; this node writes nothing instead (same content, no dead transaction).
     */
    private static boolean write(LocalNode node, CoValueCore group, String key, String value) {
        try {
            node.write(group.id(), List.of(JsonValue.obj("op", JsonValue.of("set"), "key", JsonValue.of(key),
                    "value", JsonValue.of(value))), null, false);
            return true;
        } catch (PermissionDeniedException e) {
            return false;
        }
    }

    private static boolean truthy(JsonValue v) {
        if (v == null || v == JsonValue.NULL) return false;
        if (v instanceof JsonValue.Str s) return !s.value().isEmpty();
        if (v instanceof JsonValue.Bool b) return b.value();
        if (v instanceof JsonValue.Num n) return n.value() != 0 && !Double.isNaN(n.value());
        return true;
    }
}
