package io.cojson.storage.engine.internal;

import io.cojson.core.covalue.CoValueCore;
import io.cojson.core.header.CoValueHeader;
import io.cojson.core.header.Ruleset;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.node.LocalNode;
import io.cojson.core.session.AddResult;
import io.cojson.storage.engine.LoadReport;
import io.cojson.storage.engine.LoadResult;
import io.cojson.storage.engine.CoValueStorage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Loads stored CoValues into a node, dependencies first (owning group, the accounts that wrote
 * sessions, parent groups), streaming each CoValue piece by piece through
 * {@link LocalNode#importContent}, which verifies every signature again.
 */
public final class NodeLoader {
    private final LocalNode node;
    private final CoValueStorage storage;
    private final Set<RawCoID> visiting = new HashSet<>();
    private final Set<RawCoID> missing = new LinkedHashSet<>();
    private final List<LoadReport.Rejected> rejected = new ArrayList<>();
    private final List<LoadResult.Quarantined> quarantined = new ArrayList<>();
    private int loaded;
    private long transactions;

    public NodeLoader(LocalNode node, CoValueStorage storage) {
        this.node = node;
        this.storage = storage;
    }

    /** Loads {@code id} (and what it depends on) unless the node already holds it. */
    public NodeLoader load(RawCoID id) {
        if (node.get(id) != null || !visiting.add(id)) return this;
        Optional<CoValueHeader> header = storage.header(id);
        if (!header.isPresent()) {
            missing.add(id);
            return this;
        }
        if (header.get().ruleset() instanceof Ruleset.OwnedByGroup o) load(o.group());
        for (SessionID s : storage.knownState(id).sessions().keySet()) {
            if (s.isAccountAuthor() && !s.accountID().equals(id)) load(s.accountID());
        }
        Set<String> failedSessions = new HashSet<>();
        LoadResult r = storage.load(id, piece -> {
            try {
                List<AddResult> results = node.importContent(piece);
                for (AddResult a : results) {
                    if (a instanceof AddResult.Rejected rej && failedSessions.add(rej.failure().sessionID().value())) {
                        rejected.add(new LoadReport.Rejected(id, rej.failure().sessionID().value(),
                                rej.failure().kind() + ": " + rej.failure().message()));
                    }
                }
            } catch (RuntimeException e) {
                if (failedSessions.add("<header>")) rejected.add(new LoadReport.Rejected(id, null, e.toString()));
            }
        });
        quarantined.addAll(r.quarantined());
        transactions += r.transactions();
        CoValueCore core = node.get(id);
        if (core == null) return this;
        loaded++;
        Set<RawCoID> deps = node.locked(() -> core.dependencies());
        for (RawCoID dep : deps) load(dep);
        return this;
    }

    /** Loads every stored CoValue, paging through the IDs. */
    public NodeLoader loadAll() {
        int page = 1000;
        for (int offset = 0;; offset += page) {
            List<RawCoID> ids = storage.coValueIDs(offset, page);
            for (RawCoID id : ids) load(id);
            if (ids.size() < page) return this;
        }
    }

    public LoadReport report() {
        return new LoadReport(loaded, transactions, new ArrayList<>(missing), rejected, quarantined);
    }
}
