package io.cojson.core.crypto;

import io.cojson.core.encoding.Base58;
import io.cojson.core.ids.AgentID;
import io.cojson.core.ids.AgentSecret;
import io.cojson.core.ids.Encrypted;
import io.cojson.core.ids.Hash;
import io.cojson.core.ids.InviteSecret;
import io.cojson.core.ids.KeyID;
import io.cojson.core.ids.KeySecret;
import io.cojson.core.ids.RawCoID;
import io.cojson.core.ids.Sealed;
import io.cojson.core.ids.SealedForGroup;
import io.cojson.core.ids.SealerID;
import io.cojson.core.ids.SealerSecret;
import io.cojson.core.ids.SessionID;
import io.cojson.core.ids.ShortHash;
import io.cojson.core.ids.Signature;
import io.cojson.core.ids.SignerID;
import io.cojson.core.ids.SignerSecret;
import io.cojson.core.json.InvalidJsonException;
import io.cojson.core.json.Json;
import io.cojson.core.json.JsonValue;
import io.cojson.core.json.StableJson;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;

/**
 * cojson's crypto operations (the reference's {@code CryptoProvider} in TS), built on the raw
 * primitives of a {@link CryptoProvider}. Everything that is hashed, signed or encrypted is the
 * UTF-8 of {@link StableJson}; nonces are the first 24 bytes of BLAKE3 of the nonce material.
 */
public final class Crypto {
    /** A fresh symmetric key and its name. */
    public record NewKey(KeyID id, KeySecret secret) {}

    /** A group's sealer key pair, derived from its read key. */
    public record GroupSealer(SealerSecret secret, SealerID id) {}

    private static final byte[] CTX_GROUP_SEALER = "groupSealer".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CTX_SEAL = "seal".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CTX_SIGN = "sign".getBytes(StandardCharsets.US_ASCII);

    private final CryptoProvider provider;

    public Crypto(CryptoProvider provider) {
        this.provider = provider;
    }

    /** Crypto on the fastest provider that loads here (see {@link CryptoProviders#auto()}). */
    public static Crypto create() {
        return new Crypto(CryptoProviders.auto());
    }

    public CryptoProvider provider() {
        return provider;
    }

    // ---- hashing ----

    public byte[] blake3(byte[] data) {
        return provider.blake3(data);
    }

    /** The reference's {@code blake3HashOnceWithContext}: BLAKE3(context ‖ data). */
    public byte[] blake3WithContext(byte[] data, byte[] context) {
        Blake3Hasher h = provider.newBlake3();
        h.update(context);
        h.update(data);
        return h.digest();
    }

    public Hash secureHash(JsonValue value) {
        return Hash.fromBytes(provider.blake3(StableJson.bytes(value)));
    }

    public ShortHash shortHash(JsonValue value) {
        return ShortHash.fromBytes(Arrays.copyOf(provider.blake3(StableJson.bytes(value)), ShortHash.BYTES));
    }

    /** 24-byte nonce: BLAKE3(stableStringify(material))[0..24]. */
    public byte[] nonce(JsonValue nonceMaterial) {
        byte[] text = StableJson.nonceMaterialBytes(nonceMaterial); // a transaction's, written directly
        return Arrays.copyOf(provider.blake3(text != null ? text : StableJson.bytes(nonceMaterial)), 24);
    }

    // ---- signing ----

    public SignerSecret newRandomSigner() {
        return SignerSecret.fromBytes(random(32));
    }

    public SignerID getSignerID(SignerSecret secret) {
        return SignerID.fromBytes(provider.ed25519PublicKey(secret.bytes()));
    }

    /** Signs UTF-8(stableStringify(message)); a string message is signed with its quotes. */
    public Signature sign(SignerSecret secret, JsonValue message) {
        return Signature.fromBytes(provider.ed25519Sign(secret.bytes(), StableJson.bytes(message)));
    }

    public boolean verify(Signature signature, JsonValue message, SignerID signer) {
        return provider.ed25519Verify(signer.bytes(), StableJson.bytes(message), signature.bytes());
    }

    // ---- sealers and agents ----

    public SealerSecret newRandomSealer() {
        return SealerSecret.fromBytes(random(32));
    }

    public SealerID getSealerID(SealerSecret secret) {
        return SealerID.fromBytes(provider.x25519PublicKey(secret.bytes()));
    }

    public AgentSecret newRandomAgentSecret() {
        return new AgentSecret(newRandomSealer(), newRandomSigner());
    }

