package io.cojson.sync;

import static io.cojson.sync.SyncTestKit.CRYPTO;

import io.cojson.core.ids.AgentSecret;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.json.JsonValue;
import io.cojson.core.knownstate.KnownState;
import io.cojson.core.node.Accounts;
import io.cojson.core.node.ContentPiece;
import io.cojson.core.node.GroupOperations;
import io.cojson.core.node.LocalNode;
import io.cojson.core.session.AddResult;
import io.cojson.sync.internal.ContentProducer;
import java.util.List;

/**
 * The crash of recovery.md §2 in-process: alice writes, a "restarted" alice — the same account,
 * agent and session ID — starts from what alice held at {@link #restart()} (her disk), and both
 * keep writing, so that session S forks after their common prefix.
 */
final class ForkedSession {
    final AgentSecret secret = CRYPTO.newRandomAgentSecret();
    final LocalNode alice = Accounts.create(CRYPTO, secret, "Alice");
    final RawCoID group = GroupOperations.createGroup(alice, null);
    final RawCoID map = Accounts.createOwned(alice, "comap", group, JsonValue.NULL);

    /** A node of alice's account and session holding exactly what alice holds now. */
    LocalNode restart() {
        LocalNode n = LocalNode.forAccount(CRYPTO, alice.accountID(), secret, alice.sessionID());
        for (RawCoID id : alice.ids()) {
            for (ContentPiece p : alice.exportContent(id)) {
                for (AddResult r : n.importContent(p)) {
                    if (!r.isAdded()) throw new IllegalStateException("clone of " + id + " failed: " + r);
                }
            }
        }
        Accounts.checkLogin(n);
        return n;
    }

    /** A second session of alice's account (another device or process). */
    LocalNode secondSession() {
        LocalNode n = LocalNode.forAccount(CRYPTO, alice.accountID(), secret, null);
        for (RawCoID id : alice.ids()) for (ContentPiece p : alice.exportContent(id)) n.importContent(p);
        return n;
    }

    /** What {@code node} would send a peer that holds {@code peerHas} of {@code id}. */
    static List<SyncMessage.Content> contentSince(LocalNode node, RawCoID id, KnownState peerHas) {
        return node.locked(() -> ContentProducer.newContentSince(node.require(id), peerHas, null)).toMessages();
    }

    static void set(LocalNode node, RawCoID map, String key, String value) {
        SyncTestKit.set(node, map, key, JsonValue.of(value));
    }
}
