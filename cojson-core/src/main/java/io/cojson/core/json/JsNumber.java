package io.cojson.core.json;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * ECMAScript {@code Number::toString(x)} in radix 10: the shortest digit string that round-trips
 * (the one closest to the exact value), laid out with the four ECMAScript rules. Every hash and
 * signature over JSON depends on this being byte-identical with V8.
 */
public final class JsNumber {
    private static final double TWO_53 = 9007199254740992.0;

    private JsNumber() {}

    /** Formats a finite double, or returns {@code "NaN"}/{@code "Infinity"}/{@code "-Infinity"}. */
    public static String toString(double x) {
        if (Double.isNaN(x)) return "NaN";
        if (Double.isInfinite(x)) return x > 0 ? "Infinity" : "-Infinity";
        if (x == 0) return "0"; // covers -0
        if (x == Math.rint(x) && Math.abs(x) <= TWO_53) return Long.toString((long) x);
        StringBuilder sb = new StringBuilder(24);
        append(sb, x);
        return sb.toString();
    }

    /** Appends the JS form of a finite, non-zero double. */
    static void append(StringBuilder out, double x) {
        if (x < 0) {
            out.append('-');
            x = -x;
        }
        if (x == Math.rint(x) && x <= TWO_53) {
            out.append((long) x);
            return;
        }
        String digits;
        int n; // x = 0.d1d2..dk × 10^n
        long[] fast = new long[3];
        int status = shortestFast(x, fast);
        if (status == FOUND) {
            digits = Long.toString(fast[0]);
            n = digits.length() + (int) fast[1];
        } else {
            BigDecimal shortest = status == LENGTH_KNOWN
                    ? pick(new BigDecimal(x), x, (int) fast[2]).stripTrailingZeros()
                    : shortest(x);
            digits = shortest.unscaledValue().toString();
            n = digits.length() - shortest.scale();
        }
        int k = digits.length();
        if (k <= n && n <= 21) {
            out.append(digits);
            for (int i = 0; i < n - k; i++) out.append('0');
        } else if (0 < n && n <= 21) {
            out.append(digits, 0, n).append('.').append(digits, n, k);
        } else if (-6 < n && n <= 0) {
            out.append("0.");
            for (int i = 0; i < -n; i++) out.append('0');
            out.append(digits);
        } else {
            out.append(digits.charAt(0));
            if (k > 1) out.append('.').append(digits, 1, k);
            int e = n - 1;
            out.append('e').append(e >= 0 ? '+' : '-').append(Math.abs(e));
        }
    }

    // Fast-path results (see shortestFast)
    private static final long MAX_FAST_DIGITS = 100_000_000_000_000_000L; // 10^17
    private static final int UNKNOWN = 0;
    private static final int FOUND = 1;
    private static final int LENGTH_KNOWN = 2;

