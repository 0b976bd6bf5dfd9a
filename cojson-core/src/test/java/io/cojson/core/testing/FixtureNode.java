package io.cojson.core.testing;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cojson.core.covalue.CoValueCore;
import io.cojson.core.covalue.CoValueResolver;
import io.cojson.core.crypto.Crypto;
import io.cojson.core.header.CoValueHeader;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.json.Json;
import io.cojson.core.json.JsonValue;
import io.cojson.core.session.AddResult;
import io.cojson.core.session.TransactionCodec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Test helper: ingests the {@code covalues} part of a fixture file (fixtures/README.md) into
 * in-memory CoValueCores — every header first, then every session in the listed order, verified.
 */
public final class FixtureNode implements CoValueResolver {
    private final Crypto crypto;
    private final Map<RawCoID, CoValueCore> values = new LinkedHashMap<>();

    public FixtureNode(Crypto crypto) {
        this.crypto = crypto;
    }

    @Override
    public CoValueCore get(RawCoID id) {
        return values.get(id);
    }

    public CoValueCore require(String id) {
        CoValueCore c = values.get(new RawCoID(id));
        assertNotNull(c, "fixture CoValue " + id + " was not ingested");
        return c;
    }

    /** Ingests every CoValue of {@code covalues}; fails the test if any session does not verify. */
    public FixtureNode ingest(JsonNode covalues) {
        assertTrue(covalues.isArray() && covalues.size() > 0, "fixture has no covalues");
        for (JsonNode cv : covalues) {
            RawCoID id = new RawCoID(cv.get("coId").textValue());
            CoValueHeader header = new CoValueHeader((JsonValue.Obj) Json.parse(cv.get("headerJson").textValue()));
            values.put(id, CoValueCore.fromHeader(crypto, id, header));
        }
        for (JsonNode cv : covalues) {
            CoValueCore core = values.get(new RawCoID(cv.get("coId").textValue()));
            for (JsonNode s : cv.get("sessions")) {
                StringBuilder arr = new StringBuilder("[");
                for (JsonNode t : s.get("transactions")) {
                    if (arr.length() > 1) arr.append(',');
                    arr.append(t.textValue());
                }
                SessionID session = new SessionID(s.get("sessionId").textValue());
                AddResult r = core.tryAddTransactions(session, 0, TransactionCodec.parseArray(arr.append(']').toString()),
                        s.get("lastSignature").textValue(), this);
                assertTrue(r.isAdded(), "session " + session + " of " + core.id() + " did not verify: " + r);
            }
        }
        return this;
    }
}
