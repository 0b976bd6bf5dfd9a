package io.cojson.core.groups;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.cojson.core.covalue.CoValueCore;
import io.cojson.core.covalue.TxEntry;
import io.cojson.core.crypto.Crypto;
import io.cojson.core.crypto.CryptoProviders;
import io.cojson.core.testing.FixtureNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The effective time and ID of merged transactions (covalues.md §13.3) against the reference's
 * {@code sourceMadeAt}/{@code sourceTxId} in the {@code merged_tx_ties} fixture: every transaction
 * whose meta is readable without keys (the trusting ones) is checked, merged or not.
 */
class MergedTransactionFixtureTest {
    @Test
    void mergedTransactionsCarryTheirSourceTimeAndId() throws IOException {
        JsonNode f = GroupEngineFixtureTest.load("merged_tx_ties");
        FixtureNode node = new FixtureNode(new Crypto(CryptoProviders.auto())).ingest(f.get("covalues"));
        List<String> mismatches = new ArrayList<>();
        int merged = 0;
        Iterator<Map.Entry<String, JsonNode>> it = f.get("verdicts").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> v = it.next();
            CoValueCore core = node.require(v.getKey());
            core.validate(node);
            for (JsonNode exp : v.getValue()) {
                TxEntry e = GroupEngineFixtureTest.find(core, exp.get("sessionId").textValue(), exp.get("txIndex").intValue());
                if (!e.isTrusting()) continue;
                long madeAt = exp.has("sourceMadeAt") ? exp.get("sourceMadeAt").longValue() : e.madeAt();
                String session = exp.has("sourceTxId") ? exp.get("sourceTxId").get("sessionID").textValue() : e.sessionID().value();
                int index = exp.has("sourceTxId") ? exp.get("sourceTxId").get("txIndex").intValue() : e.txIndex();
                if (exp.has("sourceTxId")) merged++;
                String got = e.effectiveMadeAt() + " " + e.effectiveSession().value() + ":" + e.effectiveTxIndex();
                String want = madeAt + " " + session + ":" + index;
                if (!got.equals(want)) mismatches.add(e.sessionID() + ":" + e.txIndex() + " expected " + want + ", got " + got);
            }
        }
        assertEquals(2, merged, "the fixture's two merged transactions");
        assertEquals(List.of(), mismatches);
    }
}
