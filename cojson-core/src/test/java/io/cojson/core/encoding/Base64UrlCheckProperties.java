package io.cojson.core.encoding;

import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** {@link Base64Url#check} accepts exactly what {@link Base64Url#decode} decodes, and fails with its error. */
class Base64UrlCheckProperties {

    @Property(tries = 2000)
    void checkAgreesWithDecode(@ForAll("texts") String text, @ForAll("prefixes") String prefix) {
        String decodeError = errorOf(() -> Base64Url.decode(text));
        String checkError = errorOf(() -> Base64Url.check(prefix + text, prefix.length()));
        assertEquals(decodeError, checkError, text);
    }

    private static String errorOf(Runnable r) {
        try {
            r.run();
            return null;
        } catch (InvalidEncodingException e) {
            return e.getMessage();
        }
    }

    @Provide
    Arbitrary<String> texts() {
        Arbitrary<String> valid = Arbitraries.bytes().array(byte[].class).ofMaxSize(40).map(Base64Url::encode);
        Arbitrary<String> unpadded = valid.map(s -> s.replace("=", ""));
        Arbitrary<String> alphabet = Arbitraries.strings().withChars("ABCxyz019-_=+/ \u00e9\n").ofMaxLength(13);
        return Arbitraries.oneOf(valid, unpadded, alphabet, Arbitraries.strings().all().ofMaxLength(9));
    }

    @Provide
    Arbitrary<String> prefixes() {
        return Arbitraries.of("", "encrypted_U", "sealed_U", "x=");
    }
}
