package io.cojson.storage.engine;

import io.cojson.core.crypto.Crypto;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.knownstate.KnownState;
import io.cojson.core.node.LocalNode;
import io.cojson.storage.engine.internal.NodeContent;
import io.cojson.storage.engine.internal.NodeLoader;
import java.util.ArrayList;
import java.util.List;

/**
 * The integrity check of a storage directory (reliability.md §1): the structural check of
 * {@link CoValueStorage#verifyIntegrity()}, then every stored CoValue is loaded into a fresh node
 * that verifies every session from index 0 against its signer (and every checkpoint signature, as
 * pieces end there), and what the node holds must equal what storage claims to hold.
 */
public final class IntegrityCheck {
    private IntegrityCheck() {}

    public static IntegrityReport run(CoValueStorage storage, Crypto crypto) {
        IntegrityReport structural = storage.verifyIntegrity();
        List<String> problems = new ArrayList<>(structural.problems());
        LocalNode verifier = LocalNode.forAgent(crypto, crypto.newRandomAgentSecret());
        LoadReport loaded = new NodeLoader(verifier, storage).loadAll().report();
        for (RawCoID id : loaded.missing()) problems.add("missing dependency " + id);
        for (LoadReport.Rejected r : loaded.rejected()) problems.add("does not verify: " + r.id() + " " + r.session() + ": " + r.reason());
        for (LoadResult.Quarantined q : loaded.quarantined()) problems.add("unreadable session " + q.session() + ": " + q.reason());
        int page = 1000;
        for (int offset = 0;; offset += page) {
            List<RawCoID> ids = storage.coValueIDs(offset, page);
            for (RawCoID id : ids) {
                KnownState stored = storage.knownState(id);
                KnownState held = NodeContent.knownState(verifier, id);
                if (held == null || !held.sessions().equals(stored.sessions())) {
                    problems.add("stored " + stored.toJson() + " but verified " + (held == null ? "nothing" : held.toJson().toString()));
                }
            }
            if (ids.size() < page) break;
        }
        return new IntegrityReport(structural.coValues(), structural.sessions(), structural.transactions(), problems);
    }
}
