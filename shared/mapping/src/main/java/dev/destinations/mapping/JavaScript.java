package dev.destinations.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;

/**
 * How the reference's JavaScript turns values into text, where the text itself reaches the vendor: {@code String(v)}
 * and the number formatting of {@code JSON.stringify}. Numbers are the point: JavaScript writes 100.0 as
 * {@code 100}, 12345678.9 as {@code 12345678.9} and 1e21 as {@code 1e+21}, where Java writes {@code 100.0},
 * {@code 1.23456789E7} and {@code 1.0E21}; and an integer beyond 2^53 is a double in JavaScript.
 */
public final class JavaScript {
    /** 2^53: beyond it a JavaScript number no longer holds every integer. */
    private static final long EXACT_INTEGERS = 9_007_199_254_740_992L;

    private JavaScript() {}

    /**
     * ECMAScript Number::toString(10). Java's {@link Double#toString} (JDK 19 and later) already gives the shortest
     * digits that read back as the same double, as ECMAScript asks; only where the point and exponent go differs.
     */
    public static String numberToString(double d) {
        if (Double.isNaN(d)) return "NaN";
        if (Double.isInfinite(d)) return d > 0 ? "Infinity" : "-Infinity";
        if (d == 0) return "0"; // -0 too
        BigDecimal shortest = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
        if (shortest.precision() == 2) {
            // Java writes at least two digits (4.9E-324); one may be enough for ECMAScript (5e-324)
            BigDecimal one = shortest.round(new java.math.MathContext(1, java.math.RoundingMode.HALF_EVEN));
            if (one.doubleValue() == Math.abs(d)) shortest = one.stripTrailingZeros();
        }
        String digits = shortest.unscaledValue().toString();
        int k = digits.length();
        int n = k - shortest.scale(); // the value is 0.digits x 10^n
        StringBuilder b = new StringBuilder(d < 0 ? "-" : "");
        if (k <= n && n <= 21) {
            b.append(digits).append("0".repeat(n - k));
        } else if (0 < n && n <= 21) {
            b.append(digits, 0, n).append('.').append(digits, n, k);
        } else if (-6 < n && n <= 0) {
            b.append("0.").append("0".repeat(-n)).append(digits);
        } else {
            int exponent = n - 1;
            b.append(digits.charAt(0));
            if (k > 1) b.append('.').append(digits, 1, k);
            b.append('e').append(exponent < 0 ? '-' : '+').append(Math.abs(exponent));
        }
        return b.toString();
    }

    /** A JSON number as JavaScript would write it after JSON.parse (so past 2^53 an integer is a double). */
    public static String numberToString(JsonNode number) {
        if (number.isIntegralNumber() && number.canConvertToLong()) {
            long v = number.longValue();
            if (v >= -EXACT_INTEGERS && v <= EXACT_INTEGERS) return Long.toString(v);
        }
        return numberToString(number.doubleValue());
    }

    /** {@code String(v)} of a JSON value: arrays join their elements with commas (null as empty), objects are "[object Object]". */
    public static String string(JsonNode v) {
        if (v.isTextual()) return v.textValue();
        if (v.isNumber()) return numberToString(v);
        if (v.isBoolean()) return Boolean.toString(v.booleanValue());
        if (v.isNull()) return "null";
        if (v.isArray()) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < v.size(); i++) {
                if (i > 0) b.append(',');
                JsonNode e = v.get(i);
                if (!e.isNull()) b.append(string(e));
            }
            return b.toString();
        }
        return "[object Object]";
    }
}
