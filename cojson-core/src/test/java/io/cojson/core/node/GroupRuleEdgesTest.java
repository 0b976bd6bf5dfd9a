package io.cojson.core.node;

import io.cojson.core.groups.GroupView;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.covalue.CoValueCore;
import io.cojson.core.covalue.TxEntry;
import io.cojson.core.groups.Roles;
import io.cojson.core.groups.Validation;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.session.SessionLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Edges of the permission rules (covalues.md §5.2, §5.3, §5.6) that the reference decides in a
 * particular way and that no fixture pins down: found by mutation testing (PIT), each test names the
 * reference code it follows. Transactions a real client would refuse to sign are forged the way a
 * modified client could (validly signed), and the receiving node's verdicts are read.
 */
class GroupRuleEdgesTest {
    private final KeyRotationTest.World w = new KeyRotationTest.World().accountsKnown();

    /** Validly signed trusting transactions by {@code author}, all at {@code madeAt}, added to {@code judge}'s copy. */
    static List<TxEntry> forge(LocalNode author, LocalNode judge, RawCoID id, long madeAt, String... changes) {
        return forge(author, author.sessionID(), judge, id, madeAt, changes);
    }

    /** The same in {@code session} (whose author must be {@code author}'s account or agent). */
    static List<TxEntry> forge(LocalNode author, SessionID session, LocalNode judge, RawCoID id, long madeAt, String... changes) {
        add(judge, id, session, forgedLog(author, session, madeAt, changes));
        CoValueCore core = judge.require(id);
        core.validate(judge);
        List<TxEntry> out = new ArrayList<>();
        for (TxEntry e : core.entries()) if (e.sessionID().equals(session)) out.add(e);
        assertEquals(changes.length, out.size());
        return out;
    }

    static SessionLog forgedLog(LocalNode author, SessionID session, long madeAt, String... changes) {
        SessionLog forged = new SessionLog(KeyRotationTest.CRYPTO, session, author.agentID().signer());
        for (String c : changes) forged.appendTrusting(author.agentSecret().signer(), c, madeAt, null);
        return forged;
    }

    /** Adds a forged session to {@code judge}'s copy without validating it yet. */
    static void add(LocalNode judge, RawCoID id, SessionID session, SessionLog forged) {
        assertTrue(judge.require(id).tryAddTransactions(session, 0, forged.transactions(), forged.lastSignature().value(), judge)
                .isAdded(), "signatures are valid; the rules decide");
    }

    private static TxEntry only(CoValueCore core, SessionID session) {
        return core.entries().stream().filter(e -> e.sessionID().equals(session)).findFirst().orElseThrow();
    }

    private static String set(String key, String value) {
        return "[{\"op\":\"set\",\"key\":\"" + key + "\",\"value\":\"" + value + "\"}]";
    }

    private static void write(LocalNode node, RawCoID group, String key, String value) {
        node.write(group, List.of(GroupOperations.setChange(key, JsonValue.of(value))), null, false);
    }

    /**
     * permissions.js isOwnWriteKeyRevelation: the key ID is the text before "_for_"; an empty one is
     * never the transactor's own ({@code if (!keyID) return false}), even if its write key was set to "".
     */
    @Test
    void anEmptyKeyIdIsNeverTheTransactorsOwnWriteKey() {
        RawCoID group = GroupOperations.createGroup(w.admin, null);
        LocalNode keeper = w.everythingSyncedTo(w.keeper);
        String me = keeper.accountID().value();
        long t = w.clock.incrementAndGet();
        List<TxEntry> e = forge(keeper, w.admin, group, t, set("writeKeyFor_" + me, ""), set("_for_everyone", "x"));
        assertTrue(e.get(0).isValid(), "anyone may set its own write key: " + e.get(0).invalidReason());
        assertFalse(e.get(1).isValid(), "an empty key ID revealed as its own");
        assertEquals("Only admins and managers can reveal keys", e.get(1).invalidReason());
    }

    /**
     * permissions.js MemberRoleResolver: parents live in a JS Map, so a parent revoked and set again
     * moves to the end, and with roles that do not outrank each other (isHigherRole) the first one
     * found wins. A member who is reader in two parents mapped "readerInvite" then "reader" may invite
     * readers; once the first parent is revoked and mapped again, the "reader" mapping comes first.
     */
    @Test
    void aParentMappedAgainAfterRevocationIsConsultedLast() {
        RawCoID p1 = GroupOperations.createGroup(w.admin, null);
        RawCoID p2 = GroupOperations.createGroup(w.admin, null);
        for (RawCoID p : List.of(p1, p2)) GroupOperations.addMember(w.admin, p, w.member.accountID().value(), Roles.READER);
        RawCoID child = GroupOperations.createGroup(w.admin, null);
        write(w.admin, child, "parent_" + p1.value(), Roles.READER_INVITE);
        write(w.admin, child, "parent_" + p2.value(), Roles.READER);
        LocalNode member = w.everythingSyncedTo(w.member);
        write(member, child, w.keeper.accountID().value(), Roles.READER); // readerInvite through p1, found first
        assertEquals(Roles.READER, GroupView.of(member.require(child), member).getString(w.keeper.accountID().value(), null));

        write(w.admin, child, "parent_" + p1.value(), Roles.REVOKED);
        write(w.admin, child, "parent_" + p1.value(), Roles.READER_INVITE);
        LocalNode member2 = w.everythingSyncedTo(w.member);
        PermissionDeniedException refused = assertThrows(PermissionDeniedException.class,
                () -> write(member2, child, "everyone", Roles.READER));
        assertTrue(refused.getMessage().contains("Group transaction must be made by current admin, manager, or invite"),
                refused.getMessage());
    }

