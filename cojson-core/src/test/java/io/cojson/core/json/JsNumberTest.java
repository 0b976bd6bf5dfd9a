package io.cojson.core.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** ECMAScript Number::toString, wire-format.md §2.3. */
class JsNumberTest {

    static Stream<Arguments> observedTable() {
        return Stream.of(
                // the [V] table of wire-format.md §2.3
                Arguments.of(0.1, "0.1"),
                Arguments.of(0.1 + 0.2, "0.30000000000000004"),
                Arguments.of(1e21, "1e+21"),
                Arguments.of(1e20, "100000000000000000000"),
                Arguments.of(123456789012345680000.0, "123456789012345680000"),
                Arguments.of(0.000001, "0.000001"),
                Arguments.of(1e-7, "1e-7"),
                Arguments.of(1.5e-7, "1.5e-7"),
                Arguments.of(9007199254740992.0, "9007199254740992"),
                Arguments.of(9007199254740994.0, "9007199254740994"),
                Arguments.of(-1e21, "-1e+21"),
                Arguments.of(1e100, "1e+100"),
                Arguments.of(1.23e-18, "1.23e-18"),
                Arguments.of(1.0 / 3.0, "0.3333333333333333"),
                Arguments.of(4.35, "4.35"),
                Arguments.of(Double.MIN_VALUE, "5e-324"),
                Arguments.of(Double.MAX_VALUE, "1.7976931348623157e+308"),
                Arguments.of(Math.pow(2, 64), "18446744073709552000"),
                Arguments.of((double) Long.MAX_VALUE, "9223372036854776000"),
                Arguments.of(-0.0, "0"),
                Arguments.of(0.0, "0"),
                // the four layout rules at their borders
                Arguments.of(1.0, "1"),
                Arguments.of(-1.0, "-1"),
                Arguments.of(1234.5678, "1234.5678"),
                Arguments.of(0.000001234, "0.000001234"),
                Arguments.of(1.234e-7, "1.234e-7"),
                Arguments.of(999999999999999900000.0, "999999999999999900000"),
                Arguments.of(1.5e21, "1.5e+21"),
                Arguments.of(123456789012345678901234.0, "1.2345678901234569e+23"),
                Arguments.of(0.5, "0.5"),
                Arguments.of(-1.5e-10, "-1.5e-10"),
                Arguments.of(1735689600123.0, "1735689600123"),
                Arguments.of(1e15 + 1, "1000000000000001"),
                Arguments.of(9007199254740993.0, "9007199254740992"),
                Arguments.of(100.0, "100"),
                Arguments.of(1e-6 * 1.5, "0.0000015"),
                Arguments.of(2e-323, "2e-323"),
                Arguments.of(Double.MIN_NORMAL, "2.2250738585072014e-308"),
                Arguments.of(5e-7, "5e-7"),
                Arguments.of(123e18, "123000000000000000000"),
                Arguments.of(1e-5, "0.00001"),
                // JDK 17's Double.toString is not shortest here (2.0E-3 prints as "0.0020", 1.0E23 as "1.0E23")
                Arguments.of(2e-3, "0.002"),
                Arguments.of(1e23, "1e+23"),
                Arguments.of(2.82879384806159e17, "282879384806159000"),
                Arguments.of(1.18575755E-316, "1.18575755e-316"),
                Arguments.of(Math.scalb(1.0, -44), "5.684341886080802e-14"), // JDK 17: 5.6843418860808015E-14
                Arguments.of(Math.scalb(1.0, -24), "5.960464477539063e-8"),
                // powers of two: the round-trip interval is asymmetric; checked against Node 20
                Arguments.of(Math.scalb(1.0, -1017), "7.120236347223045e-307"),
                Arguments.of(Math.scalb(1.0, -1007), "7.291122019556398e-304"),
                Arguments.of(Math.scalb(1.0, -645), "6.84940421565126e-195"),
                Arguments.of(Math.scalb(1.0, -569), "5.17526350329881e-172"),
                Arguments.of(Math.scalb(1.0, -1074), "5e-324"),
                Arguments.of(Math.scalb(1.0, 1023), "8.98846567431158e+307"),
                // ties between two shortest candidates go to the even digit (checked against Node 20)
                Arguments.of(840904095612518.25, "840904095612518.2"),
                Arguments.of(1025909290027903.25, "1025909290027903.2"),
                Arguments.of(195192882151468.375, "195192882151468.38"),
                Arguments.of(Math.scalb(1.0, -25), "2.9802322387695312e-8"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("observedTable")
    void formatsLikeV8(double x, String expected) {
        assertEquals(expected, JsNumber.toString(x));
        assertEquals(expected, JsonWriter.stringify(new JsonValue.Num(x)));
        assertEquals(expected, StableJson.stringify(new JsonValue.Num(x)));
        assertEquals(expected, new JsonValue.Num(x).toString());
    }

    @Test
    void nonFiniteNumbers() {
        // Number.prototype.toString
        assertEquals("NaN", JsNumber.toString(Double.NaN));
        assertEquals("Infinity", JsNumber.toString(Double.POSITIVE_INFINITY));
        assertEquals("-Infinity", JsNumber.toString(Double.NEGATIVE_INFINITY));
        // both JSON writers print null, in every position
        for (double d : List.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY)) {
            JsonValue n = new JsonValue.Num(d);
            assertEquals("null", JsonWriter.stringify(n));
            assertEquals("null", StableJson.stringify(n));
            JsonValue wrapped = JsonValue.obj("k", JsonValue.arr(n, n), "j", n);
            assertEquals("{\"k\":[null,null],\"j\":null}", JsonWriter.stringify(wrapped));
            assertEquals("{\"j\":null,\"k\":[null,null]}", StableJson.stringify(wrapped));
        }
    }

    @Test
    void integersAroundTwoTo53() {
        long two53 = 1L << 53;
        for (long i = two53 - 5; i <= two53 + 40; i++) {
            double d = (double) i;
            String expected = new java.math.BigDecimal(d).toPlainString();
            assertEquals(expected, JsNumber.toString(d), "for " + i);
            assertEquals("-" + expected, JsNumber.toString(-d), "for -" + i);
        }
    }

    @Test
    void exactIntegersUpTo1e21PrintPlain() {
        // rule 1: k <= n <= 21 prints the digits and n - k zeros
        double d = 1;
        for (int n = 1; n <= 21; n++) {
            assertEquals("1" + "0".repeat(n - 1), JsNumber.toString(d), "10^" + (n - 1));
            d *= 10;
        }
        assertEquals("1e+21", JsNumber.toString(d));
        assertEquals("1e+22", JsNumber.toString(1e22));
    }

    @Test
    void smallPowersOfTenSwitchToExponentBelow1e6() {
        assertEquals("0.1", JsNumber.toString(1e-1));
        assertEquals("0.01", JsNumber.toString(1e-2));
        assertEquals("0.001", JsNumber.toString(1e-3));
        assertEquals("0.0001", JsNumber.toString(1e-4));
        assertEquals("0.00001", JsNumber.toString(1e-5));
        assertEquals("0.000001", JsNumber.toString(1e-6));
        assertEquals("1e-7", JsNumber.toString(1e-7));
        assertEquals("1.2e-7", JsNumber.toString(1.2e-7));
        assertEquals("0.0000012", JsNumber.toString(1.2e-6));
    }
}
