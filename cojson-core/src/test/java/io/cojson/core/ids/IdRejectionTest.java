package io.cojson.core.ids;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cojson.core.encoding.Base58;
import java.util.Arrays;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every rejection path of the ID types: each must throw {@link InvalidIdException} whose message
 * names what was expected and what was found. Also the SDK's {@code !} conflict-session form.
 */
class IdRejectionTest {
    private static final String SIGNER_ID = "signer_z" + Base58.encode(bytes(32, 1));
    private static final String SEALER_ID = "sealer_z" + Base58.encode(bytes(32, 2));
    private static final String AGENT_ID = SEALER_ID + "/" + SIGNER_ID;
    private static final String ACCOUNT = "co_z" + Base58.encode(bytes(19, 3));
    private static final String SESSION = ACCOUNT + "_session_z" + Base58.encode(bytes(8, 4));
    private static final String DELETE_SESSION = ACCOUNT + "_session_d" + Base58.encode(bytes(7, 5)) + "$";

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (7 * i + seed);
        return b;
    }

    private static String z(String prefix, int n) {
        return prefix + Base58.encode(bytes(n, 9));
    }

    private static Arguments rejects(String label, Function<String, ?> parse, String input) {
        return Arguments.of(label, parse, input);
    }

    static Stream<Arguments> rejections() {
        Function<String, ?> signerID = SignerID::parse;
        Function<String, ?> signerSecret = SignerSecret::parse;
        Function<String, ?> sealerID = SealerID::parse;
        Function<String, ?> sealerSecret = SealerSecret::parse;
        Function<String, ?> hash = Hash::parse;
        Function<String, ?> shortHash = ShortHash::parse;
        Function<String, ?> signature = Signature::parse;
        Function<String, ?> keySecret = KeySecret::parse;
        Function<String, ?> keyID = KeyID::parse;
        Function<String, ?> invite = InviteSecret::parse;
        Function<String, ?> rawCoID = RawCoID::parse;
        Function<String, ?> rawCoIDBytes = s -> RawCoID.parse(s).bytes();
        Function<String, ?> encrypted = Encrypted::parse;
        Function<String, ?> sealed = Sealed::parse;
        Function<String, ?> sealedForGroup = SealedForGroup::parse;
        Function<String, ?> agentID = AgentID::parse;
        Function<String, ?> agentSecret = AgentSecret::parse;
        Function<String, ?> session = SessionID::parse;
        Function<String, ?> opID = OpID::parse;
        return Stream.of(
                // null
                rejects("SignerID null", signerID, null),
                rejects("SignerSecret null", signerSecret, null),
                rejects("SealerID null", sealerID, null),
                rejects("SealerSecret null", sealerSecret, null),
                rejects("Hash null", hash, null),
                rejects("ShortHash null", shortHash, null),
                rejects("Signature null", signature, null),
                rejects("KeySecret null", keySecret, null),
                rejects("KeyID null", keyID, null),
                rejects("InviteSecret null", invite, null),
                rejects("RawCoID null", rawCoID, null),
                rejects("Encrypted null", encrypted, null),
                rejects("Sealed null", sealed, null),
                rejects("SealedForGroup null", sealedForGroup, null),
                rejects("AgentID null", agentID, null),
                rejects("AgentSecret null", agentSecret, null),
                rejects("SessionID null", session, null),
                rejects("OpID null", opID, null),
                // wrong prefix
                rejects("SignerID with a sealer prefix", signerID, z("sealer_z", 32)),
                rejects("SignerSecret with a signer-ID prefix", signerSecret, z("signer_z", 32)),
                rejects("SealerID with a signer prefix", sealerID, z("signer_z", 32)),
                rejects("SealerSecret with a sealer-ID prefix", sealerSecret, z("sealer_z", 32)),
                rejects("Hash with a shortHash prefix", hash, z("shortHash_z", 32)),
                rejects("ShortHash with a hash prefix", shortHash, z("hash_z", 19)),
                rejects("Signature without _z", signature, "signature_" + Base58.encode(bytes(64, 1))),
                rejects("KeySecret with a key-ID prefix", keySecret, z("key_z", 32)),
                rejects("KeyID with a keySecret prefix", keyID, z("keySecret_z", 12)),
                rejects("InviteSecret with a signer prefix", invite, z("signerSecret_z", 32)),
                rejects("RawCoID with a co_ prefix but no z", rawCoID, "co_" + Base58.encode(bytes(19, 1))),
                rejects("RawCoID upper-case prefix", rawCoID, "CO_z" + Base58.encode(bytes(19, 1))),
                rejects("Encrypted with a sealed prefix", encrypted, "sealed_UAAAA"),
                rejects("Sealed with an encrypted prefix", sealed, "encrypted_UAAAA"),
                rejects("SealedForGroup with a sealed prefix", sealedForGroup, "sealed_UAAAA"),
                rejects("empty SignerID", signerID, ""),
                // bad payload encodings
                rejects("SignerID with 0 (not base58)", signerID, "signer_z0" + Base58.encode(bytes(31, 1))),
                rejects("SealerID with l (not base58)", sealerID, "sealer_zl" + Base58.encode(bytes(31, 1))),
                rejects("Hash with a space", hash, "hash_z " + Base58.encode(bytes(32, 1))),
                rejects("Signature with non-ASCII", signature, "signature_zé" + Base58.encode(bytes(64, 1))),
                rejects("KeySecret with O (not base58)", keySecret, "keySecret_zO" + Base58.encode(bytes(31, 1))),
                rejects("KeyID with a dash", keyID, "key_zab-c"),
                rejects("KeyID with an empty payload", keyID, "key_z"),
                rejects("RawCoID with a dash", rawCoID, "co_zab-cd"),
                rejects("RawCoID with an empty payload", rawCoID, "co_z"),
                rejects("RawCoID bytes of a non-base58 placeholder", rawCoIDBytes, "co_zWrongID"),
                rejects("Encrypted with * (not base64url)", encrypted, "encrypted_Uab*d"),
                rejects("Encrypted with + (standard base64, not url)", encrypted, "encrypted_Uab+d"),
                rejects("Sealed with an impossible base64 length", sealed, "sealed_UAAAAA"),
                rejects("SealedForGroup with a slash", sealedForGroup, "sealedForGroup_Uab/d"),
                // wrong payload length
                rejects("SignerID of 31 bytes", signerID, z("signer_z", 31)),
                rejects("SignerID of 33 bytes", signerID, z("signer_z", 33)),
                rejects("SignerID with an empty payload", signerID, "signer_z"),
                rejects("SignerSecret of 64 bytes (expanded key)", signerSecret, z("signerSecret_z", 64)),
                rejects("SealerID of 31 bytes", sealerID, z("sealer_z", 31)),
                rejects("SealerSecret of 16 bytes", sealerSecret, z("sealerSecret_z", 16)),
                rejects("Hash of 19 bytes", hash, z("hash_z", 19)),
                rejects("ShortHash of 32 bytes", shortHash, z("shortHash_z", 32)),
                rejects("Signature of 63 bytes", signature, z("signature_z", 63)),
                rejects("Signature of 65 bytes", signature, z("signature_z", 65)),
                rejects("KeySecret of 24 bytes", keySecret, z("keySecret_z", 24)),
                rejects("InviteSecret of 31 bytes", invite, z("inviteSecret_z", 31)),
                rejects("RawCoID bytes of an 18-byte ID", rawCoIDBytes, z("co_z", 18)),
                rejects("RawCoID bytes of a 20-byte ID", rawCoIDBytes, z("co_z", 20)),
                // agents
                rejects("AgentID without /", agentID, SEALER_ID + SIGNER_ID),
                rejects("AgentID in the wrong order", agentID, SIGNER_ID + "/" + SEALER_ID),
                rejects("AgentID with a short signer", agentID, SEALER_ID + "/" + z("signer_z", 31)),
                rejects("AgentID with a trailing slash", agentID, AGENT_ID + "/"),
                rejects("AgentSecret without /", agentSecret, z("sealerSecret_z", 32) + z("signerSecret_z", 32)),
                rejects("AgentSecret with a bad half", agentSecret, z("sealerSecret_z", 32) + "/" + z("signerSecret_z", 31)),
                // session IDs
                rejects("SessionID without _session_", session, ACCOUNT + "_sess_z" + Base58.encode(bytes(8, 1))),
                rejects("SessionID without the underscore after session", session, ACCOUNT + "_sessionz" + Base58.encode(bytes(8, 1))),
                rejects("SessionID without an author", session, "_session_zAbc"),
                rejects("SessionID with a bad account author", session, "co_z_session_zAbc"),
                rejects("SessionID with a bad account author character", session, "co_zab-c_session_zAbc"),
                rejects("SessionID with an author that is neither account nor agent", session, "bob_session_zAbc"),
                rejects("SessionID with a malformed agent author", session, SEALER_ID + "/signer_zAbc_session_zAbc"),
                rejects("SessionID with an empty suffix", session, ACCOUNT + "_session_z"),
                rejects("SessionID with an unknown suffix kind", session, ACCOUNT + "_session_xAbc"),
                rejects("SessionID with a non-alphanumeric suffix", session, ACCOUNT + "_session_zA-c"),
                rejects("SessionID with an over-long suffix", session, ACCOUNT + "_session_z" + "A".repeat(40)),
                rejects("SessionID with a colon in the suffix", session, SESSION + ":0"),
                rejects("SessionID with a double _session_", session, SESSION + "_session_zAbc"),
                rejects("SessionID with $ but no d", session, ACCOUNT + "_session_zAbc$"),
                rejects("delete SessionID without $", session, ACCOUNT + "_session_dAbc"),
                rejects("delete SessionID with an empty suffix", session, ACCOUNT + "_session_d$"),
                rejects("SessionID with double !", session, SESSION + "!!"),
                rejects("SessionID with ! in the middle", session, ACCOUNT + "_session_zA!c"),
                rejects("delete + conflict SessionID", session, DELETE_SESSION + "!"),
                rejects("delete SessionID with ! before $", session, ACCOUNT + "_session_dAbc!$"),
                // OpIDs
                rejects("OpID without colons", opID, "garbage"),
                rejects("OpID with one colon", opID, SESSION + ":1"),
                rejects("OpID with an empty session", opID, ":1:2"),
                rejects("OpID with an invalid session", opID, "nosession:1:2"),
                rejects("OpID with a non-numeric txIndex", opID, SESSION + ":a:0"),
                rejects("OpID with a non-numeric changeIdx", opID, SESSION + ":0:x"),
                rejects("OpID with an empty txIndex", opID, SESSION + "::0"),
                rejects("OpID with a negative txIndex", opID, SESSION + ":-1:0"),
                rejects("OpID with a negative changeIdx", opID, SESSION + ":0:-2"),
                rejects("OpID with a + sign", opID, SESSION + ":+1:0"),
                rejects("OpID with a leading zero", opID, SESSION + ":01:0"),
                rejects("OpID with non-ASCII digits", opID, SESSION + ":\u0661:0"),
                rejects("OpID with full-width digits", opID, SESSION + ":0:\uFF11"),
                rejects("OpID with a space", opID, SESSION + ": 1:0"),
                rejects("OpID with an int overflow", opID, SESSION + ":2147483648:0"),
                rejects("OpID with a fraction", opID, SESSION + ":1.0:0"),
                rejects("OpID with four parts", opID, SESSION + ":1:2:3"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void rejections(String label, Function<String, ?> parse, String input) {
        InvalidIdException e = assertThrows(InvalidIdException.class, () -> parse.apply(input));
        assertNotNull(e.expected());
        assertNotNull(e.found());
        assertFalse(e.expected().isBlank(), "message must name what was expected");
        assertFalse(e.found().isBlank(), "message must name what was found");
        assertTrue(e.getMessage().startsWith("expected " + e.expected()), e.getMessage());
        assertTrue(e.getMessage().contains("found " + e.found()), e.getMessage());
    }

    @Test
    void validInputsOfTheRejectionFixturesAreAccepted() {
        // the fixtures above differ from these valid values only in the tested defect
        SignerID.parse(SIGNER_ID);
        SealerID.parse(SEALER_ID);
        AgentID.parse(AGENT_ID);
        SessionID.parse(SESSION);
        SessionID.parse(DELETE_SESSION);
        SessionID.parse(AGENT_ID + "_session_z" + Base58.encode(bytes(8, 4)));
        SessionID.parse(SESSION + "!");
        RawCoID.parse("co_zWrongID");
        assertEquals(19, RawCoID.parse(ACCOUNT).bytes().length);
        assertEquals(new OpID(SessionID.parse(SESSION), 0, 0), OpID.parse(SESSION + ":0:0"));
        assertEquals(new OpID(SessionID.parse(SESSION), 10, 2147483647), OpID.parse(SESSION + ":10:2147483647"));
        assertEquals(new OpID(SessionID.parse(SESSION + "!"), 3, 1), OpID.parse(SESSION + "!:3:1"));
        Encrypted.parse("encrypted_U");
        Encrypted.parse("encrypted_UAA");
        Encrypted.parse("encrypted_UAA==");
    }

    @Test
    void secretsAreNotEchoedInErrors() {
        String secretHalf = z("signerSecret_z", 32);
        InvalidIdException e = assertThrows(InvalidIdException.class, () -> AgentSecret.parse(secretHalf + secretHalf));
        assertFalse(e.getMessage().contains(secretHalf.substring("signerSecret_z".length())), e.getMessage());
        AgentSecret ok = AgentSecret.parse(z("sealerSecret_z", 32) + "/" + secretHalf);
        assertFalse(ok.toString().contains(secretHalf));
    }

    @Test
    void fromBytesRejectsWrongLengths() {
        assertThrows(InvalidIdException.class, () -> SignerID.fromBytes(new byte[31]));
        assertThrows(InvalidIdException.class, () -> SignerSecret.fromBytes(new byte[33]));
        assertThrows(InvalidIdException.class, () -> SealerID.fromBytes(new byte[0]));
        assertThrows(InvalidIdException.class, () -> SealerSecret.fromBytes(new byte[64]));
        assertThrows(InvalidIdException.class, () -> Hash.fromBytes(new byte[19]));
        assertThrows(InvalidIdException.class, () -> ShortHash.fromBytes(new byte[32]));
        assertThrows(InvalidIdException.class, () -> Signature.fromBytes(new byte[63]));
        assertThrows(InvalidIdException.class, () -> KeySecret.fromBytes(new byte[12]));
        assertThrows(InvalidIdException.class, () -> InviteSecret.fromBytes(new byte[31]));
        assertThrows(InvalidIdException.class, () -> RawCoID.fromBytes(new byte[18]));
    }

    @Test
    void recordConstructorsRejectNullsAndNegativeIndices() {
        SessionID s = SessionID.parse(SESSION);
        assertThrows(InvalidIdException.class, () -> new TransactionID(null, 0));
        assertThrows(InvalidIdException.class, () -> new TransactionID(s, -1));
        assertThrows(InvalidIdException.class, () -> new OpID(null, 0, 0));
        assertThrows(InvalidIdException.class, () -> new OpID(s, -1, 0));
        assertThrows(InvalidIdException.class, () -> new OpID(s, 0, -1));
        assertThrows(InvalidIdException.class, () -> new AgentID(null, SignerID.parse(SIGNER_ID)));
        assertThrows(InvalidIdException.class, () -> new AgentSecret(SealerSecret.fromBytes(bytes(32, 1)), null));
    }

    // ---- the ! conflict form ----

    @Test
    void conflictSessionRoundTrip() {
        SessionID base = SessionID.parse(SESSION);
        assertFalse(base.isConflictSession());
        SessionID conflict = base.conflictSession();
        assertEquals(SESSION + "!", conflict.value());
        assertTrue(conflict.isConflictSession());
        assertFalse(conflict.isDeleteSession());
        assertEquals(base, conflict.baseSession());
        assertEquals(base, base.baseSession());
        assertEquals(conflict, SessionID.parse(SESSION + "!"));
        assertEquals(base.author(), conflict.author());
        assertEquals(RawCoID.parse(ACCOUNT), conflict.accountID());
    }

    @Test
    void conflictSessionOfAnAgentSession() {
        SessionID base = SessionID.parse(AGENT_ID + "_session_zAbc");
        SessionID conflict = base.conflictSession();
        assertTrue(conflict.isConflictSession());
        assertEquals(AgentID.parse(AGENT_ID), conflict.agentID());
        assertEquals(base, conflict.baseSession());
    }

    @Test
    void noConflictOfAConflictOrADeleteSession() {
        SessionID conflict = SessionID.parse(SESSION + "!");
        assertThrows(IllegalStateException.class, conflict::conflictSession);
        SessionID delete = SessionID.parse(DELETE_SESSION);
        assertTrue(delete.isDeleteSession());
        assertFalse(delete.isConflictSession());
        assertThrows(IllegalStateException.class, delete::conflictSession);
        assertEquals(delete, delete.baseSession());
    }

    @Test
    void withAuthorKeepsTheSuffix() {
        SessionID s = SessionID.parse(SESSION);
        SessionID agentSession = s.withAuthor(AGENT_ID);
        assertEquals(AGENT_ID + SESSION.substring(ACCOUNT.length()), agentSession.value());
        assertEquals(s, agentSession.withAuthor(ACCOUNT));
        assertThrows(InvalidIdException.class, () -> s.withAuthor("nobody"));
    }

    @Test
    void accountAndAgentAccessorsRefuseTheOtherKind() {
        assertThrows(IllegalStateException.class, () -> SessionID.parse(SESSION).agentID());
        assertThrows(IllegalStateException.class, () -> SessionID.parse(AGENT_ID + "_session_zAbc").accountID());
    }

    @Test
    void predicates() {
        assertTrue(AgentID.looksLikeAgentID(AGENT_ID));
        assertFalse(AgentID.looksLikeAgentID(ACCOUNT));
        assertFalse(AgentID.looksLikeAgentID(null));
        assertTrue(RawCoID.isValid(ACCOUNT));
        assertFalse(RawCoID.isValid("co_"));
        assertFalse(RawCoID.isValid(null));
        assertTrue(Arrays.equals(bytes(19, 3), RawCoID.parse(ACCOUNT).bytes()));
    }
}
