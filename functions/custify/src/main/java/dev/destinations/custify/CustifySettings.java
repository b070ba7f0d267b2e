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
 * @param apiUrl              the account's Custify API URL ({@code apiUrl}, D27), https, no trailing slash; null = api.custify.com
 */
public record CustifySettings(boolean sendAnonymousId, boolean enableDeduplication, String deduplicationField, String apiUrl) {
    /** Every key {@link #parse} reads. */
    static final java.util.Set<String> KEYS = java.util.Set.of("sendAnonymousId", "enableDeduplication", "enablededuplication", "deduplicationField",
            "apiUrl");

    static CustifySettings parse(JsonNode s) {
        boolean dedup = flag(s, "enableDeduplication") || flag(s, "enablededuplication");
        JsonNode field = s.get("deduplicationField");
        if (field != null && !field.isNull() && !field.isTextual()) {
            throw new Failure(Reason.CONFIGURATION, "deduplicationField must be an event path such as \"properties.order_id\"");
        }
        String path = field == null || field.isNull() || field.textValue().isBlank() ? null : field.textValue().strip();
        return new CustifySettings(flag(s, "sendAnonymousId"), dedup, path, apiUrl(s.get("apiUrl")));
    }

    /**
     * D27: a Custify account on another cluster (CU-MCP's README names the EU) has another API URL, as its
     * {@code CUSTIFY_API_URL}. Only an https URL of a host, without credentials, query or fragment, is accepted: the
     * API key is sent there.
     */
    static String apiUrl(JsonNode v) {
        if (v == null || v.isNull() || v.isTextual() && v.textValue().isBlank()) return null;
        String problem = "apiUrl must be the https URL of your Custify cluster's API, such as \"https://api.custify.com\"";
        if (!v.isTextual()) throw new Failure(Reason.CONFIGURATION, problem);
        java.net.URI uri;
        try {
            uri = new java.net.URI(v.textValue().strip());
        } catch (java.net.URISyntaxException e) {
            throw new Failure(Reason.CONFIGURATION, problem);
        }
        if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null
                || uri.getRawFragment() != null) {
            throw new Failure(Reason.CONFIGURATION, problem);
        }
        String text = uri.toString();
        while (text.endsWith("/")) text = text.substring(0, text.length() - 1);
        return text;
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
