package io.cojson.core.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.content.CoListContent;
import io.cojson.core.content.CoMapContent;
import io.cojson.core.covalue.TransactionDecoder;
import io.cojson.core.crypto.Crypto;
import io.cojson.core.groups.Roles;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import io.cojson.core.session.SessionLog;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Real nodes (signatures, encryption, permissions) doing random concurrent edits. madeAt values
 * come from one shared clock so they are distinct; ties across sessions legitimately depend on
 * arrival order (covalues.md §3.2) and are covered by the view unit tests.
 */
class ConvergenceProperties {
    private static final Crypto CRYPTO = Crypto.create();

    private record World(List<LocalNode> nodes, RawCoID group, RawCoID map, RawCoID list) {}

    private static World world(int writers, AtomicLong clock) {
        List<LocalNode> nodes = new ArrayList<>();
        for (int i = 0; i < writers; i++) nodes.add(Accounts.create(CRYPTO, CRYPTO.newRandomAgentSecret(), "n" + i, clock::incrementAndGet));
        LocalNode admin = nodes.get(0);
        for (LocalNode n : nodes.subList(1, nodes.size())) LocalNodeTest.copy(n, admin, n.accountID());
        RawCoID group = GroupOperations.createGroup(admin, null);
        for (LocalNode n : nodes.subList(1, nodes.size())) GroupOperations.addMember(admin, group, n.accountID().value(), Roles.WRITER);
        RawCoID map = Accounts.createOwned(admin, "comap", group, JsonValue.NULL);
        RawCoID list = Accounts.createOwned(admin, "colist", group, JsonValue.NULL);
        for (LocalNode n : nodes.subList(1, nodes.size())) syncAll(admin, n);
        return new World(nodes, group, map, list);
    }

    /** {@code to} imports everything {@code from} has (accounts first: they sign). */
    static void syncAll(LocalNode from, LocalNode to) {
        List<RawCoID> ids = new ArrayList<>(from.ids());
        ids.sort((a, b) -> Boolean.compare(!from.require(a).header().isAccount(), !from.require(b).header().isAccount()));
        for (RawCoID id : ids) {
            for (ContentPiece p : from.exportContent(id)) to.importContent(trimmed(p, to));
        }
    }

    /** Drops what the receiver already has, as a sync peer would; keeps pieces verifiable. */
    private static ContentPiece trimmed(ContentPiece p, LocalNode to) {
        var core = to.get(p.id());
        if (core == null) return p;
        List<ContentPiece.SessionPiece> keep = new ArrayList<>();
        for (ContentPiece.SessionPiece s : p.sessions()) {
            SessionLog have = core.sessions().get(s.sessionID());
            if (have == null || have.size() < s.after() + s.transactions().size()) keep.add(s);
        }
        return new ContentPiece(p.id(), null, keep);
    }

    static TreeMap<String, String> mapContent(LocalNode node, RawCoID map) {
        CoMapContent m = new CoMapContent();
        m.add(TransactionDecoder.decode(node.require(map), node, node.keys()));
        TreeMap<String, String> out = new TreeMap<>();
        for (String k : m.keys()) out.put(k, JsonWriter.stringify(m.get(k)));
        return out;
    }

    static String listContent(LocalNode node, RawCoID list) {
        CoListContent l = new CoListContent();
        l.add(TransactionDecoder.decode(node.require(list), node, node.keys()));
        return JsonWriter.stringify(l.toJson());
    }

    private static void randomEdit(LocalNode n, World w, Random rnd, int step) {
        if (rnd.nextBoolean()) {
            if (rnd.nextInt(5) == 0) {
                n.write(w.map(), List.of(CoMapContent.delChange("k" + rnd.nextInt(4))), null, true);
            } else {
                n.write(w.map(), List.of(CoMapContent.setChange("k" + rnd.nextInt(4), JsonValue.of(step))), null, true);
            }
        } else {
            CoListContent l = new CoListContent();
            l.add(TransactionDecoder.decode(n.require(w.list()), n, n.keys()));
            List<JsonValue> changes;
            if (l.size() > 0 && rnd.nextInt(4) == 0) {
                changes = l.deleteChange(rnd.nextInt(l.size()));
            } else if (l.size() > 0 && rnd.nextBoolean()) {
                changes = l.prependChanges(JsonValue.of(step), rnd.nextInt(l.size() + 1));
            } else {
                changes = l.appendChanges(List.of(JsonValue.of(step)), l.size() == 0 ? null : rnd.nextInt(l.size()));
            }
            n.write(w.list(), changes, null, true);
        }
    }

