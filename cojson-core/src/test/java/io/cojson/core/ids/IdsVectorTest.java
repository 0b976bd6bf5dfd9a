package io.cojson.core.ids;

import static io.cojson.core.testing.Vectors.hex;
import static io.cojson.core.testing.Vectors.text;
import static io.cojson.core.testing.Vectors.toObj;
import static io.cojson.core.testing.Vectors.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cojson.core.crypto.Crypto;
import io.cojson.core.encoding.Base58;
import io.cojson.core.encoding.Hex;
import io.cojson.core.header.CoValueHeader;
import io.cojson.core.header.InvalidHeaderException;
import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import io.cojson.core.json.StableJson;
import io.cojson.core.testing.ScriptedRandom;
import io.cojson.core.testing.Vectors;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Deque;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code ids.json}: CoValue IDs from headers, raw ID bytes, session IDs, transaction IDs and OpIDs. */
class IdsVectorTest {
    private static final String FILE = "ids.json";
    /** {@code new Date().toISOString()}: UTC, always milliseconds, {@code Z}. */
    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    // ---- headers ----

    static Stream<Arguments> headers() {
        return Vectors.perProvider("ids/headers: ", Vectors.cases(FILE, "headers", "cases"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void headers(String label, String provider, JsonNode c) {
        Crypto crypto = Vectors.crypto(provider);
        CoValueHeader header = new CoValueHeader(toObj(c.get("header")));
        assertEquals(text(c, "stableStringify"), header.stableJson());
        RawCoID id = header.id(crypto);
        assertEquals(text(c, "id"), id.value());
        assertTrue(c.path("sessionMapAccepts").asBoolean(false), "headers cases are all accepted by the reference");
        header.validate(RawCoID.parse(text(c, "id")), crypto);
        // the same through the shortHash of the header: co_z + the shortHash payload
        ShortHash sh = crypto.shortHash(header.json());
        assertEquals(text(c, "id"), RawCoID.PREFIX + sh.value().substring(ShortHash.PREFIX.length()));
    }

    static Stream<Arguments> headerEdgeCases() {
        return Vectors.perProvider("ids/headerEdgeCases: ", Vectors.cases(FILE, "headerEdgeCases", "cases"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void headerEdgeCases(String label, String provider, JsonNode c) {
        Crypto crypto = Vectors.crypto(provider);
        CoValueHeader header = new CoValueHeader(toObj(c.get("headerJs")));
        assertEquals(text(c, "stableStringify"), header.stableJson());
        RawCoID given = RawCoID.parse(text(c, "id"));
        RawCoID jsId = header.id(crypto);
        String referenceError = text(c, "sessionMapError");
        if (Vectors.name(c).equals("ID that does not match the header")) {
            assertNotEquals(given, jsId);
            // the reference names the real ID as the expected one
            assertEquals("CoValue ID mismatch: expected " + jsId + ", got " + given, referenceError);
        } else {
            assertEquals(given, jsId);
        }
        assertEquals(false, c.path("sessionMapAccepts").asBoolean(true), "edge cases are all rejected by the reference");
        InvalidHeaderException e = assertThrows(InvalidHeaderException.class, () -> header.validate(given, crypto));
        // Same error as the reference's native layer (minus serde's "at line L column C" position).
        String core = referenceError.replaceFirst(" at line \\d+ column \\d+$", "");
        assertTrue(e.getMessage().contains(core), "expected the message to contain [" + core + "] but was [" + e.getMessage() + "]");
    }

    // ---- raw CoValue ID bytes ----

    static Stream<Arguments> rawCoIDBytes() {
        return Vectors.named("ids/rawCoIDBytes: ", Vectors.cases(FILE, "rawCoIDBytes", "cases"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void rawCoIDBytes(String label, JsonNode c) {
        byte[] bytes = hex(c, "bytes");
        assertEquals(RawCoID.BYTES, bytes.length);
        assertEquals(text(c, "id"), RawCoID.fromBytes(bytes).value());
        assertEquals(text(c, "bytes"), Hex.encode(RawCoID.parse(text(c, "id")).bytes()));
        // fromBytes keeps only the first 19 bytes of a longer digest
        byte[] longer = java.util.Arrays.copyOf(bytes, 32);
        longer[25] = 42;
        assertEquals(text(c, "id"), RawCoID.fromBytes(longer).value());
    }

    // ---- createdAt / uniqueness ----

    static Stream<Arguments> createdNowUnique() {
        return Vectors.perProvider("ids/createdNowUnique: ", Vectors.cases(FILE, "createdNowUnique", "cases"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void createdNowUnique(String label, String provider, JsonNode c) {
        assertTrue(c.path("nowMs").canConvertToLong(), "nowMs must be an integer");
        long nowMs = c.get("nowMs").longValue();
        assertEquals(text(c, "createdAt"), ISO_MILLIS.format(Instant.ofEpochMilli(nowMs)));

        byte[] u = hex(c, "uniquenessBytes");
        assertEquals(12, u.length);
        assertEquals(text(c, "uniqueness"), "z" + Base58.encode(u));
        Deque<byte[]> script = ScriptedRandom.script(u);
        Crypto scripted = new Crypto(ScriptedRandom.wrap(Vectors.crypto(provider).provider(), script));
        assertEquals(text(c, "uniqueness"), scripted.newUniqueness());
        assertTrue(script.isEmpty());
    }

    // ---- session IDs ----

    static Stream<Arguments> sessionIDs() {
        return Vectors.perProvider("ids/sessionIDs: ", Vectors.cases(FILE, "sessionIDs", "cases"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void sessionIDs(String label, String provider, JsonNode c) {
        String owner = text(c, "owner");
        byte[] random = hex(c, "randomBytes");
        boolean delete = c.path("isDeleteSession").asBoolean();
        assertTrue(c.path("isDeleteSession").isBoolean());

        SessionID made = delete ? SessionID.newDelete(owner, random) : SessionID.newRandom(owner, random);
        assertEquals(text(c, "sessionID"), made.value());
        assertEquals(delete ? 7 : 8, random.length);

        SessionID parsed = SessionID.parse(text(c, "sessionID"));
        assertEquals(made, parsed);
        assertEquals(delete, parsed.isDeleteSession());
        assertEquals(text(c, "author"), parsed.author());
        assertEquals(owner.startsWith("co_"), parsed.isAccountAuthor());
        if (parsed.isAccountAuthor()) {
            assertEquals(RawCoID.parse(owner), parsed.accountID());
        } else {
            assertEquals(AgentID.parse(owner), parsed.agentID());
        }
        assertEquals(false, parsed.isConflictSession());

        // the same through the facade, with the reference's random bytes
        Deque<byte[]> script = ScriptedRandom.script(random);
        Crypto scripted = new Crypto(ScriptedRandom.wrap(Vectors.crypto(provider).provider(), script));
        SessionID viaCrypto = delete ? scripted.newDeleteSessionID(owner) : scripted.newRandomSessionID(owner);
        assertEquals(text(c, "sessionID"), viaCrypto.value());
        assertTrue(script.isEmpty());
    }

    // ---- transaction IDs, nonce material, OpIDs ----

    static Stream<Arguments> transactionIDs() {
        return Vectors.perProvider("ids/transactionIDs: ", Vectors.cases(FILE, "transactionIDs", "cases"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void transactionIDs(String label, String provider, JsonNode c) {
        Crypto crypto = Vectors.crypto(provider);
        JsonNode tx = c.get("txID");
        TransactionID txID = new TransactionID(SessionID.parse(text(tx, "sessionID")), tx.get("txIndex").intValue());
        assertEquals(JsonWriter.stringify(value(c, "txID")), JsonWriter.stringify(txID.toJson()));

        JsonValue expectedMaterial = value(c, "nOnceMaterial");
        RawCoID in = RawCoID.parse(text(c.get("nOnceMaterial"), "in"));
        JsonValue.Obj material = txID.nonceMaterial(in);
        assertEquals(expectedMaterial, material);
        assertEquals(JsonWriter.stringify(expectedMaterial), JsonWriter.stringify(material));
        assertEquals(text(c, "nOnceMaterialStringified"), StableJson.stringify(material));
        assertEquals(text(c, "nonce"), Hex.encode(crypto.nonce(material)));

        JsonNode ops = c.get("opIDs");
        assertTrue(ops.isArray() && ops.size() > 0, "opIDs must be a non-empty array");
        for (JsonNode op : ops) {
            JsonNode o = op.get("opID");
            OpID opID = new OpID(SessionID.parse(text(o, "sessionID")), o.get("txIndex").intValue(), o.get("changeIdx").intValue());
            assertEquals(text(op, "stringified"), opID.stringify());
            assertEquals(opID, OpID.parse(text(op, "stringified")));
            assertEquals(txID, opID.txID());
        }
    }
}
