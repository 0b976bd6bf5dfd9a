package io.cojson.sync;

import static io.cojson.sync.ForkedSession.set;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.json.Json;
import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import io.cojson.core.node.ContentPiece;
import io.cojson.core.session.SessionLog;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@code error}/{@code SignatureMismatch} message (recovery.md §4.1) on the wire: the PR's
 * {@code SignatureMismatchErrorMessage} fields in its order, pieces shaped exactly like one
 * session entry of a content message, and byte-exact re-serialization like every sync message.
 */
class SignatureMismatchMessageTest {
    private final ForkedSession f = new ForkedSession();

    private SyncMessage.SignatureMismatch report() {
        set(f.alice, f.map, "title", "Task");
        set(f.alice, f.map, "priority", "high");
        List<ContentPiece.SessionPiece> pieces = f.alice.locked(
                () -> MismatchReports.wholeSession(f.alice.require(f.map).sessions().get(f.alice.sessionID())));
        return SyncMessage.SignatureMismatch.of(f.map, f.alice.sessionID(), pieces, "does not verify");
    }

    @Test
    void fieldsInTheProtocolExtensionsOrderAndPiecesLikeContentSessions() {
        SyncMessage.SignatureMismatch m = report();
        JsonValue.Obj o = (JsonValue.Obj) Json.parse(m.toJson());
        assertEquals(List.of("action", "errorType", "id", "sessionID", "content", "reason"), new ArrayList<>(o.fields().keySet()));
        assertEquals(JsonValue.of("error"), o.get("action"));
        assertEquals(JsonValue.of("SignatureMismatch"), o.get("errorType"));
        assertEquals(JsonValue.of(f.map.value()), o.get("id"));
        assertEquals(JsonValue.of(f.alice.sessionID().value()), o.get("sessionID"));
        assertEquals(JsonValue.of("does not verify"), o.get("reason"));

        // Each piece is what a content message carries for this session (same keys, same bytes).
        JsonValue.Obj contentSession = (JsonValue.Obj) ((JsonValue.Obj) ((JsonValue.Obj) Json.parse(
                ForkedSession.contentSince(f.alice, f.map, null).get(0).toJson())).get("new")).get(f.alice.sessionID().value());
        JsonValue.Arr pieces = (JsonValue.Arr) o.get("content");
        assertEquals(1, pieces.size());
        assertEquals(JsonWriter.stringify(contentSession), JsonWriter.stringify(pieces.get(0)));
    }

    @Test
    void parsesAndReSerializesByteForByte() {
        SyncMessage.SignatureMismatch m = report();
        String wire = m.toJson();
        SyncMessage parsed = SyncMessage.parse(wire);
        assertEquals(m, parsed);
        assertEquals(wire, parsed.toJson());
        assertEquals("error", parsed.action());
        assertEquals(f.map, parsed.coValueId());

        // A text written independently of our writer (as another implementation would) round-trips too.
        LinkedHashMap<String, JsonValue> o = new LinkedHashMap<>();
        o.put("action", JsonValue.of("error"));
        o.put("errorType", JsonValue.of("SignatureMismatch"));
        o.put("id", JsonValue.of(f.map.value()));
        o.put("sessionID", JsonValue.of(f.alice.sessionID().value()));
        o.put("content", ((JsonValue.Obj) Json.parse(wire)).get("content"));
        o.put("reason", JsonValue.of("ünïcode \"reason\" \u2028"));
        String other = JsonWriter.stringify(new JsonValue.Obj(o));
        assertEquals(other, SyncMessage.parse(other).toJson());
    }

    @Test
    void piecesParseIntoVerifiableSessionPieces() {
        SyncMessage.SignatureMismatch m = (SyncMessage.SignatureMismatch) SyncMessage.parse(report().toJson());
        SessionLog log = new SessionLog(SyncTestKit.CRYPTO, m.sessionID(), SyncTestKit.CRYPTO.getAgentID(f.secret).signer());
        for (SyncMessage.SessionEntry e : m.content()) {
            ContentPiece.SessionPiece p = e.toSessionPiece();
            assertTrue(log.tryAdd(p.after(), p.transactions(), p.lastSignature()).isAdded());
        }
        assertEquals(2, log.size());
        assertEquals(2, m.claimedLength());
    }

    static Stream<Arguments> malformed() {
        String id = "\"id\":\"co_zQvYeSVTLmgGNicw4hgwv7z8KSJ\"";
        String session = "\"sessionID\":\"co_zQvYeSVTLmgGNicw4hgwv7z8KSJ_session_zekxJ2pmdnjS\"";
        String piece = "{\"after\":0,\"newTransactions\":[],\"lastSignature\":\"signature_z1\"}";
        return Stream.of(
                Arguments.of("unknown errorType", "{\"action\":\"error\",\"errorType\":\"Other\"," + id + "," + session + ",\"content\":[],\"reason\":\"r\"}"),
                Arguments.of("no errorType", "{\"action\":\"error\"," + id + "," + session + ",\"content\":[],\"reason\":\"r\"}"),
                Arguments.of("bad session", "{\"action\":\"error\",\"errorType\":\"SignatureMismatch\"," + id + ",\"sessionID\":\"nope\",\"content\":[],\"reason\":\"r\"}"),
                Arguments.of("content not an array", "{\"action\":\"error\",\"errorType\":\"SignatureMismatch\"," + id + "," + session + ",\"content\":{},\"reason\":\"r\"}"),
                Arguments.of("no reason", "{\"action\":\"error\",\"errorType\":\"SignatureMismatch\"," + id + "," + session + ",\"content\":[" + piece + "]}"),
                Arguments.of("piece without signature", "{\"action\":\"error\",\"errorType\":\"SignatureMismatch\"," + id + "," + session
                        + ",\"content\":[{\"after\":0,\"newTransactions\":[]}],\"reason\":\"r\"}"),
                Arguments.of("negative after", "{\"action\":\"error\",\"errorType\":\"SignatureMismatch\"," + id + "," + session
                        + ",\"content\":[{\"after\":-1,\"newTransactions\":[],\"lastSignature\":\"s\"}],\"reason\":\"r\"}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedReportsAreInvalidFields(String name, String text) {
        InvalidSyncMessageException e = assertThrows(InvalidSyncMessageException.class, () -> SyncMessage.parse(text));
        assertEquals(InvalidSyncMessageException.Kind.INVALID_FIELD, e.kind());
        assertEquals("error", e.action());
    }

    @Test
    void aWellFormedReportWithAnEmptyContentParses() {
        // Normalization (recovery.md §4.3) rejects it later; the codec only checks the shape.
        String text = "{\"action\":\"error\",\"errorType\":\"SignatureMismatch\",\"id\":\"" + f.map.value()
                + "\",\"sessionID\":\"" + f.alice.sessionID().value() + "\",\"content\":[],\"reason\":\"r\"}";
        SyncMessage.SignatureMismatch m = assertInstanceOf(SyncMessage.SignatureMismatch.class, SyncMessage.parse(text));
        assertEquals(0, m.claimedLength());
        assertEquals(text, m.toJson());
    }
}
