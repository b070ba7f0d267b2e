package dev.destinations.__package__;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/**
 * __Name__'s settings, RudderStack's names where the reference has this destination. The API key is not here: it
 * is read per call, so a refreshed secret takes effect at once. TODO: the vendor's settings, each validated here
 * with a CONFIGURATION failure naming it (see CustifySettings).
 */
public record __Name__Settings() {
    /** Every settings key {@link #parse} reads (RudderStack's names); any other is reported at cold start. */
    static final Set<String> KEYS = Set.of();

    static __Name__Settings parse(JsonNode settings) {
        return new __Name__Settings();
    }
}