    /** group.js extend: a parent that is the child, or reaches it directly or transitively, is not written (no cycle, no error). */
    @Test
    void extendingWithAParentThatReachesTheChildWritesNothing() {
        RawCoID a = GroupOperations.createGroup(w.admin, null);
        RawCoID b = GroupOperations.createGroup(w.admin, null);
        RawCoID c = GroupOperations.createGroup(w.admin, null);
        GroupOperations.extend(w.admin, a, b, "extend");
        GroupOperations.extend(w.admin, b, c, "extend");
        int[][] refusedPairs = {{0, 0}, {1, 0}, {2, 0}, {2, 1}}; // child, parent: a→a, b→a, c→a (via b), c→b
        RawCoID[] g = {a, b, c};
        for (int[] pair : refusedPairs) {
            RawCoID ch = g[pair[0]];
            int before = w.admin.require(ch).entries().size();
            assertDoesNotThrow(() -> GroupOperations.extend(w.admin, ch, g[pair[1]], "extend"));
            assertEquals(before, w.admin.require(ch).entries().size(), "nothing written extending " + pair[0] + " with " + pair[1]);
        }
        RawCoID d = GroupOperations.createGroup(w.admin, null);
        GroupOperations.extend(w.admin, d, a, "extend"); // no cycle: written
        assertEquals(List.of(a), GroupView.of(w.admin.require(d), w.admin).activeParents());
    }

    /** What a value's verdicts depend on (loaded first): a group's parents, an owned value's owner. */
    @Test
    void verdictDependenciesAreParentsAndOwner() {
        RawCoID p1 = GroupOperations.createGroup(w.admin, null);
        RawCoID p2 = GroupOperations.createGroup(w.admin, null);
        RawCoID child = GroupOperations.createGroup(w.admin, null);
        assertEquals(Set.of(), Validation.RULES.dependencies(w.admin.require(child)));
        GroupOperations.extend(w.admin, child, p1, "extend");
        GroupOperations.extend(w.admin, child, p2, Roles.READER);
        write(w.admin, child, "parent_" + p1.value(), Roles.REVOKED); // once a parent, still read to judge history
        assertEquals(List.of(p1, p2), List.copyOf(Validation.RULES.dependencies(w.admin.require(child))));
        RawCoID map = Accounts.createOwned(w.admin, "comap", child, JsonValue.NULL);
        assertEquals(Set.of(child), Validation.RULES.dependencies(w.admin.require(map)));
    }

    /**
     * permissions.js (ownedByGroup): each transaction is judged with its own author's role. Two
     * sessions with the same madeAt, a writer's first and then a non-member's, get different verdicts.
     */
    @Test
    void equalTimesInDifferentSessionsAreJudgedPerAuthor() {
        RawCoID group = GroupOperations.createGroup(w.admin, null);
        GroupOperations.addMember(w.admin, group, w.member.accountID().value(), Roles.WRITER);
        RawCoID map = Accounts.createOwned(w.admin, "comap", group, JsonValue.NULL);
        LocalNode member = w.everythingSyncedTo(w.member);
        LocalNode keeper = w.everythingSyncedTo(w.keeper);
        long t = w.clock.incrementAndGet();
        // both arrive before the next validation, the writer's first: one pass judges them in that order
        add(w.admin, map, member.sessionID(), forgedLog(member, member.sessionID(), t, set("a", "1")));
        add(w.admin, map, keeper.sessionID(), forgedLog(keeper, keeper.sessionID(), t, set("b", "2")));
        CoValueCore core = w.admin.require(map);
        core.validate(w.admin);
        TxEntry byWriter = only(core, member.sessionID());
        TxEntry byOutsider = only(core, keeper.sessionID());
        assertTrue(byWriter.isValid(), byWriter.invalidReason());
        assertFalse(byOutsider.isValid(), "a non-member at the writer's millisecond");
        assertEquals("Transactor has no write permissions", byOutsider.invalidReason());
    }

