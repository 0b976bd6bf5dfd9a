package io.cojson.storage.engine.internal;

import io.cojson.core.ids.RawCoID;
import io.cojson.core.knownstate.KnownState;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One open storage transaction: hits {@code storage.tx.mid} after its first row is written, and
 * collects the known states to publish once it has committed (never before).
 */
final class Txn {
    private final boolean faultPoints;
    private boolean wroteAny;
    boolean committed;
    final Map<RawCoID, KnownState> knownAfter = new LinkedHashMap<>();
    final Map<String, Long> epochsAfter = new LinkedHashMap<>();

    Txn(boolean faultPoints) {
        this.faultPoints = faultPoints;
    }

    void wrote() {
        if (!wroteAny) {
            wroteAny = true;
            if (faultPoints) FaultPoints.hit(FaultPoints.TX_MID);
        }
    }

    boolean wroteAny() {
        return wroteAny;
    }
}
