package dev.destinations.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * Event timestamps to epoch milliseconds (decision D9): ISO-8601 with {@code Z} or an offset, without an offset
 * (read as UTC), date-only (UTC midnight), and JSON numbers (already epoch ms). Anything else has no time.
 */
public final class Timestamps {
    /** JavaScript's Date range: beyond it the reference gets NaN and drops the field. */
    private static final long MAX_EPOCH_MS = 8_640_000_000_000_000L;

    private Timestamps() {}

    /** Epoch ms, or null when the value is not a time this project accepts. Never throws. */
    public static Long epochMillis(JsonNode value) {
        if (value == null) return null;
        if (value.isNumber()) {
            double d = value.doubleValue();
            if (!Double.isFinite(d) || Math.abs(d) > MAX_EPOCH_MS) return null;
            return (long) d; // JavaScript's TimeClip truncates toward zero
        }
        return value.isTextual() ? parseIso(value.textValue()) : null;
    }

    static Long parseIso(String text) {
        String s = text.strip();
        if (s.length() < 10 || s.length() > 40 || !Character.isDigit(s.charAt(0))) return null;
        long fast = parseCommonIso(s);
        return fast != NOT_COMMON ? Long.valueOf(fast) : parseIsoWithJavaTime(s);
    }

    /** The general parser; {@link #parseCommonIso} must agree with it on every text it accepts. */
    static Long parseIsoWithJavaTime(String s) {
        try {
            if (s.length() == 10) {
                return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
            }
            char last = s.charAt(s.length() - 1);
            boolean hasOffset = last == 'Z' || hasNumericOffset(s);
            return hasOffset
                    ? OffsetDateTime.parse(s).toInstant().toEpochMilli()
                    : LocalDateTime.parse(s).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException | ArithmeticException e) {
            return null;
        }
    }

    private static final long NOT_COMMON = Long.MIN_VALUE;

    /**
     * The shape nearly every SDK sends, {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}](Z|±HH:mm)}, read without java.time's
     * formatter (which was 44% of a Gainsight PX track's mapping time). Returns {@link #NOT_COMMON} for any
     * other text, or when a field is out of range, and the general parser then decides.
     */
    static long parseCommonIso(String s) {
        int n = s.length();
        if (n < 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':' || s.charAt(16) != ':') {
            return NOT_COMMON;
        }
        int year = digits(s, 0, 4), month = digits(s, 5, 2), day = digits(s, 8, 2);
        int hour = digits(s, 11, 2), minute = digits(s, 14, 2), second = digits(s, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59 || day > java.time.YearMonth.of(year, month).lengthOfMonth()) {
            return NOT_COMMON;
        }
        int i = 19;
        int millis = 0;
        if (i < n && s.charAt(i) == '.') {
            int start = ++i;
            while (i < n && i - start < 9 && s.charAt(i) >= '0' && s.charAt(i) <= '9') i++;
            int count = i - start;
            if (count == 0) return NOT_COMMON;
            for (int k = 0; k < 3; k++) millis = millis * 10 + (k < count ? s.charAt(start + k) - '0' : 0); // truncated, as toEpochMilli does
        }
        int offsetSeconds;
        if (i == n - 1 && s.charAt(i) == 'Z') {
            offsetSeconds = 0;
        } else if (i == n - 6 && (s.charAt(i) == '+' || s.charAt(i) == '-') && s.charAt(i + 3) == ':') {
            int oh = digits(s, i + 1, 2), om = digits(s, i + 4, 2);
            if (oh < 0 || om < 0 || om > 59 || oh > 18 || (oh == 18 && om > 0)) return NOT_COMMON;
            offsetSeconds = (s.charAt(i) == '-' ? -1 : 1) * (oh * 3600 + om * 60);
        } else {
            return NOT_COMMON;
        }
        long days = java.time.LocalDate.of(year, month, day).toEpochDay();
        long epochSeconds = days * 86_400 + hour * 3600L + minute * 60L + second - offsetSeconds;
        return epochSeconds * 1000 + millis;
    }

    /** The value of {@code count} ASCII digits at {@code from}, or -1. */
    private static int digits(String s, int from, int count) {
        int v = 0;
        for (int k = from; k < from + count; k++) {
            char c = s.charAt(k);
            if (c < '0' || c > '9') return -1;
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** True when the text ends in {@code +HH:MM} or {@code -HH:MM} after the time part. */
    private static boolean hasNumericOffset(String s) {
        int t = s.indexOf('T');
        if (t < 0) return false;
        int sign = Math.max(s.lastIndexOf('+'), s.lastIndexOf('-'));
        return sign > t;
    }
}
