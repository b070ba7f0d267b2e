package dev.destinations.usercom;

import com.fasterxml.jackson.databind.JsonNode;
import dev.destinations.delivery.Failure;
import dev.destinations.delivery.Reason;
import dev.destinations.mapping.SettingsTables;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * User.com's settings, RudderStack's names (spec 3.1). The API key is not here: it is read per call so a refreshed
 * secret takes effect at once. The subdomain is checked here, before any URL is built from it, so a setting can
 * only ever name a host under {@code user.com}.
 *
 * @param appSubdomain      the account's subdomain: letters, digits and hyphens
 * @param userAttributes    {@code userAttributesMapping}: trait name to User.com user attribute (identify)
 * @param userEvents        {@code userEvents}: per-event renaming for track, in settings order
 * @param companyAttributes {@code companyAttributesMapping}: group trait name to company attribute
 */
public record UserComSettings(String appSubdomain, Map<String, String> userAttributes, List<UserEvent> userEvents,
                              Map<String, String> companyAttributes) {
    /** Every key {@link #parse} reads. */
    static final java.util.Set<String> KEYS = java.util.Set.of("appSubdomain", "userAttributesMapping", "userEvents", "companyAttributesMapping");
    private static final Pattern SUBDOMAIN = Pattern.compile("[A-Za-z0-9-]+");
    static final String MISSING_SUBDOMAIN = "appSubdomain is required: the account's subdomain, e.g. \"mycompany\" for mycompany.user.com";
    static final String INVALID_SUBDOMAIN = "appSubdomain must contain only letters, digits and hyphens "
            + "(the \"mycompany\" of mycompany.user.com, without scheme, dots or path)";

    /**
     * One {@code userEvents} row.
     *
     * @param rsEventName   the event name it applies to (exact, case-sensitive)
     * @param userEventName the User.com event name; blank keeps the event's own name
     * @param properties    {@code eventProperties}: property name to User.com data key
     */
    public record UserEvent(String rsEventName, String userEventName, Map<String, String> properties) {
        public UserEvent {
            properties = ordered(properties);
        }
    }

    /** Checks the subdomain whichever way the settings were made, so every instance names a host under user.com. */
    public UserComSettings {
        if (appSubdomain == null || appSubdomain.isEmpty()) throw new Failure(Reason.CONFIGURATION, MISSING_SUBDOMAIN);
        // the value is not echoed: it is not needed to fix it, and a mistyped secret may have landed here
        if (!SUBDOMAIN.matcher(appSubdomain).matches()) throw new Failure(Reason.CONFIGURATION, INVALID_SUBDOMAIN);
        userAttributes = ordered(userAttributes);
        userEvents = List.copyOf(userEvents);
        companyAttributes = ordered(companyAttributes);
    }

    /** Settings order matters when two rows map to the same attribute: the later one wins, as in the reference. */
    private static Map<String, String> ordered(Map<String, String> table) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(table));
    }

    static UserComSettings parse(JsonNode s) {
        JsonNode subdomain = s.get("appSubdomain");
        if (subdomain != null && !subdomain.isNull() && !subdomain.isTextual()) throw new Failure(Reason.CONFIGURATION, INVALID_SUBDOMAIN);
        return new UserComSettings(subdomain == null ? null : subdomain.textValue(), SettingsTables.fromTo(s, "userAttributesMapping"),
                userEvents(s.path("userEvents")), SettingsTables.fromTo(s, "companyAttributesMapping"));
    }

    /** Rows without an event name can never match and are dropped; a missing or non-array setting is no renaming (D4). */
    private static List<UserEvent> userEvents(JsonNode rows) {
        List<UserEvent> events = new ArrayList<>();
        if (!rows.isArray()) return events;
        for (JsonNode row : rows) {
            JsonNode name = row.get("rsEventName");
            if (name == null || !name.isValueNode() || name.isNull() || name.asText().isEmpty()) continue;
            JsonNode target = row.get("userEventName");
            String userEventName = target == null || !target.isValueNode() || target.isNull() ? "" : target.asText();
            events.add(new UserEvent(name.asText(), userEventName, SettingsTables.table(row.path("eventProperties"), "from", "to")));
        }
        return events;
    }
}