    public AgentID getAgentID(AgentSecret secret) {
        return new AgentID(getSealerID(secret.sealer()), getSignerID(secret.signer()));
    }

    /** Deterministic agent from a 32-byte seed: sealer = BLAKE3("seal"‖seed), signer = BLAKE3("sign"‖seed). */
    public AgentSecret agentSecretFromSecretSeed(byte[] seed) {
        if (seed.length != 32) throw new CryptoException("secret seed must be 32 bytes, got " + seed.length);
        return new AgentSecret(
                SealerSecret.fromBytes(blake3WithContext(seed, CTX_SEAL)),
                SignerSecret.fromBytes(blake3WithContext(seed, CTX_SIGN)));
    }

    public InviteSecret newRandomInviteSecret() {
        return InviteSecret.fromBytes(random(32));
    }

    public AgentSecret agentSecretFromInviteSecret(InviteSecret invite) {
        return agentSecretFromSecretSeed(invite.bytes());
    }

    // ---- symmetric encryption ----

    public NewKey newRandomKeySecret() {
        KeySecret secret = KeySecret.fromBytes(random(32));
        KeyID id = new KeyID(KeyID.PREFIX + Base58.encode(random(12)));
        return new NewKey(id, secret);
    }

    /** XSalsa20 (no MAC) of UTF-8(stableStringify(value)) with the nonce of {@code nonceMaterial}. */
    public Encrypted encrypt(JsonValue value, KeySecret key, JsonValue nonceMaterial) {
        return encryptBytes(StableJson.bytes(value), key, nonceMaterial);
    }

    public Encrypted encryptBytes(byte[] plaintext, KeySecret key, JsonValue nonceMaterial) {
        return Encrypted.fromBytes(provider.xsalsa20Xor(keyBytes(key), nonce(nonceMaterial), plaintext));
    }

    /** A key secret and its decoded bytes (handed out as copies: a provider may be an app's own). */
    private record KeyBytes(String secret, byte[] bytes) {}

    /** The last key secret used: a node encrypts and decrypts with the same few keys in turn. */
    private volatile KeyBytes lastKey;

    /** {@link KeySecret#bytes} without a base58 decode per transaction for the key last used. */
    private byte[] keyBytes(KeySecret key) {
        KeyBytes k = lastKey;
        if (k != null && k.secret.equals(key.value())) return k.bytes.clone();
        byte[] b = key.bytes();
        lastKey = new KeyBytes(key.value(), b.clone());
        return b;
    }

    /** Decrypts and decodes UTF-8; a wrong key is not detectable here (there is no MAC). */
    public String decryptText(Encrypted encrypted, KeySecret key, JsonValue nonceMaterial) {
        byte[] plain = provider.xsalsa20Xor(keyBytes(key), nonce(nonceMaterial), encrypted.bytes());
        return utf8(plain);
    }

    /** Decrypts and parses JSON; empty like the reference's {@code undefined} when it is not JSON. */
    public Optional<JsonValue> decrypt(Encrypted encrypted, KeySecret key, JsonValue nonceMaterial) {
        try {
            return Optional.of(Json.parse(decryptText(encrypted, key, nonceMaterial)));
        } catch (InvalidJsonException | CryptoException e) {
            return Optional.empty();
        }
    }

    /**
     * Wraps one key secret with another: {@code {"encryptedID", "encryptingID", "encrypted"}}, the
     * secret encrypted as a JSON string literal with nonce material {@code {encryptedID, encryptingID}}.
     */
    public JsonValue.Obj encryptKeySecret(KeyID toEncryptID, KeySecret toEncrypt, KeyID encryptingID, KeySecret encrypting) {
        JsonValue.Obj material = keyNonceMaterial(toEncryptID, encryptingID);
        Encrypted enc = encrypt(JsonValue.of(toEncrypt.value()), encrypting, material);
        return JsonValue.obj(
                "encryptedID", JsonValue.of(toEncryptID.value()),
                "encryptingID", JsonValue.of(encryptingID.value()),
                "encrypted", JsonValue.of(enc.value()));
    }

