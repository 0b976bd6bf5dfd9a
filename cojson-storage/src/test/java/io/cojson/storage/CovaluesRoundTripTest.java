package io.cojson.storage;

import static io.cojson.storage.TestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cojson.core.crypto.Crypto;
import io.cojson.core.ids.AgentSecret;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.SessionID;
import io.cojson.core.node.ContentPiece;
import io.cojson.core.node.LocalNode;
import io.cojson.core.session.AddResult;
import io.cojson.storage.engine.AsyncMapDbStorage;
import io.cojson.storage.engine.LoadReport;
import io.cojson.storage.engine.NodePersistence;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case of covalues.json, for every reader, through storage: imported into a node that
 * persists to a real MapDB directory, the store closed, reopened, loaded into a new node for the
 * same reader — and every target's view still equals the reference's.
 */
class CovaluesRoundTripTest {
    @TempDir
    Path tmp;

    static Stream<Arguments> readers() throws IOException {
        JsonNode root;
        try (InputStream in = CovaluesRoundTripTest.class.getResourceAsStream("/vectors/covalues.json")) {
            root = new ObjectMapper().readTree(in);
        }
        List<Arguments> out = new ArrayList<>();
        for (JsonNode c : root.get("cases")) {
            for (JsonNode exp : c.get("expected")) {
                out.add(Arguments.of(c.get("name").textValue() + " / as " + exp.get("readAs").textValue(), c, exp));
            }
        }
        assertTrue(out.size() > 0);
        return out.stream();
    }

    private static LocalNode reader(Crypto crypto, JsonNode c, JsonNode expected) {
        JsonNode agent = c.get("agents").get(expected.get("readAs").textValue());
        return LocalNode.forAccount(crypto, new RawCoID(agent.get("accountID").textValue()),
                AgentSecret.parse(agent.get("agentSecret").textValue()), new SessionID(agent.get("sessionID").textValue()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("readers")
    void viewsSurviveARestartThroughStorage(String label, JsonNode c, JsonNode expected) {
        Crypto crypto = TestSupport.CRYPTO;
        Path dir = tmp.resolve("store");
        LocalNode before = reader(crypto, c, expected);
        try (AsyncMapDbStorage s = AsyncMapDbStorage.open(dir); NodePersistence p = NodePersistence.attach(before, s)) {
            for (JsonNode cv : c.get("coValues")) {
                for (JsonNode msg : cv.get("contentMessages")) {
                    for (AddResult r : before.importContent(ContentPiece.fromContentMessage(VectorViews.toJsonValue(msg)))) {
                        assertTrue(r.isAdded(), cv.get("label").textValue() + ": " + r);
                    }
                }
            }
            await(p.persistedAll());
        }
        assertEquals(List.of(), VectorViews.mismatches(before, c, expected), "before the restart");

        LocalNode after = reader(crypto, c, expected);
        try (AsyncMapDbStorage s = AsyncMapDbStorage.open(dir); NodePersistence p = NodePersistence.attach(after, s)) {
            LoadReport report = p.loadAll();
            assertTrue(report.clean(), report.toString());
            for (RawCoID id : before.ids()) assertEquals(before.get(id).knownState(), after.get(id).knownState());
        }
        assertEquals(List.of(), VectorViews.mismatches(after, c, expected), "after the restart");
    }
}
