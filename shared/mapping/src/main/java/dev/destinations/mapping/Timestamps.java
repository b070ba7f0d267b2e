package dev.destinations.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * Event timestamps to epoch milliseconds (decision D9): ISO-8601 with {@code Z} or an offset, without an offset
 * (read as UTC), date-only (UTC midnight), and JSON numbers (already epoch ms). D22 adds what real producers and
 * JavaScript's {@code Date} also read: a compact offset ({@code +0530}), a space for {@code T} (UTC), a trailing
 * {@code " UTC"}/{@code " GMT"}, lower-case {@code t}/{@code z}, RFC 2822 and {@code Date.toString()}. Anything
 * else has no time: never guessed.
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
        long fast = parseCommonIso(s);
        return fast != NOT_COMMON ? Long.valueOf(fast) : parseIsoWithJavaTime(s);
    }

    /** The longest text read: {@code Date.toString()} with a long zone name, and some room. */
    private static final int MAX_CHARS = 100;

    /** The general parser; {@link #parseCommonIso} must agree with it on every text it accepts. */
    static Long parseIsoWithJavaTime(String text) {
        if (text.length() < 10 || text.length() > MAX_CHARS) return null;
        if (Character.isLetter(text.charAt(0)) || text.charAt(1) == ' ' || text.charAt(2) == ' ') return parseWords(text); // "Tue, 01 Dec", "1 Dec"
        if (!Character.isDigit(text.charAt(0))) return null;
        String s = strictIso(text);
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

    /** D22's ISO-like variants as strict ISO-8601: {@code t}/{@code z} upper-cased, a space for T, " UTC"/" GMT" as Z, +HHMM as +HH:MM. */
    private static String strictIso(String s) {
        if (s.endsWith(" UTC") || s.endsWith(" GMT")) s = s.substring(0, s.length() - 4) + "Z";
        if (s.length() > 10 && (s.charAt(10) == ' ' || s.charAt(10) == 't')) s = s.substring(0, 10) + "T" + s.substring(11);
        if (s.endsWith("z")) s = s.substring(0, s.length() - 1) + "Z";
        int n = s.length();
        if (n > 16 && s.indexOf('T') > 0 && (s.charAt(n - 5) == '+' || s.charAt(n - 5) == '-') && Character.isDigit(s.charAt(n - 6))
                && digits(s, n - 4, 4) >= 0) {
            s = s.substring(0, n - 2) + ":" + s.substring(n - 2);
        }
        return s;
    }

    private static final String DAY = "(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)";
    private static final String MONTH = "(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)";
    /** RFC 2822 (HTTP dates, email): {@code Tue, 01 Dec 2026 06:53:59 +0000}; the weekday is optional, as are the seconds. */
    private static final java.util.regex.Pattern RFC_2822 = java.util.regex.Pattern.compile(
            "(?:" + DAY + ",\\s*)?(\\d{1,2}) " + MONTH + " (\\d{4}) (\\d{2}):(\\d{2})(?::(\\d{2}))? (?:([+-]\\d{4})|UT|UTC|GMT|Z)");
    /** JavaScript's {@code Date.toString()}: {@code Tue Dec 01 2026 06:53:59 GMT+0000 (Coordinated Universal Time)}. */
    private static final java.util.regex.Pattern DATE_TO_STRING = java.util.regex.Pattern.compile(
            DAY + " " + MONTH + " (\\d{2}) (\\d{4}) (\\d{2}):(\\d{2}):(\\d{2}) GMT([+-]\\d{4})(?: \\([^()]*\\))?");
    private static final String MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec";

    /** The two forms that start with a word; the weekday is not checked against the date (JavaScript ignores it too). */
    private static Long parseWords(String s) {
        java.util.regex.Matcher m = RFC_2822.matcher(s);
        int day, month, year, hour, minute, second;
        String offset;
        if (m.matches()) {
            day = Integer.parseInt(m.group(1));
            month = MONTHS.indexOf(m.group(2)) / 3 + 1;
            year = Integer.parseInt(m.group(3));
            hour = Integer.parseInt(m.group(4));
            minute = Integer.parseInt(m.group(5));
            second = m.group(6) == null ? 0 : Integer.parseInt(m.group(6));
            offset = m.group(7);
        } else if ((m = DATE_TO_STRING.matcher(s)).matches()) {
            month = MONTHS.indexOf(m.group(1)) / 3 + 1;
            day = Integer.parseInt(m.group(2));
            year = Integer.parseInt(m.group(3));
            hour = Integer.parseInt(m.group(4));
            minute = Integer.parseInt(m.group(5));
            second = Integer.parseInt(m.group(6));
            offset = m.group(7);
        } else {
            return null;
        }
        try {
            ZoneOffset zone = offset == null ? ZoneOffset.UTC
                    : ZoneOffset.ofHoursMinutes(Integer.parseInt(offset.substring(0, 3)), (offset.charAt(0) == '-' ? -1 : 1) * Integer.parseInt(offset.substring(3)));
            return LocalDateTime.of(year, month, day, hour, minute, second).toInstant(zone).toEpochMilli();
        } catch (java.time.DateTimeException e) {
            return null;
        }
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
