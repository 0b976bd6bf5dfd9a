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
        return ingestExcept(covalues, null);
    }

    /**
     * Every header, then every session of every CoValue except {@code heldBack} (whose sessions a
     * test feeds itself, e.g. with {@link #replayOneAtATime}).
     */
    public FixtureNode ingestExcept(JsonNode covalues, String heldBack) {
        assertTrue(covalues.isArray() && covalues.size() > 0, "fixture has no covalues");
        for (JsonNode cv : covalues) {
            RawCoID id = new RawCoID(cv.get("coId").textValue());
            CoValueHeader header = new CoValueHeader((JsonValue.Obj) Json.parse(cv.get("headerJson").textValue()));
            values.put(id, CoValueCore.fromHeader(crypto, io.cojson.core.groups.Validation.RULES, id, header));
        }
        for (JsonNode cv : covalues) {
            if (cv.get("coId").textValue().equals(heldBack)) continue;
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

    /**
     * Feeds the sessions of {@code cv} in the listed order, one transaction per call, validating
     * after each (the incremental path a live node takes). Each call passes the session's final
     * signature: this needs a node built on {@link UnsignedReplayProvider}. Returns the count fed.
     */
    public int replayOneAtATime(JsonNode cv) {
        CoValueCore core = require(cv.get("coId").textValue());
        int fed = 0;
        for (JsonNode s : cv.get("sessions")) {
            SessionID session = new SessionID(s.get("sessionId").textValue());
            int i = 0;
            for (JsonNode t : s.get("transactions")) {
                AddResult r = core.tryAddTransactions(session, i, TransactionCodec.parseArray("[" + t.textValue() + "]"),
                        s.get("lastSignature").textValue(), this);
                assertTrue(r.isAdded(), "transaction " + session + ":" + i + " of " + core.id() + " not added: " + r);
                core.validate(this);
                i++;
                fed++;
            }
        }
        return fed;
    }

    /** The {@code covalues} entry for {@code id}. */
    public static JsonNode entry(JsonNode covalues, String id) {
        for (JsonNode cv : covalues) if (cv.get("coId").textValue().equals(id)) return cv;
        throw new AssertionError("fixture has no CoValue " + id);
    }
}
