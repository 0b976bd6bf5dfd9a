package io.cojson.core.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.content.CoMapContent;
import io.cojson.core.covalue.TxEntry;
import io.cojson.core.crypto.Crypto;
import io.cojson.core.groups.Roles;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * First-writer-wins (covalues.md §4.4) when the {@code fww} meta is encrypted: the race is decided
 * once the meta is decrypted (§3.3 step 4), and a winner that arrives later takes back a value the
 * view already showed. Bob writes first (earlier madeAt), Alice second; both end with Bob's value.
 */
class PrivateFirstWriterWinsTest {
    private final Crypto crypto = Crypto.create();
    private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
    private LocalNode alice;
    private LocalNode bob;
    private RawCoID map;

    @BeforeEach
    void setUp() {
        alice = Accounts.create(crypto, crypto.newRandomAgentSecret(), "Alice", now::incrementAndGet);
        bob = Accounts.create(crypto, crypto.newRandomAgentSecret(), "Bob", now::incrementAndGet);
        for (RawCoID id : bob.ids()) LocalNodeTest.copy(bob, alice, id);
        RawCoID group = GroupOperations.createGroup(alice, null);
        GroupOperations.addMember(alice, group, bob.accountID().value(), Roles.WRITER);
        map = Accounts.createOwned(alice, "comap", group, JsonValue.NULL);
        for (RawCoID id : alice.ids()) {
            if (bob.get(id) == null || id.equals(group)) LocalNodeTest.copy(alice, bob, id);
        }
    }

    private static void init(LocalNode node, RawCoID id, String who, boolean privateTx) {
        node.write(id, List.of(CoMapContent.setChange("owner", JsonValue.of(who))), JsonValue.obj("fww", JsonValue.of("init")), privateTx);
    }

    private static String view(LocalNode node, RawCoID id) {
        return node.locked(() -> JsonWriter.stringify(((CoMapContent) node.view(id)).toJson()));
    }

    private static void send(LocalNode from, LocalNode to, RawCoID id) {
        for (ContentPiece p : from.exportContent(id)) to.importContent(p);
    }

    @Test
    void theEarlierPrivateWriterWinsWhicheverArrivesFirst() {
        init(bob, map, "bob", true);
        init(alice, map, "alice", true);
        assertEquals("{\"owner\":\"alice\"}", view(alice, map), "alone, alice's init stands");
        send(bob, alice, map);
        send(alice, bob, map);
        assertEquals("{\"owner\":\"bob\"}", view(alice, map), "bob's earlier init wins and takes alice's back");
        assertEquals("{\"owner\":\"bob\"}", view(bob, map));
        TxEntry alices = alice.locked(() -> alice.require(map).entries().stream()
                .filter(e -> e.sessionID().equals(alice.sessionID())).findFirst().orElseThrow());
        assertFalse(alices.isValid());
        assertEquals("Transaction is not the first writer for fww key \"init\"", alices.invalidReason());
    }

    @Test
    void privateAndTrustingCandidatesShareOneRace() {
        init(bob, map, "bob", false);
        init(alice, map, "alice", true);
        send(bob, alice, map);
        send(alice, bob, map);
        assertEquals("{\"owner\":\"bob\"}", view(alice, map));
        assertEquals("{\"owner\":\"bob\"}", view(bob, map));
        long losers = bob.locked(() -> bob.require(map).entries().stream()
                .filter(e -> e.invalidReason() != null && e.invalidReason().contains("fww")).count());
        assertEquals(1, losers);
        assertTrue(bob.locked(() -> bob.require(map).entries().stream().anyMatch(TxEntry::isValid)));
    }
}
