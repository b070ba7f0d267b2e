package dev.destinations.delivery;

import java.nio.charset.StandardCharsets;

/**
 * Percent-encoding of values placed in URLs (decision D5, RFC 3986). Flows encode every id, email and phone they
 * put in a path or a query, so a {@code +} in an email stays a plus ({@code %2B}) and no value can add a path
 * segment or a parameter.
 */
public final class UrlEncoding {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private UrlEncoding() {}

    /**
     * One path segment: unreserved characters, {@code @} and {@code :} stay (they are legal in a segment); a value
     * of {@code .} or {@code ..} is encoded too, so no id can act as a path step.
     */
    public static String pathSegment(String value) {
        if (value.equals(".")) return "%2E";
        if (value.equals("..")) return "%2E%2E";
        return encode(value, "@:");
    }

    /** One query value: only unreserved characters stay ({@code @} becomes {@code %40}, {@code +} {@code %2B}). */
    public static String queryValue(String value) {
        return encode(value, "");
    }

    private static String encode(String value, String alsoKeep) {
        StringBuilder out = new StringBuilder(value.length() + 8);
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if (isUnreserved(c) || (c < 128 && alsoKeep.indexOf(c) >= 0)) {
                out.append(c);
            } else {
                out.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
            }
        }
        return out.toString();
    }

    private static boolean isUnreserved(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~';
    }
}