    /**
     * permissions.js agentInAccountOrMemberInGroup: only the account itself acts as its agent in a
     * value the account owns; another account writing there has no role.
     */
    @Test
    void anotherAccountHasNoRoleInAValueOwnedByAnAccount() {
        RawCoID map = Accounts.createOwned(w.admin, "comap", w.admin.accountID(), JsonValue.NULL);
        LocalNode member = w.everythingSyncedTo(w.member);
        long t = w.clock.incrementAndGet();
        TxEntry byOwner = forge(w.admin, w.admin, map, t, set("a", "1")).get(0);
        TxEntry byOther = forge(member, w.admin, map, t + 1, set("b", "2")).get(0);
        assertTrue(byOwner.isValid(), byOwner.invalidReason());
        assertFalse(byOther.isValid(), "another account in an account-owned value");
        assertEquals("Transactor has no write permissions", byOther.invalidReason());
    }

    /**
     * permissions.js agentInAccountOrMemberInGroup: the account writing in a value it owns is judged
     * as its agent (the account header's initialAdmin), not by the account's own-id rule
     * (account.js roleOfInternal). Once that agent has revoked itself in the account (a
     * self-revocation is valid for anyone), the account's writes there have no role.
     */
    @Test
    void inAValueItOwnsAnAccountIsJudgedAsItsAgent() {
        RawCoID map = Accounts.createOwned(w.admin, "comap", w.admin.accountID(), JsonValue.NULL);
        long t = w.clock.incrementAndGet();
        TxEntry before = forge(w.admin, w.admin, map, t, set("a", "1")).get(0);
        assertTrue(before.isValid(), before.invalidReason());
        String agent = w.admin.agentID().value();
        SessionID agentSession = SessionID.newRandom(agent, new byte[8]);
        TxEntry revoke = forge(w.admin, agentSession, w.admin, w.admin.accountID(), t + 1, set(agent, Roles.REVOKED)).get(0);
        assertTrue(revoke.isValid(), revoke.invalidReason());
        RawCoID map2 = Accounts.createOwned(w.admin, "comap", w.admin.accountID(), JsonValue.NULL);
        TxEntry after = forge(w.admin, w.admin, map2, t + 2, set("b", "2")).get(0);
        assertFalse(after.isValid(), "the account's agent no longer holds a role in the account");
        assertEquals("Transactor has no write permissions", after.invalidReason());
    }

    /**
     * permissions.js determineValidTransactionsForGroup: in an account, a private transaction is valid
     * only from an admin of the account; another account's is refused with the account wording.
     */
    @Test
    void onlyAnAdminMakesPrivateTransactionsInAnAccount() {
        LocalNode member = w.everythingSyncedTo(w.member);
        var key = KeyRotationTest.CRYPTO.newRandomKeySecret();
        SessionLog forged = new SessionLog(KeyRotationTest.CRYPTO, member.sessionID(), member.agentID().signer());
        forged.appendPrivate(member.agentSecret().signer(), w.admin.accountID(), key.id(), key.secret(),
                set("profile", "x"), w.clock.incrementAndGet(), null);
        add(w.admin, w.admin.accountID(), member.sessionID(), forged);
        CoValueCore account = w.admin.require(w.admin.accountID());
        account.validate(w.admin);
        TxEntry e = only(account, member.sessionID());
        assertFalse(e.isValid(), "another account's private transaction in this account");
        assertEquals("Only admins can make private transactions in groups", e.invalidReason());
    }

    /**
     * permissions.js (ownedByGroup): every transaction is judged at its own madeAt. One session's
     * writes before and after its author was revoked, judged in one pass, get different verdicts.
     */
    @Test
    void aRoleChangeBetweenTwoWritesOfOneSessionIsSeen() {
        RawCoID group = GroupOperations.createGroup(w.admin, null);
        GroupOperations.addMember(w.admin, group, w.member.accountID().value(), Roles.WRITER);
        RawCoID map = Accounts.createOwned(w.admin, "comap", group, JsonValue.NULL);
        LocalNode member = w.everythingSyncedTo(w.member);
        long before = w.clock.incrementAndGet();
        write(w.admin, group, w.member.accountID().value(), Roles.REVOKED);
        long after = w.clock.incrementAndGet();
        SessionLog forged = new SessionLog(KeyRotationTest.CRYPTO, member.sessionID(), member.agentID().signer());
        forged.appendTrusting(member.agentSecret().signer(), set("a", "1"), before, null);
        forged.appendTrusting(member.agentSecret().signer(), set("b", "2"), after, null);
        add(w.admin, map, member.sessionID(), forged);
        CoValueCore core = w.admin.require(map);
        core.validate(w.admin);
        List<TxEntry> e = core.entries().stream().filter(x -> x.sessionID().equals(member.sessionID())).toList();
        assertTrue(e.get(0).isValid(), "written while a writer: " + e.get(0).invalidReason());
        assertFalse(e.get(1).isValid(), "written after the revocation");
        assertEquals("Transactor has no write permissions", e.get(1).invalidReason());
    }
}
