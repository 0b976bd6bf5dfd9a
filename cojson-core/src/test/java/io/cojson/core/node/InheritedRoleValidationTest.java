package io.cojson.core.node;

import io.cojson.core.groups.GroupView;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.groups.Roles;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.json.JsonValue;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Validating a child group's own transactions with roles inherited from parents (covalues.md §5.2
 * resolver role, parent_ entries): who may change the child, revoked and role-valued mappings,
 * cycles. The writes are permission-checked with the validator's verdict before they are signed.
 */
class InheritedRoleValidationTest {
    private final KeyRotationTest.World w = new KeyRotationTest.World().accountsKnown();

    /** A parent where the member has {@code role}, and a child extending it with {@code mapping}. */
    private RawCoID[] parentAndChild(String role, String mapping) {
        RawCoID parent = GroupOperations.createGroup(w.admin, null);
        GroupOperations.addMember(w.admin, parent, w.member.accountID().value(), role);
        RawCoID child = GroupOperations.createGroup(w.admin, null);
        GroupOperations.extend(w.admin, child, parent, mapping);
        return new RawCoID[] {parent, child};
    }

    private LocalNode memberWithEverything() {
        return w.everythingSyncedTo(w.member);
    }

    private static void set(LocalNode node, RawCoID group, String key, String value) {
        node.write(group, List.of(GroupOperations.setChange(key, JsonValue.of(value))), null, false);
    }

    @Test
    void anAdminOfTheParentManagesAnExtendingChild() {
        RawCoID[] g = parentAndChild(Roles.ADMIN, "extend");
        LocalNode member = memberWithEverything();
        set(member, g[1], w.keeper.accountID().value(), Roles.READER); // valid: inherited admin
        assertEquals(Roles.READER, GroupView.of(member.require(g[1]), member).getString(w.keeper.accountID().value(), null));
    }

    @Test
    void aReaderOfTheParentCannotChangeTheChild() {
        RawCoID[] g = parentAndChild(Roles.READER, "extend");
        LocalNode member = memberWithEverything();
        PermissionDeniedException e = assertThrows(PermissionDeniedException.class,
                () -> set(member, g[1], w.keeper.accountID().value(), Roles.READER));
        assertTrue(e.getMessage().contains("Group transaction must be made by current admin, manager, or invite"), e.getMessage());
    }

    @Test
    void aRoleMappingReplacesTheParentRole() {
        RawCoID[] g = parentAndChild(Roles.ADMIN, Roles.READER); // §5.5: a mapping is not a cap, it replaces
        LocalNode member = memberWithEverything();
        assertEquals(Roles.READER, member.myRoleIn(member.require(g[1]), null));
        assertThrows(PermissionDeniedException.class, () -> set(member, g[1], "readKey", "key_zNope"));
        RawCoID[] h = parentAndChild(Roles.READER, Roles.ADMIN);
        LocalNode member2 = memberWithEverything();
        set(member2, h[1], w.keeper.accountID().value(), Roles.WRITER); // a parent reader is admin through the mapping
        assertEquals(Roles.WRITER, GroupView.of(member2.require(h[1]), member2).getString(w.keeper.accountID().value(), null));
    }

    @Test
    void aRevokedMappingEndsTheInheritance() {
        RawCoID[] g = parentAndChild(Roles.ADMIN, "extend");
        set(w.admin, g[1], "parent_" + g[0].value(), Roles.REVOKED);
        LocalNode member = memberWithEverything();
        assertEquals(null, member.myRoleIn(member.require(g[1]), null));
        assertThrows(PermissionDeniedException.class, () -> set(member, g[1], w.keeper.accountID().value(), Roles.READER));
    }

