package io.cojson.core.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
 * The order in which a node processes transactions (covalues.md §3.3), seen through CoMap key
 * order (§4.3) and {@link LocalNode#validSortedTransactions} (§3.2):
 * <ul>
 *   <li>each imported session batch, and each local write, is one processing pass, done when it
 *       arrives, whether or not anybody reads in between;
 *   <li>within a pass, valid trusting transactions come first, then private ones once decrypted;
 *   <li>a write goes through the content, which therefore includes what was received before it;
 *   <li>a group change that changes no verdict keeps the view as it is (no rebuild).
 * </ul>
 * The same scenarios run against cojson 0.20.19 in the samples' {@code MapKeyOrderInteropTest}
 * (reference and Java clients print the same text); the expected orders here are the reference's.
 * No co_map_content fixture mixes trusting and private transactions, hence these scenarios.
 */
class ProcessingOrderTest {
    private final Crypto crypto = Crypto.create();
    /** One clock for both nodes; {@link #tie} freezes it to make cross-session ties. */
    private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
    private boolean frozen;
    private LocalNode alice;
    private LocalNode bob;
    private RawCoID group;
    private RawCoID map;

    @BeforeEach
    void setUp() {
        alice = Accounts.create(crypto, crypto.newRandomAgentSecret(), "Alice", this::tick);
        bob = Accounts.create(crypto, crypto.newRandomAgentSecret(), "Bob", this::tick);
        for (RawCoID id : bob.ids()) LocalNodeTest.copy(bob, alice, id);
        group = GroupOperations.createGroup(alice, null);
        GroupOperations.addMember(alice, group, bob.accountID().value(), Roles.WRITER);
        map = Accounts.createOwned(alice, "comap", group, JsonValue.NULL);
        for (RawCoID id : alice.ids()) {
            if (bob.get(id) == null || id.equals(group)) LocalNodeTest.copy(alice, bob, id);
        }
    }

    private long tick() {
        return frozen ? now.get() : now.incrementAndGet();
    }

    private void tie(boolean on) {
        frozen = on;
    }

    private static void set(LocalNode node, RawCoID id, String key, int value, boolean privateTx) {
        node.write(id, List.of(CoMapContent.setChange(key, JsonValue.of(value))), null, privateTx);
    }

    /** Everything {@code from} has of {@code id}, imported by {@code to} (known transactions are skipped). */
    private static void send(LocalNode from, LocalNode to, RawCoID id) {
        for (ContentPiece p : from.exportContent(id)) to.importContent(p);
    }

    private static String view(LocalNode node, RawCoID id) {
        return node.locked(() -> JsonWriter.stringify(((CoMapContent) node.view(id)).toJson()));
    }

    @Test
    void oneReceivedBatchPutsTrustingBeforePrivate() {
        set(alice, map, "p", 1, true);
        set(alice, map, "t", 2, false);
        assertEquals("{\"p\":1,\"t\":2}", view(alice, map), "the writer's own passes");
        send(alice, bob, map);
        assertEquals("{\"t\":2,\"p\":1}", view(bob, map), "one pass: trusting first");
    }

    @Test
    void separatelyReceivedBatchesAreSeparatePassesEvenWithoutReadsInBetween() {
        set(alice, map, "x", 0, false);
        send(alice, bob, map);
        assertEquals("{\"x\":0}", view(bob, map));
        set(alice, map, "p", 1, true);
        send(alice, bob, map);
        set(alice, map, "t", 2, false);
        send(alice, bob, map);
        assertEquals("{\"x\":0,\"p\":1,\"t\":2}", view(bob, map));
    }

    @Test
    void aFirstWriteComesAfterWhatWasReceived() {
        set(alice, map, "p", 1, true);
        send(alice, bob, map);
        set(bob, map, "own", 2, true); // nobody read the map on bob's node before
        assertEquals("{\"p\":1,\"own\":2}", view(bob, map));
    }

    @Test
    void aGroupChangeThatChangesNoVerdictKeepsTheView() {
        set(alice, map, "p", 1, true);
        set(alice, map, "t", 2, false);
        send(alice, bob, map);
        assertEquals("{\"t\":2,\"p\":1}", view(bob, map));
        GroupOperations.addMember(alice, group, "everyone", Roles.READER);
        send(alice, bob, group);
        assertEquals("{\"t\":2,\"p\":1}", view(bob, map), "not rebuilt in working-list order");
        // new transactions still join as a pass of their own
        set(alice, map, "q", 3, true);
        set(alice, map, "u", 4, false);
        send(alice, bob, map);
        assertEquals("{\"t\":2,\"p\":1,\"u\":4,\"q\":3}", view(bob, map));
    }

    @Test
    void validSortedTransactionsKeepTheProcessingOrderOfTies() {
        tie(true);
        set(alice, map, "a", 1, true);
        send(alice, bob, map);
        set(bob, map, "b", 2, false);
        tie(false);
        LocalNode carol = Accounts.create(crypto, crypto.newRandomAgentSecret(), "Carol", this::tick);
        for (RawCoID id : carol.ids()) LocalNodeTest.copy(carol, alice, id);
        for (RawCoID id : alice.ids()) {
            if (carol.get(id) == null && !id.equals(map)) LocalNodeTest.copy(alice, carol, id);
        }
        GroupOperations.addMember(alice, group, carol.accountID().value(), Roles.READER);
        send(alice, carol, group);
        send(bob, carol, map); // one batch with both sessions, before carol ever reads the map
        List<String> order = carol.locked(() -> carol.validSortedTransactions(map).stream()
                .map(e -> e.sessionID().author() + (e.isTrusting() ? ":trusting" : ":private")).toList());
        // same madeAt, different sessions: the comparator says "equal", the stable sort keeps the
        // processing order, in which the trusting transaction came first
        assertEquals(List.of(bob.accountID().value() + ":trusting", alice.accountID().value() + ":private"), order);
        List<Long> madeAt = carol.locked(() -> carol.validSortedTransactions(map).stream().map(TxEntry::madeAt).toList());
        assertEquals(madeAt.get(0), madeAt.get(1), "a tie");
    }
}
