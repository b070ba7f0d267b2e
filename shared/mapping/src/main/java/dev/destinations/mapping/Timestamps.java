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

    /** True when the text ends in {@code +HH:MM} or {@code -HH:MM} after the time part. */
    private static boolean hasNumericOffset(String s) {
        int t = s.indexOf('T');
        if (t < 0) return false;
        int sign = Math.max(s.lastIndexOf('+'), s.lastIndexOf('-'));
        return sign > t;
    }
}
