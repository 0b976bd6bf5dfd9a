package io.cojson.core.crypto;

import static io.cojson.core.crypto.PrimitiveVectors.base58;
import static io.cojson.core.crypto.PrimitiveVectors.base64url;
import static io.cojson.core.crypto.PrimitiveVectors.concat;
import static io.cojson.core.crypto.PrimitiveVectors.hex;
import static io.cojson.core.crypto.PrimitiveVectors.nonce;
import static io.cojson.core.crypto.PrimitiveVectors.provider;
import static io.cojson.core.crypto.PrimitiveVectors.stable;
import static io.cojson.core.crypto.PrimitiveVectors.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cojson.core.encoding.Hex;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The raw-primitive parts of the reference vectors (cojson 0.20.19 / cojson-core-napi), run
 * against every provider. Byte comparisons go through hex so failures show readable diffs.
 */
class CryptoPrimitivesVectorTest {
    private static final String SEALER_SECRET = "sealerSecret_z";
    private static final String SEALER_ID = "sealer_z";

    // ---- BLAKE3 ----

    static Stream<Arguments> blake3HashOnce() {
        return PrimitiveVectors.cases("blake3", "hashOnce");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void blake3HashOnce(String name, String providerName, JsonNode c) {
        CryptoProvider p = provider(providerName);
        byte[] input = hex(c, "input");
        String expected = Hex.encode(hex(c, "hash"));
        assertEquals(expected, Hex.encode(p.blake3(input)));
        // Incremental, split at an odd point, must agree with one-shot.
        int split = input.length / 3;
        Blake3Hasher h = p.newBlake3().update(input, 0, split).update(input, split, input.length - split);
        assertEquals(expected, Hex.encode(h.digest()));
    }

    static Stream<Arguments> blake3HashOnceWithContext() {
        return PrimitiveVectors.cases("blake3", "hashOnceWithContext");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void blake3HashOnceWithContext(String name, String providerName, JsonNode c) {
        CryptoProvider p = provider(providerName);
        byte[] context = utf8(c, "contextUtf8");
        byte[] input = hex(c, "input");
        String expected = Hex.encode(hex(c, "hash"));
        assertEquals(expected, Hex.encode(p.blake3(concat(context, input))));
        assertEquals(expected, Hex.encode(p.newBlake3().update(context).update(input).digest()));
    }

    // ---- key derivation ----

    static Stream<Arguments> signerPublicKey() {
        return PrimitiveVectors.cases("signer", "cases");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void signerPublicKey(String name, String providerName, JsonNode c) {
        CryptoProvider p = provider(providerName);
        byte[] seed = hex(c, "secretKey");
        assertEquals(Hex.encode(seed), Hex.encode(base58(c, "signerSecret", "signerSecret_z")));
        assertEquals(Hex.encode(hex(c, "publicKey")), Hex.encode(p.ed25519PublicKey(seed)));
        assertEquals(Hex.encode(hex(c, "publicKey")), Hex.encode(base58(c, "signerID", "signer_z")));
    }

    static Stream<Arguments> sealerPublicKey() {
        return PrimitiveVectors.cases("sealer", "cases");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void sealerPublicKey(String name, String providerName, JsonNode c) {
        CryptoProvider p = provider(providerName);
        byte[] secret = hex(c, "secretKey");
        assertEquals(Hex.encode(secret), Hex.encode(base58(c, "sealerSecret", SEALER_SECRET)));
        assertEquals(Hex.encode(hex(c, "publicKey")), Hex.encode(p.x25519PublicKey(secret)));
        assertEquals(Hex.encode(hex(c, "publicKey")), Hex.encode(base58(c, "sealerID", SEALER_ID)));
    }

    // ---- signatures ----

    static Stream<Arguments> sign() {
        return PrimitiveVectors.cases("sign", "cases");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void sign(String name, String providerName, JsonNode c) {
        CryptoProvider p = provider(providerName);
        byte[] seed = base58(c, "signerSecret", "signerSecret_z");
        byte[] signed = utf8(c, "signedBytesUtf8");
        assertEquals(Hex.encode(signed), Hex.encode(stable(c, "message")), "signed bytes = stableStringify(message)");
        byte[] expected = base58(c, "signature", "signature_z");
        assertEquals(Hex.encode(expected), Hex.encode(p.ed25519Sign(seed, signed)));
        assertTrue(p.ed25519Verify(base58(c, "signerID", "signer_z"), signed, expected));
    }

    static Stream<Arguments> verify() {
        return PrimitiveVectors.cases("verify", "cases");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void verify(String name, String providerName, JsonNode c) {
        CryptoProvider p = provider(providerName);
        boolean actual = p.ed25519Verify(
                base58(c, "signerID", "signer_z"), stable(c, "message"), base58(c, "signature", "signature_z"));
        assertEquals(c.get("expected").asBoolean(), actual);
    }

    // ---- symmetric encryption (XSalsa20, no MAC) ----

    static Stream<Arguments> encrypt() {
        return PrimitiveVectors.cases("encrypt", "cases");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void encrypt(String name, String providerName, JsonNode c) {
        CryptoProvider p = provider(providerName);
        byte[] key = hex(c, "key");
        byte[] nonce = hex(c, "nonce");
        assertEquals(Hex.encode(nonce), Hex.encode(nonce(p, c)), "nonce = BLAKE3(nOnceMaterial)[0..24]");
        byte[] plaintext = utf8(c, "plaintextUtf8");
        byte[] ciphertext = hex(c, "ciphertext");
        assertEquals(Hex.encode(ciphertext), Hex.encode(p.xsalsa20Xor(key, nonce, plaintext)));
        assertEquals(Hex.encode(ciphertext), Hex.encode(base64url(c, "encrypted", "encrypted_U")));
        assertEquals(Hex.encode(plaintext), Hex.encode(p.xsalsa20Xor(key, nonce, ciphertext)));
    }

    // ---- sealing (X25519 + secretbox) ----

    static Stream<Arguments> seal() {
        return PrimitiveVectors.cases("seal", "cases");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void seal(String name, String providerName, JsonNode c) {
        CryptoProvider p = provider(providerName);
        String shared = Hex.encode(hex(c, "sharedSecret"));
        byte[] key = p.x25519SharedSecret(base58(c, "fromSealerSecret", SEALER_SECRET), base58(c, "toSealerID", SEALER_ID));
        assertEquals(shared, Hex.encode(key), "sender side");
        byte[] receiverKey = p.x25519SharedSecret(
                base58(c, "toSealerSecret", SEALER_SECRET), base58(c, "fromSealerID", SEALER_ID));
        assertEquals(shared, Hex.encode(receiverKey), "receiver side");

        byte[] nonce = hex(c, "nonce");
        assertEquals(Hex.encode(nonce), Hex.encode(nonce(p, c)));
        byte[] message = utf8(c, "messageUtf8");
        byte[] box = base64url(c, "sealed", "sealed_U");
        assertEquals(Hex.encode(box), Hex.encode(p.secretboxSeal(key, nonce, message)));
        assertEquals(Hex.encode(message), Hex.encode(p.secretboxOpen(receiverKey, nonce, box)));
    }

    static Stream<Arguments> sealFailure() {
        return PrimitiveVectors.cases("seal", "failures");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void sealFailure(String name, String providerName, JsonNode c) {
        CryptoProvider p = provider(providerName);
        byte[] key = p.x25519SharedSecret(
                base58(c, "toSealerSecret", SEALER_SECRET), base58(c, "fromSealerID", SEALER_ID));
        byte[] box = base64url(c, "sealed", "sealed_U");
        assertThrows(CryptoException.class, () -> p.secretboxOpen(key, nonce(p, c), box));
    }

    static Stream<Arguments> unsealForGroup() {
        return PrimitiveVectors.cases("unsealForGroup", "cases");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void unsealForGroup(String name, String providerName, JsonNode c) {
        CryptoProvider p = provider(providerName);
        byte[] ephSecret = hex(c, "ephemeralSecret");
        byte[] ephPublic = hex(c, "ephemeralPublic");
        String shared = Hex.encode(hex(c, "sharedSecret"));
        assertEquals(Hex.encode(ephPublic), Hex.encode(p.x25519PublicKey(ephSecret)));
        byte[] senderKey = p.x25519SharedSecret(ephSecret, base58(c, "groupSealerID", SEALER_ID));
        assertEquals(shared, Hex.encode(senderKey), "sender side");
        byte[] receiverKey = p.x25519SharedSecret(base58(c, "groupSealerSecret", SEALER_SECRET), ephPublic);
        assertEquals(shared, Hex.encode(receiverKey), "receiver side");

        byte[] nonce = hex(c, "nonce");
        assertEquals(Hex.encode(nonce), Hex.encode(nonce(p, c)));
        byte[] payload = base64url(c, "sealed", "sealedForGroup_U");
        assertEquals(Hex.encode(ephPublic), Hex.encode(Arrays.copyOf(payload, 32)), "payload starts with ephemeral key");
        byte[] box = Arrays.copyOfRange(payload, 32, payload.length);
        byte[] message = stable(c, "expected");
        assertEquals(Hex.encode(message), Hex.encode(p.secretboxOpen(receiverKey, nonce, box)));
        assertEquals(Hex.encode(box), Hex.encode(p.secretboxSeal(senderKey, nonce, message)));
    }

    static Stream<Arguments> unsealForGroupFailure() {
        return PrimitiveVectors.cases("unsealForGroup", "failures");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void unsealForGroupFailure(String name, String providerName, JsonNode c) {
        CryptoProvider p = provider(providerName);
        byte[] payload = base64url(c, "sealed", "sealedForGroup_U");
        byte[] key = p.x25519SharedSecret(
                base58(c, "groupSealerSecret", SEALER_SECRET), Arrays.copyOf(payload, 32));
        byte[] box = Arrays.copyOfRange(payload, 32, payload.length);
        assertThrows(CryptoException.class, () -> p.secretboxOpen(key, nonce(p, c), box));
    }
}
