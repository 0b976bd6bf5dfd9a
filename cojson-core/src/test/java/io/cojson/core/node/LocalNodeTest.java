package io.cojson.core.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.content.CoMapContent;
import io.cojson.core.covalue.TransactionDecoder;
import io.cojson.core.crypto.Crypto;
import io.cojson.core.groups.Roles;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import io.cojson.core.session.AddResult;
import io.cojson.core.testing.Millis;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Two in-memory nodes: accounts, a group with members, a private map, permission failures. */
class LocalNodeTest {
    private final Crypto crypto = Crypto.create();

    static void copy(LocalNode from, LocalNode to, RawCoID id) {
        for (ContentPiece p : from.exportContent(id)) {
            for (AddResult r : to.importContent(p)) assertTrue(r.isAdded(), "import of " + id + ": " + r);
        }
    }

    static String mapJson(LocalNode node, RawCoID id) {
        CoMapContent m = new CoMapContent();
        m.add(TransactionDecoder.decode(node.require(id), node, node.keys()));
        return JsonWriter.stringify(m.toJson());
    }

    static void set(LocalNode node, RawCoID id, String key, JsonValue v) {
        node.write(id, List.of(CoMapContent.setChange(key, v)), null, true);
    }

    @Test
    void membersReadPrivateContentAndRemovedMembersDoNotSeeNewContent() {
        LocalNode alice = Accounts.create(crypto, "Alice");
        LocalNode bob = Accounts.create(crypto, "Bob");
        for (RawCoID id : bob.ids()) copy(bob, alice, id);
        Accounts.checkLogin(alice);

        RawCoID group = GroupOperations.createGroup(alice, null);
        GroupOperations.addMember(alice, group, bob.accountID().value(), Roles.WRITER);
        RawCoID map = Accounts.createOwned(alice, "comap", group, JsonValue.NULL);
        set(alice, map, "title", JsonValue.of("hello"));

        for (RawCoID id : alice.ids()) if (bob.get(id) == null || id.equals(group) || id.equals(map)) copy(alice, bob, id);
        assertEquals("{\"title\":\"hello\"}", mapJson(bob, map));
        assertEquals(Roles.WRITER, bob.myRoleIn(bob.require(group), null));

        set(bob, map, "fromBob", JsonValue.of(1));
        copy(bob, alice, map);
        assertEquals("{\"title\":\"hello\",\"fromBob\":1}", mapJson(alice, map));

        Millis.advance(); // bob's write must precede his removal in time, or the removal already applies to it
        GroupOperations.removeMember(alice, group, bob.accountID().value());
        set(alice, map, "secret", JsonValue.of("after removal"));
        copy(alice, bob, group);
        copy(alice, bob, map);
        assertEquals("{\"title\":\"hello\",\"fromBob\":1}", mapJson(bob, map), "bob cannot decrypt content written after his removal");
        assertEquals("{\"title\":\"hello\",\"fromBob\":1,\"secret\":\"after removal\"}", mapJson(alice, map));
        assertNull(bob.myRoleIn(bob.require(group), null));
        PermissionDeniedException denied = assertThrows(PermissionDeniedException.class, () -> set(bob, map, "x", JsonValue.of(2)));
        // as the reference: the missing key is reported before the missing role
        assertEquals("Can't make transaction without read key secret", denied.getMessage());
        assertTrue(assertThrows(PermissionDeniedException.class, () -> bob.write(map, List.of(CoMapContent.setChange("x", JsonValue.of(2))),
                null, false)).getMessage().contains("no write permissions"), "a trusting write needs no key: the role decides");
    }

    /** Alice's group with Carol as a reader, and a map of the group with {"a":1}, all copied to Carol. */
    private record ReaderWorld(LocalNode alice, LocalNode carol, RawCoID group, RawCoID map) {}

    private ReaderWorld readerWorld() {
        LocalNode alice = Accounts.create(crypto, "Alice");
        LocalNode carol = Accounts.create(crypto, "Carol");
        for (RawCoID id : carol.ids()) copy(carol, alice, id);
        RawCoID group = GroupOperations.createGroup(alice, null);
        GroupOperations.addMember(alice, group, carol.accountID().value(), Roles.READER);
        RawCoID map = Accounts.createOwned(alice, "comap", group, JsonValue.NULL);
        set(alice, map, "a", JsonValue.of(1));
        for (RawCoID id : List.of(alice.accountID(), group, map)) copy(alice, carol, id);
        return new ReaderWorld(alice, carol, group, map);
    }

