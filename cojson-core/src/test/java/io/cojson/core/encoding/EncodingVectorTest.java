package io.cojson.core.encoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cojson.core.json.VectorFiles;
import java.util.Base64;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** crypto.json {@code base58} and {@code base64url} sections, plus the rejection paths of all three codecs. */
class EncodingVectorTest {
    private static final String FILE = "crypto.json";

    // ---------------------------------------------------------------- vector sources

    static Stream<Arguments> base58Cases() {
        return VectorFiles.cases(FILE, "base58", "cases").stream()
                .map(c -> Arguments.of(VectorFiles.text(c, "name"), VectorFiles.text(c, "bytes"), VectorFiles.text(c, "encoded")));
    }

    static Stream<Arguments> base58Invalid() {
        return VectorFiles.cases(FILE, "base58", "invalid").stream().map(c -> {
            assertTrue(c.path("error").asBoolean(false), "invalid case without error:true: " + c);
            return Arguments.of(VectorFiles.text(c, "name"), VectorFiles.text(c, "encoded"));
        });
    }

    static Stream<Arguments> base64urlCases() {
        return VectorFiles.cases(FILE, "base64url", "cases").stream()
                .map(c -> Arguments.of(VectorFiles.text(c, "name"), VectorFiles.text(c, "bytes"), VectorFiles.text(c, "encoded")));
    }

    static Stream<Arguments> base64urlDecodeOnly() {
        return VectorFiles.cases(FILE, "base64url", "decodeOnly").stream()
                .map(c -> Arguments.of(VectorFiles.text(c, "name"), VectorFiles.text(c, "bytes"), VectorFiles.text(c, "encoded")));
    }

    // ---------------------------------------------------------------- base58 vectors

