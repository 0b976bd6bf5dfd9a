package io.cojson.core.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.crypto.Crypto;
import io.cojson.core.groups.Roles;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import io.cojson.core.session.AddResult;
import io.cojson.core.session.SessionLog;
import io.cojson.core.session.VerificationFailure;
import org.junit.jupiter.api.Test;

/**
 * A delete received from a peer is judged by the owning group's rules (covalues.md §14): only an
 * admin's tombstone deletes the value. The writer's own node refuses a non-admin's delete before
 * signing, so this crafts one as a modified peer would.
 */
class ReceivedDeleteTest {
    private final Crypto crypto = Crypto.create();

    /** {@code author}'s delete session for {@code id}, signed by its agent, as {@link LocalNode#deleteCoValue} writes it. */
    private static SessionLog tombstone(LocalNode author, RawCoID id, long madeAt) {
        Crypto c = author.crypto();
        SessionID del = c.newDeleteSessionID(author.me());
        SessionLog log = new SessionLog(c, del, author.agentID().signer());
        log.appendTrusting(author.agentSecret().signer(), "[]", madeAt, JsonWriter.stringify(JsonValue.obj("deleted", JsonValue.of(id.value()))));
        return log;
    }

    private static AddResult receive(LocalNode node, RawCoID id, SessionLog log) {
        return node.locked(() -> node.require(id).tryAddTransactions(log.sessionID(), 0, log.transactions(),
                log.lastSignature().value(), node));
    }

    @Test
    void onlyAnAdminsTombstoneDeletesAReceivedValue() {
        LocalNode alice = Accounts.create(crypto, "Alice");
        LocalNode bob = Accounts.create(crypto, "Bob");
        for (RawCoID id : bob.ids()) LocalNodeTest.copy(bob, alice, id);
        RawCoID group = GroupOperations.createGroup(alice, null);
        GroupOperations.addMember(alice, group, bob.accountID().value(), Roles.WRITER);
        RawCoID map = Accounts.createOwned(alice, "comap", group, JsonValue.NULL);
        long now = System.currentTimeMillis() + 1;

        AddResult byWriter = receive(alice, map, tombstone(bob, map, now));
        assertTrue(byWriter instanceof AddResult.Rejected, byWriter.toString());
        VerificationFailure f = ((AddResult.Rejected) byWriter).failure();
        assertEquals(VerificationFailure.Kind.DELETE_REJECTED, f.kind());
        assertEquals("NotAdmin", f.message());
        assertFalse(alice.locked(() -> alice.require(map).isDeleted()), "a writer's tombstone deletes nothing");

        AddResult byAdmin = receive(alice, map, tombstone(alice, map, now));
        assertTrue(byAdmin.isAdded(), byAdmin.toString());
        assertTrue(alice.locked(() -> alice.require(map).isDeleted()));
    }
}
