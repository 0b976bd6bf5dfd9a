package io.cojson.core.crypto;

import static io.cojson.core.testing.Vectors.hex;
import static io.cojson.core.testing.Vectors.text;
import static io.cojson.core.testing.Vectors.toJsonValue;
import static io.cojson.core.testing.Vectors.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cojson.core.encoding.Base58;
import io.cojson.core.encoding.Hex;
import io.cojson.core.ids.AgentID;
import io.cojson.core.ids.AgentSecret;
import io.cojson.core.ids.Encrypted;
import io.cojson.core.ids.InviteSecret;
import io.cojson.core.ids.KeyID;
import io.cojson.core.ids.KeySecret;
import io.cojson.core.ids.Sealed;
import io.cojson.core.ids.SealedForGroup;
import io.cojson.core.ids.SealerID;
import io.cojson.core.ids.SealerSecret;
import io.cojson.core.ids.Signature;
import io.cojson.core.ids.SignerID;
import io.cojson.core.ids.SignerSecret;
import io.cojson.core.json.JsonValue;
import io.cojson.core.json.JsonWriter;
import io.cojson.core.json.StableJson;
import io.cojson.core.testing.ScriptedRandom;
import io.cojson.core.testing.Vectors;
import java.util.Deque;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The high-level sections of {@code crypto.json} (cojson 0.20.19 with cojson-core-napi), through
 * the {@link Crypto} facade, on both providers. Every case is its own test; every section must have
 * cases.
 */
class CryptoVectorTest {
    private static final String FILE = "crypto.json";

    private static Stream<Arguments> section(String section, String list) {
        return Vectors.perProvider("crypto/" + section + (list.equals("cases") ? "" : "." + list) + ": ",
                Vectors.cases(FILE, section, list));
    }

    // ---- hashing ----

