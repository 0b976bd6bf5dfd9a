package io.cojson.core.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.content.CoMapContent;
import io.cojson.core.covalue.TransactionDecoder;
import io.cojson.core.crypto.Crypto;
import io.cojson.core.groups.GroupView;
import io.cojson.core.groups.Roles;
import io.cojson.core.ids.KeyID;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Removing a member rotates the keys of the group and of every loaded group extending it
 * (covalues.md §6.5 step 7): the removed member reads nothing written afterwards anywhere below.
 */
class KeyRotationTest {
    static final Crypto CRYPTO = Crypto.create();

    /** Nodes sharing one ticking clock (distinct madeAt values). */
    static final class World {
        final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
        final LocalNode admin = node("Admin");
        final LocalNode member = node("Member");
        final LocalNode keeper = node("Keeper");

        LocalNode node(String name) {
            return Accounts.create(CRYPTO, CRYPTO.newRandomAgentSecret(), name, clock::incrementAndGet);
        }

        /** The admin learns the other accounts (it seals keys to their agents). */
        World accountsKnown() {
            for (LocalNode n : List.of(member, keeper)) LocalNodeTest.copy(n, admin, n.accountID());
            return this;
        }

        /** A fresh node of {@code who}'s account with everything the admin has: what a sync would give it. */
        LocalNode everythingSyncedTo(LocalNode who) {
            for (RawCoID id : admin.ids()) {
                if (who.get(id) == null) LocalNodeTest.copy(admin, who, id);
                else if (!id.equals(who.accountID())) LocalNodeTest.copy(admin, who, id);
            }
            return who;
        }
    }

    static RawCoID privateMap(LocalNode admin, RawCoID group, String key, String value) {
        RawCoID map = Accounts.createOwned(admin, "comap", group, JsonValue.NULL);
        LocalNodeTest.set(admin, map, key, JsonValue.of(value));
        return map;
    }

    static String read(LocalNode node, RawCoID map, String key) {
        CoMapContent m = new CoMapContent();
        m.add(TransactionDecoder.decode(node.require(map), node, node.keys()));
        return m.toJson().get(key) instanceof JsonValue.Str s ? s.value() : null;
    }

    /** Whether {@code node} can resolve the current read key of {@code group}. */
    static boolean holdsCurrentKey(LocalNode node, RawCoID group) {
        GroupView v = GroupView.of(node.require(group), node);
        return node.keys().readKey(node.require(group), new KeyID(v.getString("readKey", null))).isPresent();
    }

    @Test
    void removalFromParentRotatesWriterAndReaderExtensionsAndTransitiveChildren() {
        World w = new World().accountsKnown();
        RawCoID parent = GroupOperations.createGroup(w.admin, null);
        GroupOperations.addMember(w.admin, parent, w.member.accountID().value(), Roles.READER);
        GroupOperations.addMember(w.admin, parent, w.keeper.accountID().value(), Roles.READER);
        RawCoID g = GroupOperations.createGroup(w.admin, null);
        GroupOperations.extend(w.admin, g, parent, Roles.WRITER);
        RawCoID g2 = GroupOperations.createGroup(w.admin, null);
        GroupOperations.extend(w.admin, g2, parent, Roles.READER);
        RawCoID g3 = GroupOperations.createGroup(w.admin, null);
        GroupOperations.extend(w.admin, g3, g, "extend");
        List<RawCoID> groups = List.of(parent, g, g2, g3);
        List<String> keysBefore = new ArrayList<>();
        for (RawCoID grp : groups) keysBefore.add(GroupView.of(w.admin.require(grp), w.admin).getString("readKey", null));

        GroupOperations.removeMember(w.admin, parent, w.member.accountID().value());
        List<RawCoID> maps = new ArrayList<>();
        for (RawCoID grp : groups) maps.add(privateMap(w.admin, grp, "after", "secret of " + grp));

        for (int i = 0; i < groups.size(); i++) {
            assertNotEquals(keysBefore.get(i), GroupView.of(w.admin.require(groups.get(i)), w.admin).getString("readKey", null),
                    "read key of group " + i + " rotated");
        }
        LocalNode member = w.everythingSyncedTo(w.member);
        LocalNode keeper = w.everythingSyncedTo(w.keeper);
        for (int i = 0; i < groups.size(); i++) {
            assertFalse(holdsCurrentKey(member, groups.get(i)), "removed member holds the new key of group " + i);
            assertEquals(null, read(member, maps.get(i), "after"), "removed member reads group " + i);
            assertTrue(holdsCurrentKey(keeper, groups.get(i)), "remaining reader lost group " + i);
            assertEquals("secret of " + groups.get(i), read(keeper, maps.get(i), "after"));
        }
    }

