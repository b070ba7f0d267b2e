package dev.destinations.delivery.gate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.destinations.delivery.Reason;
import dev.destinations.delivery.Verdict;
import java.util.ArrayList;
import java.util.List;

/**
 * Consent, decided as rudder-server decides it (processor/consent.go, {@code getConsentFilteredDestinations}), then
 * Segment's form (D44). A denied event is skipped as {@code consent_denied} before any vendor call; the detail names
 * the rule and the provider, never the user or the ids.
 *
 * <p>RudderStack's rules, on the event's {@code context.consentManagement}: no denied ids, no filtering. If {@code
 * consentManagement} configures the event's provider: with resolution {@code or} (the event's strategy; for
 * {@code custom}, the setting's) the event is denied only when every configured consent is denied, otherwise
 * ({@code and}, the default) when any is. Else, for provider {@code oneTrust} or none, {@code
 * oneTrustCookieCategories} denies when any configured category is denied; else, for {@code ketch} or none, {@code
 * ketchConsentPurposes} denies only when every configured purpose is denied.
 *
 * <p>Segment's rule: when the destination names {@code consentCategories} and the event carries {@code
 * context.consent.categoryPreferences}, every named category must be {@code true} there (a missing category is not
 * consent, as at Segment); an event without the object is not judged (Segment: "events without the consent object
 * continue to flow").
 */
public final class ConsentGate<S> implements Gate<S> {
    @Override
    public Verdict check(Candidate<S> c) {
        String denied = denial(c.controls().consent(), c.event().root());
        return denied == null ? PASS : Verdict.of(Reason.CONSENT_DENIED, denied);
    }

    /** Why this event may not go to the destination, or null when it may. */
    static String denial(ConsentSettings settings, JsonNode event) {
        if (settings.isEmpty()) return null;
        String rudder = rudderStack(settings, EventConsent.read(event));
        return rudder != null ? rudder : segment(settings.segmentCategories(), event);
    }

    static String rudderStack(ConsentSettings settings, EventConsent consent) {
        List<String> denied = consent.deniedConsentIds();
        if (denied.isEmpty()) return null;
        String provider = consent.provider();
        ConsentSettings.Generic generic = settings.generic().get(provider);
        if (generic != null) {
            String strategy = provider.equals("custom") ? generic.resolutionStrategy() : consent.resolutionStrategy();
            if (strategy.equals("or")) {
                return denied.containsAll(generic.consents()) ? "consent denied: every consent configured for provider " + provider + " is denied (or)" : null;
            }
            return anyOf(generic.consents(), denied) ? "consent denied: a consent configured for provider " + provider + " is denied (and)" : null;
        }
        if ((provider.isEmpty() || provider.equals("oneTrust")) && !settings.oneTrustCategories().isEmpty()) {
            return anyOf(settings.oneTrustCategories(), denied) ? "consent denied: a configured oneTrustCookieCategory is denied" : null;
        }
        if ((provider.isEmpty() || provider.equals("ketch")) && !settings.ketchPurposes().isEmpty()) {
            return denied.containsAll(settings.ketchPurposes()) ? "consent denied: every configured ketchConsentPurpose is denied" : null;
        }
        return null;
    }

    static String segment(List<String> categories, JsonNode event) {
        if (categories.isEmpty()) return null;
        JsonNode preferences = event.path("context").path("consent").get("categoryPreferences");
        if (preferences == null || preferences.isNull()) return null;
        for (String category : categories) {
            JsonNode given = preferences.isObject() ? preferences.get(category) : null;
            if (given == null || !given.isBoolean() || !given.booleanValue()) {
                return "consent denied: a configured consentCategory is not true in context.consent.categoryPreferences";
            }
        }
        return null;
    }

    private static boolean anyOf(List<String> configured, List<String> denied) {
        for (String id : configured) if (denied.contains(id)) return true;
        return false;
    }

    /**
     * The event's {@code context.consentManagement}, read as rudder-server reads it ({@code getConsentManagementInfo}):
     * when it is not an object, or a field has the wrong type, the whole of it counts as absent; blank denied ids are
     * dropped.
     */
    record EventConsent(String provider, String resolutionStrategy, List<String> deniedConsentIds) {
        static final EventConsent NONE = new EventConsent("", "", List.of());

        static EventConsent read(JsonNode event) {
            JsonNode context = event.get("context");
            JsonNode cm = context == null ? null : context.get("consentManagement");
            if (cm == null || !cm.isObject()) return NONE;
            JsonNode provider = cm.get("provider");
            JsonNode strategy = cm.get("resolutionStrategy");
            JsonNode denied = cm.get("deniedConsentIds");
            if (!stringOrNull(provider) || !stringOrNull(strategy)) return NONE;
            List<String> ids = new ArrayList<>();
            if (denied != null && !denied.isNull()) {
                if (!denied.isArray()) return NONE;
                for (JsonNode id : denied) {
                    if (!stringOrNull(id)) return NONE;
                    if (id.isTextual() && !id.textValue().isEmpty()) ids.add(id.textValue());
                }
            }
            return new EventConsent(text(provider), text(strategy), List.copyOf(ids));
        }

        private static boolean stringOrNull(JsonNode v) {
            return v == null || v.isNull() || v.isTextual();
        }

        private static String text(JsonNode v) {
            return v == null || v.isNull() ? "" : v.textValue();
        }
    }
}
