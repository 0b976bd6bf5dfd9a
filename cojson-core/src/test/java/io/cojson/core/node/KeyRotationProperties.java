package io.cojson.core.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.groups.Roles;
import io.cojson.core.ids.RawCoID;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * After any removal from a parent group, the removed member can decrypt nothing written afterwards
 * in the parent or in any group extending it, directly or transitively (diamonds included), while
 * a member who stays keeps reading all of them.
 */
class KeyRotationProperties {
    private static final String[] MAPPINGS = {"extend", Roles.READER, Roles.WRITER, Roles.MANAGER, Roles.ADMIN};
    // not admin: admins cannot demote admins (the revocation is refused, as in the reference)
    private static final String[] REMOVED_ROLES = {Roles.READER, Roles.WRITER, Roles.MANAGER, Roles.WRITE_ONLY};

    @Property(tries = 100)
    void aRemovedMemberReadsNothingWrittenAfterwardsBelowTheParent(@ForAll long seed,
            @ForAll @IntRange(min = 1, max = 5) int children) {
        Random rnd = new Random(seed);
        KeyRotationTest.World w = new KeyRotationTest.World().accountsKnown();
        String removedRole = REMOVED_ROLES[rnd.nextInt(REMOVED_ROLES.length)];
        RawCoID parent = GroupOperations.createGroup(w.admin, null);
        GroupOperations.addMember(w.admin, parent, w.member.accountID().value(), removedRole);
        GroupOperations.addMember(w.admin, parent, w.keeper.accountID().value(), Roles.READER);
        List<RawCoID> groups = new ArrayList<>(List.of(parent));
        StringBuilder shape = new StringBuilder("seed=" + seed + " removed as " + removedRole + "; ");
        for (int i = 0; i < children; i++) {
            RawCoID child = GroupOperations.createGroup(w.admin, null);
            int first = rnd.nextInt(groups.size());
            String mapping = MAPPINGS[rnd.nextInt(MAPPINGS.length)];
            GroupOperations.extend(w.admin, child, groups.get(first), mapping);
            shape.append("g").append(groups.size()).append(" extends g").append(first).append(" as ").append(mapping);
            if (groups.size() > 1 && rnd.nextBoolean()) { // a second parent: diamonds and nested parents
                int second = rnd.nextInt(groups.size());
                if (second != first) {
                    String m2 = MAPPINGS[rnd.nextInt(MAPPINGS.length)];
                    GroupOperations.extend(w.admin, child, groups.get(second), m2);
                    shape.append(" and g").append(second).append(" as ").append(m2);
                }
            }
            shape.append("; ");
            groups.add(child);
        }
        // content written before the removal, some of it after the member's own write
        for (RawCoID g : groups) KeyRotationTest.privateMap(w.admin, g, "before", "old");

        GroupOperations.removeMember(w.admin, parent, w.member.accountID().value());
        List<RawCoID> maps = new ArrayList<>();
        for (RawCoID g : groups) maps.add(KeyRotationTest.privateMap(w.admin, g, "after", "new in " + g));

        LocalNode member = w.everythingSyncedTo(w.member);
        LocalNode keeper = w.everythingSyncedTo(w.keeper);
        for (int i = 0; i < groups.size(); i++) {
            String where = shape + "group g" + i;
            assertFalse(KeyRotationTest.holdsCurrentKey(member, groups.get(i)), "removed member holds the key: " + where);
            assertEquals(null, KeyRotationTest.read(member, maps.get(i), "after"), "removed member reads: " + where);
            assertTrue(KeyRotationTest.holdsCurrentKey(keeper, groups.get(i)), "remaining reader lost the key: " + where);
            assertEquals("new in " + groups.get(i), KeyRotationTest.read(keeper, maps.get(i), "after"), where);
        }
    }
}
