package io.cojson.core.node;

import io.cojson.core.groups.GroupView;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cojson.core.content.CoMapContent;
import io.cojson.core.covalue.CoValueCore;
import io.cojson.core.crypto.Crypto;
import io.cojson.core.groups.Roles;
import io.cojson.core.header.CoValueHeader;
import io.cojson.core.header.Ruleset;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The §6.6 group migrations on groups written the way older clients (or the key-rotation bug the
 * reference heals) left them: without {@code groupSealer}, and with a read key never revealed to
 * {@code everyone}. Who may heal, what is written, and that it then works for a stranger.
 */
class GroupMigrationsTest {
    private final Crypto crypto = Crypto.create();
    private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
    private LocalNode alice;
    private LocalNode bob;

    @BeforeEach
    void setUp() {
        alice = Accounts.create(crypto, crypto.newRandomAgentSecret(), "Alice", now::incrementAndGet);
        bob = Accounts.create(crypto, crypto.newRandomAgentSecret(), "Bob", now::incrementAndGet);
        for (RawCoID id : bob.ids()) LocalNodeTest.copy(bob, alice, id);
    }

    /** A group as written before groupSealer existed: admin, the key revealed to the admin, readKey. */
    private Crypto.NewKey oldStyleGroup(LocalNode node, RawCoID[] out) {
        CoValueHeader header = CoValueHeader.create("comap", new Ruleset.Group(node.me()), null,
                CoValueHeader.isoTimestamp(node.now()), JsonValue.of(crypto.newUniqueness()));
        Crypto.NewKey key = crypto.newRandomKeySecret();
        node.inLock(() -> {
            CoValueCore group = node.createCoValue(header);
            GroupOperations.set(node, group.id(), node.me(), JsonValue.of(Roles.ADMIN));
            GroupOperations.revealTo(node, group, key.id(), key.secret(), node.me());
            GroupOperations.set(node, group.id(), "readKey", JsonValue.of(key.id().value()));
            out[0] = group.id();
        });
        return key;
    }

    private static void syncAll(LocalNode from, LocalNode to) {
        for (RawCoID id : from.ids()) {
            for (ContentPiece p : from.exportContent(id)) to.importContent(p);
        }
    }

    private static String get(LocalNode node, RawCoID group, String key) {
        return node.locked(() -> GroupView.of(node.require(group), node).getString(key, null));
    }

    @Test
    void aDirectAdminWritesTheGroupSealerDerivedFromTheReadKey() {
        RawCoID[] g = new RawCoID[1];
        Crypto.NewKey key = oldStyleGroup(alice, g);
        GroupOperations.addMember(alice, g[0], bob.accountID().value(), Roles.WRITER);
        syncAll(alice, bob);
        assertEquals(List.of(), GroupMigrations.run(bob, g[0]), "a writer does not heal the sealer");
        assertEquals(null, get(bob, g[0], "groupSealer"));

        assertEquals(List.of(GroupMigrations.Healed.GROUP_SEALER), GroupMigrations.run(alice, g[0]));
        String expected = key.id().value() + "@" + crypto.groupSealerFromReadKey(key.secret()).id().value();
        assertEquals(expected, get(alice, g[0], "groupSealer"));
        assertEquals(List.of(), GroupMigrations.run(alice, g[0]), "healed once");
        syncAll(alice, bob);
        assertEquals(expected, get(bob, g[0], "groupSealer"));
        assertEquals(List.of(), GroupMigrations.run(alice, alice.accountID()), "accounts are not migrated");
    }

    @Test
    void aNewGroupNeedsNoHealing() {
        RawCoID group = GroupOperations.createGroup(alice, null);
        GroupOperations.addMember(alice, group, Roles.EVERYONE, Roles.READER);
        assertEquals(List.of(), GroupMigrations.run(alice, group));
    }

    @Test
    void aReadKeyNeverRevealedToEveryoneIsRevealedByAMemberWhoCanRead() {
        RawCoID group = GroupOperations.createGroup(alice, null);
        GroupOperations.addMember(alice, group, Roles.EVERYONE, Roles.READER);
        GroupOperations.addMember(alice, group, bob.accountID().value(), Roles.READER);
        // The old rotation bug: a new read key, revealed to the admin only.
        Crypto.NewKey k2 = crypto.newRandomKeySecret();
        alice.inLock(() -> {
            GroupOperations.revealTo(alice, alice.require(group), k2.id(), k2.secret(), alice.me());
            GroupOperations.revealTo(alice, alice.require(group), k2.id(), k2.secret(), bob.me());
            GroupOperations.set(alice, group, "readKey", JsonValue.of(k2.id().value()));
        });
        RawCoID map = Accounts.createOwned(alice, "comap", group, JsonValue.NULL);
        alice.write(map, List.of(CoMapContent.setChange("k", JsonValue.of(1))), null, true);
        LocalNode carol = Accounts.create(crypto, crypto.newRandomAgentSecret(), "Carol", now::incrementAndGet);
        syncAll(alice, carol);
        assertEquals("{}", mapView(carol, map), "a stranger cannot read under the unrevealed key");
        assertEquals(List.of(), GroupMigrations.run(carol, group), "a stranger cannot heal");

        syncAll(alice, bob);
        // A reader can read the key, but only admins and managers may reveal it: nothing is written.
        assertEquals(List.of(), GroupMigrations.run(bob, group));
        assertEquals(List.of(GroupMigrations.Healed.KEY_FOR_EVERYONE), GroupMigrations.run(alice, group));
        assertEquals(k2.secret().value(), get(alice, group, k2.id().value() + "_for_everyone"));
        syncAll(alice, carol);
        assertEquals("{\"k\":1}", mapView(carol, map));
    }

    private static String mapView(LocalNode node, RawCoID id) {
        return node.locked(() -> JsonWriter.stringify(((CoMapContent) node.view(id)).toJson()));
    }

    @Test
    void aStrangerWritesWithTheNewestKeyRevealedToEveryone() {
        RawCoID group = GroupOperations.createGroup(alice, null);
        GroupOperations.addMember(alice, group, Roles.EVERYONE, Roles.WRITER);
        String k1 = get(alice, group, "readKey");
        Crypto.NewKey k2 = crypto.newRandomKeySecret();
        alice.inLock(() -> {
            GroupOperations.revealTo(alice, alice.require(group), k2.id(), k2.secret(), alice.me());
            GroupOperations.set(alice, group, "readKey", JsonValue.of(k2.id().value()));
        });
        RawCoID map = Accounts.createOwned(alice, "comap", group, JsonValue.NULL);
        LocalNode carol = Accounts.create(crypto, crypto.newRandomAgentSecret(), "Carol", now::incrementAndGet);
        syncAll(alice, carol);
        assertEquals(k1, carol.locked(() -> carol.currentKeyID(carol.require(group)).value()),
                "the stranger cannot read k2: it writes with k1, the newest key everyone has");
        assertEquals(k2.id().value(), alice.locked(() -> alice.currentKeyID(alice.require(group)).value()), "members keep k2");
        carol.write(map, List.of(CoMapContent.setChange("by", JsonValue.of("carol"))), null, true);
        syncAll(carol, alice); // carol's account too (it signs her session)
        assertEquals("{\"by\":\"carol\"}", mapView(alice, map));
        assertEquals("{\"by\":\"carol\"}", mapView(carol, map));
    }
}
