package io.cojson.core.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cojson.core.ids.SessionID;
import io.cojson.core.ids.TransactionID;
import io.cojson.core.json.Json;
import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import io.cojson.core.session.Transaction;
import io.cojson.core.session.TransactionCodec;
import io.cojson.core.testing.Vectors;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code co_map_content} fixtures whose map is a single-session, trusting {@code unsafeAllowAll}
 * CoMap, so every transaction is valid without a permission engine. {@code private_content} needs
 * decryption and group validation, i.e. the full ingestion pipeline, and is not covered here.
 */
public class CoMapFixtureContentTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @ParameterizedTest(name = "co_map_content/{0}.json")
    @ValueSource(strings = {"lww_and_delete", "fww_races", "atTime_history"})
    void fixture(String name) throws IOException {
        JsonNode root = load("/fixtures/co_map_content/" + name + ".json");
        List<DecodedTx> valid = validTransactions(root, name);

        CoMapContent oneBatch = new CoMapContent();
        oneBatch.add(valid);
        CoMapContent oneByOne = new CoMapContent();
        for (DecodedTx tx : valid) oneByOne.add(List.of(tx));

        for (CoMapContent map : List.of(oneBatch, oneByOne)) check(root, map);
    }

    /** Compares a materialized map with a fixture's snapshot, ops, atTime reads and frontiers. */
    public static void check(JsonNode root, CoMapContent map) {
        assertEquals(text(root.get("snapshot")), JsonWriter.stringify(map.toJson()), "snapshot");

        JsonNode ops = root.get("ops");
        assertTrue(ops.size() > 0, "fixture has no ops");
        assertEquals(fieldNames(ops), new LinkedHashSet<>(map.keysWithHistory()), "keys with history");
        for (Iterator<Map.Entry<String, JsonNode>> it = ops.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            List<MapOp> actual = map.ops(e.getKey());
            assertEquals(e.getValue().size(), actual.size(), "ops count of " + e.getKey());
            for (int i = 0; i < actual.size(); i++) {
                assertEquals(text(e.getValue().get(i)), JsonWriter.stringify(CoMapContent.mapOpToJson(actual.get(i))),
                        "ops[" + e.getKey() + "][" + i + "]");
            }
        }

        JsonNode reads = root.get("atTime");
        assertTrue(reads.size() > 0, "fixture has no atTime reads");
        for (JsonNode read : reads) {
            long t = read.get("t").asLong();
            String key = read.get("key").asText();
            JsonValue actual = map.atTime(t).get(key);
            assertEquals(text(read.get("value")), JsonWriter.stringify(actual == null ? JsonValue.NULL : actual),
                    "atTime(" + t + ").get(" + key + ")");
        }

        JsonNode frontiers = root.get("frontier");
        assertTrue(frontiers.size() > 0, "fixture has no frontier views");
        for (JsonNode f : frontiers) {
            Map<SessionID, Integer> frontier = new LinkedHashMap<>();
            f.get("frontier").fields().forEachRemaining(e -> frontier.put(SessionID.parse(e.getKey()), e.getValue().asInt()));
            assertEquals(text(f.get("snapshot")), JsonWriter.stringify(map.atFrontier(frontier).toJson()), "frontier " + frontier);
        }
    }

    /** Every transaction of the map in load order, minus the fww losers (the only invalid ones here). */
    private static List<DecodedTx> validTransactions(JsonNode root, String name) {
        String mapId = root.get("mapId").asText();
        JsonNode coValue = null;
        for (JsonNode cv : root.get("covalues")) {
            if (cv.get("coId").asText().equals(mapId)) coValue = cv;
        }
        assertNotNull(coValue, "map " + mapId + " not in covalues");
        assertTrue(coValue.get("headerJson").asText().contains("\"unsafeAllowAll\""), "expected an unsafeAllowAll map");

        List<DecodedTx> loaded = new ArrayList<>();
        Map<DecodedTx, JsonValue> fwwKeys = new IdentityHashMap<>();
        for (JsonNode session : coValue.get("sessions")) {
            SessionID sessionID = SessionID.parse(session.get("sessionId").asText());
            int index = 0;
            for (JsonNode txText : session.get("transactions")) {
                Transaction.Trusting tx = (Transaction.Trusting) TransactionCodec.fromJson(Json.parse(txText.asText()));
                List<JsonValue> changes = ((JsonValue.Arr) Json.parse(tx.changes())).items();
                DecodedTx decoded = new DecodedTx(new TransactionID(sessionID, index++), tx.madeAt(), changes, true);
                loaded.add(decoded);
                if (tx.meta() != null && Json.parse(tx.meta()) instanceof JsonValue.Obj meta && meta.has("fww")) {
                    fwwKeys.put(decoded, meta.get("fww"));
                }
            }
        }
        assertTrue(loaded.size() > 0, "fixture has no transactions");
        Set<DecodedTx> losers = fwwLosers(loaded, fwwKeys);
        assertEquals(name.equals("fww_races") ? 24 : 0, losers.size(), "fww losers");
        return loaded.stream().filter(tx -> !losers.contains(tx)).toList();
    }

    /**
     * Test-side stand-in for the pipeline's first-writer-wins rule (spec 4.4): per fww value, the
     * first candidate by the comparator wins; an equal candidate does not displace the winner.
     * Primitive fww values are keyed by value (JsonValue records compare by value).
     */
    private static Set<DecodedTx> fwwLosers(List<DecodedTx> loadOrder, Map<DecodedTx, JsonValue> fwwKeys) {
        Map<JsonValue, DecodedTx> winners = new LinkedHashMap<>();
        Set<DecodedTx> losers = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (DecodedTx tx : loadOrder) {
            JsonValue key = fwwKeys.get(tx);
            if (key == null) continue;
            DecodedTx current = winners.get(key);
            if (current == null) {
                winners.put(key, tx);
            } else if (DecodedTx.compare(tx, current) < 0) {
                losers.add(current);
                winners.put(key, tx);
            } else {
                losers.add(tx);
            }
        }
        return losers;
    }

    private static JsonNode load(String resource) throws IOException {
        try (InputStream in = CoMapFixtureContentTest.class.getResourceAsStream(resource)) {
            assertNotNull(in, resource + " is not on the test classpath");
            return MAPPER.readTree(in);
        }
    }

    /** Fixture JSON as JSON.stringify text (key order kept), converted independently of Json.parse. */
    private static String text(JsonNode node) {
        return JsonWriter.stringify(Vectors.toJsonValue(node));
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> out = new LinkedHashSet<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
