package io.cojson.sync.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.content.CoListContent;
import io.cojson.core.content.CoMapContent;
import io.cojson.core.covalue.CoValueCore;
import io.cojson.core.crypto.Crypto;
import io.cojson.core.ids.AgentSecret;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import io.cojson.core.node.Accounts;
import io.cojson.core.node.ContentPiece;
import io.cojson.core.node.ContentPiece.SessionPiece;
import io.cojson.core.node.GroupOperations;
import io.cojson.core.node.LocalNode;
import io.cojson.core.session.SessionLog;
import io.cojson.core.session.Transaction;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The conflict session of recovery.md §5.3 built from a real fork in memory: byte-identical when
 * re-run from the same inputs (§9, §10), private transactions re-encrypted so that any reader
 * decrypts them, CoList references into the tail remapped to S!.
 */
class ConflictSessionTest {
    private static final Crypto CRYPTO = Crypto.create();
    private final AgentSecret secret = CRYPTO.newRandomAgentSecret();
    private final LocalNode alice = Accounts.create(CRYPTO, secret, "Alice");
    private final RawCoID group = GroupOperations.createGroup(alice, null);
    private final SessionID s = alice.sessionID();

    /** Alice's node as her disk would restart it: the same account, agent and session, holding what she holds now. */
    private LocalNode restart() {
        LocalNode n = LocalNode.forAccount(CRYPTO, alice.accountID(), secret, s);
        for (RawCoID id : alice.ids()) for (ContentPiece p : alice.exportContent(id)) n.importContent(p);
        Accounts.checkLogin(n);
        return n;
    }

    private static void set(LocalNode node, RawCoID map, String key, String value, boolean privately) {
        node.write(map, List.of(CoMapContent.setChange(key, JsonValue.of(value))), null, privately);
    }

    private static List<Transaction> tail(LocalNode node, RawCoID id, SessionID s, int from) {
        return node.locked(() -> {
            SessionLog log = node.require(id).sessions().get(s);
            return List.copyOf(log.transactions().subList(from, log.size()));
        });
    }