    @Property(tries = 12)
    void concurrentEditsConvergeWhateverTheDeliveryOrder(@ForAll @IntRange(min = 2, max = 4) int writers,
            @ForAll @IntRange(min = 5, max = 40) int steps, @ForAll long seed) {
        Random rnd = new Random(seed);
        World w = world(writers, new AtomicLong(1_700_000_000_000L));
        for (int step = 0; step < steps; step++) {
            LocalNode n = w.nodes().get(rnd.nextInt(writers));
            if (rnd.nextInt(4) == 0) {
                syncAll(w.nodes().get(rnd.nextInt(writers)), n); // partial, random-direction delivery
            } else {
                randomEdit(n, w, rnd, step);
            }
        }
        // Deliver everything in a random order of peers until everyone has everything.
        List<LocalNode> order = new ArrayList<>(w.nodes());
        for (int round = 0; round < 2; round++) {
            Collections.shuffle(order, rnd);
            for (LocalNode from : order) for (LocalNode to : w.nodes()) if (from != to) syncAll(from, to);
        }
        TreeMap<String, String> map0 = mapContent(w.nodes().get(0), w.map());
        String list0 = listContent(w.nodes().get(0), w.list());
        for (LocalNode n : w.nodes()) {
            assertEquals(map0, mapContent(n, w.map()));
            assertEquals(list0, listContent(n, w.list()));
            assertEquals(w.nodes().get(0).require(w.map()).knownState(), n.require(w.map()).knownState());
        }
        // Exported content re-verifies and re-materializes identically on a fresh node of the same account.
        LocalNode first = w.nodes().get(0);
        LocalNode reloaded = LocalNode.forAccount(CRYPTO, first.accountID(), first.agentSecret(), null);
        syncAll(w.nodes().get(writers - 1), reloaded);
        syncAll(first, reloaded);
        assertEquals(map0, mapContent(reloaded, w.map()));
        assertEquals(list0, listContent(reloaded, w.list()));
    }

    @Property(tries = 8)
    void readersAndRemovedMembersNeverGetWritesIn(@ForAll @IntRange(min = 1, max = 6) int forgedWrites, @ForAll long seed) {
        AtomicLong clock = new AtomicLong(1_700_000_000_000L);
        World w = world(3, clock);
        LocalNode admin = w.nodes().get(0);
        LocalNode reader = w.nodes().get(1);
        LocalNode removed = w.nodes().get(2);
        GroupOperations.addMember(admin, w.group(), reader.accountID().value(), Roles.READER);
        GroupOperations.removeMember(admin, w.group(), removed.accountID().value());
        syncAll(admin, reader);
        syncAll(admin, removed);
        Random rnd = new Random(seed);
        for (LocalNode bad : List.of(reader, removed)) {
            // The API refuses before signing...
            org.junit.jupiter.api.Assertions.assertThrows(PermissionDeniedException.class,
                    () -> bad.write(w.map(), List.of(CoMapContent.setChange("x", JsonValue.of(1))), null, false));
            // ...so forge validly signed transactions the way a modified client could.
            SessionLog forged = new SessionLog(CRYPTO, bad.sessionID(), bad.agentID().signer());
            for (int i = 0; i < forgedWrites; i++) {
                forged.appendTrusting(bad.agentSecret().signer(),
                        "[{\"op\":\"set\",\"key\":\"forged" + rnd.nextInt(100) + "\",\"value\":1}]", clock.incrementAndGet(), null);
            }
            var result = admin.require(w.map()).tryAddTransactions(bad.sessionID(), 0, forged.transactions(),
                    forged.lastSignature().value(), admin);
            assertTrue(result.isAdded(), "signatures are valid; permissions decide visibility");
        }
        assertTrue(mapContent(admin, w.map()).keySet().stream().noneMatch(k -> k.startsWith("forged")), "no forged key visible");
    }
}
