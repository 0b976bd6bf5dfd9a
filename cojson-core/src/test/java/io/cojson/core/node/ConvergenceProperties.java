package io.cojson.core.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.content.CoListContent;
import io.cojson.core.content.CoMapContent;
import io.cojson.core.covalue.CoValueCore;
import io.cojson.core.covalue.TransactionDecoder;
import io.cojson.core.crypto.Crypto;
import io.cojson.core.groups.Roles;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import io.cojson.core.session.AddResult;
import io.cojson.core.session.SessionLog;
import io.cojson.core.session.SignedTransaction;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * Real nodes (signatures, encryption, permissions) doing random concurrent edits: several
 * accounts, several sessions (devices) per account, mixed private and trusting writes, a coarse
 * shared clock (many equal madeAt values, within and across sessions), and single transactions
 * delivered out of order (a piece whose predecessor is missing must be refused and arrive later).
 * The expected view of every node is computed by {@link ConvergenceModel} from what the test wrote
 * and the order in which that node received it; equal-madeAt ties across sessions legitimately
 * follow arrival order (covalues.md §3.2), so nodes may differ exactly where the model says so.
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
        for (ContentPiece p : allPieces(from)) to.importContent(trimmed(p, to));
    }

    private static List<ContentPiece> allPieces(LocalNode from) {
        List<RawCoID> ids = new ArrayList<>(from.ids());
        ids.sort((a, b) -> Boolean.compare(!from.require(a).header().isAccount(), !from.require(b).header().isAccount()));
        List<ContentPiece> out = new ArrayList<>();
        for (RawCoID id : ids) out.addAll(from.exportContent(id));
        return out;
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

    /** One simulated try: nodes, what each was sent, and what each received in which order. */
    private static final class Sim {
        final Random rnd;
        final List<LocalNode> nodes = new ArrayList<>();
        final RawCoID map;
        final RawCoID list;
        final Map<String, ConvergenceModel.Tx> written = new HashMap<>(); // "coID session#idx" -> tx
        final List<List<ContentPiece>> inbox = new ArrayList<>();
        final List<Map<RawCoID, List<ConvergenceModel.Tx>>> arrivals = new ArrayList<>();
        int refusedGaps;

        Sim(long seed, int accounts, int sessionsPerAccount, int coarse) {
            rnd = new Random(seed);
            AtomicLong tick = new AtomicLong();
            LongSupplier clock = () -> 1_700_000_000_000L + tick.incrementAndGet() / coarse; // shared, coarse: many ties
            List<LocalNode> firsts = new ArrayList<>();
            for (int a = 0; a < accounts; a++) firsts.add(Accounts.create(CRYPTO, CRYPTO.newRandomAgentSecret(), "a" + a, clock));
            LocalNode admin = firsts.get(0);
            for (LocalNode n : firsts.subList(1, accounts)) LocalNodeTest.copy(n, admin, n.accountID());
            RawCoID group = GroupOperations.createGroup(admin, null);
            for (LocalNode n : firsts.subList(1, accounts)) GroupOperations.addMember(admin, group, n.accountID().value(), Roles.WRITER);
            map = Accounts.createOwned(admin, "comap", group, JsonValue.NULL);
            list = Accounts.createOwned(admin, "colist", group, JsonValue.NULL);
            for (LocalNode first : firsts) {
                nodes.add(first);
                for (int s = 1; s < sessionsPerAccount; s++) { // another device of the same account
                    LocalNode device = new LocalNode(CRYPTO, first.agentSecret(), first.accountID(), null, clock);
                    syncAll(first, device);
                    nodes.add(device);
                }
            }
            for (LocalNode n : nodes) if (n != admin) syncAll(admin, n);
            for (int i = 0; i < nodes.size(); i++) {
                inbox.add(new ArrayList<>());
                arrivals.add(new HashMap<>(Map.of(map, new ArrayList<>(), list, new ArrayList<>())));
            }
        }

        void write(int i) {
            LocalNode n = nodes.get(i);
            boolean onMap = rnd.nextBoolean();
            boolean privateTx = rnd.nextBoolean();
            RawCoID id = onMap ? map : list;
            List<JsonValue> changes = onMap ? mapEdit() : listEdit(n);
            SignedTransaction st = n.write(id, changes, null, privateTx);
            ConvergenceModel.Tx tx = new ConvergenceModel.Tx(n.sessionID().value(), st.txIndex(), st.transaction().madeAt(), !privateTx, changes);
            written.put(id.value() + " " + tx.id(), tx);
            arrivals.get(i).get(id).add(tx); // a local write arrives at once
            ContentPiece single = new ContentPiece(id, null, List.of(new ContentPiece.SessionPiece(n.sessionID(), st.txIndex(),
                    List.of(st.transaction()), st.signature().value())));
            for (int j = 0; j < nodes.size(); j++) if (j != i) inbox.get(j).add(single);
        }

        private List<JsonValue> mapEdit() {
            List<JsonValue> changes = new ArrayList<>();
            int n = 1 + (rnd.nextInt(4) == 0 ? 1 : 0); // sometimes two changes in one transaction
            for (int c = 0; c < n; c++) {
                String key = "k" + rnd.nextInt(4);
                changes.add(rnd.nextInt(5) == 0 ? CoMapContent.delChange(key) : CoMapContent.setChange(key, JsonValue.of(rnd.nextInt(1000))));
            }
            return changes;
        }

        private List<JsonValue> listEdit(LocalNode n) {
            CoListContent l = new CoListContent();
            l.add(TransactionDecoder.decode(n.require(list), n, n.keys()));
            JsonValue item = JsonValue.of(rnd.nextInt(1000));
            if (l.size() > 0 && rnd.nextInt(4) == 0) return l.deleteChange(rnd.nextInt(l.size()));
            if (l.size() > 0 && rnd.nextBoolean()) return l.prependChanges(item, rnd.nextInt(l.size() + 1));
            return l.appendChanges(List.of(item), l.size() == 0 ? null : rnd.nextInt(l.size()));
        }

        /** Imports {@code p} into node {@code i}; false if refused for a gap (it must change nothing). */
        boolean deliver(int i, ContentPiece p) {
            LocalNode node = nodes.get(i);
            CoValueCore known = node.get(p.id());
            Map<SessionID, Integer> before = new HashMap<>();
            for (ContentPiece.SessionPiece s : p.sessions()) before.put(s.sessionID(), known == null ? 0 : size(known, s.sessionID()));
            List<AddResult> results = node.importContent(p);
            CoValueCore core = node.require(p.id());
            boolean complete = true;
            for (int k = 0; k < p.sessions().size(); k++) {
                ContentPiece.SessionPiece s = p.sessions().get(k);
                int had = before.get(s.sessionID());
                int now = size(core, s.sessionID());
                if (s.after() > had) {
                    assertTrue(!results.get(k).isAdded() && now == had, "a piece after a gap is refused and changes nothing: " + results.get(k));
                    refusedGaps++;
                    complete = false;
                    continue;
                }
                assertTrue(results.get(k).isAdded(), "import: " + results.get(k));
                assertEquals(Math.max(had, s.after() + s.transactions().size()), now);
                for (int idx = had; idx < now; idx++) {
                    arrivals.get(i).get(p.id()).add(written.get(p.id().value() + " " + s.sessionID().value() + "#" + idx));
                }
            }
            return complete;
        }

        static int size(CoValueCore core, SessionID s) {
            SessionLog log = core.sessions().get(s);
            return log == null ? 0 : log.size();
        }

        void deliverOne(int i) {
            List<ContentPiece> box = inbox.get(i);
            if (box.isEmpty()) return;
            int k = rnd.nextInt(box.size());
            if (deliver(i, box.get(k))) box.remove(k);
        }

        /** A whole-session sync from one node to another (multi-transaction pieces). */
        void syncValues(int from, int to) {
            for (RawCoID id : List.of(map, list)) {
                for (ContentPiece p : nodes.get(from).exportContent(id)) deliver(to, trimmed(p, nodes.get(to)));
            }
        }

        /** Everything still in flight, in random order, until nothing is left (bounded). */
        void drain() {
            for (int round = 0; round < 10_000; round++) {
                boolean any = false;
                for (int i = 0; i < nodes.size(); i++) {
                    if (inbox.get(i).isEmpty()) continue;
                    any = true;
                    Collections.shuffle(inbox.get(i), rnd);
                    int to = i;
                    inbox.get(i).removeIf(p -> deliver(to, p));
                }
                if (!any) return;
            }
            throw new AssertionError("pieces still undelivered");
        }
    }

    @Property(tries = 100)
    void everyNodeShowsWhatTheModelPredictsForWhatItReceived(@ForAll @IntRange(min = 2, max = 3) int accounts,
            @ForAll @IntRange(min = 1, max = 2) int sessionsPerAccount, @ForAll @IntRange(min = 1, max = 6) int coarse,
            @ForAll @IntRange(min = 5, max = 40) int steps, @ForAll long seed) {
        Sim sim = new Sim(seed, accounts, sessionsPerAccount, coarse);
        int n = sim.nodes.size();
        for (int step = 0; step < steps; step++) {
            int r = sim.rnd.nextInt(10);
            if (r < 5) {
                sim.write(sim.rnd.nextInt(n));
            } else if (r < 9) {
                for (int k = 0; k < 3; k++) sim.deliverOne(sim.rnd.nextInt(n));
            } else {
                sim.syncValues(sim.rnd.nextInt(n), sim.rnd.nextInt(n));
            }
        }
        sim.drain();
        // a fresh device of the first account loads everything from node 0 (the export order is its arrival order)
        LocalNode first = sim.nodes.get(0);
        LocalNode fresh = new LocalNode(CRYPTO, first.agentSecret(), first.accountID(), null, System::currentTimeMillis);
        for (ContentPiece p : allPieces(first)) {
            if (!p.id().equals(sim.map) && !p.id().equals(sim.list)) fresh.importContent(trimmed(p, fresh));
        }
        sim.nodes.add(fresh);
        sim.arrivals.add(new HashMap<>(Map.of(sim.map, new ArrayList<>(), sim.list, new ArrayList<>())));
        for (RawCoID id : List.of(sim.map, sim.list)) for (ContentPiece p : first.exportContent(id)) assertTrue(sim.deliver(n, p));

        Set<String> distinctViews = new HashSet<>();
        for (int i = 0; i < sim.nodes.size(); i++) {
            LocalNode node = sim.nodes.get(i);
            String where = "node " + i + " of " + sim.nodes.size() + " (seed " + seed + ")";
            assertEquals(first.require(sim.map).knownState(), node.require(sim.map).knownState(), where + " has every map transaction");
            assertEquals(first.require(sim.list).knownState(), node.require(sim.list).knownState(), where + " has every list transaction");
            TreeMap<String, String> expectedMap = ConvergenceModel.map(sim.arrivals.get(i).get(sim.map));
            String expectedList = ConvergenceModel.list(sim.arrivals.get(i).get(sim.list));
            assertEquals(expectedMap, mapContent(node, sim.map), where + " map");
            assertEquals(expectedList, listContent(node, sim.list), where + " list");
            distinctViews.add(expectedMap + expectedList);
        }
        Statistics.label("nodes").collect(sim.nodes.size());
        Statistics.label("gap pieces refused").collect(sim.refusedGaps > 0);
        Statistics.label("views differ by arrival order").collect(distinctViews.size() > 1);
    }

    @Property(tries = 30)
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
