package dev.destinations.gainsightpx;

import com.fasterxml.jackson.databind.JsonNode;
import dev.destinations.mapping.SettingsTables;
import java.util.Map;

/**
 * Gainsight PX's settings, RudderStack's names (spec 4.1). The API key is not here: it is read per call so a
 * refreshed secret takes effect at once. {@code productTagKey} is required but may be null here: the settings are
 * also parsed at cold start without the secret, where some users keep the tag key, so {@link
 * GainsightPxDestination#deliver} checks it for every message (4.3 step 3).
 *
 * @param productTagKey       the PX product tag key ({@code AP-XXXX-N}), or null when missing or blank
 * @param dataCenter          where the account lives; decides the base URL
 * @param userAttributeMap    trait name -> PX custom user attribute; only mapped traits are sent
 * @param accountAttributeMap group trait -> PX custom account attribute; only mapped traits are sent
 * @param globalContextMap    literal key/value pairs sent as {@code globalContext} on custom events
 */
public record GainsightPxSettings(String productTagKey, DataCenter dataCenter, Map<String, String> userAttributeMap,
                                  Map<String, String> accountAttributeMap, Map<String, String> globalContextMap) {

    /** Every key {@link #parse} reads. */
    static final java.util.Set<String> KEYS = java.util.Set.of("productTagKey", "dataCenter", "userAttributeMap", "accountAttributeMap", "globalContextMap");

    /** The data centres and their API base URLs (4.1; px-apidocs.gainsight.com). */
    public enum DataCenter {
        US("https://api.aptrinsic.com/v1"),
        EU("https://api-eu.aptrinsic.com/v1"),
        US2("https://api-us2.aptrinsic.com/v1");

        private final String baseUrl;

        DataCenter(String baseUrl) {
            this.baseUrl = baseUrl;
        }

        public String baseUrl() {
            return baseUrl;
        }

        /**
         * {@code "EU"} and {@code "US2"} exactly; anything else, absent, a per-source object (the schema's shape,
         * quirk 15) or another spelling such as {@code "eu"}, is US, as in the reference.
         */
        static DataCenter of(JsonNode value) {
            if (value == null || !value.isTextual()) return US;
            return switch (value.textValue()) {
                case "EU" -> EU;
                case "US2" -> US2;
                default -> US;
            };
        }
    }

    /** Never throws: nothing here can be wrong in a way that the next message could not fix (see the class note). */
    static GainsightPxSettings parse(JsonNode s) {
        JsonNode tag = s.get("productTagKey");
        String productTagKey = tag != null && tag.isTextual() && !tag.textValue().isBlank() ? tag.textValue() : null;
        return new GainsightPxSettings(productTagKey, DataCenter.of(s.get("dataCenter")),
                SettingsTables.fromTo(s, "userAttributeMap"), SettingsTables.fromTo(s, "accountAttributeMap"),
                SettingsTables.fromTo(s, "globalContextMap"));
    }
}
