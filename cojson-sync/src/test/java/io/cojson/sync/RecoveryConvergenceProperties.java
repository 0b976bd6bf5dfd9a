package io.cojson.sync;

import static io.cojson.sync.SyncTestKit.await;
import static io.cojson.sync.SyncTestKit.get;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cojson.core.content.CoListContent;
import io.cojson.core.content.CoMapContent;
import io.cojson.core.content.DecodedTx;
import io.cojson.core.covalue.TransactionDecoder;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import io.cojson.core.node.Accounts;
import io.cojson.core.node.LocalNode;
import io.cojson.sync.recovery.RecoveryCoordinator;
import io.cojson.sync.recovery.RecoveryState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Issue 8's property: for random histories (a CoMap or a CoList, private or trusting transactions,
 * 1 to 4 sessions writing) and a random crash point between the server's acknowledgement and the
 * local commit (how many of the acknowledged transactions reached alice's disk), recovery ends
 * with every transaction either side wrote present exactly once, and every peer converges. The
 * server is the Java sync server in memory; the peers talk over in-memory channels.
 */
class RecoveryConvergenceProperties {

    /** Every value written in {@code id}, one per change, across every session (S and S! included). */
    private static List<String> written(LocalNode node, RawCoID id) {
        return node.locked(() -> {
            List<String> out = new ArrayList<>();
            for (DecodedTx tx : TransactionDecoder.decode(node.require(id), node, node.keys())) {
                for (JsonValue c : tx.changes()) {
                    JsonValue v = ((JsonValue.Obj) c).get("value");
                    if (v instanceof JsonValue.Str str) out.add(str.value());
                }
            }
            return out;
        });
    }

    private static String view(LocalNode node, RawCoID id) {
        return node.locked(() -> {
            Object content = node.view(id);
            JsonValue json = content instanceof CoListContent l ? l.toJson() : ((CoMapContent) content).toJson();
            if (json instanceof JsonValue.Obj o) return new TreeMap<>(o.fields()).toString(); // key order follows arrival
            return JsonWriter.stringify(json);
        });
    }

    @Property(tries = 30)
    void everyTransactionExactlyOnceAndPeersConverge(@ForAll boolean list, @ForAll boolean privateTx,
            @ForAll @IntRange(min = 1, max = 4) int sessions, @ForAll @IntRange(min = 0, max = 3) int prefix,
            @ForAll @IntRange(min = 1, max = 4) int lost, @ForAll @IntRange(min = 0, max = 3) int crash,
            @ForAll @IntRange(min = 0, max = 4) int after, @ForAll @IntRange(min = 0, max = 2) int othersEach) {
        List<AutoCloseable> cleanup = new ArrayList<>();
        try {
            run(list, privateTx, sessions, prefix, lost, crash % lost, after, othersEach, cleanup);
        } finally {
            for (int i = cleanup.size() - 1; i >= 0; i--) {
                try {
                    cleanup.get(i).close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    private void run(boolean list, boolean privateTx, int sessions, int prefix, int lost, int persistedOfLost, int after, int othersEach,
            List<AutoCloseable> cleanup) {
        ForkedSession f = new ForkedSession();
        RawCoID id = list ? Accounts.createOwned(f.alice, "colist", f.group, JsonValue.NULL) : f.map;
        SessionID s = f.alice.sessionID();
        AtomicInteger ops = new AtomicInteger();
        List<String> expected = new ArrayList<>();
        java.util.function.Consumer<LocalNode> edit = n -> {
            String v = "op" + ops.incrementAndGet();
            expected.add(v);
            n.locked(() -> {
                List<JsonValue> changes = list ? ((CoListContent) n.view(id)).appendChanges(List.of(JsonValue.of(v)), null)
                        : List.of(CoMapContent.setChange(v, JsonValue.of(v)));
                n.write(id, changes, null, privateTx);
                return null;
            });
        };

        SyncManager server = SyncManager.create(LocalNode.forAgent(SyncTestKit.CRYPTO, SyncTestKit.CRYPTO.newRandomAgentSecret()));
        cleanup.add(server::close);
        SyncManager first = SyncManager.create(f.alice);
        cleanup.add(first::close);
        SyncTestKit.connect(first, server);
        for (int i = 0; i < prefix; i++) edit.accept(f.alice);
        for (int i = 0; i < persistedOfLost; i++) edit.accept(f.alice);
        get(first.waitForSync(id, "server").orTimeout(20, TimeUnit.SECONDS));
        LocalNode restarted = f.restart(); // the crash point: what reached her disk
        for (int i = persistedOfLost; i < lost; i++) edit.accept(f.alice);
        get(first.waitForSync(id, "server").orTimeout(20, TimeUnit.SECONDS)); // acknowledged by the server
        // The other sessions (other devices of the account) write while alice is down.
        List<LocalNode> others = new ArrayList<>();
        for (int k = 1; k < sessions; k++) {
            LocalNode o = f.secondSession();
            SyncManager m = SyncManager.create(o);
            cleanup.add(m::close);
            SyncTestKit.connect(m, server);
            get(m.load(id).orTimeout(20, TimeUnit.SECONDS));
            for (int i = 0; i < othersEach; i++) edit.accept(o);
            get(m.waitForSync(id, "server").orTimeout(20, TimeUnit.SECONDS));
            others.add(o);
        }
        first.close();

        for (int i = 0; i < after; i++) edit.accept(restarted);
        SyncManager alice = SyncManager.create(restarted);
        cleanup.add(alice::close);
        RecoveryCoordinator rc = RecoveryCoordinator.install(alice, null);
        cleanup.add(rc::close);
        SyncTestKit.connect(alice, server);
        int local = prefix + persistedOfLost + after;
        int serverLength = prefix + lost;
        if (local == serverLength && after > 0) edit.accept(restarted); // case C: her next edit turns it into case A (§2)
        boolean fork = after > 0;
        if (fork) await("recovery DONE", () -> rc.status(id, s).state() == RecoveryState.DONE);

        List<LocalNode> readers = new ArrayList<>(others); // the server is no member: it holds, it cannot read private content
        readers.add(restarted);
        List<LocalNode> peers = new ArrayList<>(readers);
        peers.add(server.node());
        String why = "list=" + list + " private=" + privateTx + " sessions=" + sessions + " prefix=" + prefix + " lost=" + lost
                + " persisted=" + persistedOfLost + " after=" + after + " others=" + othersEach;
        try {
            await("every peer converges", () -> {
                var ks = SyncTestKit.known(restarted, id);
                for (LocalNode p : peers) if (!ks.equals(SyncTestKit.known(p, id))) return false;
                String v = view(restarted, id);
                for (LocalNode p : readers) if (!v.equals(view(p, id))) return false;
                return true;
            });
        } catch (AssertionError e) {
            StringBuilder state = new StringBuilder(why);
            for (LocalNode p : peers) state.append("\n  ").append(SyncTestKit.known(p, id)).append(" ").append(view(p, id));
            state.append("\n  recovery: ").append(rc.status(id, s));
            throw new AssertionError(state.toString(), e);
        }
        for (LocalNode p : readers) {
            List<String> got = written(p, id);
            Map<String, Integer> counts = new TreeMap<>();
            for (String v : got) counts.merge(v, 1, Integer::sum);
            Map<String, Integer> want = new TreeMap<>();
            for (String v : expected) want.put(v, 1);
            assertEquals(want, counts, "every transaction exactly once on every peer (" + why + ")");
        }
        if (fork) assertEquals(RecoveryState.DONE, rc.status(id, s).state(), why);
    }
}
