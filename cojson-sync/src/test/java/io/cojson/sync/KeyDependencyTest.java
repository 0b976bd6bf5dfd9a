package io.cojson.sync;

import static io.cojson.sync.SyncTestKit.CRYPTO;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.groups.Roles;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.node.Accounts;
import io.cojson.core.node.ContentPiece;
import io.cojson.core.node.GroupOperations;
import io.cojson.core.node.LocalNode;
import io.cojson.core.content.CoMapContent;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A client's private transaction whose key its group does not name on the server yet waits for
 * that group content (issue 11, the model's third finding): acknowledged before the key rotation
 * arrived, it would be unreadable for everyone if its writer crashed before sending the rotation.
 */
class KeyDependencyTest {
    private final LocalNode alice = Accounts.create(CRYPTO, "Alice");
    private final LocalNode bob = Accounts.create(CRYPTO, "Bob");
    private final LocalNode serverNode = LocalNode.forAgent(CRYPTO, CRYPTO.newRandomAgentSecret());
    private SyncManager server;
    private RawPeer client;
    private RawCoID group;
    private RawCoID map;

    @BeforeEach
    void setUp() {
        server = SyncManager.create(serverNode, SyncOptions.defaults());
        client = RawPeer.attach(server, "alice", PeerRole.CLIENT);
        for (RawCoID id : bob.ids()) for (ContentPiece p : bob.exportContent(id)) alice.importContent(p);
        group = GroupOperations.createGroup(alice, null);
        GroupOperations.addMember(alice, group, bob.accountID().value(), Roles.WRITER);
        map = Accounts.createOwned(alice, "comap", group, JsonValue.NULL);
        set("a", 1);
        for (RawCoID id : List.of(bob.accountID(), alice.accountID(), group, map)) upload(id);
        // the rotation (bob removed) reaches only alice's node; her next private write uses the new key
        GroupOperations.removeMember(alice, group, bob.accountID().value());
        set("b", 2);
    }

    @AfterEach
    void close() {
        server.close();
    }

    private void set(String key, int value) {
        alice.write(map, List.of(CoMapContent.setChange(key, JsonValue.of(value))), null, true);
    }

    private void upload(RawCoID id) {
        for (SyncMessage.Content m : InvalidInputTest.contentOf(alice, id)) {
            client.send(m);
            client.next(SyncMessage.Known.class);
        }
    }

    private int serverCount(SessionID s) {
        return serverNode.locked(() -> serverNode.require(map).knownState().count(s));
    }

    @Test
    void privateContentWhoseKeyTheGroupDoesNotNameWaitsForTheGroup() {
        SessionID session = alice.sessionID();
        int before = serverCount(session);
        for (SyncMessage.Content m : InvalidInputTest.contentOf(alice, map)) client.send(m); // the group's message lost

        SyncMessage.Load ask = client.next(SyncMessage.Load.class);
        assertEquals(group, ask.knownState().id(), "the server asks for the group first");
        SyncMessage.Known correction = client.next(SyncMessage.Known.class);
        assertEquals(map, correction.knownState().id());
        assertTrue(correction.isCorrection(), "not acknowledged: a correction");
        assertEquals(before, correction.knownState().count(session));
        assertEquals(before, serverCount(session), "the new transaction is not applied");

        // the client answers the load with the rotation, then sends the value again
        for (SyncMessage.Content m : InvalidInputTest.contentOf(alice, group)) client.send(m);
        for (SyncMessage.Content m : InvalidInputTest.contentOf(alice, map)) client.send(m);
        SyncTestKit.await("the value is applied once the key is named",
                () -> serverCount(session) == before + 1);
        SyncMessage.Known ack;
        do {
            ack = client.next(SyncMessage.Known.class);
        } while (!ack.knownState().id().equals(map) || ack.knownState().count(session) != before + 1);
        assertFalse(ack.isCorrection());
    }

    /** Bounded: a client that never sends the group gets the reference's behaviour after a few asks. */
    @Test
    void afterAFewAsksTheContentIsAppliedAsTheReferenceApplies() {
        SessionID session = alice.sessionID();
        int before = serverCount(session);
        for (int i = 0; i < PeerState.MAX_TRANSIENT_RETRIES; i++) {
            for (SyncMessage.Content m : InvalidInputTest.contentOf(alice, map)) client.send(m);
            assertEquals(group, client.next(SyncMessage.Load.class).knownState().id(), "ask " + (i + 1));
            assertTrue(client.next(SyncMessage.Known.class).isCorrection(), "ask " + (i + 1));
        }
        for (SyncMessage.Content m : InvalidInputTest.contentOf(alice, map)) client.send(m);
        SyncTestKit.await("applied after " + PeerState.MAX_TRANSIENT_RETRIES + " asks", () -> serverCount(session) == before + 1);
    }

    /** Content whose keys the group names is applied at once, without asking (the usual case). */
    @Test
    void contentWhoseKeyIsNamedIsAppliedWithoutAsking() {
        SessionID session = alice.sessionID();
        int before = serverCount(session);
        upload(group);
        for (SyncMessage.Content m : InvalidInputTest.contentOf(alice, map)) client.send(m);
        SyncMessage.Known ack = client.next(SyncMessage.Known.class);
        assertEquals(map, ack.knownState().id());
        assertFalse(ack.isCorrection());
        assertEquals(before + 1, ack.knownState().count(session));
    }
}
