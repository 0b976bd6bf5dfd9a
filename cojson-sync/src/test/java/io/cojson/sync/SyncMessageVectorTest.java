package io.cojson.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.json.Json;
import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every message of sync.json parses, and serializing the parsed message reproduces the wire text
 * byte for byte (key order included). WebSocket frames are split on newlines first.
 */
class SyncMessageVectorTest {

    static Stream<Arguments> inMemoryMessages() {
        List<Arguments> out = new ArrayList<>();
        for (JsonValue m : SyncVectors.arr(SyncVectors.obj(SyncVectors.root(), "inMemory"), "messages").items()) {
            String name = SyncVectors.str(m, "step") + " " + SyncVectors.str(m, "name");
            out.add(Arguments.of(Named.of(name, m)));
        }
        for (JsonValue m : SyncVectors.arr(SyncVectors.obj(SyncVectors.root(), "constructedMessages"), "cases").items()) {
            out.add(Arguments.of(Named.of("constructed " + SyncVectors.str(m, "name"), m)));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inMemoryMessages")
    void wireRoundTripsByteForByte(JsonValue vector) {
        String wire = SyncVectors.str(vector, "wire");
        SyncMessage parsed = SyncMessage.parse(wire);
        assertEquals(SyncVectors.str(SyncVectors.obj(vector, "message"), "action"), parsed.action());
        assertEquals(wire, parsed.toJson());
        assertEquals(wire, JsonWriter.stringify(SyncVectors.obj(vector, "message")), "the vector's message is its wire");
    }

    static Stream<Arguments> frameLines() {
        List<Arguments> out = new ArrayList<>();
        for (JsonValue f : SyncVectors.arr(SyncVectors.obj(SyncVectors.root(), "webSocket"), "frames").items()) {
            String[] lines = SyncVectors.str(f, "data").split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                out.add(Arguments.of(Named.of(SyncVectors.str(f, "step") + " " + SyncVectors.str(f, "name") + " line " + i, lines[i])));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("frameLines")
    void frameLinesAreMessagesOrPings(String line) {
        JsonValue v = Json.parse(line);
        if (v instanceof JsonValue.Obj o && o.has("action")) {
            assertEquals(line, SyncMessage.parse(line).toJson());
        } else {
            InvalidSyncMessageException e = assertThrows(InvalidSyncMessageException.class, () -> SyncMessage.parse(line));
            assertEquals(InvalidSyncMessageException.Kind.NOT_A_SYNC_MESSAGE, e.kind());
            assertTrue(((JsonValue.Obj) v).has("time"), "non-sync frames in the vectors are pings");
        }
    }

    @org.junit.jupiter.api.Test
    void parsedContentCarriesTypedFields() {
        JsonValue first = SyncVectors.arr(SyncVectors.obj(SyncVectors.root(), "inMemory"), "messages").items().stream()
                .filter(m -> SyncVectors.str(m, "action").equals("content")).findFirst().orElseThrow();
        SyncMessage.Content c = assertInstanceOf(SyncMessage.Content.class, SyncMessage.parse(SyncVectors.str(first, "wire")));
        assertEquals(0, c.priority());
        assertTrue(c.header() != null);
        for (SyncMessage.SessionEntry s : c.sessions().values()) {
            assertEquals(s.count(), s.toSessionPiece().transactions().size());
        }
        assertEquals(c.sessions().size(), c.impliedKnownState().sessions().size());
    }
}
