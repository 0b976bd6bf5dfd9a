package io.cojson.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cojson.core.encoding.Hex;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The official BLAKE3 test vectors (/blake3/test_vectors.json, copied unmodified from
 * BLAKE3-team/BLAKE3; see the README next to it). They are the oracle for our hashers: nothing in
 * this class computes a hash.
 */
public final class Blake3Vectors {
    /** One case: the input length and the three 131-byte extended outputs. */
    public record Case(int inputLen, byte[] hash, byte[] keyedHash, byte[] deriveKey) {
        /** The first 32 bytes of the default-mode output: what a 32-byte hasher must produce. */
        public byte[] hash32() {
            return java.util.Arrays.copyOf(hash, 32);
        }
    }

    public static final byte[] KEY;
    public static final String CONTEXT;
    public static final List<Case> CASES;

    static {
        JsonNode root;
        try (InputStream in = Blake3Vectors.class.getResourceAsStream("/blake3/test_vectors.json")) {
            assertNotNull(in, "/blake3/test_vectors.json is not on the test classpath");
            root = new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        KEY = root.path("key").asText().getBytes(StandardCharsets.US_ASCII);
        CONTEXT = root.path("context_string").asText();
        List<Case> cases = new ArrayList<>();
        for (JsonNode c : root.path("cases")) {
            cases.add(new Case(c.path("input_len").asInt(-1), Hex.decode(c.path("hash").asText()),
                    Hex.decode(c.path("keyed_hash").asText()), Hex.decode(c.path("derive_key").asText())));
        }
        // Guard against a truncated or emptied copy: the official file has 35 cases up to 100 KiB.
        assertEquals(35, cases.size(), "official BLAKE3 vector count");
        assertEquals(32, KEY.length, "keyed_hash key length");
        for (Case c : cases) {
            assertTrue(c.inputLen() >= 0, "input_len present");
            assertEquals(131, c.hash().length, "extended output length at " + c.inputLen());
        }
        CASES = List.copyOf(cases);
    }

    private Blake3Vectors() {}

    /** The official input: byte i is i mod 251. */
    public static byte[] input(int len) {
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) b[i] = (byte) (i % 251);
        return b;
    }

    /** The largest input length of the set (102400). */
    public static int maxLen() {
        return CASES.get(CASES.size() - 1).inputLen();
    }
}