    @ParameterizedTest(name = "{0}")
    @MethodSource("base58Cases")
    void base58Encode(String name, String bytesHex, String encoded) {
        assertEquals(encoded, Base58.encode(Hex.decode(bytesHex)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("base58Cases")
    void base58Decode(String name, String bytesHex, String encoded) {
        byte[] decoded = Base58.decode(encoded);
        assertEquals(bytesHex, Hex.encode(decoded));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("base58Invalid")
    void base58Invalid(String name, String encoded) {
        InvalidEncodingException e = assertThrows(InvalidEncodingException.class, () -> Base58.decode(encoded));
        assertMessageNamesExpectedAndFound(e);
        assertTrue(e.getMessage().contains("base58"), e.getMessage());
    }

    // ---------------------------------------------------------------- base64url vectors

    @ParameterizedTest(name = "{0}")
    @MethodSource("base64urlCases")
    void base64urlEncodeIsPaddedAndExact(String name, String bytesHex, String encoded) {
        String out = Base64Url.encode(Hex.decode(bytesHex));
        assertEquals(encoded, out);
        assertEquals(0, out.length() % 4, "output must be padded to a multiple of 4");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("base64urlCases")
    void base64urlRoundTrip(String name, String bytesHex, String encoded) {
        byte[] bytes = Base64Url.decode(encoded);
        assertEquals(bytesHex, Hex.encode(bytes));
        assertEquals(encoded, Base64Url.encode(bytes));
        // The decoder also accepts the same text with its padding removed.
        assertEquals(bytesHex, Hex.encode(Base64Url.decode(encoded.replace("=", ""))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("base64urlDecodeOnly")
    void base64urlDecodeOnly(String name, String bytesHex, String encoded) {
        assertEquals(bytesHex, Hex.encode(Base64Url.decode(encoded)));
    }

    // ---------------------------------------------------------------- rejection paths

    @Test
    void hexOddLengthIsRejected() {
        InvalidEncodingException e = assertThrows(InvalidEncodingException.class, () -> Hex.decode("abc"));
        assertMessageNamesExpectedAndFound(e);
        assertTrue(e.expected().contains("even length"), e.getMessage());
        assertTrue(e.found().contains("\"abc\""), e.getMessage());
    }

    @ParameterizedTest(name = "bad hex digit in \"{0}\"")
    @ValueSource(strings = {"zz", "0g", "g0", "0 ", "+1", "-1", "0x", "ab\u00e9\u00e9",
        // Unicode digits are digits to Character.digit, but not hex text
        "\u0663\u0663", "\uff10\uff10", "\u0661a"})
    void hexBadDigitIsRejected(String text) {
        InvalidEncodingException e = assertThrows(InvalidEncodingException.class, () -> Hex.decode(text));
        assertMessageNamesExpectedAndFound(e);
        assertTrue(e.expected().contains("hex"), e.getMessage());
        assertTrue(e.found().contains(text), e.getMessage());
    }

    @Test
    void hexAcceptsBothCasesAndEncodesLowercase() {
        assertArrayEquals(new byte[] {(byte) 0xab, (byte) 0xcd, 0x01}, Hex.decode("ABcd01"));
        assertEquals("abcd01", Hex.encode(new byte[] {(byte) 0xab, (byte) 0xcd, 0x01}));
        assertEquals("", Hex.encode(new byte[0]));
        assertArrayEquals(new byte[0], Hex.decode(""));
    }

    @ParameterizedTest(name = "base64url garbage \"{0}\"")
    @ValueSource(strings = {"ab+c", "ab/c", "a b=", "abc!", "\u00e9\u00e9\u00e9\u00e9", "AA\nA", "AA.A", "A\u0000AA"})
    void base64urlGarbageIsRejected(String text) {
        InvalidEncodingException e = assertThrows(InvalidEncodingException.class, () -> Base64Url.decode(text));
        assertMessageNamesExpectedAndFound(e);
        assertTrue(e.expected().contains("base64url"), e.getMessage());
        assertTrue(e.found().contains(text), e.getMessage());
    }

    @ParameterizedTest(name = "base64url impossible length \"{0}\"")
    @ValueSource(strings = {"A", "AAAAA", "A===", "AAAAA===", "=A", "AAAAAAAAA"})
    void base64urlImpossibleLengthIsRejected(String text) {
        InvalidEncodingException e = assertThrows(InvalidEncodingException.class, () -> Base64Url.decode(text));
        assertMessageNamesExpectedAndFound(e);
        assertTrue(e.found().contains("impossible length"), e.getMessage());
    }

    @Test
    void base58ErrorNamesTheCharacterAndItsIndex() {
        InvalidEncodingException e = assertThrows(InvalidEncodingException.class, () -> Base58.decode("abc0def"));
        assertMessageNamesExpectedAndFound(e);
        assertTrue(e.found().contains("'0'"), e.getMessage());
        assertTrue(e.found().contains("index 3"), e.getMessage());
        assertTrue(e.found().contains("\"abc0def\""), e.getMessage());
    }

    @ParameterizedTest(name = "base58 rejects \"{0}\"")
    @ValueSource(strings = {" ", "1 1", "\u00e9", "\u0661", "z_z", "-", "\ud83d\ude00", "\u007f"})
    void base58RejectsNonAlphabetCharacters(String text) {
        InvalidEncodingException e = assertThrows(InvalidEncodingException.class, () -> Base58.decode(text));
        assertMessageNamesExpectedAndFound(e);
    }

    @Test
    void longInputIsTruncatedInMessages() {
        String longText = "0".repeat(1000);
        InvalidEncodingException e = assertThrows(InvalidEncodingException.class, () -> Base58.decode(longText));
        assertTrue(e.getMessage().length() < 300, "message should be truncated: " + e.getMessage().length());
        assertTrue(e.found().contains("1000 chars"), e.getMessage());
    }

    // ---------------------------------------------------------------- seeded round trips

    @Test
    void randomBytesRoundTripThroughAllCodecs() {
        Random random = new Random(0x5eed);
        for (int i = 0; i < 2000; i++) {
            byte[] bytes = new byte[random.nextInt(70)];
            random.nextBytes(bytes);
            int zeros = random.nextInt(4);
            for (int j = 0; j < Math.min(zeros, bytes.length); j++) bytes[j] = 0;

            String b58 = Base58.encode(bytes);
            assertArrayEquals(bytes, Base58.decode(b58), b58);
            int leadingOnes = 0;
            while (leadingOnes < b58.length() && b58.charAt(leadingOnes) == '1') leadingOnes++;
            int leadingZeros = 0;
            while (leadingZeros < bytes.length && bytes[leadingZeros] == 0) leadingZeros++;
            assertEquals(leadingZeros, leadingOnes, "each leading zero byte is exactly one '1'");

            String b64 = Base64Url.encode(bytes);
            assertEquals(Base64.getUrlEncoder().encodeToString(bytes), b64);
            assertArrayEquals(bytes, Base64Url.decode(b64));
            assertArrayEquals(bytes, Base64Url.decode(b64.replace("=", "")));

            assertArrayEquals(bytes, Hex.decode(Hex.encode(bytes)));
        }
    }

    private static void assertMessageNamesExpectedAndFound(InvalidEncodingException e) {
        String m = e.getMessage();
        assertTrue(e.expected() != null && !e.expected().isEmpty(), m);
        assertTrue(e.found() != null && !e.found().isEmpty(), m);
        assertTrue(m.contains("expected " + e.expected()), m);
        assertTrue(m.contains("found " + e.found()), m);
    }
}
