package io.cojson.sync;

import io.cojson.core.content.DecodedTx;
import io.cojson.core.covalue.TransactionDecoder;
import io.cojson.core.json.JsonValue;
import io.cojson.core.node.LocalNode;
import io.cojson.sync.ModelWorld.Device;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * The deterministic model's safety, checked after every action: no sync or recovery task failed,
 * nobody holds a value twice or one nobody wrote, no listener told a change twice; and what must
 * survive from then on (whatever the server committed or a disk holds, or the server
 * acknowledged). With the readers of the values each node holds.
 */
final class ModelInvariants {
    private ModelInvariants() {}

    static List<String> present(ModelWorld w, LocalNode n) {
        return ModelSupport.values(n, w.id, tx -> true);
    }

    static boolean isDeleted(ModelWorld w, LocalNode n) {
        return n.locked(() -> n.get(w.id) != null && n.require(w.id).isDeleted());
    }

    /**
     * The server's values as the account reads them: the server is no member of the group, so
     * private transactions are read from a copy of its content in a node of the account.
     */
    static List<String> serverValues(ModelWorld w) {
        if (!w.privateTx) return present(w, w.server.node());
        for (Device d : w.devices) learnPayloads(w, d.node); // recovery re-encrypts a divergent tail into S!
        LocalNode n = w.server.node();
        return n.locked(() -> {
            List<String> out = new ArrayList<>();
            if (n.get(w.id) == null) return out;
            for (var log : n.require(w.id).sessions().values()) {
                if (log.sessionID().isDeleteSession()) continue; // a delete marker writes no value
                for (int i = 0; i < log.size(); i++) out.add(w.byPayload.getOrDefault(payload(log.get(i)), "?unknown transaction"));
            }
            return out;
        });
    }

    /** The values of the transactions the server's storage committed. */
    static List<String> serverStored(ModelWorld w) {
        for (Device d : w.devices) learnPayloads(w, d.node);
        List<String> out = new ArrayList<>();
        for (var piece : w.serverDisk.committed(w.id)) {
            for (var sp : piece.sessions()) {
                if (sp.sessionID().isDeleteSession()) continue;
                for (var tx : sp.transactions()) out.add(w.byPayload.getOrDefault(payload(tx), "?unknown transaction"));
            }
        }
        return out;
    }

    /** The values of {@code d}'s transactions that the server has acknowledged to it, as {@code waitForSync} counts them. */
    static List<String> acknowledged(ModelWorld w, Device d) {
        var acked = d.sync.peer("server").map(p -> p.knownState(w.id)).orElse(null);
        // While a session is held back for a check or recovery, waitForSync waits: an equal count proves nothing then
        if (acked == null || d.rc.pending() > 0 || d.sync.holdsSyncOf(w.id)) return List.of();
        return ModelSupport.values(d.node, w.id, tx -> tx.txID().txIndex() < acked.count(tx.txID().sessionID()));
    }

    /** Notes the payload of every transaction {@code n} can read, with the value it writes. */
    static void learnPayloads(ModelWorld w, LocalNode n) {
        n.locked(() -> {
            if (n.get(w.id) == null) return null;
            var core = n.require(w.id);
            for (DecodedTx tx : TransactionDecoder.decode(core, n, n.keys())) {
                var log = core.sessions().get(tx.txID().sessionID());
                for (JsonValue c : tx.changes()) {
                    String v = c instanceof JsonValue.Str item ? item.value()
                            : c instanceof JsonValue.Obj o && o.get("value") instanceof JsonValue.Str str ? str.value() : null;
                    if (v != null) w.byPayload.put(payload(log.get(tx.txID().txIndex())), v);
                }
            }
            return null;
        });
    }

    static String payload(io.cojson.core.session.Transaction tx) {
        return tx instanceof io.cojson.core.session.Transaction.Private p ? p.encryptedChanges()
                : ((io.cojson.core.session.Transaction.Trusting) tx).changes();
    }

    /** Safety after every action; also notes what must survive: whatever the server or a disk holds. */
    static void safety(ModelWorld w) {
        if (!w.clock.failures().isEmpty()) throw new AssertionError("a sync or recovery task failed", w.clock.failures().get(0));
        List<List<String>> all = new ArrayList<>();
        all.add(serverValues(w));
        for (Device d : w.devices) all.add(present(w, d.node));
        for (List<String> p : all) {
            if (new HashSet<>(p).size() != p.size()) throw new AssertionError("a value twice: " + p + "\n" + w.describe());
            if (!w.written.containsAll(p)) throw new AssertionError("a value nobody wrote: " + p + "\n" + w.describe());
        }
        for (Device d : w.devices) d.listener.check(w::describe);
        if (!w.deleted) noteMustSurvive(w);
    }

    static void noteMustSurvive(ModelWorld w) {
        w.mustSurvive.addAll(serverStored(w)); // its memory may die with it; what it committed may not
        for (Device d : w.devices) {
            w.mustSurvive.addAll(present(w, d.disk));
            w.mustSurvive.addAll(acknowledged(w, d));
        }
    }
}
