package io.cojson.core.ids;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cojson.core.crypto.Crypto;
import io.cojson.core.encoding.Base58;
import org.junit.jupiter.api.Test;

/**
 * AgentID.parse and SignerID.bytes remember the last value they decoded (loading many values of
 * one author): alternating agents still read back exactly, and each caller gets its own key bytes.
 */
class AgentParseCacheTest {
    private static final Crypto CRYPTO = Crypto.create();

    @Test
    void alternatingAgentsParseExactlyAndKeyBytesAreFreshArrays() {
        AgentSecret a = CRYPTO.newRandomAgentSecret();
        AgentSecret b = CRYPTO.newRandomAgentSecret();
        String aText = CRYPTO.getAgentID(a).value();
        String bText = CRYPTO.getAgentID(b).value();
        for (int i = 0; i < 3; i++) {
            AgentID pa = AgentID.parse(aText);
            AgentID pb = AgentID.parse(new String(bText.toCharArray())); // equal text, another instance
            assertEquals(aText, pa.value());
            assertEquals(bText, pb.value());
            assertEquals(CRYPTO.getSignerID(a.signer()), pa.signer());
            assertEquals(CRYPTO.getSignerID(b.signer()), pb.signer());
        }
        SignerID signer = AgentID.parse(aText).signer();
        byte[] expected = Base58.decode(signer.value().substring(SignerID.PREFIX.length()));
        byte[] first = signer.bytes();
        byte[] second = signer.bytes(); // from the remembered key
        assertArrayEquals(expected, first);
        assertArrayEquals(expected, second);
        first[0] ^= 1; // a caller changing its copy changes nobody else's
        second[0] ^= 1;
        assertArrayEquals(expected, signer.bytes());
        assertArrayEquals(expected, new SignerID(signer.value()).bytes());
        byte[] other = AgentID.parse(bText).signer().bytes();
        assertArrayEquals(Base58.decode(AgentID.parse(bText).signer().value().substring(SignerID.PREFIX.length())), other);
        assertArrayEquals(expected, signer.bytes());
        // a malformed agent after a good one is still rejected
        assertThrows(InvalidIdException.class, () -> AgentID.parse(aText.substring(0, aText.length() - 1) + "0"));
        assertThrows(InvalidIdException.class, () -> AgentID.parse(aText.replace("/", "|")));
    }
}
