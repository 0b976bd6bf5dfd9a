package io.cojson.sync;

import static io.cojson.sync.ForkedSession.set;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.cojson.core.node.ContentPiece;
import io.cojson.core.node.LocalNode;
import io.cojson.core.node.Subscription;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The receiving side of a SignatureMismatch (recovery.md §4.2 T1, hand-off only): a report from a
 * server peer reaches the listeners as the typed message; nothing else happens in the sync layer
 * (the recovery coordinator decides); a report from a client peer is dropped as invalid.
 */
class ClientMismatchReceivingTest {
    private final ForkedSession f = new ForkedSession();
    private final List<SyncError> errors = new CopyOnWriteArrayList<>();
    private LocalNode restarted;
    private SyncManager client;

    private record Received(PeerState from, SyncMessage.SignatureMismatch report) {}

    @AfterEach
    void close() {
        if (client != null) client.close();
    }

    /** The server's version of S (title, priority, status) as a report; the client holds the fork. */
    private SyncMessage.SignatureMismatch setUp() {
        set(f.alice, f.map, "title", "Task");
        set(f.alice, f.map, "priority", "high");
        restarted = f.restart();
        set(f.alice, f.map, "status", "review");
        set(restarted, f.map, "assignee", "bob");
        client = SyncManager.create(restarted);
        client.onError(errors::add);
        List<ContentPiece.SessionPiece> pieces = f.alice.locked(
                () -> MismatchReports.wholeSession(f.alice.require(f.map).sessions().get(f.alice.sessionID())));
        return SyncMessage.SignatureMismatch.of(f.map, f.alice.sessionID(), pieces, "test");
    }

    @Test
    void aReportFromAServerReachesTheListenersAsTheTypedMessage() throws Exception {
        SyncMessage.SignatureMismatch sent = setUp();
        BlockingQueue<Received> got = new LinkedBlockingQueue<>();
        List<Received> unsubscribed = new CopyOnWriteArrayList<>();
        client.onSignatureMismatch((p, m) -> got.add(new Received(p, m)));
        Subscription gone = client.onSignatureMismatch((p, m) -> unsubscribed.add(new Received(p, m)));
        gone.close();
        RawPeer server = RawPeer.attach(client, "server", PeerRole.SERVER);
        for (int i = 0; i < restarted.ids().size(); i++) server.next(SyncMessage.Load.class); // the client's announcements

        server.sendRaw(sent.toJson());
        Received r = got.poll(10, TimeUnit.SECONDS);
        assertNotNull(r);
        assertEquals(sent, r.report());
        assertSame(client.peer("server").orElseThrow(), r.from());
        assertEquals(1, client.signatureMismatchStats().received());
        assertEquals(List.of(), unsubscribed);
        server.expectSilence(200); // the sync layer itself neither answers nor pushes anything
        assertEquals(List.of(), errors);
        assertNull(got.poll(10, TimeUnit.MILLISECONDS));
    }

    @Test
    void aReportFromAClientPeerIsDroppedAsInvalid() {
        SyncMessage.SignatureMismatch sent = setUp();
        List<Received> got = new CopyOnWriteArrayList<>();
        client.onSignatureMismatch((p, m) -> got.add(new Received(p, m)));
        RawPeer someClient = RawPeer.attach(client, "some-client", PeerRole.CLIENT);
        someClient.send(sent);
        SyncTestKit.await("the error", () -> !errors.isEmpty());
        assertEquals(SyncError.Kind.INVALID_MESSAGE, errors.get(0).kind());
        assertEquals(f.map, errors.get(0).id());
        assertEquals(List.of(), got);
        assertEquals(0, client.signatureMismatchStats().received());
    }
}
