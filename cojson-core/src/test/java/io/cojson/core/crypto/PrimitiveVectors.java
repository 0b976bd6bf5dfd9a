package io.cojson.core.crypto;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cojson.core.encoding.Base58;
import io.cojson.core.encoding.Base64Url;
import io.cojson.core.encoding.Hex;
import io.cojson.core.json.Json;
import io.cojson.core.json.StableJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** Loads /vectors/crypto.json and turns its sections into (provider × case) test arguments. */
final class PrimitiveVectors {
    static final List<String> PROVIDERS = List.of("bouncycastle", "lazysodium");
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNode ROOT = load();

    private PrimitiveVectors() {}

    private static JsonNode load() {
        try (InputStream in = PrimitiveVectors.class.getResourceAsStream("/vectors/crypto.json")) {
            if (in == null) throw new IllegalStateException("/vectors/crypto.json not on the test classpath");
            return MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * One argument set per provider and case of {@code section.list}: (display name, provider,
     * case node). Fails the source if the section is missing or empty, so a renamed section
     * cannot silently turn into zero tests.
     */
    static Stream<Arguments> cases(String section, String list) {
        JsonNode cases = ROOT.path(section).path(list);
        assertFalse(cases.isMissingNode(), section + "." + list + " missing from crypto.json");
        List<Arguments> out = new ArrayList<>();
        for (String provider : PROVIDERS) {
            for (JsonNode c : cases) {
                String name = provider + " | " + section + "." + list + " | " + c.path("name").asText();
                out.add(Arguments.of(name, provider, c));
            }
        }
        assertFalse(out.isEmpty(), section + "." + list + " has no cases");
        return out.stream();
    }

    /** The provider under test; a lazysodium that does not load fails the test rather than skipping. */
    static CryptoProvider provider(String name) {
        if (name.equals("bouncycastle")) return CryptoProviders.bouncyCastle();
        if (name.equals("lazysodium")) {
            return CryptoProviders.lazySodium()
                    .orElseThrow(() -> new AssertionError("lazysodium provider failed to load on this machine"));
        }
        throw new IllegalArgumentException(name);
    }

    static String text(JsonNode c, String field) {
        JsonNode n = c.get(field);
        assertNotNull(n, "case lacks field " + field);
        return n.asText();
    }

    static byte[] hex(JsonNode c, String field) {
        return Hex.decode(text(c, field));
    }

    static byte[] utf8(JsonNode c, String field) {
        return text(c, field).getBytes(StandardCharsets.UTF_8);
    }

    /** Base58 payload of a prefixed ID or secret such as {@code sealer_z...}. */
    static byte[] base58(JsonNode c, String field, String prefix) {
        String s = text(c, field);
        if (!s.startsWith(prefix)) throw new AssertionError(field + " does not start with " + prefix + ": " + s);
        return Base58.decode(s.substring(prefix.length()));
    }

    /** Base64url payload of a prefixed value such as {@code sealed_U...}. */
    static byte[] base64url(JsonNode c, String field, String prefix) {
        String s = text(c, field);
        if (!s.startsWith(prefix)) throw new AssertionError(field + " does not start with " + prefix + ": " + s);
        return Base64Url.decode(s.substring(prefix.length()));
    }

    /** UTF-8 of cojson's stableStringify of a JSON field (what gets hashed, signed, sealed). */
    static byte[] stable(JsonNode c, String field) {
        assertNotNull(c.get(field), "case lacks field " + field);
        try {
            return StableJson.bytes(Json.parse(MAPPER.writeValueAsString(c.get(field))));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** cojson's nonce: first 24 bytes of BLAKE3(stableStringify(nOnceMaterial)). */
    static byte[] nonce(CryptoProvider p, JsonNode c) {
        return Arrays.copyOf(p.blake3(stable(c, "nOnceMaterial")), CryptoProvider.XSALSA20_NONCE_BYTES);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
