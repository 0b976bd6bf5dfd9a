package io.cojson.core.ids;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

/**
 * The ID records write out equals/hashCode (a cold JVM interprets the generated ones through
 * method handles). They must keep the generated semantics and values: records with the same
 * components, whose equals/hashCode are generated, say what they are (hash values decide the
 * iteration order of hash maps keyed by IDs).
 */
class IdEqualityTest {
    private record GenString(String value) {}

    private record GenTx(SessionID sessionID, int txIndex) {}

    private record GenPair(Object first, Object second) {}

    private record GenOp(SessionID sessionID, int txIndex, int changeIdx, String branch) {}

    private static final String AUTHOR = "co_zAuthor1";
    private final SessionID s1 = new SessionID(AUTHOR + "_session_zAbc1");
    private final SessionID s2 = new SessionID(AUTHOR + "_session_zAbc2");
    private static final io.cojson.core.crypto.Crypto CRYPTO = io.cojson.core.crypto.Crypto.create();
    private final SignerID signerA = CRYPTO.getSignerID(CRYPTO.newRandomAgentSecret().signer());
    private final SignerID signerB = CRYPTO.getSignerID(CRYPTO.newRandomAgentSecret().signer());

    @Test
    void singleValueIdsHashAndCompareLikeGeneratedRecords() {
        assertEquals(new GenString(s1.value()).hashCode(), s1.hashCode());
        assertEquals(new GenString("co_zX").hashCode(), new RawCoID("co_zX").hashCode());
        assertEquals(new GenString(signerA.value()).hashCode(), signerA.hashCode());
        assertEquals(new SessionID(s1.value()), s1);
        assertNotEquals(s2, s1);
        assertEquals(new RawCoID("co_zX"), new RawCoID("co_zX"));
        assertNotEquals(new RawCoID("co_zY"), new RawCoID("co_zX"));
        assertEquals(new SignerID(signerA.value()), signerA);
        assertNotEquals(signerB, signerA);
        assertNotEquals((Object) new RawCoID("co_zX"), new GenString("co_zX"), "another type never equals");
        assertNotEquals(null, s1);
    }

    @Test
    void transactionAndOpIdsHashAndCompareLikeGeneratedRecords() {
        for (int i = 0; i < 3; i++) {
            assertEquals(new GenTx(s1, i).hashCode(), new TransactionID(s1, i).hashCode());
            assertEquals(new TransactionID(s1, i), new TransactionID(new SessionID(s1.value()), i));
            for (String branch : new String[] {null, "co_zBranch"}) {
                assertEquals(new GenOp(s2, i, i + 1, branch).hashCode(), new OpID(s2, i, i + 1, branch).hashCode());
                assertEquals(new OpID(s2, i, i + 1, branch), new OpID(s2, i, i + 1, branch));
            }
        }
        assertNotEquals(new TransactionID(s1, 1), new TransactionID(s1, 0));
        assertNotEquals(new TransactionID(s2, 0), new TransactionID(s1, 0));
        assertNotEquals(new OpID(s1, 0, 1), new OpID(s1, 0, 0));
        assertNotEquals(new OpID(s1, 1, 0), new OpID(s1, 0, 0));
        assertNotEquals(new OpID(s2, 0, 0), new OpID(s1, 0, 0));
        assertNotEquals(new OpID(s1, 0, 0, "co_zB"), new OpID(s1, 0, 0));
    }

    @Test
    void keysHashesAndSignaturesHashAndCompareLikeGeneratedRecords() {
        var agent = CRYPTO.newRandomAgentSecret();
        var other = CRYPTO.newRandomAgentSecret();
        var key = CRYPTO.newRandomKeySecret().secret();
        var msg = io.cojson.core.json.JsonValue.of("hash_z1");
        Signature sig = CRYPTO.sign(agent.signer(), msg);
        Hash hash = CRYPTO.secureHash(io.cojson.core.json.JsonValue.of("x"));
        Object[][] sameDifferent = {
            {agent.signer(), new SignerSecret(agent.signer().value()), other.signer()},
            {agent.sealer(), new SealerSecret(agent.sealer().value()), other.sealer()},
            {CRYPTO.getSealerID(agent.sealer()), new SealerID(CRYPTO.getSealerID(agent.sealer()).value()), CRYPTO.getSealerID(other.sealer())},
            {key, new KeySecret(key.value()), CRYPTO.newRandomKeySecret().secret()},
            {sig, new Signature(sig.value()), CRYPTO.sign(other.signer(), msg)},
            {hash, new Hash(hash.value()), CRYPTO.secureHash(io.cojson.core.json.JsonValue.of("y"))},
            {new KeyID("key_zA1"), new KeyID("key_zA1"), new KeyID("key_zA2")},
        };
        for (Object[] row : sameDifferent) {
            String v = row[0].toString();
            assertEquals(new GenString(v).hashCode(), row[0].hashCode(), row[0].getClass().getSimpleName());
            assertEquals(row[0], row[1]);
            assertNotEquals(row[0], row[2]);
            assertNotEquals(row[0], (Object) new GenString(v), "another type never equals");
            assertNotEquals(null, row[0]);
        }
        AgentID id = CRYPTO.getAgentID(agent);
        assertEquals(new GenPair(id.sealer(), id.signer()).hashCode(), id.hashCode());
        assertEquals(new AgentID(id.sealer(), id.signer()), id);
        assertNotEquals(CRYPTO.getAgentID(other), id);
        assertEquals(new GenPair(agent.sealer(), agent.signer()).hashCode(), agent.hashCode());
        assertEquals(new AgentSecret(agent.sealer(), agent.signer()), agent);
        assertNotEquals(new AgentSecret(agent.sealer(), other.signer()), agent);
    }
}
