package io.cojson.sync;

import io.cojson.core.groups.GroupView;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.node.GroupOperations;
import io.cojson.core.node.LocalNode;
import io.cojson.sync.ModelWorld.Device;
import java.util.ArrayList;
import java.util.List;

/**
 * What the devices of the deterministic model do, and what the network does to their messages:
 * edits (refused once the value is known deleted), an admin delete, a group member added or
 * removed (the read key rotates), an import of the other device's export, a persist of memory to
 * the disk, and a message delivered, duplicated, dropped or overtaken.
 */
final class ModelDeviceActions {
    private ModelDeviceActions() {}

    static void edit(ModelWorld w, int device) {
        Device d = w.devices.get(device);
        if (ModelInvariants.isDeleted(w, d.node)) {
            refusedEdit(w, d);
            return;
        }
        String v = "op" + (++w.next);
        w.written.add(v);
        ModelSupport.edit(d.node, w.id, w.type, v, w.privateTx);
        d.node.locked(() -> {
            var mine = d.node.require(w.id).sessions().get(d.node.sessionID());
            w.byPayload.put(ModelInvariants.payload(mine.get(mine.size() - 1)), v);
            return null;
        });
    }

    /** An edit of a value this device knows deleted must be refused, with nothing signed (RI-9). */
    static void refusedEdit(ModelWorld w, Device d) {
        var before = SyncTestKit.known(d.node, w.id);
        try {
            ModelSupport.edit(d.node, w.id, w.type, "refused", w.privateTx);
        } catch (io.cojson.core.node.CoValueDeletedException e) {
            if (!before.equals(SyncTestKit.known(d.node, w.id))) throw new AssertionError("a refused edit changed the value\n" + w.describe());
            return;
        }
        throw new AssertionError(d.name + " edited a value it knows deleted\n" + w.describe());
    }

    /**
     * The group's admin (both devices are the account that made the group) deletes the value and
     * its storage commits the delete (so it survives a crash). Before the delete, everything the
     * server acknowledged must be in its storage, exactly once; after it nothing new must survive.
     */
    static void delete(ModelWorld w, int device) {
        Device d = w.devices.get(device);
        if (!w.deleted) {
            ModelInvariants.noteMustSurvive(w);
            List<String> stored = ModelInvariants.serverStored(w);
            for (Device e : w.devices) w.ackedAtDelete.addAll(ModelInvariants.acknowledged(w, e));
            w.ackedAtDelete.addAll(stored);
            for (String v : w.ackedAtDelete) {
                if (java.util.Collections.frequency(stored, v) != 1) {
                    throw new AssertionError(v + " acknowledged before the delete but not stored exactly once by the server\n" + w.describe());
                }
            }
        }
        d.discards.selfDeleted = true; // its own delete discards nothing it must be told of
        d.node.deleteCoValue(w.id);
        if (!ModelInvariants.isDeleted(w, d.node)) throw new AssertionError(d.name + "'s delete left the value undeleted\n" + w.describe());
        w.deleted = true;
        w.deletes++;
        d.disk = w.clone(d.node, d.node.sessionID());
    }

    /**
     * {@code device} imports the other device's export of the group and the value (a bundle,
     * RL-04) through its sync manager instead of receiving it by sync. A piece of a session the
     * two hold in different versions (a fork) is rejected and left to recovery.
     */
    static void importFrom(ModelWorld w, int device) {
        Device d = w.devices.get(device);
        Device source = w.devices.get(1 - device);
        // Content the server has not acknowledged may be lost with its author and written again
        // differently: a peer that got it directly stays forked (recovery.md §6, known
        // limitation). The model's bundles hold only what the server acknowledged to the exporter.
        if (source.rc.pending() > 0 || !serverHasAll(source, w.id) || !serverHasAll(source, w.group)) return;
        LocalNode from = source.node;
        List<io.cojson.core.node.ContentPiece> pieces = new ArrayList<>();
        for (RawCoID v : List.of(w.group, w.id)) {
            if (from.locked(() -> from.get(v) != null)) pieces.addAll(from.exportContent(v));
        }
        var done = d.sync.importContent(pieces); // a deletion in the bundle reports discarded edits too
        w.settle();
        if (done.isCompletedExceptionally()) {
            throw new AssertionError("the import failed\n" + w.describe(), done.handle((x, e) -> e).join());
        }
        w.imports++;
    }

    /** Whether the server acknowledged to {@code d} all it holds of {@code v}, and nothing of it is held back. */
    static boolean serverHasAll(Device d, RawCoID v) {
        var acked = d.sync.peer("server").map(p -> p.knownState(v)).orElse(null);
        var mine = SyncTestKit.known(d.node, v);
        if (acked == null || mine == null || d.sync.holdsSyncOf(v)) return false;
        for (var e : mine.sessions().entrySet()) if (acked.count(e.getKey()) < e.getValue()) return false;
        return true;
    }

    /** Adds the member as a reader, or removes it again (rotating the group's read key). */
    static void groupEdit(ModelWorld w, int device) {
        LocalNode n = w.devices.get(device).node;
        String role = n.locked(() -> GroupView.of(n.require(w.group), n).getString(w.member, null));
        if ("reader".equals(role)) GroupOperations.removeMember(n, w.group, w.member);
        else GroupOperations.addMember(n, w.group, w.member, "reader");
    }

    static void persist(ModelWorld w, int device) {
        Device d = w.devices.get(device);
        if (d.death == null) d.disk = w.clone(d.node, d.node.sessionID());
    }

    /** kind: 0 deliver, 1 duplicate, 2 drop; toServer: the direction; index: how many waiting ones it overtakes. */
    static void network(ModelWorld w, int device, boolean toServer, int kind, int index) {
        SimLink l = w.devices.get(device).link;
        SimLink.End to = toServer ? l.server : l.client;
        if (kind == 2) l.drop(to, index);
        else l.deliver(to, index, kind == 1);
    }

    static void deliverAll(ModelWorld w, int device) {
        SimLink l = w.devices.get(device).link;
        for (int i = 0; i < 10_000 && l.inFlight() > 0; i++) {
            if (!l.deliver(l.server, 0, false) && !l.deliver(l.client, 0, false)) break;
            w.settle();
        }
    }

    /** The classic fork: an edit reaches the server, the device dies before storing it and comes back with its session. */
    static void sentThenCrash(ModelWorld w, int device) {
        edit(w, device);
        w.tick(5);
        SimLink l = w.devices.get(device).link;
        while (l.deliver(l.server, 0, false)) w.settle();
        ModelCrashes.crash(w, device, true);
    }

    /** Delivers {@code device}'s messages both ways and lets time pass (bounded) until its recovery ended or it died. */
    static void driveRecovery(ModelWorld w, int device) {
        Device d = w.devices.get(device);
        for (int round = 0; round < 20 && d.death == null; round++) {
            deliverAll(w, device);
            w.tick(50);
            if (d.death == null && d.rc.pending() == 0 && d.link.inFlight() == 0) return;
        }
    }
}
