package io.cojson.core.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.cojson.core.crypto.Crypto;
import io.cojson.core.groups.GroupView;
import io.cojson.core.groups.Roles;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.testing.Millis;
import org.junit.jupiter.api.Test;

/**
 * A group's dependencies follow its content: a child validated before it extended a parent must,
 * once it does, be judged again whenever that parent changes. Here a member who is admin of the
 * child only through the parent adds someone to the child, and an observer gets that edit before
 * the parent's change that makes it valid.
 */
class GroupDependencyRevalidationTest {
    private final Crypto crypto = Crypto.create();

    private static String roleIn(LocalNode node, RawCoID group, String member) {
        return node.locked(() -> GroupView.of(node.require(group), node).roleOf(member, null, node));
    }

    @Test
    void aChildIsJudgedAgainWhenAParentItExtendedLaterChanges() {
        LocalNode alice = Accounts.create(crypto, "Alice");
        LocalNode bob = Accounts.create(crypto, "Bob");
        LocalNode carol = Accounts.create(crypto, "Carol");
        LocalNode dave = Accounts.create(crypto, "Dave"); // the observer
        for (LocalNode account : new LocalNode[] {alice, bob, carol}) {
            for (LocalNode to : new LocalNode[] {alice, bob, carol, dave}) {
                if (to != account) for (RawCoID id : account.ids()) LocalNodeTest.copy(account, to, id);
            }
        }
        RawCoID child = GroupOperations.createGroup(alice, null);
        LocalNodeTest.copy(alice, dave, child);
        assertNull(roleIn(dave, child, bob.accountID().value()), "judged once before it extends anything");

        RawCoID parent = GroupOperations.createGroup(alice, null);
        Millis.advance();
        GroupOperations.extend(alice, child, parent, "extend");
        LocalNodeTest.copy(alice, dave, parent);
        LocalNodeTest.copy(alice, dave, child);
        assertNull(roleIn(dave, child, bob.accountID().value()));

        Millis.advance();
        GroupOperations.addMember(alice, parent, bob.accountID().value(), Roles.ADMIN);
        LocalNodeTest.copy(alice, bob, parent);
        LocalNodeTest.copy(alice, bob, child);
        Millis.advance();
        GroupOperations.addMember(bob, child, carol.accountID().value(), Roles.WRITER); // admin of the child through the parent

        LocalNodeTest.copy(bob, dave, child); // bob's edit first: not valid yet for dave
        assertNull(roleIn(dave, child, carol.accountID().value()), "bob is not an admin of the parent yet, for dave");
        LocalNodeTest.copy(alice, dave, parent); // now the parent's change arrives
        assertEquals(Roles.WRITER, roleIn(dave, child, carol.accountID().value()), "the child judged again after its parent changed");
        assertEquals(Roles.WRITER, roleIn(bob, child, carol.accountID().value()));
    }
}
