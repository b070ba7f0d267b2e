package dev.destinations.custify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.destinations.delivery.Failure;
import dev.destinations.delivery.Reason;

/**
 * Custify's settings, RudderStack's names (spec 2.1, D6). The API key is not here: it is read per call so a
 * refreshed secret takes effect at once.
 *
 * @param sendAnonymousId     use anonymousId as user_id when no user id resolves
 * @param enableDeduplication add deduplication_id to track events ({@code enableDeduplication}, alias {@code enablededuplication})
 * @param deduplicationField  the event path whose value is the deduplication id; messageId when unset
 */
public record CustifySettings(boolean sendAnonymousId, boolean enableDeduplication, String deduplicationField) {
    /** Every key {@link #parse} reads. */
    static final java.util.Set<String> KEYS = java.util.Set.of("sendAnonymousId", "enableDeduplication", "enablededuplication", "deduplicationField");

    static CustifySettings parse(JsonNode s) {
        boolean dedup = flag(s, "enableDeduplication") || flag(s, "enablededuplication");
        JsonNode field = s.get("deduplicationField");
        if (field != null && !field.isNull() && !field.isTextual()) {
            throw new Failure(Reason.CONFIGURATION, "deduplicationField must be an event path such as \"properties.order_id\"");
        }
        String path = field == null || field.isNull() || field.textValue().isBlank() ? null : field.textValue().strip();
        return new CustifySettings(flag(s, "sendAnonymousId"), dedup, path);
    }

    /** true/false, or the strings "true"/"false" that some exports contain. */
    static boolean flag(JsonNode settings, String name) {
        JsonNode v = settings.get(name);
        if (v == null || v.isNull()) return false;
        if (v.isBoolean()) return v.booleanValue();
        if (v.isTextual() && (v.textValue().equalsIgnoreCase("true") || v.textValue().equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(v.textValue());
        }
        throw new Failure(Reason.CONFIGURATION, name + " must be true or false");
    }
}
