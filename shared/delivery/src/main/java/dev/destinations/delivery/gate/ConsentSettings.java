package dev.destinations.delivery.gate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.destinations.delivery.Failure;
import dev.destinations.delivery.Reason;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A destination's consent settings, RudderStack's keys and shapes (rudder-server processor/consent.go), and
 * Segment's {@code consentCategories} (D44). Parsed strictly (D43): a value RudderStack would silently ignore (a
 * {@code consentManagement} that is not a list, a row that is not an object, a category that is not a string) is a
 * configuration error, because ignoring a consent setting delivers what the user meant to hold back. Blank rows,
 * which RudderStack's dashboard leaves behind, are dropped as rudder-server drops them.
 *
 * @param generic            {@code consentManagement}: provider -> its consents and resolution strategy
 * @param oneTrustCategories {@code oneTrustCookieCategories[].oneTrustCookieCategory} (legacy OneTrust)
 * @param ketchPurposes      {@code ketchConsentPurposes[].purpose} (legacy Ketch)
 * @param segmentCategories  {@code consentCategories}: Segment consent category ids this destination is mapped to
 */
public record ConsentSettings(Map<String, Generic> generic, List<String> oneTrustCategories, List<String> ketchPurposes,
                              List<String> segmentCategories) {
    /** The settings keys read here. */
    public static final Set<String> KEYS = Set.of("consentManagement", "oneTrustCookieCategories", "ketchConsentPurposes", "consentCategories");

    /**
     * One provider's row of {@code consentManagement}.
     *
     * @param resolutionStrategy {@code "and"}, {@code "or"} or {@code ""}; read for the {@code custom} provider only
     */
    public record Generic(String resolutionStrategy, List<String> consents) {}

    public ConsentSettings {
        generic = Map.copyOf(generic);
        oneTrustCategories = List.copyOf(oneTrustCategories);
        ketchPurposes = List.copyOf(ketchPurposes);
        segmentCategories = List.copyOf(segmentCategories);
    }

    public boolean isEmpty() {
        return generic.isEmpty() && oneTrustCategories.isEmpty() && ketchPurposes.isEmpty() && segmentCategories.isEmpty();
    }

    public static ConsentSettings parse(JsonNode settings) {
        return new ConsentSettings(generic(settings.get("consentManagement")),
                rows(settings.get("oneTrustCookieCategories"), "oneTrustCookieCategories", "oneTrustCookieCategory"),
                rows(settings.get("ketchConsentPurposes"), "ketchConsentPurposes", "purpose"),
                strings(settings.get("consentCategories"), "consentCategories"));
    }

    /**
     * rudder-server's form, a list of {@code {provider, consents: [{consent}], resolutionStrategy}}; or the
     * dashboard's, an object of such lists by source type ({@code {"web": [...], "cloud": [...]}}), read as one list
     * when the source types that configure a provider agree on it (a function does not know an event's source type).
     */
    private static Map<String, Generic> generic(JsonNode value) {
        Map<String, Generic> out = new LinkedHashMap<>();
        if (value == null || value.isNull()) return out;
        if (value.isArray()) {
            providers(value, "consentManagement", out);
            return out;
        }
        if (!value.isObject()) throw invalid("consentManagement must be a list of {provider, consents, resolutionStrategy}");
        Map<String, String> from = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> bySource = it.next();
            String where = "consentManagement." + bySource.getKey();
            if (!bySource.getValue().isArray() && !bySource.getValue().isNull()) {
                throw invalid(where + " must be a list of {provider, consents, resolutionStrategy} (consentManagement is a list,"
                        + " or an object of such lists by source type)");
            }
            Map<String, Generic> rows = new LinkedHashMap<>();
            providers(bySource.getValue(), where, rows);
            rows.forEach((provider, row) -> {
                Generic seen = out.putIfAbsent(provider, row);
                if (seen != null && !seen.equals(row)) {
                    throw invalid("consentManagement configures provider " + provider + " differently for " + from.get(provider)
                            + " and " + bySource.getKey() + ": this function cannot tell an event's source type, so give it one list");
                }
                from.putIfAbsent(provider, bySource.getKey());
            });
        }
        return out;
    }

    private static void providers(JsonNode list, String where, Map<String, Generic> out) {
        if (list.isNull()) return;
        int i = 0;
        for (JsonNode row : list) {
            String at = where + "[" + i++ + "]";
            if (!row.isObject()) throw invalid(at + " must be an object {provider, consents, resolutionStrategy}");
            List<String> consents = rows(row.get("consents"), at + ".consents", "consent");
            String provider = text(row.get("provider"), at + ".provider");
            String strategy = text(row.get("resolutionStrategy"), at + ".resolutionStrategy");
            if (!strategy.isEmpty() && !strategy.equals("and") && !strategy.equals("or")) {
                throw invalid(at + ".resolutionStrategy must be \"and\" or \"or\"");
            }
            if (consents.isEmpty()) continue; // a blank row: rudder-server drops it
            if (provider.isEmpty()) throw invalid(at + ".provider is required when consents are given (oneTrust, ketch, custom, ...)");
            if (out.put(provider, new Generic(strategy, consents)) != null) throw invalid(where + " lists provider " + provider + " twice");
        }
    }

    /** {@code [{<field>: "id"}, ...]}: the non-blank ids, in order; a row without the field, or with "", is blank. */
    private static List<String> rows(JsonNode list, String where, String field) {
        List<String> out = new ArrayList<>();
        if (list == null || list.isNull()) return out;
        if (!list.isArray()) throw invalid(where + " must be a list of {\"" + field + "\": \"...\"}");
        int i = 0;
        for (JsonNode row : list) {
            String at = where + "[" + i++ + "]";
            if (!row.isObject()) throw invalid(at + " must be an object {\"" + field + "\": \"...\"}");
            String id = text(row.get(field), at + "." + field);
            if (!id.isEmpty()) out.add(id);
        }
        return out;
    }

    private static List<String> strings(JsonNode list, String where) {
        List<String> out = new ArrayList<>();
        if (list == null || list.isNull()) return out;
        if (!list.isArray()) throw invalid(where + " must be a list of category ids, e.g. [\"Analytics\"]");
        int i = 0;
        for (JsonNode item : list) {
            String id = text(item, where + "[" + i++ + "]");
            if (!id.isEmpty()) out.add(id);
        }
        return out;
    }

    /** A string, or "" when absent or null; anything else is an error. Ids are compared exactly, as rudder-server does. */
    private static String text(JsonNode value, String where) {
        if (value == null || value.isNull()) return "";
        if (!value.isTextual()) throw invalid(where + " must be a string");
        return value.textValue();
    }

    private static Failure invalid(String message) {
        return new Failure(Reason.CONFIGURATION, message);
    }
}
