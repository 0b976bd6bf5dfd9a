package io.cojson.core.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Integers beyond a long become the correctly rounded double, as {@code JSON.parse} gives: read
 * from the digits directly (a 9,000-digit number no longer goes through BigInteger), on both the
 * fast path and Jackson's path (numbers over 1,000 characters), equal to BigInteger's rounding.
 */
class BigIntegerNumberProperties {
    @Provide
    Arbitrary<String> bigIntegers() {
        Arbitrary<String> lead = Arbitraries.strings().withChars("123456789").ofLength(1);
        Arbitrary<String> rest = Arbitraries.strings().numeric().ofMinLength(18).ofMaxLength(9_000);
        Arbitrary<String> sign = Arbitraries.of("", "-");
        return net.jqwik.api.Combinators.combine(sign, lead, rest).as((s, l, r) -> s + l + r);
    }

    @Property(tries = 300)
    void aBigIntegerParsesToTheCorrectlyRoundedDouble(@ForAll("bigIntegers") String digits) {
        double expected = new BigInteger(digits).doubleValue();
        JsonValue.Num n = (JsonValue.Num) Json.parse(digits);
        assertEquals(expected, n.value(), digits.length() + " digits");
        JsonValue.Num inArray = (JsonValue.Num) ((JsonValue.Arr) Json.parse("[" + digits + "]")).items().get(0);
        assertEquals(expected, inArray.value());
        JsonValue.Num viaJackson = (JsonValue.Num) Json.parseWithJackson(digits);
        assertEquals(expected, viaJackson.value(), "Jackson's path");
    }
}
