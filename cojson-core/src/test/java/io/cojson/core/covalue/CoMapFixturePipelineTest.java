package io.cojson.core.covalue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cojson.core.content.CoMapContent;
import io.cojson.core.content.CoMapFixtureContentTest;
import io.cojson.core.crypto.Crypto;
import io.cojson.core.crypto.CryptoProviders;
import io.cojson.core.groups.KeyResolver;
import io.cojson.core.groups.ReaderIdentity;
import io.cojson.core.ids.KeyID;
import io.cojson.core.ids.KeySecret;
import io.cojson.core.testing.FixtureNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every co_map_content fixture through the real pipeline: verified ingestion, validation
 * (including first-writer-wins), decryption with the provided keys, and the CoMap view.
 */
class CoMapFixturePipelineTest {
    @ParameterizedTest(name = "co_map_content/{0} (full pipeline)")
    @ValueSource(strings = {"lww_and_delete", "fww_races", "atTime_history", "private_content"})
    void materializesLikeTheReference(String name) throws IOException {
        JsonNode root;
        try (InputStream in = getClass().getResourceAsStream("/fixtures/co_map_content/" + name + ".json")) {
            assertNotNull(in, name);
            root = new ObjectMapper().readTree(in);
        }
        Crypto crypto = new Crypto(CryptoProviders.auto());
        FixtureNode node = new FixtureNode(crypto).ingest(root.get("covalues"));
        Map<KeyID, KeySecret> keys = new HashMap<>();
        for (JsonNode k : root.get("provideKeys")) keys.put(new KeyID(k.get("keyId").textValue()), new KeySecret(k.get("keySecret").textValue()));
        assertEquals(name.equals("private_content"), !keys.isEmpty(), "only private_content provides keys");
        CoValueCore map = node.require(root.get("mapId").textValue());
        CoMapContent content = new CoMapContent();
        content.add(TransactionDecoder.decode(map, node, new KeyResolver(crypto, node, ReaderIdentity.keysOnly(keys))));
        long losers = map.entries().stream().filter(e -> e.invalidReason() != null && e.invalidReason().contains("fww")).count();
        assertEquals(name.equals("fww_races") ? 24 : 0, losers, "first-writer-wins losers");
        assertTrue(map.entries().size() > 0);
        CoMapFixtureContentTest.check(root, content);
    }
}