    /**
     * Fast path: takes the digits {@code D × 10^e} of {@link Double#toString} (which always
     * round-trip; D has k digits) and tries to prove with a few parses that they are the answer.
     * <ul>
     *   <li>The decimals that parse back to x form an interval R containing x and D. If some
     *       (k−1)-digit decimal is in R, then one of the two (k−1)-digit decimals around D (D
     *       truncated, and that plus one unit) is in R too, since R is an interval containing D and
     *       x. If neither parses back to x, no shorter form exists (a shorter decimal is also a
     *       (k−1)-digit one), so k is the shortest length: {@link #LENGTH_KNOWN}, {@code out[2] = k}.</li>
     *   <li>If in addition neither neighbour of D on the k-digit grid is in R, D is the only k-digit
     *       decimal in R, so it is also the closest one: {@link #FOUND}, {@code out[0] = D} (no
     *       trailing zeros), {@code out[1] = e}.</li>
     * </ul>
     * Otherwise {@link #UNKNOWN}, and the exact search decides.
     */
    static int shortestFast(double x, long[] out) {
        String s = Double.toString(x);
        long d = 0;
        int fractionDigits = 0;
        boolean afterPoint = false;
        int exp = 0;
        int len = s.length();
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            if (c == '.') {
                afterPoint = true;
            } else if (c == 'E') {
                exp = Integer.parseInt(s.substring(i + 1)); // (CharSequence, int, int, int) is not on Android 26
                break;
            } else {
                if (afterPoint) fractionDigits++;
                if (d == 0 && c == '0') continue; // leading zero
                if (d >= MAX_FAST_DIGITS) return UNKNOWN;
                d = d * 10 + (c - '0');
            }
        }
        if (d <= 0) return UNKNOWN;
        int e = exp - fractionDigits;
        while (d % 10 == 0) {
            d /= 10;
            e++;
        }
        int k = 1;
        long pow = 1; // 10^(k-1)
        while (pow <= d / 10) {
            pow *= 10;
            k++;
        }
        // one digit fewer
        if (k > 1) {
            long t = d / 10;
            if (roundTrips(t, e + 1, x) || roundTrips(t + 1, e + 1, x)) return UNKNOWN;
        }
        out[2] = k;
        // the k-digit neighbours of D; below 10^(k-1) the grid is ten times finer
        if (d == pow) {
            if (roundTrips(pow * 10 - 1, e - 1, x)) return LENGTH_KNOWN;
        } else if (roundTrips(d - 1, e, x)) {
            return LENGTH_KNOWN;
        }
        if (roundTrips(d + 1, e, x)) return LENGTH_KNOWN;
        out[0] = d;
        out[1] = e;
        return FOUND;
    }

    private static boolean roundTrips(long digits, int e, double x) {
        return Double.parseDouble(digits + "E" + e) == x;
    }

    /**
     * Shortest round-tripping decimal, closest to the exact binary value (ties: even last digit).
     *
     * <p>"Some p-digit decimal round-trips" is monotone in p (a p-digit decimal is also a
     * (p+1)-digit one), so we walk down from the digit count of {@link Double#toString}, which
     * always round-trips but on JDK 17 is not always shortest. At each length both neighbours of
     * the exact value (rounded down and up) are tried: at a power of two the round-trip interval
     * is asymmetric (the gap below is half the gap above), so the nearest p-digit decimal can fail
     * while the one on the other side succeeds.
     */
    private static BigDecimal shortest(double x) {
        BigDecimal exact = new BigDecimal(x);
        int p = significantDigits(Double.toString(x));
        while (p < 17 && pick(exact, x, p) == null) p++; // defensive: Double.toString round-trips
        while (p > 1 && pick(exact, x, p - 1) != null) p--;
        BigDecimal best = pick(exact, x, p);
        if (best == null) best = exact.round(new MathContext(17, RoundingMode.HALF_EVEN));
        return best.stripTrailingZeros();
    }

    /**
     * The p-digit decimal closest to {@code exact} that parses back to {@code x} (ties to an even
     * last digit, as ECMAScript and V8 do), or {@code null} if no p-digit decimal round-trips.
     */
    private static BigDecimal pick(BigDecimal exact, double x, int p) {
        BigDecimal down = exact.round(new MathContext(p, RoundingMode.FLOOR));
        BigDecimal up = exact.round(new MathContext(p, RoundingMode.CEILING));
        if (down.compareTo(up) == 0) return down; // exactly representable with p digits
        boolean downOk = roundTrips(down, x);
        boolean upOk = roundTrips(up, x);
        if (downOk && upOk) return exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
        if (downOk) return down;
        if (upOk) return up;
        return null;
    }

    private static boolean roundTrips(BigDecimal d, double x) {
        return Double.parseDouble(d.toString()) == x;
    }

    private static int significantDigits(String javaRepr) {
        int count = 0;
        boolean leading = true;
        int end = javaRepr.indexOf('E');
        if (end < 0) end = javaRepr.length();
        int lastNonZero = 0;
        for (int i = 0; i < end; i++) {
            char c = javaRepr.charAt(i);
            if (c < '0' || c > '9') continue;
            if (leading && c == '0') continue;
            leading = false;
            count++;
            if (c != '0') lastNonZero = count;
        }
        return Math.max(1, Math.min(17, lastNonZero));
    }
}
