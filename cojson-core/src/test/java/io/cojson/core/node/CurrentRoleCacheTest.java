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
 * A group view keeps the last current role it was asked for (every write asks its author's), so
 * asks for another member, for a time before the group's last change and after a new change must
 * still answer from the group's edits.
 */
class CurrentRoleCacheTest {
    private final Crypto crypto = Crypto.create();

    @Test
    void rolesOfOtherMembersAndOfEarlierTimesAreNotTheKeptOne() {
        LocalNode alice = Accounts.create(crypto, "Alice");
        LocalNode bobNode = Accounts.create(crypto, "Bob");
        LocalNode carolNode = Accounts.create(crypto, "Carol");
        for (RawCoID id : bobNode.ids()) LocalNodeTest.copy(bobNode, alice, id);
        for (RawCoID id : carolNode.ids()) LocalNodeTest.copy(carolNode, alice, id);
        String bob = bobNode.accountID().value();
        String carol = carolNode.accountID().value();
        RawCoID group = GroupOperations.createGroup(alice, null);
        GroupOperations.addMember(alice, group, bob, Roles.WRITER);
        Millis.advance();
        GroupOperations.addMember(alice, group, carol, Roles.ADMIN);
        Millis.advance();
        GroupOperations.addMember(alice, group, bob, Roles.READER);

        GroupView view = alice.locked(() -> GroupView.of(alice.require(group), alice));
        long bobWriterSince = view.edits(bob).get(0).madeAt();
        long bobReaderSince = view.lastEdit(bob, null).madeAt();
        for (int round = 0; round < 2; round++) { // the second round asks with everything kept
            assertEquals(Roles.READER, view.roleOf(bob, null, alice));
            assertEquals(Roles.WRITER, view.roleOf(bob, bobWriterSince, alice), "bob before his change");
            assertEquals(Roles.READER, view.roleOf(bob, bobReaderSince, alice));
            assertEquals(Roles.ADMIN, view.roleOf(carol, null, alice), "another member");
            assertNull(view.roleOf(carol, bobWriterSince, alice), "carol before she was added");
            assertEquals(Roles.READER, view.roleOf(bob, bobReaderSince + 60_000, alice));
            assertNull(view.roleOf("sealer_zNobody/signer_zNobody", null, alice));
        }

        Millis.advance();
        GroupOperations.removeMember(alice, group, bob);
        GroupView after = alice.locked(() -> GroupView.of(alice.require(group), alice));
        assertNull(after.roleOf(bob, null, alice), "a new snapshot after bob's removal");
        assertEquals(Roles.READER, view.roleOf(bob, null, alice), "the old snapshot keeps its answer");
    }
}