    /** Unwraps a key secret; empty when the result is not a well-formed key secret (wrong key). */
    public Optional<KeySecret> decryptKeySecret(KeyID encryptedID, KeyID encryptingID, Encrypted encrypted, KeySecret encrypting) {
        Optional<JsonValue> v = decrypt(encrypted, encrypting, keyNonceMaterial(encryptedID, encryptingID));
        if (v.isPresent() && v.get() instanceof JsonValue.Str s) {
            try {
                return Optional.of(new KeySecret(s.value()));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static JsonValue.Obj keyNonceMaterial(KeyID encryptedID, KeyID encryptingID) {
        return JsonValue.obj("encryptedID", JsonValue.of(encryptedID.value()), "encryptingID", JsonValue.of(encryptingID.value()));
    }

    // ---- sealing ----

    /** Secretbox keyed by the raw X25519 shared secret of (from, to); not NaCl crypto_box. */
    public Sealed seal(JsonValue message, SealerSecret from, SealerID to, JsonValue nonceMaterial) {
        byte[] key = provider.x25519SharedSecret(from.bytes(), to.bytes());
        return Sealed.fromBytes(provider.secretboxSeal(key, nonce(nonceMaterial), StableJson.bytes(message)));
    }

    /** Opens a sealed message; throws {@link CryptoException} when the MAC or the JSON is wrong. */
    public JsonValue unseal(Sealed sealed, SealerSecret to, SealerID from, JsonValue nonceMaterial) {
        byte[] key = provider.x25519SharedSecret(to.bytes(), from.bytes());
        byte[] plain = provider.secretboxOpen(key, nonce(nonceMaterial), sealed.bytes());
        try {
            return Json.parse(utf8(plain));
        } catch (InvalidJsonException e) {
            throw new CryptoException("sealed message is not JSON: " + e.getMessage());
        }
    }

    /** Anonymous box to a group sealer: ephemeral public key ‖ secretbox. */
    public SealedForGroup sealForGroup(JsonValue message, SealerID groupSealer, JsonValue nonceMaterial) {
        byte[] ephSecret = random(32);
        return sealForGroupWithEphemeral(message, groupSealer, nonceMaterial, ephSecret);
    }

    /** {@link #sealForGroup} with a given ephemeral secret (for vectors and tests only). */
    public SealedForGroup sealForGroupWithEphemeral(JsonValue message, SealerID groupSealer, JsonValue nonceMaterial, byte[] ephSecret) {
        byte[] ephPublic = provider.x25519PublicKey(ephSecret);
        byte[] key = provider.x25519SharedSecret(ephSecret, groupSealer.bytes());
        byte[] box = provider.secretboxSeal(key, nonce(nonceMaterial), StableJson.bytes(message));
        byte[] out = new byte[32 + box.length];
        System.arraycopy(ephPublic, 0, out, 0, 32);
        System.arraycopy(box, 0, out, 32, box.length);
        return SealedForGroup.fromBytes(out);
    }

    /** Like the reference, any failure (short input, MAC, JSON) yields empty. */
    public Optional<JsonValue> unsealForGroup(SealedForGroup sealed, SealerSecret groupSealerSecret, JsonValue nonceMaterial) {
        try {
            byte[] all = sealed.bytes();
            if (all.length < 32 + 16) return Optional.empty();
            byte[] ephPublic = Arrays.copyOfRange(all, 0, 32);
            byte[] box = Arrays.copyOfRange(all, 32, all.length);
            byte[] key = provider.x25519SharedSecret(groupSealerSecret.bytes(), ephPublic);
            return Optional.of(Json.parse(utf8(provider.secretboxOpen(key, nonce(nonceMaterial), box))));
        } catch (CryptoException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Sealer secret = BLAKE3("groupSealer" ‖ UTF-8 of the full {@code keySecret_z…} text). */
    public GroupSealer groupSealerFromReadKey(KeySecret readKey) {
        byte[] secret = blake3WithContext(readKey.value().getBytes(StandardCharsets.UTF_8), CTX_GROUP_SEALER);
        SealerSecret s = SealerSecret.fromBytes(secret);
        return new GroupSealer(s, getSealerID(s));
    }

    // ---- identifiers ----

    public SessionID newRandomSessionID(String author) {
        return SessionID.newRandom(author, random(8));
    }

    public SessionID newDeleteSessionID(String author) {
        return SessionID.newDelete(author, random(7));
    }

    /** {@code z} + base58(12 random bytes): the default header uniqueness. */
    public String newUniqueness() {
        return "z" + Base58.encode(random(12));
    }

    public RawCoID idForHeaderBytes(byte[] stableHeaderUtf8) {
        return RawCoID.fromBytes(provider.blake3(stableHeaderUtf8));
    }

    public byte[] random(int n) {
        byte[] b = new byte[n];
        provider.randomBytes(b);
        return b;
    }

    /** Strict UTF-8 decoding: invalid bytes mean a wrong key or corrupt data, not text. */
    static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new CryptoException("decrypted bytes are not valid UTF-8 (wrong key or corrupt data)");
        }
    }
}
