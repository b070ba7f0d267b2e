package dev.destinations.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.destinations.mapping.Json;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/** A vendor's HTTP answer: status, the Retry-After header, and the body as text. */
public record VendorResponse(int status, String retryAfterHeader, String body) {
    public boolean ok() {
        return status >= 200 && status < 300;
    }

    /** The body as JSON, or a missing node when it is empty or not JSON. */
    public JsonNode json() {
        if (body == null || body.isBlank()) return MissingNode.getInstance();
        try {
            return Json.parse(body);
        } catch (java.io.IOException e) {
            return MissingNode.getInstance();
        }
    }

    /** Retry-After as seconds or an HTTP date, or null when absent or unreadable. */
    public Duration retryAfter() {
        if (retryAfterHeader == null || retryAfterHeader.isBlank()) return null;
        String v = retryAfterHeader.trim();
        try {
            long seconds = Long.parseLong(v);
            return seconds >= 0 ? Duration.ofSeconds(seconds) : null;
        } catch (NumberFormatException notSeconds) {
            try {
                Duration d = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME));
                return d.isNegative() ? Duration.ZERO : d;
            } catch (RuntimeException notADate) {
                return null;
            }
        }
    }
}
