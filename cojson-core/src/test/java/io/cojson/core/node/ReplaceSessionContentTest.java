package io.cojson.core.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.content.CoMapContent;
import io.cojson.core.covalue.CoValueCore;
import io.cojson.core.crypto.Crypto;
import io.cojson.core.groups.Roles;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.knownstate.KnownState;
import io.cojson.core.session.AddResult;
import io.cojson.core.session.SessionLog;
import io.cojson.core.session.Transaction;
import io.cojson.core.session.VerificationFailure;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Invariants of {@link CoValueCore#replaceSessionContent}: the recovery feature's primitive. */
class ReplaceSessionContentTest {
    private final Crypto crypto = Crypto.create();
    private LocalNode alice;
    private LocalNode bob;
    private RawCoID map;

    @BeforeEach
    void setUp() {
        alice = Accounts.create(crypto, "Alice");
        bob = Accounts.create(crypto, "Bob");
        for (RawCoID id : bob.ids()) LocalNodeTest.copy(bob, alice, id);
        RawCoID group = GroupOperations.createGroup(alice, null);
        GroupOperations.addMember(alice, group, bob.accountID().value(), Roles.WRITER);
        map = Accounts.createOwned(alice, "comap", group, JsonValue.NULL);
        for (int i = 0; i < 3; i++) LocalNodeTest.set(alice, map, "a" + i, JsonValue.of(i));
        for (RawCoID id : alice.ids()) if (bob.get(id) == null || id.equals(group) || id.equals(map)) LocalNodeTest.copy(alice, bob, id);
        LocalNodeTest.set(bob, map, "b", JsonValue.of("bob"));
        LocalNodeTest.copy(bob, alice, map);
    }

    /** The same session with different (divergent) content, validly signed by Alice's agent. */
    private SessionLog divergentAliceSession(String... keys) {
        CoValueCore core = alice.require(map);
        SessionID s = alice.sessionID();
        SessionLog other = new SessionLog(crypto, s, alice.agentID().signer());
        var group = alice.require(((io.cojson.core.header.Ruleset.OwnedByGroup) core.header().ruleset()).group());
        var keyID = alice.currentKeyID(group);
        var secret = alice.keys().readKey(group, keyID).orElseThrow();
        long t = System.currentTimeMillis();
        for (String k : keys) {
            other.appendPrivate(alice.agentSecret().signer(), map, keyID, secret,
                    "[{\"op\":\"set\",\"key\":\"" + k + "\",\"value\":\"server\"}]", t++, null);
        }
        return other;
    }

    @Test
    @org.junit.jupiter.api.DisplayName("RC-1 Only the target session changes (and the result equals a fresh load)")
    void RC1_replacesOneSessionLeavesOthersAndEqualsAFreshLoad() {
        CoValueCore core = alice.require(map);
        SessionLog bobsBefore = core.sessions().get(bob.sessionID());
        List<Transaction> bobTxs = List.copyOf(bobsBefore.transactions());
        long epoch = core.verdictEpoch();
        SessionLog replacement = divergentAliceSession("x", "y");

        AddResult r = core.replaceSessionContent(alice.sessionID(), replacement.transactions(), replacement.lastSignature().value(), alice);
        assertTrue(r.isAdded(), r.toString());
        assertEquals(bobTxs, core.sessions().get(bob.sessionID()).transactions(), "other sessions untouched");
        assertEquals(bobsBefore.lastSignature(), core.sessions().get(bob.sessionID()).lastSignature());
        assertEquals(2, core.sessions().get(alice.sessionID()).size());
        assertEquals("{\"x\":\"server\",\"y\":\"server\",\"b\":\"bob\"}", LocalNodeTest.mapJson(alice, map), "session order, as a fresh load");
        core.validate(alice);
        assertTrue(core.verdictEpoch() != epoch, "views must rebuild");

        // A fresh node loading the same content computes the same view.
        LocalNode fresh = LocalNode.forAccount(crypto, alice.accountID(), alice.agentSecret(), null);
        for (RawCoID id : alice.ids()) LocalNodeTest.copy(alice, fresh, id);
        Accounts.checkLogin(fresh);
        assertEquals(LocalNodeTest.mapJson(alice, map), LocalNodeTest.mapJson(fresh, map));
        assertEquals(core.knownState(), fresh.require(map).knownState());
    }

    @Test
    void isIdempotentAndRejectsUnverifiableContentWithoutChangingAnything() {
        CoValueCore core = alice.require(map);
        SessionLog replacement = divergentAliceSession("x");
        assertTrue(core.replaceSessionContent(alice.sessionID(), replacement.transactions(), replacement.lastSignature().value(), alice).isAdded());
        String view = LocalNodeTest.mapJson(alice, map);
        var known = core.knownState();
        assertTrue(core.replaceSessionContent(alice.sessionID(), replacement.transactions(), replacement.lastSignature().value(), alice).isAdded());
        assertEquals(view, LocalNodeTest.mapJson(alice, map));
        assertEquals(known, core.knownState());

        SessionLog forged = divergentAliceSession("evil");
        AddResult bad = core.replaceSessionContent(alice.sessionID(), forged.transactions(), replacement.lastSignature().value(), alice);
        assertFalse(bad.isAdded());
        assertEquals(VerificationFailure.Kind.SIGNATURE_MISMATCH, ((AddResult.Rejected) bad).failure().kind());
        assertEquals(view, LocalNodeTest.mapJson(alice, map));
        assertEquals(known, core.knownState());
        assertSame(replacement.transactions().get(0), core.sessions().get(alice.sessionID()).get(0));
    }

    @Test
    @org.junit.jupiter.api.DisplayName("RC-4 Deletion survives the rebuild: still deleted, the delete session present")
    void RC4_aDeletedValueStaysDeleted() {
        alice.deleteCoValue(map);
        CoValueCore core = alice.require(map);
        assertTrue(core.isDeleted());
        SessionLog replacement = divergentAliceSession("x");
        assertTrue(core.replaceSessionContent(alice.sessionID(), replacement.transactions(), replacement.lastSignature().value(), alice).isAdded());
        assertTrue(core.isDeleted());
        assertTrue(core.knownState().sessions().keySet().stream().allMatch(SessionID::isDeleteSession));
        assertTrue(core.sessions().keySet().stream().anyMatch(SessionID::isDeleteSession), "the delete session is kept");
    }

    @Test
    @org.junit.jupiter.api.DisplayName("RC-2 Unrelated sessions byte-identical: bob's count and last signature unchanged")
    void RC2_unrelatedSessionsByteIdentical() {
        CoValueCore core = alice.require(map);
        SessionLog bobs = core.sessions().get(bob.sessionID());
        int count = bobs.size();
        var lastSignature = bobs.lastSignature();
        List<String> bytes = bobs.transactions().stream().map(Transaction::canonicalJson).toList();
        SessionLog replacement = divergentAliceSession("title", "status");
        assertTrue(core.replaceSessionContent(alice.sessionID(), replacement.transactions(), replacement.lastSignature().value(), alice).isAdded());
        SessionLog after = core.sessions().get(bob.sessionID());
        assertEquals(count, after.size());
        assertEquals(lastSignature, after.lastSignature());
        assertEquals(bytes, after.transactions().stream().map(Transaction::canonicalJson).toList());
        assertTrue(LocalNodeTest.mapJson(alice, map).contains("\"b\":\"bob\""), "bob's edit still readable");
    }

    @Test
    @org.junit.jupiter.api.DisplayName("RC-3 No divergence, no extra content: an identical server version changes nothing and has nothing new to send")
    void RC3_identicalVersionChangesNothing() {
        CoValueCore core = alice.require(map);
        SessionLog own = core.sessions().get(alice.sessionID());
        KnownState before = core.knownState();
        String view = LocalNodeTest.mapJson(alice, map);
        assertTrue(core.replaceSessionContent(alice.sessionID(), List.copyOf(own.transactions()), own.lastSignature().value(), alice).isAdded());
        assertEquals(before, core.knownState());
        assertEquals(view, LocalNodeTest.mapJson(alice, map));
        assertTrue(core.sessions().keySet().stream().noneMatch(SessionID::isConflictSession), "no conflict session");
        for (ContentPiece p : alice.exportContent(map)) {
            for (ContentPiece.SessionPiece sp : p.sessions()) {
                assertTrue(sp.after() + sp.transactions().size() <= before.count(sp.sessionID()), "nothing new since " + before + ": " + sp);
            }
        }
    }

    @Test
    @org.junit.jupiter.api.DisplayName("RC-5 Tombstone serialization: everything since nothing known is the header and the delete session(s), nothing else")
    void RC5_tombstoneSerialization() {
        alice.deleteCoValue(map);
        CoValueCore core = alice.require(map);
        SessionLog replacement = divergentAliceSession("x");
        assertTrue(core.replaceSessionContent(alice.sessionID(), replacement.transactions(), replacement.lastSignature().value(), alice).isAdded());
        List<ContentPiece> all = alice.exportContent(map);
        assertEquals(core.header(), all.get(0).header());
        List<SessionID> sessions = all.stream().flatMap(p -> p.sessions().stream()).map(ContentPiece.SessionPiece::sessionID).toList();
        assertFalse(sessions.isEmpty(), "the delete session is included");
        assertTrue(sessions.stream().allMatch(SessionID::isDeleteSession), "only delete sessions: " + sessions);
    }

    @Test
    void deletionRules() {
        PermissionDeniedException notAdmin = org.junit.jupiter.api.Assertions.assertThrows(PermissionDeniedException.class,
                () -> bob.deleteCoValue(map));
        assertEquals("The current account lacks admin permissions to delete this coValue", notAdmin.getMessage());
        alice.deleteCoValue(map);
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(PermissionDeniedException.class,
                () -> LocalNodeTest.set(alice, map, "late", JsonValue.of(1))).getMessage().contains("deleted"));
        assertThrows(CoValueDeletedException.class, () -> LocalNodeTest.set(alice, map, "late", JsonValue.of(1)));
        KnownState once = alice.require(map).knownState();
        alice.deleteCoValue(map); // deleting again writes nothing (as the reference)
        assertEquals(once, alice.require(map).knownState());
        // Bob receives the tombstone: only the delete session is sent; his later writes are refused.
        for (ContentPiece p : alice.exportContent(map)) {
            for (ContentPiece.SessionPiece s : p.sessions()) assertTrue(s.sessionID().isDeleteSession());
            bob.importContent(p);
        }
        assertTrue(bob.require(map).isDeleted());
        CoValueCore bobCore = bob.require(map);
        SessionLog bobLog = bobCore.sessions().get(bob.sessionID());
        AddResult r = alice.require(map).tryAddTransactions(bob.sessionID(), 0, bobLog.transactions(), bobLog.lastSignature().value(), alice);
        assertEquals(VerificationFailure.Kind.COVALUE_DELETED, ((AddResult.Rejected) r).failure().kind());
        var groupDelete = org.junit.jupiter.api.Assertions.assertThrows(PermissionDeniedException.class,
                () -> alice.deleteCoValue(alice.accountID()));
        assertEquals("Cannot delete Group or Account coValues", groupDelete.getMessage());
    }
}