    static Stream<Arguments> secureHash() {
        return section("secureHash", "cases");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void secureHash(String label, String provider, JsonNode c) {
        Crypto crypto = Vectors.crypto(provider);
        JsonValue v = value(c, "value");
        assertEquals(text(c, "stableStringify"), StableJson.stringify(v));
        assertEquals(text(c, "hash"), crypto.secureHash(v).value());
    }

    static Stream<Arguments> shortHash() {
        return section("shortHash", "cases");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void shortHash(String label, String provider, JsonNode c) {
        Crypto crypto = Vectors.crypto(provider);
        JsonValue v = value(c, "value");
        assertEquals(text(c, "stableStringify"), StableJson.stringify(v));
        assertEquals(text(c, "shortHash"), crypto.shortHash(v).value());
    }

    // ---- keys and agents ----

    static Stream<Arguments> signer() {
        return section("signer", "cases");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void signer(String label, String provider, JsonNode c) {
        Crypto crypto = Vectors.crypto(provider);
        SignerSecret secret = SignerSecret.parse(text(c, "signerSecret"));
        assertEquals(text(c, "secretKey"), Hex.encode(secret.bytes()));
        assertEquals(secret, SignerSecret.fromBytes(hex(c, "secretKey")));
        SignerID id = crypto.getSignerID(secret);
        assertEquals(text(c, "signerID"), id.value());
        assertEquals(text(c, "publicKey"), Hex.encode(id.bytes()));
    }

    static Stream<Arguments> sealer() {
        return section("sealer", "cases");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void sealer(String label, String provider, JsonNode c) {
        Crypto crypto = Vectors.crypto(provider);
        SealerSecret secret = SealerSecret.parse(text(c, "sealerSecret"));
        assertEquals(text(c, "secretKey"), Hex.encode(secret.bytes()));
        assertEquals(secret, SealerSecret.fromBytes(hex(c, "secretKey")));
        SealerID id = crypto.getSealerID(secret);
        assertEquals(text(c, "sealerID"), id.value());
        assertEquals(text(c, "publicKey"), Hex.encode(id.bytes()));
    }

    static Stream<Arguments> agent() {
        return section("agent", "cases");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void agent(String label, String provider, JsonNode c) {
        Crypto crypto = Vectors.crypto(provider);
        AgentSecret secret = AgentSecret.parse(text(c, "agentSecret"));
        assertEquals(text(c, "agentSecret"), secret.value());
        AgentID id = crypto.getAgentID(secret);
        assertEquals(text(c, "agentID"), id.value());
        assertEquals(id, AgentID.parse(text(c, "agentID")));
        // sealer first, then signer
        assertEquals(crypto.getSealerID(secret.sealer()), id.sealer());
        assertEquals(crypto.getSignerID(secret.signer()), id.signer());
    }

    static Stream<Arguments> agentSecretFromSecretSeed() {
        return section("agentSecretFromSecretSeed", "cases");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void agentSecretFromSecretSeed(String label, String provider, JsonNode c) {
        Crypto crypto = Vectors.crypto(provider);
        byte[] seed = hex(c, "seed");
        InviteSecret invite = InviteSecret.fromBytes(seed);
        assertEquals(text(c, "inviteSecret"), invite.value());
        AgentSecret fromSeed = crypto.agentSecretFromSecretSeed(seed);
        assertEquals(text(c, "agentSecret"), fromSeed.value());
        AgentSecret fromInvite = crypto.agentSecretFromInviteSecret(InviteSecret.parse(text(c, "inviteSecret")));
        assertEquals(text(c, "agentSecret"), fromInvite.value());
        assertEquals(text(c, "agentID"), crypto.getAgentID(fromSeed).value());
    }

    // ---- signatures ----

    static Stream<Arguments> sign() {
        return section("sign", "cases");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void sign(String label, String provider, JsonNode c) {
        Crypto crypto = Vectors.crypto(provider);
        SignerSecret secret = SignerSecret.parse(text(c, "signerSecret"));
        JsonValue message = value(c, "message");
        assertEquals(text(c, "signedBytesUtf8"), StableJson.stringify(message));
        assertEquals(text(c, "signerID"), crypto.getSignerID(secret).value());
        Signature sig = crypto.sign(secret, message);
        assertEquals(text(c, "signature"), sig.value());
        assertTrue(crypto.verify(sig, message, SignerID.parse(text(c, "signerID"))));
    }

    static Stream<Arguments> verify() {
        return section("verify", "cases");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void verify(String label, String provider, JsonNode c) {
        Crypto crypto = Vectors.crypto(provider);
        assertTrue(c.path("expected").isBoolean(), "verify case without boolean 'expected'");
        boolean ok = crypto.verify(Signature.parse(text(c, "signature")), value(c, "message"), SignerID.parse(text(c, "signerID")));
        assertEquals(c.get("expected").booleanValue(), ok);
    }

    // ---- symmetric encryption ----

    static Stream<Arguments> encrypt() {
        return section("encrypt", "cases");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void encrypt(String label, String provider, JsonNode c) {
        Crypto crypto = Vectors.crypto(provider);
        KeySecret key = KeySecret.parse(text(c, "keySecret"));
        assertEquals(text(c, "key"), Hex.encode(key.bytes()));
        JsonValue v = value(c, "value");
        JsonValue material = value(c, "nOnceMaterial");
        assertEquals(text(c, "plaintextUtf8"), StableJson.stringify(v));
        assertEquals(text(c, "nOnceMaterialStringified"), StableJson.stringify(material));
        assertEquals(text(c, "nonce"), Hex.encode(crypto.nonce(material)));

        Encrypted enc = crypto.encrypt(v, key, material);
        assertEquals(text(c, "encrypted"), enc.value());
        assertEquals(text(c, "ciphertext"), Hex.encode(enc.bytes()));

        Encrypted given = Encrypted.parse(text(c, "encrypted"));
        assertEquals(Optional.of(v), crypto.decrypt(given, key, material));
        assertEquals(text(c, "plaintextUtf8"), crypto.decryptText(given, key, material));
    }

    static Stream<Arguments> encryptKeySecret() {
        return section("encryptKeySecret", "cases");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void encryptKeySecret(String label, String provider, JsonNode c) {
        Crypto crypto = Vectors.crypto(provider);
        KeyID toEncryptID = KeyID.parse(text(c.get("toEncrypt"), "id"));
        KeySecret toEncrypt = KeySecret.parse(text(c.get("toEncrypt"), "secret"));
        KeyID encryptingID = KeyID.parse(text(c.get("encrypting"), "id"));
        KeySecret encrypting = KeySecret.parse(text(c.get("encrypting"), "secret"));

        JsonValue.Obj result = crypto.encryptKeySecret(toEncryptID, toEncrypt, encryptingID, encrypting);
        JsonValue expected = value(c, "result");
        assertEquals(expected, result); // same fields and values
        assertEquals(JsonWriter.stringify(expected), JsonWriter.stringify(result)); // same key order too

        JsonNode r = c.get("result");
        Optional<KeySecret> back = crypto.decryptKeySecret(KeyID.parse(text(r, "encryptedID")),
                KeyID.parse(text(r, "encryptingID")), Encrypted.parse(text(r, "encrypted")), encrypting);
        assertEquals(Optional.of(KeySecret.parse(text(c, "decrypted"))), back);
        assertEquals(text(c.get("toEncrypt"), "secret"), back.orElseThrow().value());
    }

    static Stream<Arguments> newRandomKeySecret() {
        return section("newRandomKeySecret", "cases");
    }

    /** Format only: the encodings of the drawn bytes; and the facade draws the secret first, then the ID. */
    @ParameterizedTest(name = "{0}")
    @MethodSource
    void newRandomKeySecret(String label, String provider, JsonNode c) {
        byte[] secretBytes = hex(c, "secretBytes");
        byte[] idBytes = hex(c, "idBytes");
        assertEquals(text(c, "secret"), KeySecret.fromBytes(secretBytes).value());
        assertEquals(text(c, "id"), KeyID.PREFIX + Base58.encode(idBytes));
        assertEquals(text(c, "id"), KeyID.parse(text(c, "id")).value());

        Deque<byte[]> script = ScriptedRandom.script(secretBytes, idBytes);
        Crypto scripted = new Crypto(ScriptedRandom.wrap(Vectors.crypto(provider).provider(), script));
        Crypto.NewKey key = scripted.newRandomKeySecret();
        assertEquals(text(c, "secret"), key.secret().value());
        assertEquals(text(c, "id"), key.id().value());
        assertTrue(script.isEmpty(), "newRandomKeySecret must draw exactly 32 + 12 bytes");
    }

    // ---- sealing ----

    static Stream<Arguments> seal() {
        return section("seal", "cases");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void seal(String label, String provider, JsonNode c) {
        Crypto crypto = Vectors.crypto(provider);
        JsonValue message = value(c, "message");
        JsonValue material = value(c, "nOnceMaterial");
        SealerSecret from = SealerSecret.parse(text(c, "fromSealerSecret"));
        SealerSecret to = SealerSecret.parse(text(c, "toSealerSecret"));
        SealerID fromID = SealerID.parse(text(c, "fromSealerID"));
        SealerID toID = SealerID.parse(text(c, "toSealerID"));
        assertEquals(fromID, crypto.getSealerID(from));
        assertEquals(toID, crypto.getSealerID(to));
        assertEquals(text(c, "messageUtf8"), StableJson.stringify(message));
        assertEquals(text(c, "nOnceMaterialStringified"), StableJson.stringify(material));
        assertEquals(text(c, "nonce"), Hex.encode(crypto.nonce(material)));

        Sealed sealed = crypto.seal(message, from, toID, material);
        assertEquals(text(c, "sealed"), sealed.value());

        JsonValue opened = crypto.unseal(Sealed.parse(text(c, "sealed")), to, fromID, material);
        assertEquals(message, opened);
        assertEquals(value(c, "unsealed"), opened);
    }

    static Stream<Arguments> sealFailures() {
        return section("seal", "failures");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void sealFailures(String label, String provider, JsonNode c) {
        Crypto crypto = Vectors.crypto(provider);
        assertTrue(c.path("error").asBoolean(false), "failure case without error: true");
        Sealed sealed = Sealed.parse(text(c, "sealed"));
        SealerSecret to = SealerSecret.parse(text(c, "toSealerSecret"));
        SealerID fromID = SealerID.parse(text(c, "fromSealerID"));
        JsonValue material = value(c, "nOnceMaterial");
        assertThrows(CryptoException.class, () -> crypto.unseal(sealed, to, fromID, material));
    }

    static Stream<Arguments> groupSealerFromReadKey() {
        return section("groupSealerFromReadKey", "cases");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void groupSealerFromReadKey(String label, String provider, JsonNode c) {
        Crypto crypto = Vectors.crypto(provider);
        Crypto.GroupSealer gs = crypto.groupSealerFromReadKey(KeySecret.parse(text(c, "readKeySecret")));
        assertEquals(text(c, "sealerSecret"), gs.secret().value());
        assertEquals(text(c, "sealerID"), gs.id().value());
        assertEquals(gs.id(), crypto.getSealerID(gs.secret()));
        assertEquals(text(c, "groupSealerValue"), KeyID.parse(text(c, "readKeyID")).value() + "@" + gs.id().value());
    }

    static Stream<Arguments> unsealForGroup() {
        return section("unsealForGroup", "cases");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void unsealForGroup(String label, String provider, JsonNode c) {
        Crypto crypto = Vectors.crypto(provider);
        SealerSecret groupSecret = SealerSecret.parse(text(c, "groupSealerSecret"));
        SealerID groupID = SealerID.parse(text(c, "groupSealerID"));
        assertEquals(groupID, crypto.getSealerID(groupSecret));
        JsonValue material = value(c, "nOnceMaterial");
        JsonValue expected = value(c, "expected");
        assertEquals(text(c, "nOnceMaterialStringified"), StableJson.stringify(material));
        assertEquals(text(c, "nonce"), Hex.encode(crypto.nonce(material)));

        SealedForGroup sealed = SealedForGroup.parse(text(c, "sealed"));
        assertEquals(Optional.of(expected), crypto.unsealForGroup(sealed, groupSecret, material));

        byte[] ephSecret = hex(c, "ephemeralSecret");
        SealedForGroup again = crypto.sealForGroupWithEphemeral(expected, groupID, material, ephSecret);
        assertEquals(text(c, "sealed"), again.value());
        byte[] layout = again.bytes();
        assertEquals(text(c, "ephemeralPublic"), Hex.encode(java.util.Arrays.copyOf(layout, 32)));
    }

    static Stream<Arguments> unsealForGroupFailures() {
        return section("unsealForGroup", "failures");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void unsealForGroupFailures(String label, String provider, JsonNode c) {
        Crypto crypto = Vectors.crypto(provider);
        assertTrue(c.path("error").asBoolean(false), "failure case without error: true");
        Optional<JsonValue> r = crypto.unsealForGroup(SealedForGroup.parse(text(c, "sealed")),
                SealerSecret.parse(text(c, "groupSealerSecret")), toJsonValue(c.get("nOnceMaterial")));
        assertEquals(Optional.empty(), r);
    }
}