    private static SessionPiece build(LocalNode node, RawCoID id, SessionID s, int p) {
        return node.locked(() -> {
            try {
                return ConflictSessionBuilder.build(node, node.require(id), s, p, tail(node, id, s, p));
            } catch (ConflictSessionBuilder.UndecodableTail e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    @DisplayName("RA-3 (unit part) Byte-identical ! session: re-running the recovery plan from the same inputs in a fresh process gives the same S! bytes and signature")
    void RA3_conflictSessionIsByteIdenticalWhenReRun() throws Exception {
        RawCoID map = Accounts.createOwned(alice, "comap", group, JsonValue.NULL);
        set(alice, map, "title", "Task", true);
        LocalNode disk = restart();
        set(alice, map, "status", "review", true); // reached the server, never the disk
        set(disk, map, "assignee", "bob", true); // after the restart: the divergent tail
        set(disk, map, "archived", "false", false);
        Thread.sleep(2); // a rebuild later must not take the clock into account

        SessionPiece first = build(disk, map, s, 1);
        // A second process started from the same disk and the same tail (K1–K3 of §9: nothing was durable).
        LocalNode rerun = LocalNode.forAccount(CRYPTO, alice.accountID(), secret, s);
        for (RawCoID id : disk.ids()) for (ContentPiece p : disk.exportContent(id)) rerun.importContent(p);
        SessionPiece second = build(rerun, map, s, 1);

        assertEquals(s.conflictSession(), first.sessionID());
        assertEquals(0, first.after());
        assertEquals(2, first.transactions().size());
        for (int i = 0; i < 2; i++) {
            assertEquals(first.transactions().get(i).canonicalJson(), second.transactions().get(i).canonicalJson());
        }
        assertEquals(first.lastSignature(), second.lastSignature());
        List<Transaction> original = tail(disk, map, s, 1);
        assertInstanceOf(Transaction.Private.class, first.transactions().get(0));
        assertNotEquals(((Transaction.Private) original.get(0)).encryptedChanges(),
                ((Transaction.Private) first.transactions().get(0)).encryptedChanges(), "re-encrypted for its new transaction ID");
        assertEquals(original.get(1).canonicalJson(), first.transactions().get(1).canonicalJson(), "trusting: same JSON");
        for (int i = 0; i < 2; i++) assertEquals(original.get(i).madeAt(), first.transactions().get(i).madeAt());

        // The swap with the server version; a reader that imports everything decrypts S!.
        List<Transaction> serverS = tail(alice, map, s, 0);
        String sig = alice.locked(() -> alice.require(map).sessions().get(s).lastSignature().value());
        assertTrue(disk.swapRecoveredSession(map, s, serverS, sig, first).isAdded());
        LocalNode reader = LocalNode.forAccount(CRYPTO, alice.accountID(), secret, null);
        for (RawCoID id : disk.ids()) for (ContentPiece p : disk.exportContent(id)) reader.importContent(p);
        String json = reader.locked(() -> JsonWriter.stringify(((CoMapContent) reader.view(map)).toJson()));
        var fields = new java.util.TreeMap<String, String>();
        ((JsonValue.Obj) io.cojson.core.json.Json.parse(json)).fields().forEach((k, v) -> fields.put(k, JsonWriter.stringify(v)));
        assertEquals("{archived=\"false\", assignee=\"bob\", status=\"review\", title=\"Task\"}", fields.toString());
    }

    @Test
    @DisplayName("RA-6 (unit part) CoList reference remapping: Y inserted after X, both in the tail, stays after X in S!")
    void RA6_listReferencesIntoTheTailAreRemapped() {
        RawCoID list = Accounts.createOwned(alice, "colist", group, JsonValue.NULL);
        append(alice, list, "a");
        LocalNode disk = restart();
        append(alice, list, "lost"); // reached the server only
        append(disk, list, "X");
        append(disk, list, "Y"); // its "after" points at X: session S, index 2 (the tail)
        SessionPiece conflict = build(disk, list, s, 1);
        String yChanges = ((Transaction.Trusting) conflict.transactions().get(1)).changes();
        assertTrue(yChanges.contains("\"sessionID\":\"" + s.conflictSession().value() + "\",\"txIndex\":0"), yChanges);
        String xChanges = ((Transaction.Trusting) conflict.transactions().get(0)).changes();
        assertTrue(xChanges.contains("\"sessionID\":\"" + s.value() + "\",\"txIndex\":0"), "a reference into S[0..P) is kept: " + xChanges);

        List<Transaction> serverS = tail(alice, list, s, 0);
        String sig = alice.locked(() -> alice.require(list).sessions().get(s).lastSignature().value());
        assertTrue(disk.swapRecoveredSession(list, s, serverS, sig, conflict).isAdded());
        String items = disk.locked(() -> JsonWriter.stringify(((CoListContent) disk.view(list)).toJson()));
        // X and "lost" are concurrent inserts after "a" (their order is the CRDT's); Y must follow X.
        assertTrue(items.equals("[\"a\",\"lost\",\"X\",\"Y\"]") || items.equals("[\"a\",\"X\",\"Y\",\"lost\"]"), items);
    }

    private static void append(LocalNode node, RawCoID list, String item) {
        node.locked(() -> {
            CoListContent c = (CoListContent) node.view(list);
            node.write(list, c.appendChanges(List.of(JsonValue.of(item)), null), null, false);
            return null;
        });
    }

    @Test
    @DisplayName("§5.3 remapping leaves references into S[0..P), into other sessions and non-list changes untouched")
    void remapTouchesOnlyTailReferences() {
        SessionID other = CRYPTO.newRandomSessionID(alice.agentID().value());
        String json = "[{\"op\":\"app\",\"value\":1,\"after\":{\"sessionID\":\"" + s.value() + "\",\"txIndex\":4,\"changeIdx\":1}},"
                + "{\"op\":\"del\",\"insertion\":{\"sessionID\":\"" + s.value() + "\",\"txIndex\":2,\"changeIdx\":0}},"
                + "{\"op\":\"pre\",\"value\":2,\"before\":{\"sessionID\":\"" + other.value() + "\",\"txIndex\":9,\"changeIdx\":0}},"
                + "{\"op\":\"set\",\"key\":\"" + s.value() + "\",\"value\":3}]";
        String out = ConflictSessionBuilder.remap(json, s, 3, s.conflictSession(), 5);
        String expected = json.replace("\"sessionID\":\"" + s.value() + "\",\"txIndex\":4", "\"sessionID\":\"" + s.value() + "!\",\"txIndex\":6");
        assertEquals(expected, out);
        String untouched = "[{\"op\":\"set\",\"key\":\"k\",\"value\":1}]";
        assertEquals(untouched, ConflictSessionBuilder.remap(untouched, s, 0, s.conflictSession(), 0));
    }

    @Test
    @DisplayName("§5.7 A second round appends to S! after the first round's transactions")
    void secondRoundAppendsAfterTheFirst() {
        RawCoID map = Accounts.createOwned(alice, "comap", group, JsonValue.NULL);
        set(alice, map, "title", "Task", false);
        LocalNode disk = restart();
        set(alice, map, "status", "review", false);
        set(disk, map, "assignee", "bob", false);
        SessionPiece round1 = build(disk, map, s, 1);
        List<Transaction> serverS = tail(alice, map, s, 0);
        String sig = alice.locked(() -> alice.require(map).sessions().get(s).lastSignature().value());
        assertTrue(disk.swapRecoveredSession(map, s, serverS, sig, round1).isAdded());
        CoValueCore core = disk.require(map);
        assertEquals(1, disk.locked(() -> core.sessions().get(s.conflictSession()).size()));
        set(disk, map, "due", "friday", false); // continues the server's S at index 2: a second fork would start here
        SessionPiece round2 = build(disk, map, s, 2);
        assertEquals(1, round2.after(), "after round 1's transaction");
        assertEquals(1, round2.transactions().size());
    }

    @Test
    @DisplayName("§5.4 step 1 / §9 An earlier attempt's S! that reached this node (e.g. storage restored from a backup) is recognised: the re-run adds nothing twice")
    void anEarlierAttemptsConflictSessionIsNotDuplicated() {
        RawCoID map = Accounts.createOwned(alice, "comap", group, JsonValue.NULL);
        set(alice, map, "title", "Task", true);
        LocalNode disk = restart();
        set(alice, map, "status", "review", true);
        set(disk, map, "assignee", "bob", true);
        set(disk, map, "archived", "false", false);
        LocalNode backup = LocalNode.forAccount(CRYPTO, alice.accountID(), secret, s); // the disk as it was before recovery
        for (RawCoID id : disk.ids()) for (ContentPiece p : disk.exportContent(id)) backup.importContent(p);

        SessionPiece first = build(disk, map, s, 1);
        List<Transaction> serverS = tail(alice, map, s, 0);
        String sig = alice.locked(() -> alice.require(map).sessions().get(s).lastSignature().value());
        assertTrue(disk.swapRecoveredSession(map, s, serverS, sig, first).isAdded());
        // The restored node receives S! from a peer before its own recovery runs.
        for (ContentPiece p : disk.exportContent(map)) backup.importContent(p);
        assertEquals(2, backup.locked(() -> backup.require(map).sessions().get(s.conflictSession()).size()));

        SessionPiece again = build(backup, map, s, 1);
        assertEquals(0, again.after(), "continues where this round's S! starts");
        assertEquals(first.transactions(), again.transactions());
        assertEquals(first.lastSignature(), again.lastSignature());
        assertTrue(backup.swapRecoveredSession(map, s, serverS, sig, again).isAdded());
        assertEquals(2, backup.locked(() -> backup.require(map).sessions().get(s.conflictSession()).size()), "nothing twice");
    }

    @Test
    @DisplayName("SessionLog.prefix continues a log exactly as its writer would have from that point")
    void prefixContinuesLikeTheOriginal() {
        SessionID own = CRYPTO.newRandomSessionID(alice.agentID().value());
        SessionLog full = new SessionLog(CRYPTO, own, alice.agentID().signer(), 30);
        for (int i = 0; i < 12; i++) full.appendTrusting(secret.signer(), "[\"item" + i + "\"]", 1000 + i, null);
        SessionLog rebuilt = full.prefix(5);
        for (int i = 5; i < 12; i++) rebuilt.appendTrusting(secret.signer(), "[\"item" + i + "\"]", 1000 + i, null);
        assertEquals(full.transactions(), rebuilt.transactions());
        assertEquals(full.lastSignature(), rebuilt.lastSignature());
        assertEquals(full.signatureAfter(), rebuilt.signatureAfter(), "checkpoints at the same places");
    }

    @Test
    @DisplayName("A forked key rotation of a group: its key revelations are sealed again for S!, so another device reads what the new key encrypted")
    void keyRevelationsMovedToTheConflictSessionStayReadable() {
        RawCoID map = Accounts.createOwned(alice, "comap", group, JsonValue.NULL);
        set(alice, map, "title", "Task", true);
        int p = alice.locked(() -> alice.require(group).sessions().get(s).size());
        LocalNode disk = restart();
        String reader = CRYPTO.getAgentID(CRYPTO.newRandomAgentSecret()).value();
        GroupOperations.addMember(alice, group, reader, "reader"); // reached the server, never the disk
        GroupOperations.addMember(disk, group, reader, "reader"); // after the restart: the divergent tail
        GroupOperations.removeMember(disk, group, reader); // rotates the read key: revelations sealed at S's indexes
        set(disk, map, "status", "done", true); // encrypted with the new key

        SessionPiece conflict = build(disk, group, s, p);
        assertEquals(conflict, build(disk, group, s, p), "sealed again deterministically: a re-run gives the same bytes");
        List<Transaction> serverS = tail(alice, group, s, 0);
        String sig = alice.locked(() -> alice.require(group).sessions().get(s).lastSignature().value());
        assertTrue(disk.swapRecoveredSession(group, s, serverS, sig, conflict).isAdded());
        LocalNode other = LocalNode.forAccount(CRYPTO, alice.accountID(), secret, null); // another device of the account
        for (RawCoID id : disk.ids()) for (ContentPiece piece : disk.exportContent(id)) other.importContent(piece);
        String json = other.locked(() -> JsonWriter.stringify(((CoMapContent) other.view(map)).toJson()));
        assertEquals("{\"title\":\"Task\",\"status\":\"done\"}", json.replace(" ", ""));
    }
}