    @Test
    void aParentThatReachesTheChildIsACircularDependency() {
        RawCoID[] g = parentAndChild(Roles.READER, "extend");
        RawCoID grandchild = GroupOperations.createGroup(w.admin, null);
        GroupOperations.extend(w.admin, grandchild, g[1], "extend");
        PermissionDeniedException direct = assertThrows(PermissionDeniedException.class,
                () -> set(w.admin, g[0], "parent_" + g[1].value(), "extend"));
        assertTrue(direct.getMessage().contains("Parent group is a circular dependency"), direct.getMessage());
        PermissionDeniedException transitive = assertThrows(PermissionDeniedException.class,
                () -> set(w.admin, g[0], "parent_" + grandchild.value(), "extend"));
        assertTrue(transitive.getMessage().contains("Parent group is a circular dependency"), transitive.getMessage());
    }

    @Test
    void anAccountIsNoParent() {
        RawCoID group = GroupOperations.createGroup(w.admin, null);
        PermissionDeniedException e = assertThrows(PermissionDeniedException.class,
                () -> set(w.admin, group, "parent_" + w.admin.accountID().value(), "extend"));
        assertTrue(e.getMessage().contains("Parent group is not a group"), e.getMessage());
    }

    /** A writer of the group (not admin or manager) and what the validator refuses it (§5.2 step 5). */
    @Test
    void aWriterMayNotSetParentsWriteKeysChildrenOrRevealKeys() {
        RawCoID group = GroupOperations.createGroup(w.admin, null);
        GroupOperations.addMember(w.admin, group, w.member.accountID().value(), Roles.WRITER);
        RawCoID other = GroupOperations.createGroup(w.admin, null);
        LocalNode member = memberWithEverything();
        String[][] refused = {
                {"parent_" + other.value(), "extend", "Only admins and managers can set parent extensions"},
                {"writeKeyFor_" + w.keeper.accountID().value(), "key_zX", "Only admins and managers can set writeKeys"},
                {"child_" + other.value(), "extend", "Child extensions are not allowed anymore"},
                {"key_zX_for_" + w.keeper.accountID().value(), "sealed_U", "Only admins and managers can reveal keys"}};
        for (String[] r : refused) {
            PermissionDeniedException e = assertThrows(PermissionDeniedException.class, () -> set(member, group, r[0], r[1]), r[0]);
            assertTrue(e.getMessage().contains(r[2]), r[0] + ": " + e.getMessage());
        }
    }

    /** A writeOnly member may reveal its own write key (and only that one) to others. */
    @Test
    void aWriteOnlyMemberRevealsOnlyItsOwnWriteKey() {
        RawCoID group = GroupOperations.createGroup(w.admin, null);
        GroupOperations.addMember(w.admin, group, w.member.accountID().value(), Roles.WRITE_ONLY);
        LocalNode member = memberWithEverything();
        String own = GroupView.of(member.require(group), member).getString("writeKeyFor_" + w.member.accountID().value(), null);
        String readKey = GroupView.of(member.require(group), member).getString("readKey", null);
        set(member, group, own + "_for_" + w.keeper.accountID().value(), "sealed_UOwn"); // valid: its own key
        assertEquals("sealed_UOwn", GroupView.of(member.require(group), member).getString(own + "_for_" + w.keeper.accountID().value(), null));
        PermissionDeniedException e = assertThrows(PermissionDeniedException.class,
                () -> set(member, group, readKey + "_for_" + w.keeper.accountID().value(), "sealed_UNot"));
        assertTrue(e.getMessage().contains("Only admins and managers can reveal keys"), e.getMessage());
    }

    /** In an account only its admin (the account's agent) makes private transactions; groups never do. */
    @Test
    void privateTransactionsInGroupsAreRefused() {
        RawCoID group = GroupOperations.createGroup(w.admin, null);
        PermissionDeniedException e = assertThrows(PermissionDeniedException.class,
                () -> w.admin.write(group, List.of(GroupOperations.setChange("x", JsonValue.of(1))), null, true));
        assertTrue(e.getMessage().contains("Can't make private transactions in groups"), e.getMessage());
    }
}