    @Test
    void readersCannotWriteAndGroupRulesAreCheckedBeforeSigning() {
        ReaderWorld r = readerWorld();
        LocalNode carol = r.carol();
        RawCoID group = r.group();
        RawCoID map = r.map();
        int before = carol.require(map).entries().size();
        assertThrows(PermissionDeniedException.class, () -> set(carol, map, "a", JsonValue.of(2)));
        assertEquals(before, carol.require(map).entries().size(), "nothing was signed or added");
        PermissionDeniedException e = assertThrows(PermissionDeniedException.class,
                () -> GroupOperations.addMember(carol, group, carol.accountID().value(), Roles.ADMIN));
        assertEquals("Failed to set role admin to " + carol.accountID().value() + " (role of current account is reader)", e.getMessage());
        assertTrue(e.getCause().getMessage().contains("Group transaction must be made by current admin, manager, or invite"), e.getCause().getMessage());
        assertEquals("{\"a\":1}", mapJson(carol, map));
    }

    /** As the reference (issue 12 A.5): a reader's write is signed, synced and ignored by every peer. */
    @Test
    void aReadersWriteAsTheReferenceIsSignedAndIgnoredByEveryPeer() {
        ReaderWorld r = readerWorld();
        LocalNode alice = r.alice();
        LocalNode carol = r.carol();
        RawCoID group = r.group();
        RawCoID map = r.map();

        carol.writeForbiddenAsReference(true);
        int before = carol.require(map).entries().size();
        set(carol, map, "a", JsonValue.of(2));
        carol.write(map, List.of(CoMapContent.setChange("b", JsonValue.of(3))), null, false);
        assertEquals(before + 2, carol.require(map).entries().size(), "both writes were signed and added");
        assertEquals(0, carol.require(map).entries().stream().skip(before).filter(e -> e.isValid()).count(), "both are invalid");
        assertEquals("{\"a\":1}", mapJson(carol, map));
        copy(carol, alice, map);
        assertEquals("{\"a\":1}", mapJson(alice, map), "the owner imports them and ignores them too");
        assertEquals(before + 2, alice.require(map).entries().size());

        carol.writeForbiddenAsReference(false);
        assertThrows(PermissionDeniedException.class, () -> set(carol, map, "a", JsonValue.of(4)));
        assertEquals(before + 2, carol.require(map).entries().size(), "refused again before signing");
        // a group's own rules are enforced before signing in either mode (the reference errors too)
        carol.writeForbiddenAsReference(true);
        assertThrows(PermissionDeniedException.class,
                () -> GroupOperations.addMember(carol, group, carol.accountID().value(), Roles.ADMIN));
    }

    @Test
    void invitesAndListeners() {
        LocalNode alice = Accounts.create(crypto, "Alice");
        LocalNode dan = Accounts.create(crypto, "Dan");
        RawCoID group = GroupOperations.createGroup(alice, null);
        var invite = GroupOperations.createInvite(alice, group, Roles.WRITER);
        RawCoID map = Accounts.createOwned(alice, "comap", group, JsonValue.NULL);
        set(alice, map, "k", JsonValue.of("v"));
        for (RawCoID id : alice.ids()) if (dan.get(id) == null) copy(alice, dan, id);
        AtomicInteger calls = new AtomicInteger();
        try (Subscription s = dan.subscribe(map, id -> calls.incrementAndGet())) {
            GroupOperations.acceptInvite(dan, group, invite);
            assertTrue(calls.get() > 0, "a group change notifies values owned by it");
            assertEquals(Roles.WRITER, dan.myRoleIn(dan.require(group), null));
            assertEquals("{\"k\":\"v\"}", mapJson(dan, map));
            set(dan, map, "k", JsonValue.of("from dan"));
        }
        int after = calls.get();
        set(dan, map, "k2", JsonValue.of(1));
        assertEquals(after, calls.get(), "closed subscription is not called");
        copy(dan, alice, dan.accountID());
        copy(dan, alice, group);
        copy(dan, alice, map);
        assertEquals("{\"k\":\"from dan\",\"k2\":1}", mapJson(alice, map));
    }

    @Test
    void contentAlreadyHeldNotifiesNobody() {
        LocalNode alice = Accounts.create(crypto, "Alice");
        RawCoID group = GroupOperations.createGroup(alice, null);
        RawCoID map = Accounts.createOwned(alice, "comap", group, JsonValue.NULL);
        set(alice, map, "k", JsonValue.of("v"));
        LocalNode other = Accounts.create(crypto, "Other");
        for (RawCoID id : alice.ids()) copy(alice, other, id);
        AtomicInteger calls = new AtomicInteger();
        try (Subscription s = other.subscribe(map, id -> calls.incrementAndGet())) {
            // a duplicated message, or an import of what is held: accepted, and no change to announce (as the reference)
            for (RawCoID id : List.of(group, map)) copy(alice, other, id);
            assertEquals(0, calls.get(), "nothing new, nobody notified");
            set(alice, map, "k", JsonValue.of("w"));
            copy(alice, other, map);
            assertEquals(1, calls.get(), "one new transaction, one notification");
        }
    }
}