    @Test
    void aMemberWhoBecomesWriteOnlyLosesTheReadKey() {
        World w = new World().accountsKnown();
        RawCoID group = GroupOperations.createGroup(w.admin, null);
        GroupOperations.addMember(w.admin, group, w.member.accountID().value(), Roles.READER);
        GroupOperations.addMember(w.admin, group, w.member.accountID().value(), Roles.WRITE_ONLY);
        RawCoID map = privateMap(w.admin, group, "after", "hidden");
        LocalNode member = w.everythingSyncedTo(w.member);
        assertEquals(Roles.WRITE_ONLY, member.myRoleIn(member.require(group), null));
        assertFalse(holdsCurrentKey(member, group));
        assertEquals(null, read(member, map, "after"));
        LocalNodeTest.set(member, map, "mine", JsonValue.of("written with my write key"));
        LocalNodeTest.copy(member, w.admin, map);
        assertEquals("written with my write key", read(w.admin, map, "mine"), "admin reads the writeOnly member's key");
    }

    @Test
    void aWriterMayRevokeItselfWithoutRotating() {
        World w = new World().accountsKnown();
        RawCoID group = GroupOperations.createGroup(w.admin, null);
        GroupOperations.addMember(w.admin, group, w.member.accountID().value(), Roles.WRITER);
        LocalNode member = w.everythingSyncedTo(w.member);
        String key = GroupView.of(member.require(group), member).getString("readKey", null);
        GroupOperations.removeMember(member, group, member.accountID().value());
        assertEquals(null, member.myRoleIn(member.require(group), null));
        assertEquals(key, GroupView.of(member.require(group), member).getString("readKey", null), "no rotation by a writer");
    }

    @Test
    void addingTheSameRoleAgainWritesNothing() {
        World w = new World().accountsKnown();
        RawCoID group = GroupOperations.createGroup(w.admin, null);
        GroupOperations.addMember(w.admin, group, w.member.accountID().value(), Roles.WRITER);
        int before = w.admin.nextTxIndex(w.admin.require(group));
        GroupOperations.addMember(w.admin, group, w.member.accountID().value(), Roles.WRITER);
        assertEquals(before, w.admin.nextTxIndex(w.admin.require(group)));
    }

    /**
     * {@link GroupView#namesKey}: the group names every key its values' private transactions use
     * (its read keys, a writeOnly member's own key), and a node that has not received a rotation
     * yet does not name the new key (the sync server waits for it then).
     */
    @Test
    void theGroupNamesEveryKeyItsPrivateTransactionsUse() {
        World w = new World().accountsKnown();
        RawCoID group = GroupOperations.createGroup(w.admin, null);
        GroupOperations.addMember(w.admin, group, w.member.accountID().value(), Roles.WRITE_ONLY);
        GroupOperations.addMember(w.admin, group, w.keeper.accountID().value(), Roles.READER);
        RawCoID map = privateMap(w.admin, group, "before", "v1");
        LocalNode stale = w.everythingSyncedTo(w.keeper);
        String oldKey = GroupView.of(w.admin.require(group), w.admin).getString("readKey", null);

        LocalNode member = w.everythingSyncedTo(w.member);
        LocalNodeTest.set(member, map, "mine", JsonValue.of("writeOnly"));
        LocalNodeTest.copy(member, w.admin, map);
        GroupOperations.removeMember(w.admin, group, w.keeper.accountID().value());
        LocalNodeTest.set(w.admin, map, "after", JsonValue.of("v2"));
        String newKey = GroupView.of(w.admin.require(group), w.admin).getString("readKey", null);
        assertNotEquals(oldKey, newKey);

        GroupView admins = GroupView.of(w.admin.require(group), w.admin);
        List<String> used = new ArrayList<>();
        for (var e : w.admin.require(map).entries()) {
            if (e.transaction() instanceof io.cojson.core.session.Transaction.Private p) used.add(p.keyUsed());
        }
        assertEquals(3, used.size(), "three private writes: " + used);
        assertTrue(used.contains(oldKey) && used.contains(newKey), used.toString());
        for (String k : used) assertTrue(admins.namesKey(k), "the group names " + k);
        assertFalse(admins.namesKey("key_z" + "1".repeat(20)), "a key it never had");
        String otherGroupsKey = GroupView.of(w.admin.require(GroupOperations.createGroup(w.admin, null)), w.admin)
                .getString("readKey", null);
        assertFalse(admins.namesKey(otherGroupsKey), "another group's key");
        GroupView staleView = GroupView.of(stale.require(group), stale);
        assertTrue(staleView.namesKey(oldKey));
        assertFalse(staleView.namesKey(newKey), "the rotation has not reached this node");
    }
}
